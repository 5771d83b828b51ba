// Collaboration figures (issue "Live co-editing"): fan-out latency to 50
// clients, sustained update rate against the reference y-websocket server,
// load time with 100,000 stored updates, and memory per open document.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import { freePort, spawnServer, ROOT } from '../tests/helpers/process';
import { openSqliteStore } from '../server/store/sqlite';
import { Room } from '../server/collab/room';
import { initialState } from '../server/documents/state';
import { parseMarkdown } from '../core/markdown';
import { CONTENT_FIELD } from '../core/schema';
import { quantile, round } from './stats';

type Figures = Record<string, number | string>;

/** Progress on stderr with BENCH_DEBUG=1, for a run that seems stuck. */
const debug = (m: string) => {
  if (process.env.BENCH_DEBUG) console.error(`[bench] ${m}`);
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out: ${what}`);
    // Arrival times are stamped in the message handlers, so polling every millisecond costs no precision.
    await sleep(1);
  }
}

/**
 * A raw y-websocket receiver (no Y.Doc: measures the server, not the client).
 * It counts update frames, or with `items` the inserted items they carry, so
 * that a server merging several updates into one frame is counted fairly.
 */
function receiver(url: string, options: { items?: boolean } = {}): Promise<{ count: () => number; arrivals: number[]; ws: WebSocket }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const arrivals: number[] = [];
    let items = 0;
    ws.binaryType = 'nodebuffer';
    ws.on('message', (data: Buffer) => {
      const d = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(d) !== 0 || decoding.readVarUint(d) !== 2) return;
      arrivals.push(performance.now());
      if (options.items) for (const s of Y.decodeUpdate(decoding.readVarUint8Array(d)).structs) if (s instanceof Y.Item) items += s.length;
    });
    ws.on('open', () => resolve({ count: () => (options.items ? items : arrivals.length), arrivals, ws }));
    ws.on('error', reject);
  });
}

async function writer(base: string, room: string, token?: string): Promise<{ doc: Y.Doc; provider: WebsocketProvider }> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(base, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: token ? { token } : {},
    disableBc: true,
  });
  await waitFor(() => provider.synced, 15_000, 'writer sync');
  return { doc, provider };
}

/** The text of the first paragraph of section `n`: each writer types in its own section. */
function firstText(doc: Y.Doc, n = 0): Y.XmlText {
  const section = doc.getXmlFragment(CONTENT_FIELD).get(n) as Y.XmlElement;
  const paragraph = section.get(1) as Y.XmlElement;
  return paragraph.get(0) as Y.XmlText;
}

interface Target {
  name: string;
  base: string;
  room: string;
  writerToken?: string;
  readerToken?: string;
  stop(): Promise<void>;
}

export async function accordTarget(): Promise<Target> {
  const dataDir = mkdtempSync(join(tmpdir(), 'accord-bench-'));
  const proc = await spawnServer({ DATA_DIR: dataDir, ACCORD_ADMIN_TOKEN: 'bench-admin-token-0123456789' });
  const mk = async (role: string) => {
    const res = await fetch(`${proc.url}/api/users`, {
      method: 'POST',
      headers: { authorization: 'Bearer bench-admin-token-0123456789', 'content-type': 'application/json' },
      body: JSON.stringify({ name: role, email: `${role}@bench.example`, organization: 'Bench', stakeholderGroup: 'academia', role }),
    });
    return ((await res.json()) as { token: string }).token;
  };
  return {
    name: 'accord (SQLite, durable)',
    base: `${proc.url.replace('http', 'ws')}/collab`,
    room: 'gpp',
    writerToken: await mk('editor'),
    readerToken: await mk('observer'),
    async stop() {
      await proc.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** @y/websocket-server 0.1.1, in memory, seeded with the same text so both carry the same load. */
export async function referenceTarget(): Promise<Target> {
  const port = await freePort();
  const require = createRequire(import.meta.url);
  const script = join(require.resolve('@y/websocket-server/package.json', { paths: [ROOT] }), '..', 'src', 'server.js');
  const child: ChildProcess = spawn(process.execPath, [script], { env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) }, stdio: 'ignore' });
  await sleep(200);
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) break;
    } catch {
      await sleep(100);
    }
  }
  const base = `ws://127.0.0.1:${port}/collab`;
  const seed = await writer(base, 'gpp');
  const gpp = parseMarkdown(readFileSync(join(ROOT, 'documents', 'gpp.md'), 'utf8'));
  Y.applyUpdate(seed.doc, initialState(gpp.doc));
  await sleep(300);
  seed.provider.destroy();
  return {
    name: '@y/websocket-server 0.1.1 (memory only)',
    base,
    room: 'gpp',
    async stop() {
      child.kill('SIGTERM');
      await sleep(100);
    },
  };
}

