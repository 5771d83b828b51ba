// Many authors on one document: N thin authors (N = 50 .. 1000) each type
// about one update per second into the Good Practice Paper; every update is
// timed at every other author. The same load runs against Accord (durable),
// @y/websocket-server 0.1.1 and @hocuspocus/server (both in memory), each in
// its own process so its CPU and memory can be read from /proc. The authors
// are thin (bench/many-authors-client.ts), in 2-4 processes of their own.
//
//   npm run bench manyauthors
//   MANY_AUTHORS_N=50,250 MANY_AUTHORS_SECONDS=10 npm run bench manyauthors
//
// Environment: MANY_AUTHORS_N (default 50,100,250,500,1000), MANY_AUTHORS_SECONDS
// (measured seconds per point, default 10), MANY_AUTHORS_SERVERS (default
// accord,y-websocket-server,hocuspocus), MANY_AUTHORS_PROCS (client
// processes; default 2, 4 from N=1000 on), MANY_AUTHORS_RATE (updates per
// author per second, default 1), SERVER_NODE_ARGS and
// MANY_AUTHORS_CLIENT_NODE_ARGS (extra Node flags for the servers and the
// client processes: `--cpu-prof --cpu-prof-dir=…` for a profile). Goals: at
// N=500, p95 <= 30 ms and <= Hocuspocus's p95 with 100% delivered; at
// N=1000, 100% delivered, p95 <= 100 ms and RSS <= 400 MB.
import { fork, spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { freePort, spawnServer, ROOT } from '../tests/helpers/process';
import { initialState } from '../server/documents/state';
import { parseMarkdown } from '../core/markdown';
import { round } from './stats';
import { startStoreCheck, type StoreCheck, type StoreCheckResult } from './store-check';
import { HIST_BUCKETS, HIST_BUCKET_MS, runQueueWaitNs, type ChildResult, type Order, type Protocol, type Report } from './many-authors-client';

type Figures = Record<string, number | string>;

const CLIENT_SCRIPT = join(ROOT, 'bench', 'many-authors-client.ts');
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const WARMUP_MS = 2500;
const DRAIN_MS = 5000;
const SAMPLE_MS = 500;

const debug = (m: string) => {
  if (process.env.BENCH_DEBUG) console.error(`[many-authors] ${m}`);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const clock = (): number => performance.timeOrigin + performance.now();

type ServerName = 'accord' | 'y-websocket-server' | 'hocuspocus' | 'accord-cluster';
const SERVER_NAMES: ServerName[] = ['accord', 'y-websocket-server', 'hocuspocus'];
const ALL_SERVER_NAMES: ServerName[] = [...SERVER_NAMES, 'accord-cluster'];

/** Every process this module started, killed on any exit so a failed run leaves nothing behind. */
const live = new Set<ChildProcess>();
/** Temporary data directories, removed on any exit too. */
const dirs = new Set<string>();
let exitHooks = false;
function killAll(): void {
  for (const c of live) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!exitHooks) {
    exitHooks = true;
    process.on('exit', killAll);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        killAll();
        process.exit(130);
      });
    }
  }
  return child;
}

async function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  if (await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)])) return;
  child.kill('SIGKILL');
  await Promise.race([exited, sleep(2000)]);
}

// ---------------------------------------------------------------------------
// The servers.

interface Target {
  protocol: Protocol;
  url: string;
  /** Several processes serving the document: client process k connects to urls[k % length]. */
  urls?: string[];
  docName: string;
  /** The process whose CPU and memory are sampled (the first, for a cluster). */
  pid: number;
  /** Lines of the server's own log worth reporting (Accord: refusals, disconnections). */
  notes(): Record<string, number>;
  /** The cluster: watchers that check every relayed update is in PostgreSQL (bench/store-check.ts). */
  storeCheck?(): Promise<StoreCheck>;
  /** The cluster: how long its PostgreSQL appends took, from each process's /metrics. */
  storeLatency?(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

async function waitHttp(url: string, timeoutMs: number): Promise<void> {
  const start = Date.now();
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() - start > timeoutMs) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await sleep(100);
  }
}