async function fanOutLatency(t: Target, receivers = 50, updates = 300): Promise<Figures> {
  const w = await writer(t.base, t.room, t.writerToken);
  const rs = await Promise.all(Array.from({ length: receivers }, () => receiver(`${t.base}/${t.room}${t.readerToken ? `?token=${t.readerToken}` : ''}`)));
  await sleep(300);
  const text = firstText(w.doc);
  const worst: number[] = [];
  const all: number[] = [];
  for (let i = 0; i < updates; i++) {
    const before = rs.map((r) => r.count());
    const start = performance.now();
    text.insert(0, 'x');
    await waitFor(() => rs.every((r, j) => r.count() > before[j]!), 5000, 'fan-out');
    const lat = rs.map((r) => r.arrivals[r.arrivals.length - 1]! - start);
    all.push(...lat);
    worst.push(Math.max(...lat));
  }
  w.provider.destroy();
  rs.forEach((r) => r.ws.close());
  return {
    [`fan-out to ${receivers} clients, p50 per delivery (ms)`]: round(quantile(all, 0.5)),
    [`fan-out to ${receivers} clients, p99 per delivery (ms)`]: round(quantile(all, 0.99)),
    [`fan-out to ${receivers} clients, p50 until the last (ms)`]: round(quantile(worst, 0.5)),
    [`fan-out to ${receivers} clients, p99 until the last (ms)`]: round(quantile(worst, 0.99)),
  };
}

/** Writers type as fast as they can; the rate is updates (inserted characters) that reached every receiver, per second. */
export async function throughput(t: Target, writers = 4, perWriter = 1500, receivers = 10): Promise<number> {
  const ws = await Promise.all(Array.from({ length: writers }, () => writer(t.base, t.room, t.writerToken)));
  const rs = await Promise.all(
    Array.from({ length: receivers }, () => receiver(`${t.base}/${t.room}${t.readerToken ? `?token=${t.readerToken}` : ''}`, { items: true })),
  );
  await sleep(300);
  const base = rs.map((r) => r.count());
  const total = writers * perWriter; // one inserted character (item) per update
  const start = performance.now();
  await Promise.all(
    ws.map(async (w, k) => {
      const text = firstText(w.doc, k);
      for (let i = 0; i < perWriter; i++) {
        text.insert(text.length, 'y');
        if (i % 25 === 24) await new Promise((r) => setImmediate(r));
      }
    }),
  );
  await waitFor(() => rs.every((r, j) => r.count() - base[j]! >= total), 120_000, 'throughput delivery');
  const seconds = (performance.now() - start) / 1000;
  ws.forEach((w) => w.provider.destroy());
  rs.forEach((r) => r.ws.close());
  return total / seconds;
}