async function accord(): Promise<Target> {
  const dataDir = mkdtempSync(join(tmpdir(), 'accord-many-'));
  dirs.add(dataDir);
  const proc = await spawnServer({ DATA_DIR: dataDir, ACCORD_ADMIN_TOKEN: ADMIN_TOKEN }).catch((err: unknown) => {
    rmSync(dataDir, { recursive: true, force: true });
    dirs.delete(dataDir);
    throw err;
  });
  track(proc.child);
  const res = await fetch(`${proc.url}/api/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bench editor', email: 'editor@bench.example', organization: 'Bench', stakeholderGroup: 'academia', role: 'editor' }),
  });
  if (!res.ok) throw new Error(`could not create the editor: ${res.status} ${await res.text()}`);
  const { token } = (await res.json()) as { token: string };
  const count = (re: RegExp) => (proc.output().match(re) ?? []).length;
  return {
    protocol: 'y-websocket',
    url: `${proc.url.replace('http', 'ws')}/collab/gpp?token=${encodeURIComponent(token)}`,
    docName: 'gpp',
    pid: proc.child.pid!,
    notes: () => ({
      'updates refused (server log)': count(/refused an update/g),
      'clients disconnected (server log)': count(/disconnecting |closing /g),
    }),
    async stop() {
      await stopChild(proc.child, 6000);
      rmSync(dataDir, { recursive: true, force: true });
      dirs.delete(dataDir);
    },
  };
}

/**
 * Accord as several processes (default 2, MANY_AUTHORS_CLUSTER) on one
 * PostgreSQL (a fresh database, dropped afterwards; ACCORD_BENCH_DATABASE_URL,
 * default the tests' server) and one Redis (ACCORD_BENCH_REDIS_URL): every
 * update committed to PostgreSQL before any client sees it, then published to
 * the other process.
 */
async function accordCluster(): Promise<Target> {
  const { createTestDatabase } = await import('../tests/helpers/postgres');
  const { randomBytes } = await import('node:crypto');
  const size = Number(process.env.MANY_AUTHORS_CLUSTER ?? 2);
  const db = await createTestDatabase();
  const shared = mkdtempSync(join(tmpdir(), 'accord-cluster-'));
  dirs.add(shared);
  const prefix = `accord-bench-${randomBytes(4).toString('hex')}`;
  const env = (i: number) => ({
    DATA_DIR: join(shared, `p${i}`),
    ACCORD_ADMIN_TOKEN: ADMIN_TOKEN,
    ACCORD_DATABASE_URL: db.url,
    ACCORD_REDIS_URL: process.env.ACCORD_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    ACCORD_REDIS_PREFIX: prefix,
    ACCORD_LOG_KEY_FILE: join(shared, 'log-signing-key'),
  });
  const procs: Awaited<ReturnType<typeof spawnServer>>[] = [];
  const stopAll = async () => {
    await Promise.all(procs.map((p) => stopChild(p.child, 6000)));
    await db.drop().catch(() => {});
    rmSync(shared, { recursive: true, force: true });
    dirs.delete(shared);
  };
  try {
    for (let i = 0; i < size; i++) {
      const proc = await spawnServer(env(i));
      track(proc.child);
      procs.push(proc);
    }
    const res = await fetch(`${procs[0]!.url}/api/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Bench editor', email: 'editor@bench.example', organization: 'Bench', stakeholderGroup: 'academia', role: 'editor' }),
    });
    if (!res.ok) throw new Error(`could not create the editor: ${res.status} ${await res.text()}`);
    const { token } = (await res.json()) as { token: string };
    const urls = procs.map((p) => `${p.url.replace('http', 'ws')}/collab/gpp?token=${encodeURIComponent(token)}`);
    const count = (re: RegExp) => procs.reduce((n, p) => n + (p.output().match(re) ?? []).length, 0);
    return {
      protocol: 'y-websocket',
      url: urls[0]!,
      urls,
      docName: 'gpp',
      pid: procs[0]!.child.pid!,
      storeCheck: () => startStoreCheck(urls, db.url, 'gpp'),
      storeLatency: async () => appendShares(await Promise.all(procs.map(async (p) => (await fetch(`${p.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text()))),
      notes: () => ({
        'processes': size,
        'updates refused (server logs)': count(/refused an update/g),
        'clients disconnected (server logs)': count(/disconnecting |closing /g),
      }),
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** Shares of the batches whose PostgreSQL append took at most 2, 5 and 10 ms, over the processes' accord_store_append_ms histograms. */
function appendShares(metrics: string[]): Record<string, number> {
  const bucket = (le: string) => metrics.reduce((n, text) => n + Number(new RegExp(`^accord_store_append_ms_bucket\\{le="${le.replace('+', '\\+')}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0), 0);
  const all = bucket('+Inf');
  const share = (le: string) => (all > 0 ? round((bucket(le) / all) * 100, 1) : NaN);
  return {
    'PostgreSQL appends (batches, whole run)': all,
    'PostgreSQL appends within 2 ms (%)': share('2'),
    'PostgreSQL appends within 5 ms (%)': share('5'),
    'PostgreSQL appends within 10 ms (%)': share('10'),
  };
}

/** The GPP as Accord stores it when it imports documents/gpp.md. */
function gppState(): Uint8Array {
  return initialState(parseMarkdown(readFileSync(join(ROOT, 'documents', 'gpp.md'), 'utf8')).doc);
}

/** Puts `state` into a y-websocket room: one update, then a sync step 1 whose answer proves it applied. */
function seedYWebsocket(url: string, state: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.binaryType = 'nodebuffer';
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('seeding timed out'));
    }, 10_000);
    ws.on('error', reject);
    ws.on('open', () => {
      const update = encoding.createEncoder();
      encoding.writeVarUint(update, 0);
      encoding.writeVarUint(update, 2);
      encoding.writeVarUint8Array(update, state);
      ws.send(encoding.toUint8Array(update));
      const step1 = encoding.createEncoder();
      encoding.writeVarUint(step1, 0);
      encoding.writeVarUint(step1, 0);
      encoding.writeVarUint8Array(step1, Y.encodeStateVector(new Y.Doc()));
      ws.send(encoding.toUint8Array(step1));
    });
    ws.on('message', (data: Buffer) => {
      const d = decoding.createDecoder(data);
      if (decoding.readVarUint(d) !== 0 || decoding.readVarUint(d) !== 1) return;
      const doc = new Y.Doc();
      Y.applyUpdate(doc, decoding.readVarUint8Array(d));
      const sections = doc.getXmlFragment('content').length;
      doc.destroy();
      clearTimeout(timer);
      ws.close();
      if (sections > 0) resolve();
      else reject(new Error('the seeded document is empty'));
    });
  });
}

async function yWebsocketServer(): Promise<Target> {
  const port = await freePort();
  const require = createRequire(import.meta.url);
  const script = join(require.resolve('@y/websocket-server/package.json', { paths: [ROOT] }), '..', 'src', 'server.js');
  // Its own server.js, loaded by a one-line wrapper that also exits when we disappear (IPC closed).
  const wrapper = `process.on('disconnect', () => process.exit(0)); await import(${JSON.stringify(pathToFileURL(script).href)});`;
  const child = track(
    spawn(process.execPath, ['--input-type=module', '-e', wrapper], {
      cwd: ROOT,
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    }),
  );
  try {
    await waitHttp(`http://127.0.0.1:${port}/`, 15_000);
    // In memory without persistence, the room outlives its last connection, so the seed stays.
    await seedYWebsocket(`ws://127.0.0.1:${port}/gpp`, gppState());
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  return { protocol: 'y-websocket', url: `ws://127.0.0.1:${port}/gpp`, docName: 'gpp', pid: child.pid!, notes: () => ({}), stop: () => stopChild(child) };
}

/**
 * @hocuspocus/server in memory, no extensions, as plain Node (no tsx, so its
 * RSS is its own): the GPP arrives over IPC and is what onLoadDocument returns.
 */
const HOCUSPOCUS_SCRIPT = `
import { Server } from '@hocuspocus/server';
process.on('disconnect', () => process.exit(0));
process.once('message', async ({ state }) => {
  const bytes = new Uint8Array(Buffer.from(state, 'base64'));
  const server = new Server({ port: Number(process.env.PORT), address: '127.0.0.1', quiet: true, stopOnSignals: false, onLoadDocument: async () => bytes });
  await server.listen();
  process.send({ type: 'listening', port: server.address.port });
});
`;

async function hocuspocusServer(): Promise<Target> {
  const port = await freePort();
  const child = track(
    spawn(process.execPath, ['--input-type=module', '-e', HOCUSPOCUS_SCRIPT], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port) },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    }),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('hocuspocus did not start')), 30_000);
      child.on('message', (m: { type?: string }) => {
        if (m.type === 'listening') {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`hocuspocus exited (${code})`)));
      child.send({ state: Buffer.from(gppState()).toString('base64') });
    });
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  return { protocol: 'hocuspocus', url: `ws://127.0.0.1:${port}/gpp`, docName: 'gpp', pid: child.pid!, notes: () => ({}), stop: () => stopChild(child) };
}

const START: Record<ServerName, () => Promise<Target>> = {
  accord,
  'y-websocket-server': yWebsocketServer,
  hocuspocus: hocuspocusServer,
  'accord-cluster': accordCluster,
};

// ---------------------------------------------------------------------------
// CPU and memory of a process, from /proc (Linux).

let clockTicks = 0;
function ticksPerSecond(): number {
  if (clockTicks === 0) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** utime + stime of `pid` in seconds, or NaN when it cannot be read. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // after "pid (comm) ": state is field 3, utime 14, stime 15 (1-based), i.e. indexes 11 and 12 here
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond();
  } catch {
    return NaN;
  }
}

function rssMB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

class Sampler {
  private maxRss = 0;
  private readonly timer: ReturnType<typeof setInterval>;
  private marks: { at: number; cpu: number; waitNs: number }[] = [];

  constructor(private readonly pid: number) {
    this.sample();
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
  }

  private sample(): void {
    const rss = rssMB(this.pid);
    if (rss > this.maxRss) this.maxRss = rss;
  }

  /** Reads the CPU counter at `at` (a clock() time). */
  markAt(at: number): void {
    setTimeout(() => this.marks.push({ at: clock(), cpu: cpuSeconds(this.pid), waitNs: runQueueWaitNs(this.pid) }), Math.max(0, at - clock()));
  }