export async function loadTime(): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'accord-load-'));
  const store = openSqliteStore(join(dir, 'a.sqlite'), () => 'unsigned checkpoint (benchmark)');
  const gpp = parseMarkdown(readFileSync(join(ROOT, 'documents', 'gpp.md'), 'utf8'));
  const initial = initialState(gpp.doc);
  await store.documents.create({ id: 'gpp', title: 'GPP' }, initial);
  // 100,000 keystrokes: someone types new paragraphs at the end of the paper.
  const client = new Y.Doc();
  Y.applyUpdate(client, initial);
  const updates: Uint8Array[] = [];
  client.on('update', (u: Uint8Array) => updates.push(u));
  const fragment = client.getXmlFragment(CONTENT_FIELD);
  const lastSection = fragment.get(fragment.length - 1) as Y.XmlElement;
  const keys = 'the coalition agrees on good practice for connected devices ';
  const TOTAL = 100_000;
  const COMPACT_EVERY = 500;
  const tailStart = TOTAL - (TOTAL % COMPACT_EVERY || COMPACT_EVERY) + 1;
  let text: Y.XmlText | undefined;
  for (let i = 1; i <= TOTAL; i++) {
    if (!text || i % 2000 === 1) {
      const paragraph = new Y.XmlElement('paragraph');
      text = new Y.XmlText();
      paragraph.insert(0, [text]);
      lastSection.insert(lastSection.length, [paragraph]);
    }
    text.insert(text.length, keys[i % keys.length]!);
  }
  // What the room leaves in storage: every update appended, then folded into a snapshot every 500.
  // As the room does: append, and every COMPACT_EVERY updates let the store fold them into the snapshot.
  let storedCount = 1; // the document's initial state
  for (let i = 0; i < updates.length; i += COMPACT_EVERY) {
    const chunk = updates.slice(i, i + COMPACT_EVERY);
    const seqs = store.transaction(() => chunk.map((u) => Number(store.db.prepare('INSERT INTO updates (doc_id, data) VALUES (?, ?)').run('gpp', Buffer.from(u)).lastInsertRowid)));
    storedCount += chunk.length;
    if (i + COMPACT_EVERY < tailStart) await store.updates.compact('gpp', seqs[seqs.length - 1]!);
  }
  const timeLoad = async () => {
    const runs: number[] = [];
    for (let i = 0; i < 7; i++) {
      const start = performance.now();
      const r = await Room.load('gpp', store.updates, { compactEvery: COMPACT_EVERY, log: () => {} });
      runs.push(performance.now() - start);
      if (r.doc.getXmlFragment(CONTENT_FIELD).toString() !== client.getXmlFragment(CONTENT_FIELD).toString()) throw new Error('load differs');
      r.destroy();
    }
    return quantile(runs, 0.5);
  };
  const compacted = await timeLoad();
  // The naive baseline: replay every stored update one by one (measured on the first 10,000).
  const sample = 10_000;
  const start = performance.now();
  const d = new Y.Doc();
  Y.applyUpdate(d, initial);
  for (const u of updates.slice(0, sample)) Y.applyUpdate(d, u);
  const naive = performance.now() - start;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    [`load with ${storedCount.toLocaleString('en')} stored updates, snapshot + tail (ms, median; target <= 200)`]: round(compacted),
    [`naive replay, first ${sample.toLocaleString('en')} updates one by one (ms)`]: round(naive),
    'naive replay of all 100,000, extrapolated linearly (ms)': round((naive * TOTAL) / sample),
  };
}

async function memoryPerDocument(): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'accord-mem-'));
  const store = openSqliteStore(join(dir, 'a.sqlite'), () => 'unsigned checkpoint (benchmark)');
  const gpp = parseMarkdown(readFileSync(join(ROOT, 'documents', 'gpp.md'), 'utf8'));
  const n = 50;
  for (let i = 0; i < n; i++) await store.documents.create({ id: `d${i}`, title: 'GPP' }, initialState(gpp.doc));
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const rooms: Room[] = [];
  for (let i = 0; i < n; i++) rooms.push(await Room.load(`d${i}`, store.updates, { compactEvery: 500, log: () => {} }));
  gc?.();
  const after = process.memoryUsage().heapUsed;
  rooms.forEach((r) => r.destroy());
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    [`heap per open document (${gpp.doc.textContent.split(/\s+/).length}-word GPP, KiB${gc ? '' : ', no --expose-gc'})`]: round((after - before) / n / 1024, 1),
  };
}

export async function benchCollab(): Promise<Figures> {
  const figures: Figures = {};
  debug('starting the reference server');
  const reference = await referenceTarget();
  try {
    figures['sustained updates/s, @y/websocket-server (memory)'] = Math.round(await throughput(reference));
  } finally {
    await reference.stop();
  }
  debug('starting accord');
  const accord = await accordTarget();
  try {
    figures['sustained updates/s, accord (durable)'] = Math.round(await throughput(accord));
    debug('fan-out');
    Object.assign(figures, await fanOutLatency(accord));
  } finally {
    await accord.stop();
  }
  figures['accord / reference rate (target >= 0.8)'] = round(
    (figures['sustained updates/s, accord (durable)'] as number) / (figures['sustained updates/s, @y/websocket-server (memory)'] as number),
  );
  debug('load time');
  Object.assign(figures, await loadTime());
  Object.assign(figures, await memoryPerDocument());
  return figures;
}