  /** Average CPU % of one core between the first two marks. */
  cpuPercent(): number {
    const [a, b] = this.marks;
    if (!a || !b) return NaN;
    return ((b.cpu - a.cpu) / ((b.at - a.at) / 1000)) * 100;
  }

  /** Share of the time between the first two marks the main thread waited for a CPU while runnable (%). */
  waitPercent(): number {
    const [a, b] = this.marks;
    if (!a || !b) return NaN;
    return ((b.waitNs - a.waitNs) / 1e6 / (b.at - a.at)) * 100;
  }

  rssMaxMB(): number {
    this.sample();
    return this.maxRss;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

// ---------------------------------------------------------------------------
// One point: one server, N authors.

interface Point {
  server: ServerName;
  n: number;
  error?: string;
  p50?: number;
  p95?: number;
  p99?: number;
  max?: number;
  deliveredPct?: number;
  sent?: number;
  framesPerUpdate?: number;
  echoes?: number;
  serverCpu?: number;
  serverWait?: number;
  serverRss?: number;
  clientCpu?: number;
  clientLagP99?: number;
  clientWait?: number;
  /** The cluster's store check (bench/store-check.ts). */
  storeCheck?: StoreCheckResult;
  extra: Record<string, number>;
}

class ClientProcess {
  readonly child: ChildProcess;
  private readonly waiting = new Map<string, { resolve: (m: Report) => void; reject: (e: Error) => void }>();
  private exited = false;

  constructor() {
    // MANY_AUTHORS_CLIENT_NODE_ARGS: extra Node flags for the client processes (a --cpu-prof, say).
    const extra = process.env.MANY_AUTHORS_CLIENT_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    this.child = track(fork(CLIENT_SCRIPT, [], { cwd: ROOT, execArgv: [...extra, '--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    this.child.on('message', (m: Report) => {
      const key = m.type === 'pong' ? `pong${m.id}` : m.type;
      const w = this.waiting.get(key);
      if (w) {
        this.waiting.delete(key);
        w.resolve(m);
      }
    });
    this.child.once('exit', (code, signal) => {
      this.exited = true;
      for (const [key, w] of this.waiting) {
        this.waiting.delete(key);
        w.reject(new Error(`a client process exited (${signal ?? code}) while we waited for ${key}`));
      }
    });
  }

  /** The next report of a kind (key: its type, or pong<id>), or an error after `timeoutMs`. */
  next<T extends Report>(key: string, timeoutMs: number): Promise<T> {
    if (this.exited) return Promise.reject(new Error('a client process exited'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(key);
        reject(new Error(`no ${key} from a client process within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(key, {
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
  }

  send(order: Order): void {
    if (!this.exited && this.child.connected) this.child.send(order);
  }

  /** |offset| of the child's clock from ours (ms), from the ping with the shortest round trip. */
  async clockOffset(): Promise<{ offset: number; rtt: number }> {
    let best = { offset: NaN, rtt: Infinity };
    for (let id = 0; id < 10; id++) {
      const t0 = clock();
      const reply = this.next<Extract<Report, { type: 'pong' }>>(`pong${id}`, 5000);
      this.send({ type: 'ping', id });
      const { clock: tc } = await reply;
      const t1 = clock();
      if (t1 - t0 < best.rtt) best = { offset: tc - (t0 + t1) / 2, rtt: t1 - t0 };
    }
    return best;
  }

  async close(): Promise<void> {
    if (this.exited) return;
    this.send({ type: 'close' });
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    if (!(await Promise.race([exited.then(() => true), sleep(3000).then(() => false)]))) await stopChild(this.child, 1000);
  }
}

function quantileOfHist(hist: Uint32Array, total: number, q: number): number {
  if (total === 0) return NaN;
  const rank = Math.ceil(q * total);
  let acc = 0;
  for (let i = 0; i < hist.length; i++) {
    acc += hist[i]!;
    if (acc >= rank) return (i + 0.5) * HIST_BUCKET_MS; // bucket middle; resolution 0.1 ms
  }
  return NaN;
}

async function runPoint(server: ServerName, n: number, seconds: number, rate: number): Promise<Point> {
  const point: Point = { server, n, extra: {} };
  const procs = Math.max(1, Math.min(n, Number(process.env.MANY_AUTHORS_PROCS ?? (n >= 1000 ? 4 : 2))));
  debug(`${server} N=${n}: starting the server`);
  let target: Target;
  try {
    target = await START[server]();
  } catch (err) {
    return { ...point, error: `the server did not start: ${err instanceof Error ? err.message : String(err)}` };
  }
  const sampler = new Sampler(target.pid);
  const clients: ClientProcess[] = [];
  let check: StoreCheck | null = null;
  try {
    for (let k = 0; k < procs; k++) clients.push(new ClientProcess());
    await Promise.all(clients.map((c) => c.next('hello', 30_000)));
    const offsets = await Promise.all(clients.map((c) => c.clockOffset()));
    point.extra['client clock offset, max |ms|'] = round(Math.max(...offsets.map((o) => Math.abs(o.offset))), 3);
    debug(`${server} N=${n}: connecting ${n} authors from ${procs} processes`);
    const connectStart = clock();
    await connectAuthors(clients, target, n, seconds, rate);
    point.extra['connect all authors (s)'] = round((clock() - connectStart) / 1000, 1);
    check = (await target.storeCheck?.()) ?? null;
    const load = await runLoad(clients, sampler, seconds, rate, `${server} N=${n}`);
    summarise(point, load, sampler);
    if (check) {
      point.storeCheck = await check.stop();
      Object.assign(point.extra, storeCheckFigures(point.storeCheck));
    }
    check = null;
    Object.assign(point.extra, target.notes());
    if (target.storeLatency) Object.assign(point.extra, await target.storeLatency());
  } catch (err) {
    point.error = err instanceof Error ? err.message : String(err);
  } finally {
    await check?.stop().catch(() => {});
    await Promise.all(clients.map((c) => c.close()));
    sampler.stop();
    if (point.serverRss === undefined) point.serverRss = round(sampler.rssMaxMB(), 0);
    await target.stop();
  }
  return point;
}

function storeCheckFigures(c: StoreCheckResult): Record<string, number> {
  return {
    'store check: updates relayed to the watchers (one per process)': c.relayed,
    'store check: in PostgreSQL when looked for after the relay': c.found,
    'store check: relayed before they were in PostgreSQL': c.missing,
    'store check: looks at PostgreSQL': c.looks,
  };
}

/** Spreads N authors over the client processes (client process k on the server's process k mod its size); resolves once all have synced. */
async function connectAuthors(clients: ClientProcess[], target: Target, n: number, seconds: number, rate: number): Promise<void> {
  // Each author's updates before the end of the load, with a margin far above a Poisson tail.
  const maxSeq = Math.ceil(((WARMUP_MS + 500) / 1000 + seconds) * rate * 2 + 20);
  const connectTimeoutMs = 30_000 + n * 60;
  const readies = clients.map((c) => c.next<Extract<Report, { type: 'ready' }>>('ready', connectTimeoutMs + 10_000));
  let first = 0;
  clients.forEach((c, k) => {
    const count = Math.floor(n / clients.length) + (k < n % clients.length ? 1 : 0);
    c.send({
      type: 'connect',
      protocol: target.protocol,
      url: target.urls ? target.urls[k % target.urls.length]! : target.url,
      docName: target.docName,
      first,
      count,
      n,
      maxSeq,
      seed: 0x5eed + 7919 * k + n,
      concurrency: 16,
      connectTimeoutMs,
    });
    first += count;
  });
  const ready = await Promise.all(readies);
  const failed = ready.reduce((s, r) => s + r.failed, 0);
  if (failed > 0) throw new Error(`${failed} of ${n} authors could not connect: ${ready.find((r) => r.error)?.error ?? '?'}`);
}

/** What the client processes counted, and for how long they counted frames (the measured window and the drain). */
interface Load {
  all: ChildResult[];
  countedMs: number;
}

/** Warm-up, measured window, drain: every client process's counts once the drain is over. */
async function runLoad(clients: ClientProcess[], sampler: Sampler, seconds: number, rate: number, what: string): Promise<Load> {
  const start = clock() + 300;
  const warmupEnd = start + WARMUP_MS;
  const measureEnd = warmupEnd + seconds * 1000;
  const drainEnd = measureEnd + DRAIN_MS;
  sampler.markAt(warmupEnd);
  sampler.markAt(measureEnd);
  debug(`${what}: load for ${((drainEnd - start) / 1000).toFixed(1)} s`);
  const results = clients.map((c) => c.next<Extract<Report, { type: 'result' }>>('result', drainEnd - clock() + 20_000));
  for (const c of clients) c.send({ type: 'go', start, warmupEnd, measureEnd, drainEnd, ratePerSecond: rate });
  return { all: (await Promise.all(results)).map((r) => r.result), countedMs: drainEnd - warmupEnd };
}

/** The point's figures from the client processes' counts and the server's samples. */
function summarise(point: Point, { all, countedMs }: Load, sampler: Sampler): void {
  const n = point.n;
  const sum = (f: (r: ChildResult) => number) => all.reduce((s, r) => s + f(r), 0);
  const hist = new Uint32Array(HIST_BUCKETS);
  for (const r of all) r.histIndex.forEach((i, k) => (hist[i]! += r.histCount[k]!));
  const delivered = sum((r) => r.delivered);
  const sent = sum((r) => r.sentMeasured);
  const expected = sent * (n - 1);
  let maxBucket = -1;
  for (let i = hist.length - 1; i >= 0; i--)
    if (hist[i]! > 0) {
      maxBucket = i;
      break;
    }
  Object.assign(point, {
    p50: round(quantileOfHist(hist, delivered, 0.5), 1),
    p95: round(quantileOfHist(hist, delivered, 0.95), 1),
    p99: round(quantileOfHist(hist, delivered, 0.99), 1),
    max: maxBucket < 0 ? NaN : round((maxBucket + 1) * HIST_BUCKET_MS, 1),
    deliveredPct: expected > 0 ? round((delivered / expected) * 100, 2) : NaN,
    sent,
    framesPerUpdate: delivered > 0 ? round(sum((r) => r.framesWithUpdates) / delivered, 3) : NaN,
    echoes: sum((r) => r.echoes),
    serverCpu: round(sampler.cpuPercent(), 0),
    serverWait: round(sampler.waitPercent(), 0),
    serverRss: round(sampler.rssMaxMB(), 0),
    clientCpu: round(sum((r) => r.cpuPercent), 0),
    clientLagP99: round(Math.max(...all.map((r) => r.loopDelayP99)), 1),
    clientWait: round(Math.max(...all.map((r) => r.waitPercent)), 0),
  });
  Object.assign(point.extra, {
    'updates sent incl. warm-up': sum((r) => r.sentTotal),
    'deliveries expected': expected,
    'deliveries counted': delivered,
    'duplicate deliveries': sum((r) => r.duplicates),
    'frames received per author per s (all kinds)': round(sum((r) => r.framesAll) / n / (countedMs / 1000), 1),
    'MB received by all authors (window + drain)': round(sum((r) => r.bytesAll) / 1024 / 1024, 1),
    'permission-denied messages': sum((r) => r.refused),
    'sync-status acks (hocuspocus)': sum((r) => r.acks),
    'negative latencies (clock)': sum((r) => r.negative),
    'connections closed during the load': sum((r) => r.closedDuringRun),
    'authors that hit the update cap': sum((r) => r.capped),
    'client event-loop delay, max (ms)': round(Math.max(...all.map((r) => r.loopDelayMax)), 1),
  });
}

// ---------------------------------------------------------------------------
// The section.

const COLUMNS: [string, (p: Point) => string | number | undefined][] = [
  ['server', (p) => p.server],
  ['N', (p) => p.n],
  ['p50 ms', (p) => p.p50],
  ['p95 ms', (p) => p.p95],
  ['p99 ms', (p) => p.p99],
  ['max ms', (p) => p.max],
  ['delivered %', (p) => p.deliveredPct],
  ['sent', (p) => p.sent],
  ['frames/upd', (p) => p.framesPerUpdate],
  ['echoes', (p) => p.echoes],
  ['srv CPU %', (p) => p.serverCpu],
  ['srv wait %', (p) => p.serverWait],
  ['srv RSS MB', (p) => p.serverRss],
  ['cli CPU %', (p) => p.clientCpu],
  ['cli lag p99 ms', (p) => p.clientLagP99],
  ['cli wait %', (p) => p.clientWait],
];

function table(points: Point[]): string {
  const rows = [COLUMNS.map(([h]) => h), ...points.map((p) => (p.error ? [p.server, String(p.n), `error: ${p.error}`] : COLUMNS.map(([, f]) => String(f(p) ?? ''))))];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.filter((r) => r.length === COLUMNS.length).map((r) => r[i]!.length)));
  return rows.map((r) => (r.length === COLUMNS.length ? r.map((c, i) => (i < 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ') : r.join('  '))).join('\n');
}

function listFromEnv<T extends string | number>(name: string, fallback: T[], parse: (s: string) => T): T[] {
  const raw = process.env[name];
  if (!raw) return fallback;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(parse);
}

export function benchManyAuthors(): Promise<Figures> {
  return manyAuthors({ ns: [50, 100, 250, 500, 1000], servers: SERVER_NAMES });
}

/**
 * `npm run bench cluster`: 500 authors spread over two Accord processes on
 * one PostgreSQL and one Redis, beside the single SQLite process. Goal: p95 <=
 * 50 ms, 100% delivered, and every update in PostgreSQL before any relay,
 * checked while the load runs (bench/store-check.ts), with the appends' times
 * from each process's /metrics. MANY_AUTHORS_N for a smaller run.
 */
export function benchCluster(): Promise<Figures> {
  return manyAuthors({ ns: [500], servers: ['accord-cluster', 'accord'] });
}

async function manyAuthors(defaults: { ns: number[]; servers: ServerName[] }): Promise<Figures> {
  const ns = listFromEnv('MANY_AUTHORS_N', defaults.ns, (s) => {
    const v = Number(s);
    if (!Number.isInteger(v) || v < 2) throw new Error(`MANY_AUTHORS_N: ${s} is not a number of authors (>= 2)`);
    return v;
  });
  const servers = listFromEnv<ServerName>('MANY_AUTHORS_SERVERS', defaults.servers, (s) => {
    if (!ALL_SERVER_NAMES.includes(s as ServerName)) throw new Error(`MANY_AUTHORS_SERVERS: ${s} is not one of ${ALL_SERVER_NAMES.join(', ')}`);
    return s as ServerName;
  });
  const seconds = Number(process.env.MANY_AUTHORS_SECONDS ?? 10);
  const rate = Number(process.env.MANY_AUTHORS_RATE ?? 1);
  if (!(seconds > 0) || !(rate > 0)) throw new Error('MANY_AUTHORS_SECONDS and MANY_AUTHORS_RATE must be positive numbers');

  const figures: Figures = {};
  const points: Point[] = [];
  for (const n of ns) {
    for (const server of servers) {
      const p = await runPoint(server, n, seconds, rate);
      points.push(p);
      const at = `${server}, N=${n}`;
      console.log(
        p.error
          ? `  [${at}] error: ${p.error}`
          : `  [${at}] p50 ${p.p50} / p95 ${p.p95} / p99 ${p.p99} ms, delivered ${p.deliveredPct}%, server CPU ${p.serverCpu}%, RSS ${p.serverRss} MB`,
      );
      if (p.error) {
        figures[`${at}: error`] = p.error;
        continue;
      }
      figures[`${at}: latency p50 (ms)`] = p.p50!;
      figures[`${at}: latency p95 (ms)`] = p.p95!;
      figures[`${at}: latency p99 (ms)`] = p.p99!;
      figures[`${at}: latency max (ms)`] = p.max!;
      figures[`${at}: delivered (%)`] = p.deliveredPct!;
      figures[`${at}: updates sent in the window`] = p.sent!;
      figures[`${at}: frames per delivered update`] = p.framesPerUpdate!;
      figures[`${at}: updates echoed to their author`] = p.echoes!;
      figures[`${at}: server CPU, avg (% of a core)`] = p.serverCpu!;
      figures[`${at}: server main thread waiting for a CPU (% of the window; other load)`] = p.serverWait!;
      figures[`${at}: server RSS, max (MB)`] = p.serverRss!;
      figures[`${at}: client processes CPU, sum (% of a core)`] = p.clientCpu!;
      figures[`${at}: client event-loop delay p99 (ms)`] = p.clientLagP99!;
      figures[`${at}: client processes, max main-thread CPU wait (% of the window)`] = p.clientWait!;
      for (const [k, v] of Object.entries(p.extra)) figures[`${at}: ${k}`] = v;
    }
  }

  const find = (server: ServerName, n: number) => points.find((p) => p.server === server && p.n === n && !p.error);
  const a500 = find('accord', 500);
  const h500 = find('hocuspocus', 500);
  if (a500) {
    const ok = a500.p95! <= 30 && (!h500 || a500.p95! <= h500.p95!) && a500.deliveredPct === 100;
    figures['goal N=500: accord p95 <= 30 ms, <= hocuspocus p95, 100% delivered'] =
      `${ok ? 'met' : 'not met'} (p95 ${a500.p95} ms vs hocuspocus ${h500?.p95 ?? 'n/a'} ms, ${a500.deliveredPct}% delivered)`;
  }
  for (const n of ns) {
    const c = find('accord-cluster', n);
    if (!c) continue;
    const { relayed, missing } = c.storeCheck ?? { relayed: 0, missing: NaN };
    const ok = c.p95! <= 50 && c.deliveredPct === 100 && relayed > 0 && missing === 0;
    figures[`goal N=${n}, PostgreSQL + Redis, two processes: p95 <= 50 ms, 100% delivered, every relayed update in PostgreSQL`] =
      `${ok ? 'met' : 'not met'} (p95 ${c.p95} ms, ${c.deliveredPct}% delivered, ${relayed - missing} of ${relayed} relayed updates in PostgreSQL when looked for)`;
  }
  const a1000 = find('accord', 1000);
  if (a1000) {
    const ok = a1000.deliveredPct === 100 && a1000.p95! <= 100 && a1000.serverRss! <= 400;
    figures['goal N=1000: accord 100% delivered, p95 <= 100 ms, RSS <= 400 MB'] =
      `${ok ? 'met' : 'not met'} (${a1000.deliveredPct}% delivered, p95 ${a1000.p95} ms, RSS ${a1000.serverRss} MB)`;
  }
  console.log(`\n${table(points)}\n`);
  console.log('  frames/upd: frames carrying new updates per delivered update (<1: the server merges); echoes: updates sent back to their author;');
  console.log('  wait %: time the main thread was runnable but had no CPU (other processes on the machine); cli lag: client event-loop delay.\n');
  return figures;
}
