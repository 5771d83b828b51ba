// Fuzzes the collaboration socket of a REAL server process with random and
// mutated frames (generators: tests/helpers/fuzz-frames.ts): raw WebSocket
// framing on TCP, and y-protocols payloads in valid binary frames, each from a
// connection of a random role (editor, stakeholder, observer). After every
// batch:
// - the process is alive and answers GET /healthz;
// - the witnesses (two stock y-websocket editors, one observer) were never
//   disconnected, and an edit by one reaches the others;
// - the stored document (snapshot + tail in SQLite) equals the live one;
// - a batch from read-only connections only changed nothing stored.
//
// Duration: FUZZ_SECONDS (default: a fast variant of ~25 s of fuzzing with a
// fixed seed); `npm run fuzz` runs 300 s with a random seed. FUZZ_SEED
// overrides the seed; FUZZ_MAX_FRAMES the largest batch; FUZZ_SHRINK_SECONDS
// the time allowed to shrink a failure (the server is restarted after every
// failing run, so shrinking finds the smallest batch that still fails).
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { connect as netConnect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { CONTENT_FIELD } from '../core/schema';
import { freePort, spawnServer, type ServerProcess } from './helpers/process';
import { connect, paragraphText, sleep, type Client } from './helpers/ws';
import * as F from './helpers/fuzz-frames';

const LONG = Boolean(process.env.FUZZ_SECONDS);
const FUZZ_SECONDS = Number(process.env.FUZZ_SECONDS || 25);
const SHRINK_SECONDS = Number(process.env.FUZZ_SHRINK_SECONDS || 75);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : LONG ? Math.floor(Math.random() * 2 ** 31) : 424242;
/** Frames (actions) per batch: 1–50, pipelined; about 800 frames/s on two cores, so the 5-minute run sends well over 100,000. */
const MAX_FRAMES = Number(process.env.FUZZ_MAX_FRAMES || 50);
const NUM_RUNS = Number(process.env.FUZZ_RUNS || 1_000_000);
const BIG_PAYLOADS = process.env.FUZZ_BIG !== '0';
const DOC = 'gpp';
const READ_ONLY_CHANGED = 'a batch from read-only connections changed the stored document';
/** How long the server may take to settle after a batch, and witnesses to see an edit. */
const SETTLE_MS = 5_000;

// ---------------------------------------------------------------------------
// Statistics
// ---------------------------------------------------------------------------

const stats = {
  runs: 0,
  readOnlyRuns: 0,
  frames: 0,
  bytes: 0,
  perKind: new Map<string, number>(),
  connectionsOpened: 0,
  /** Fuzz connections the server closed, by close code ('no close frame': the TCP connection just ended; '(after a fuzz close frame)': maybe the handshake's echo). */
  serverClosed: new Map<string, number>(),
  closeReasons: new Map<string, string>(),
  upgradeAnswers: new Map<string, number>(),
  permissionDenied: 0,
  barrierTimeouts: 0,
  restarts: 0,
  crashes: [] as string[],
  failures: [] as string[],
};

const bump = (m: Map<string, number>, k: string, n = 1) => m.set(k, (m.get(k) ?? 0) + n);

function countFrame(kind: string, bytes: number, n = 1): void {
  stats.frames += n;
  stats.bytes += bytes;
  bump(stats.perKind, kind, n);
}

function serverClosed(code: string, reason: string): void {
  bump(stats.serverClosed, code);
  if (reason && !stats.closeReasons.has(code)) stats.closeReasons.set(code, reason.slice(0, 80));
}

// ---------------------------------------------------------------------------
// Raw TCP connections: a hand-made upgrade, then frames written as bytes
// ---------------------------------------------------------------------------

/** Reads the server's frames on a raw connection: only close codes and pongs matter. */
class ServerFrameReader {
  private buf: Buffer = Buffer.alloc(0);
  private skip = 0;
  closeCode: number | null = null;
  closeReason = '';
  readonly pongs = new Set<string>();
  denials = 0;
  onPong: (() => void) | null = null;

  feed(chunk: Buffer): void {
    this.buf = this.buf.length > 0 ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, this.buf.length);
        this.skip -= n;
        this.buf = this.buf.subarray(n);
        if (this.skip > 0) return;
      }
      const b = this.buf;
      if (b.length < 2) return;
      let len = b[1]! & 0x7f;
      let off = 2;
      if (len === 126) {
        if (b.length < 4) return;
        len = b.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (b.length < 10) return;
        len = Number(b.readBigUInt64BE(2));
        off = 10;
      }
      if (b[1]! & 0x80) off += 4;
      const opcode = b[0]! & 0x0f;
      if (opcode >= 8 || (opcode === 2 && len < 512)) {
        if (b.length < off + len) return;
        const payload = b.subarray(off, off + len);
        if (opcode === 8 && this.closeCode === null) {
          this.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
          this.closeReason = payload.subarray(2).toString();
        } else if (opcode === 10) {
          this.pongs.add(payload.toString('hex'));
          this.onPong?.();
        } else if (opcode === 2 && payload[0] === F.MESSAGE_AUTH) {
          this.denials++;
        }
        this.buf = b.subarray(off + len);
      } else {
        this.buf = b.subarray(off);
        this.skip = len;
      }
    }
  }
}

interface RawConn {
  socket: Socket;
  status: number | null;
  reader: ServerFrameReader;
  ended: boolean;
  /** We half-closed it (the barrier): a close after that is the answer, not the server's decision. */
  endedByUs: boolean;
  /** A fuzz close frame went out on it: a server close may just be the handshake's echo. */
  sentClose: boolean;
  closedByUs: boolean;
  done: Promise<void>;
}

/** Opens a TCP connection, writes `request` (+ `head`), resolves once the answer's status line is in (or the connection ended). */
function openRaw(port: number, request: string, head?: Buffer, timeoutMs = 5_000): Promise<RawConn> {
  return new Promise((resolve) => {
    const socket = netConnect(port, '127.0.0.1');
    socket.setNoDelay(true);
    let header = Buffer.alloc(0);
    let doneResolve!: () => void;
    const conn: RawConn = { socket, status: null, reader: new ServerFrameReader(), ended: false, endedByUs: false, sentClose: false, closedByUs: false, done: new Promise((r) => (doneResolve = r)) };
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(conn);
    };
    const timer = setTimeout(settle, timeoutMs);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      conn.ended = true;
      doneResolve();
      settle();
    });
    socket.on('connect', () => {
      stats.connectionsOpened++;
      socket.write(head ? Buffer.concat([Buffer.from(request, 'latin1'), head]) : request, 'latin1');
    });
    socket.on('data', (chunk: Buffer) => {
      if (conn.status !== null) {
        conn.reader.feed(chunk);
        return;
      }
      header = Buffer.concat([header, chunk]);
      const end = header.indexOf('\r\n\r\n');
      if (end < 0) return;
      const m = /^HTTP\/1\.1 (\d{3})/.exec(header.subarray(0, end).toString('latin1'));
      conn.status = m ? Number(m[1]) : 0;
      const rest = header.subarray(end + 4);
      if (conn.status === 101 && rest.length > 0) conn.reader.feed(rest);
      settle();
    });
  });
}

const wsKey = () => randomBytes(16).toString('base64');

// ---------------------------------------------------------------------------
// The session: server process, users, witnesses, pooled fuzz connections
// ---------------------------------------------------------------------------

interface Witness {
  name: string;
  client: Client;
  closes: string[];
  retired: boolean;
}

interface WsConn {
  ws: WebSocket;
  closedByUs: boolean;
  serverClose: boolean;
}

const dataDir = mkdtempSync(join(tmpdir(), 'accord-fuzz-'));
const adminToken = `fuzz-admin-${randomBytes(12).toString('hex')}`;
const pristine = join(mkdtempSync(join(tmpdir(), 'accord-fuzz-pristine-')), 'accord.sqlite');
const env = { DATA_DIR: dataDir, ACCORD_ADMIN_TOKEN: adminToken, ACCORD_COMPACT_EVERY: '50' };

let port = 0;
let proc: ServerProcess | null = null;
const instances: ServerProcess[] = [];
const tokens = new Map<F.Role, string>();
let db: Database.Database | null = null;
let witnesses: { a: Witness; b: Witness; obs: Witness } | null = null;
const pool = new Map<string, WsConn>();
const recentClientIds: number[] = [];
let needsReset = false;
let lastStored: Y.Snapshot | null = null;

const url = () => `http://127.0.0.1:${port}`;
const wsUrl = () => `ws://127.0.0.1:${port}`;
const alive = (p: ServerProcess | null) => p !== null && p.child.exitCode === null && p.child.signalCode === null;

async function createUser(role: F.Role): Promise<string> {
  const res = await fetch(`${url()}/api/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `Fuzz ${role}`, email: `fuzz-${role}@example.org`, organization: 'Fuzz Org', stakeholderGroup: 'technical-community', role }),
  });
  if (res.status !== 201) throw new Error(`createUser(${role}) failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

async function witness(name: string, role: F.Role): Promise<Witness> {
  const client = await connect(wsUrl(), DOC, tokens.get(role)!);
  const w: Witness = { name, client, closes: [], retired: false };
  client.provider.on('connection-close', (event: { code?: number; reason?: string } | null) => {
    if (!w.retired) w.closes.push(`${event?.code ?? '?'} ${event?.reason ?? ''}`.trim());
  });
  return w;
}

function retireWitnesses(): void {
  if (!witnesses) return;
  for (const w of [witnesses.a, witnesses.b, witnesses.obs]) {
    w.retired = true;
    w.client.destroy();
  }
  witnesses = null;
}

function dropPool(): void {
  for (const c of pool.values()) {
    c.closedByUs = true;
    c.ws.terminate();
  }
  pool.clear();
}

async function startSession(): Promise<void> {
  proc = await spawnServer(env, port || undefined);
  instances.push(proc);
  port = Number(new URL(proc.url).port);
  const first = tokens.size === 0;
  if (first) for (const role of F.ROLES) tokens.set(role, await createUser(role));
  db = new Database(join(dataDir, 'accord.sqlite'), { readonly: true, fileMustExist: true });
  // The store as it was before any fuzzing (users created, document imported): restored after a failure.
  if (first) await db.backup(pristine);
  witnesses = { a: await witness('editor A', 'editor'), b: await witness('editor B', 'editor'), obs: await witness('observer', 'observer') };
  lastStored = null;
  needsReset = false;
}

async function stopServer(): Promise<void> {
  try {
    retireWitnesses();
    dropPool();
  } catch {
    // whatever state the clients are in, the process below must still be stopped
  }
  if (proc && alive(proc)) {
    const p = proc;
    await Promise.race([p.stop(), sleep(8_000)]);
    if (alive(p)) await p.kill9();
  }
}

/** After a failing run: a fresh process on the same data and port, so every run (and shrink step) starts clean. */
async function ensureSession(): Promise<void> {
  if (!needsReset && alive(proc) && witnesses) return;
  await stopServer();
  // Back to the store before fuzzing: what failing runs did to the document is gone, so a shrink step
  // fails (or not) because of its own frames, not because of what earlier runs left behind.
  db?.close();
  db = null;
  for (const suffix of ['', '-wal', '-shm']) rmSync(join(dataDir, `accord.sqlite${suffix}`), { force: true });
  copyFileSync(pristine, join(dataDir, 'accord.sqlite'));
  stats.restarts++;
  await startSession();
}

// ---------------------------------------------------------------------------
// Stored vs live
// ---------------------------------------------------------------------------

function storedDoc(): Y.Doc {
  const d = db!;
  const read = d.transaction(() => {
    const snap = d.prepare<[string], { data: Buffer; upto: number }>('SELECT data, upto FROM snapshots WHERE doc_id = ?').get(DOC);
    const tail = d.prepare<[string, number], { data: Buffer }>('SELECT data FROM updates WHERE doc_id = ? AND seq > ? ORDER BY seq').all(DOC, snap?.upto ?? 0);
    return { snap, tail };
  });
  const { snap, tail } = read();
  const doc = new Y.Doc();
  if (snap) Y.applyUpdate(doc, new Uint8Array(snap.data));
  for (const row of tail) Y.applyUpdate(doc, new Uint8Array(row.data));
  return doc;
}

function storedSnapshot(): Y.Snapshot {
  const doc = storedDoc();
  try {
    return Y.snapshot(doc);
  } finally {
    doc.destroy();
  }
}

/** What differs between two snapshots, for failure messages. */
function snapshotDiff(a: Y.Snapshot, b: Y.Snapshot): string {
  const diffs: string[] = [];
  for (const c of new Set([...a.sv.keys(), ...b.sv.keys()])) if (a.sv.get(c) !== b.sv.get(c)) diffs.push(`client ${c}: ${a.sv.get(c) ?? '-'} vs ${b.sv.get(c) ?? '-'}`);
  const ds = Y.equalDeleteSets(a.ds, b.ds) ? '' : ' (delete sets differ)';
  return `${diffs.slice(0, 8).join(', ') || 'same state vector'}${ds}`;
}

function withoutClient(s: Y.Snapshot, client: number): Y.Snapshot {
  const sv = new Map(s.sv);
  sv.delete(client);
  return Y.createSnapshot(s.ds, sv);
}

/**
 * The content as text, for comparing documents. Y.XmlFragment#toString throws
 * on what a hostile update can put there (a `null` from a Y.Array written
 * under the same root name), so this renders any node and never throws.
 */
function contentXml(doc: Y.Doc): string {
  const render = (node: unknown, depth: number): string => {
    try {
      if (node instanceof Y.XmlText) return node.toString();
      if (node instanceof Y.XmlElement) {
        const attrs = Object.entries(node.getAttributes()).sort(([a], [b]) => (a < b ? -1 : 1));
        const children = depth > 500 ? '…' : node.toArray().map((c) => render(c, depth + 1)).join('');
        return `<${node.nodeName}${attrs.map(([k, v]) => ` ${k}=${JSON.stringify(v)}`).join('')}>${children}</${node.nodeName}>`;
      }
      if (node instanceof Y.AbstractType) return `[${node.constructor.name}]`;
      return `[${JSON.stringify(node) ?? String(node)}]`;
    } catch (err) {
      return `[unrenderable: ${String(err)}]`;
    }
  };
  return doc
    .getXmlFragment(CONTENT_FIELD)
    .toArray()
    .map((n) => render(n, 0))
    .join('');
}

/** Witness A's marker goes into the first paragraph of `security`; if fuzz editors removed it, into any paragraph, or a new section. */
function markerTarget(doc: Y.Doc): Y.XmlText {
  try {
    return paragraphText(doc, 'security');
  } catch {
    // removed or restructured by a fuzz editor
  }
  const content = doc.getXmlFragment(CONTENT_FIELD);
  for (const s of content.toArray()) {
    if (!(s instanceof Y.XmlElement) || s.nodeName !== 'section') continue;
    for (const p of s.toArray()) {
      if (!(p instanceof Y.XmlElement) || p.nodeName !== 'paragraph') continue;
      const t = p.toArray().find((n) => n instanceof Y.XmlText);
      if (t instanceof Y.XmlText) return t;
    }
  }
  // As the editor would make it (a schema gate may refuse anything else): a fresh id, a level-2 heading, a paragraph.
  const section = new Y.XmlElement('section');
  section.setAttribute('id', `witness-${randomBytes(4).toString('hex')}`);
  const heading = new Y.XmlElement('heading');
  heading.setAttribute('level', 2 as unknown as string);
  heading.insert(0, [new Y.XmlText('Witness')]);
  const paragraph = new Y.XmlElement('paragraph');
  const text = new Y.XmlText('');
  paragraph.insert(0, [text]);
  section.insert(0, [heading, paragraph]);
  content.insert(content.length, [section]);
  return text;
}

async function pollUntil(check: () => string | null, timeoutMs: number, intervalMs = 20): Promise<string | null> {
  const start = Date.now();
  for (;;) {
    const problem = check();
    if (problem === null || Date.now() - start > timeoutMs) return problem;
    await sleep(intervalMs);
  }
}

// ---------------------------------------------------------------------------
// One run: send a batch, then check the server
// ---------------------------------------------------------------------------

interface RunLog {
  lines: string[];
}

const NOT_SENT = ' (not sent: no open connection)';
const hex = (b: Uint8Array, max = 48) => Buffer.from(b.subarray(0, max)).toString('hex').replace(/(..)/g, '$1 ').trim() + (b.length > max ? ` … (${b.length} bytes)` : '');

async function openWs(role: F.Role): Promise<WsConn | null> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${wsUrl()}/collab/${DOC}?token=${encodeURIComponent(tokens.get(role)!)}`, { perMessageDeflate: false, handshakeTimeout: 5_000, maxPayload: 256 * 1024 * 1024 });
    const conn: WsConn = { ws, closedByUs: false, serverClose: false };
    ws.binaryType = 'nodebuffer';
    ws.on('error', () => resolve(null));
    ws.on('unexpected-response', (_req, res) => {
      bump(stats.upgradeAnswers, `ws client: ${res.statusCode}`);
      res.resume();
      ws.terminate();
      resolve(null);
    });
    ws.on('open', () => {
      stats.connectionsOpened++;
      bump(stats.upgradeAnswers, 'ws client: 101');
      resolve(conn);
    });
    ws.on('message', (data: Buffer) => {
      if (data[0] === F.MESSAGE_AUTH) stats.permissionDenied++;
    });
    ws.on('close', (code: number, reason: Buffer) => {
      if (!conn.closedByUs || conn.serverClose) serverClosed(String(code), reason.toString());
    });
  });
}

async function runBatch(batch: F.FuzzBatch, log: RunLog): Promise<void> {
  const w = witnesses!;
  const host = `127.0.0.1:${port}`;
  let forge: Y.Doc | null = null;
  const ctx: F.FrameContext = {
    clientIds: { witnessA: w.a.client.doc.clientID, witnessB: w.b.client.doc.clientID, witnessObserver: w.obs.client.doc.clientID },
    recentClientIds,
    forge() {
      if (!forge) {
        forge = new Y.Doc();
        Y.applyUpdate(forge, Y.encodeStateAsUpdate(w.a.client.doc));
      }
      return forge;
    },
    liveStateVector: () => Y.encodeStateVector(w.a.client.doc),
  };

  const roles = batch.actions.map((a, i) => F.roleOf(batch, a, i));
  const rawConns = new Map<string, RawConn | null>();
  const freshRaw: (RawConn | null)[] = [];
  const freshWs: (WsConn | null)[] = [];
  const sideConns: Promise<RawConn | null>[] = [];
  const upgradePath = (role: F.Role) => `/collab/${DOC}?token=${encodeURIComponent(tokens.get(role)!)}`;

  const openRawFor = async (role: F.Role): Promise<RawConn | null> => {
    const c = await openRaw(port, F.upgradeRequest(host, upgradePath(role), wsKey()));
    bump(stats.upgradeAnswers, `raw: ${c.status ?? 'no answer'}`);
    if (c.status !== 101) {
      c.socket.destroy();
      return null;
    }
    return c;
  };
  const ownsConnection = (b: F.ActionBody) => b.level === 'raw' && (b.raw.t === 'reset-before-101' || b.raw.t === 'bad-upgrade' || b.raw.t === 'upgrade-with-head');

  // Open what the batch needs, concurrently: pooled WebSocket clients, this batch's raw slots, fresh connections.
  const opening: Promise<void>[] = [];
  const poolOpening = new Set<string>();
  const freshFor = new Map<number, Promise<RawConn | WsConn | null>>();
  batch.actions.forEach((a, i) => {
    if (ownsConnection(a.body)) return;
    const role = roles[i]!;
    if ('fresh' in a.conn) {
      freshFor.set(i, a.body.level === 'ws' ? openWs(role) : openRawFor(role));
      return;
    }
    const key = `${role}:${a.conn.slot}`;
    if (a.body.level === 'ws') {
      const c = pool.get(key);
      if ((c && c.ws.readyState === WebSocket.OPEN) || poolOpening.has(key)) return;
      pool.delete(key);
      poolOpening.add(key);
      opening.push(
        openWs(role).then((conn) => {
          if (conn) pool.set(key, conn);
          else pool.delete(key);
        }),
      );
    } else if (!rawConns.has(key)) {
      rawConns.set(key, null);
      opening.push(openRawFor(role).then((c) => void rawConns.set(key, c)));
    }
  });
  await Promise.all(opening);
  const fresh = new Map<number, RawConn | WsConn | null>();
  await Promise.all([...freshFor].map(async ([i, p]) => fresh.set(i, await p)));
  for (const c of fresh.values()) {
    if (c && 'socket' in c) freshRaw.push(c);
    else freshWs.push(c);
  }

  const writeRaw = (c: RawConn | null, kind: string, buf: Buffer, frames = 1, close = false): boolean => {
    if (!c || c.socket.destroyed) return false;
    c.socket.write(buf);
    if (close) c.sentClose = true;
    countFrame(kind, buf.length, frames);
    return true;
  };

  // Send, in order, without waiting for anything but a reopened raw slot.
  for (let i = 0; i < batch.actions.length; i++) {
    const a = batch.actions[i]!;
    const role = roles[i]!;
    const kind = F.actionKind(a);
    const where = 'fresh' in a.conn ? 'fresh' : `slot ${a.conn.slot}`;
    if (a.body.level === 'ws') {
      const c = 'fresh' in a.conn ? (fresh.get(i) as WsConn | null) : pool.get(`${role}:${a.conn.slot}`);
      const payload = F.materializeY(a.body.y, ctx);
      const open = c !== null && c !== undefined && c.ws.readyState === WebSocket.OPEN;
      log.lines.push(`${role} ${where} ws ${kind}: ${hex(payload)}${open ? '' : NOT_SENT}`);
      if (open) {
        c.ws.send(payload, { binary: true });
        countFrame(kind, payload.length);
      }
      continue;
    }
    const raw = a.body.raw;
    if (raw.t === 'reset-before-101') {
      const request = raw.authenticated ? F.upgradeRequest(host, upgradePath(role), wsKey()) : F.upgradeRequest(host, `/collab/${DOC}`, wsKey());
      const bytes = raw.cut === null ? request : request.slice(0, raw.cut % (request.length + 1));
      log.lines.push(`${raw.authenticated ? role : 'unauthenticated'} tcp ${kind}: ${JSON.stringify(bytes.slice(0, 60))} then RST${raw.wait ? ' (next tick)' : ''}`);
      countFrame(kind, bytes.length);
      sideConns.push(
        new Promise((resolve) => {
          const socket = netConnect(port, '127.0.0.1');
          socket.on('error', () => undefined);
          socket.on('close', () => resolve(null));
          socket.on('connect', () => {
            stats.connectionsOpened++;
            socket.write(bytes, 'latin1');
            if (raw.wait) setImmediate(() => socket.resetAndDestroy());
            else socket.resetAndDestroy();
          });
        }),
      );
      continue;
    }
    if (raw.t === 'bad-upgrade') {
      const request = F.badUpgradeRequest(raw.variant, host, tokens.get(role)!, wsKey());
      log.lines.push(`${role} tcp ${kind} ${raw.variant}`);
      countFrame(kind, request.length);
      sideConns.push(
        openRaw(port, request, undefined, 3_000).then((c) => {
          bump(stats.upgradeAnswers, `bad upgrade ${raw.variant}: ${c.status ?? 'no answer'}`);
          c.closedByUs = true;
          c.socket.destroy();
          return null;
        }),
      );
      continue;
    }
    if (raw.t === 'upgrade-with-head') {
      const frames = raw.frames.map((f) => F.encodeFrame(f, F.materializePayload(f.payload, ctx)));
      const head = Buffer.concat(frames);
      log.lines.push(`${role} tcp ${kind}: ${frames.map((f) => hex(f, 24)).join(' | ')}`);
      countFrame(kind, head.length, frames.length);
      sideConns.push(
        openRaw(port, F.upgradeRequest(host, upgradePath(role), wsKey()), head).then((c) => {
          bump(stats.upgradeAnswers, `with head: ${c.status ?? 'no answer'}`);
          c.sentClose = raw.frames.some((f) => f.opcode === 8);
          return c;
        }),
      );
      continue;
    }
    let c: RawConn | null;
    if ('fresh' in a.conn) c = fresh.get(i) as RawConn | null;
    else {
      const key = `${role}:${a.conn.slot}`;
      c = rawConns.get(key) ?? null;
      if (c && c.socket.destroyed && c.closedByUs) {
        // We reset it ourselves (reset-mid-frame): the slot gets a new connection.
        c = await openRawFor(role);
        rawConns.set(key, c);
      }
    }
    switch (raw.t) {
      case 'frames':
      case 'fragmented': {
        const frames = raw.t === 'frames' ? raw.frames.map((f) => F.encodeFrame(f, F.materializePayload(f.payload, ctx))) : F.fragmentFrames(raw, ctx);
        const close = raw.t === 'frames' ? raw.frames.some((f) => f.opcode === 8) : raw.interleave.some((x) => x.frame.opcode === 8);
        const sent = writeRaw(c, kind, Buffer.concat(frames), frames.length, close);
        log.lines.push(`${role} ${where} tcp ${kind}: ${frames.map((f) => hex(f, 32)).join(' | ')}${sent ? '' : NOT_SENT}`);
        break;
      }
      case 'reset-mid-frame': {
        const frame = F.encodeFrame(raw.frame, F.materializePayload(raw.frame.payload, ctx));
        const cut = frame.subarray(0, raw.cut % (frame.length + 1));
        const sent = writeRaw(c, kind, cut);
        log.lines.push(`${role} ${where} tcp ${kind}: ${hex(cut, 32)} then RST${sent ? '' : NOT_SENT}`);
        if (sent && c) {
          c.closedByUs = true;
          c.socket.resetAndDestroy();
        }
        break;
      }
    }
  }
  (forge as Y.Doc | null)?.destroy();
  const side = (await Promise.all(sideConns)).filter((c): c is RawConn => c !== null && c.status === 101);

  // Flush: everything written has left this process.
  const allRaw = [...[...rawConns.values()], ...freshRaw, ...side].filter((c): c is RawConn => c !== null);
  const allWs = [...[...pool.values()], ...freshWs].filter((c): c is WsConn => c !== null);
  const flushStart = Date.now();
  while (Date.now() - flushStart < 20_000) {
    const pending = allRaw.some((c) => !c.socket.destroyed && c.socket.writableLength > 0) || allWs.some((c) => c.ws.readyState === WebSocket.OPEN && c.ws.bufferedAmount > 0);
    if (!pending) break;
    await sleep(5);
  }

  // Barrier: a ping answered means every frame before it on that connection was handled.
  await Promise.all([
    ...allWs.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.ws.readyState !== WebSocket.OPEN) return resolve();
          const t = setTimeout(() => {
            stats.barrierTimeouts++;
            finish();
          }, 3_000);
          const finish = () => {
            clearTimeout(t);
            c.ws.off('pong', finish);
            c.ws.off('close', finish);
            resolve();
          };
          c.ws.on('pong', finish);
          c.ws.on('close', finish);
          c.ws.ping();
        }),
    ),
    // Raw connections: half-close and wait for the server to close too. It reads everything before our FIN
    // first, so then every frame sent was handled (a stream stuck inside a lying frame length just ends).
    ...allRaw.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.socket.destroyed || c.ended) return resolve();
          const t = setTimeout(() => {
            stats.barrierTimeouts++;
            resolve();
          }, 3_000);
          void c.done.then(() => {
            clearTimeout(t);
            resolve();
          });
          c.endedByUs = true;
          c.socket.end();
        }),
    ),
  ]);

  // Close this batch's connections; count those the server had closed already.
  for (const c of allRaw) {
    if (c.reader.closeCode !== null) serverClosed(c.sentClose ? `${c.reader.closeCode} (after a fuzz close frame)` : String(c.reader.closeCode), c.reader.closeReason);
    else if (c.ended && !c.closedByUs && !c.endedByUs) serverClosed('no close frame', '');
    stats.permissionDenied += c.reader.denials;
    c.closedByUs = true;
    c.socket.destroy();
  }
  for (const c of freshWs) {
    if (!c) continue;
    c.serverClose = c.ws.readyState !== WebSocket.OPEN;
    c.closedByUs = true;
    c.ws.terminate();
  }
  for (const [key, c] of pool) {
    if (c.ws.readyState !== WebSocket.OPEN) pool.delete(key);
  }
}

/** The checks after a batch; null when all hold. */
async function check(batch: F.FuzzBatch, run: number, before: Y.Snapshot): Promise<string | null> {
  const p = proc!;
  const w = witnesses!;
  if (!alive(p)) return crashMessage(p);
  try {
    const res = await fetch(`${url()}/healthz`, { signal: AbortSignal.timeout(5_000) });
    if (res.status !== 200) return `GET /healthz answered ${res.status}`;
  } catch (err) {
    await sleep(300);
    if (!alive(p)) return crashMessage(p);
    return `GET /healthz failed: ${String(err)}`;
  }
  for (const x of [w.a, w.b, w.obs]) if (x.closes.length > 0) return `witness ${x.name} was disconnected by the server (close ${x.closes.join(', ')})`;

  // Read-only connections only: nothing stored changed (taken before the witness's own edit).
  if (batch.readOnly) {
    const now = storedSnapshot();
    if (!Y.equalSnapshots(now, before)) return `${READ_ONLY_CHANGED}: ${snapshotDiff(before, now)}`;
  }

  // Other clients still sync: A types, B and the observer see it.
  const marker = `[fuzz-run-${run}-${randomBytes(3).toString('hex')}]`;
  const a = w.a.client.doc;
  markerTarget(a).insert(0, `${marker} `);
  const clockA = Y.getState(a.store, a.clientID);
  const reached = await pollUntil(() => {
    const lagging = [w.b, w.obs].filter((x) => Y.getState(x.client.doc.store, a.clientID) < clockA);
    return lagging.length === 0 ? null : lagging.map((x) => `${x.name} (connected: ${x.client.provider.wsconnected})`).join(', ');
  }, SETTLE_MS, 3);
  if (reached !== null) return `an edit by witness editor A did not reach ${reached} within ${SETTLE_MS} ms`;
  for (const x of [w.b, w.obs]) if (!contentXml(x.client.doc).includes(marker)) return `witness ${x.name} has A's update but not the marker text ${marker}`;

  // The stored document equals the live one (and the witnesses agree).
  let stored: Y.Snapshot | null = null;
  const converged = await pollUntil(() => {
    try {
      stored = storedSnapshot();
    } catch (err) {
      return `the stored document cannot be rebuilt: ${String(err)}`;
    }
    const live = Y.snapshot(a);
    if (!Y.equalSnapshots(stored, live)) return `stored ≠ live (stored vs witness A: ${snapshotDiff(stored, live)})`;
    for (const x of [w.b, w.obs]) {
      const s = Y.snapshot(x.client.doc);
      if (!Y.equalSnapshots(s, live)) return `witness ${x.name} ≠ witness A: ${snapshotDiff(s, live)}`;
    }
    return null;
  }, SETTLE_MS, 30);
  if (converged !== null) return converged;
  const storedXml = (() => {
    const d = storedDoc();
    try {
      return contentXml(d);
    } finally {
      d.destroy();
    }
  })();
  if (storedXml !== contentXml(a)) return 'the stored content differs from witness A\'s content (same state vector, different XML)';
  if (batch.readOnly) {
    const x = withoutClient(stored!, a.clientID);
    const y = withoutClient(before, a.clientID);
    if (!Y.equalSnapshots(x, y)) return `${READ_ONLY_CHANGED}: ${snapshotDiff(y, x)}`;
  }
  lastStored = stored;
  for (const x of [w.a, w.b, w.obs]) if (x.closes.length > 0) return `witness ${x.name} was disconnected by the server (close ${x.closes.join(', ')})`;
  return null;
}

function crashSignature(output: string): string {
  const lines = output.split('\n');
  const i = lines.findIndex((l) => /uncaughtException|unhandledRejection|Unhandled 'error' event|^\s*at /.test(l));
  const from = i < 0 ? Math.max(0, lines.length - 8) : i;
  const error = lines.slice(from).find((l) => /\b\w*Error\b|Exception|error/.test(l) && !/^\s*at /.test(l) && !/throw er;/.test(l));
  return (error ?? lines.slice(from, from + 1).join(' ')).trim().slice(0, 200);
}

function outputTail(p: ServerProcess, n = 60): string {
  const lines = p.output().trimEnd().split('\n');
  return lines.slice(-n).join('\n');
}

function crashMessage(p: ServerProcess): string {
  const signature = crashSignature(p.output());
  if (!stats.crashes.includes(signature)) stats.crashes.push(signature);
  return `the server process died (exit code ${p.child.exitCode}, signal ${p.child.signalCode}): ${signature}\n--- last lines of the server's output ---\n${outputTail(p, 40)}`;
}

// ---------------------------------------------------------------------------

function summary(wallMs: number): string {
  const kinds = [...stats.perKind.entries()].sort((x, y) => y[1] - x[1]).map(([k, n]) => `    ${k.padEnd(34)} ${n}`);
  const closes = [...stats.serverClosed.entries()].sort((x, y) => y[1] - x[1]).map(([k, n]) => `    ${k.padEnd(32)} ${String(n).padStart(6)}  ${stats.closeReasons.get(k) ?? ''}`);
  const answers = [...stats.upgradeAnswers.entries()].sort().map(([k, n]) => `    ${k.padEnd(40)} ${n}`);
  return [
    `[fuzz] seed ${SEED} (${LONG ? `long, FUZZ_SECONDS=${FUZZ_SECONDS}` : 'fast variant'}; replay with FUZZ_SEED=${SEED}${LONG ? ` FUZZ_SECONDS=${FUZZ_SECONDS}` : ''})`,
    `[fuzz] runs ${stats.runs} (${stats.readOnlyRuns} read-only), frames ${stats.frames}, ${(stats.bytes / 1e6).toFixed(1)} MB, wall ${(wallMs / 1000).toFixed(1)} s, ${(stats.frames / (wallMs / 1000)).toFixed(0)} frames/s`,
    `[fuzz] fuzz connections opened ${stats.connectionsOpened}; closed by the server: ${[...stats.serverClosed.values()].reduce((a, b) => a + b, 0)}; permission-denied answers ${stats.permissionDenied}; ping barriers timed out ${stats.barrierTimeouts}; server restarts ${stats.restarts}`,
    `[fuzz] frames per kind:`,
    ...kinds,
    `[fuzz] server-closed fuzz connections by close code:`,
    ...closes,
    `[fuzz] upgrade answers:`,
    ...answers,
    ...(stats.crashes.length > 0 ? ['[fuzz] distinct crashes:', ...stats.crashes.map((c) => `    ${c}`)] : []),
  ].join('\n');
}

afterAll(async () => {
  await stopServer().catch(() => undefined);
  db?.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(dirname(pristine), { recursive: true, force: true });
});

describe('fuzzing the collaboration socket of a real server process', () => {
  it(
    'survives random and mutated frames from every role: alive, witnesses in sync, storage = live, read-only changes nothing',
    async () => {
      port = await freePort();
      await startSession();
      console.log(`[fuzz] seed ${SEED}, ${FUZZ_SECONDS} s of fuzzing, batches of 1–${MAX_FRAMES} frames, data in ${dataDir}`);

      const started = Date.now();
      const deadline = started + FUZZ_SECONDS * 1000;
      let failedAt: number | null = null;
      let firstFailure: string | null = null;
      let lastFailure: { error: string; log: string[]; instance: ServerProcess } | null = null;
      let run = 0;

      const property = fc.asyncProperty(F.batchArb({ maxFrames: MAX_FRAMES, bigPayloads: BIG_PAYLOADS }), async (batch) => {
        const now = Date.now();
        // Stop generating at the deadline; after a failure, shrink for SHRINK_SECONDS at most.
        if (failedAt === null ? now > deadline : now > failedAt + SHRINK_SECONDS * 1000) throw new fc.PreconditionFailure(true);
        await ensureSession();
        const n = ++run;
        stats.runs++;
        if (batch.readOnly) stats.readOnlyRuns++;
        const log: RunLog = { lines: [] };
        let problem: string | null;
        try {
          const before = lastStored ?? storedSnapshot();
          await runBatch(batch, log);
          problem = await check(batch, n, before);
        } catch (err) {
          problem = alive(proc) ? `the harness failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}` : crashMessage(proc!);
        }
        if (problem !== null) {
          failedAt ??= Date.now();
          // The next (shrink) run starts clean: a new process on the store as it was before fuzzing.
          needsReset = true;
          stats.failures.push(problem.split('\n')[0]!);
          firstFailure ??= `run ${n} (${batch.actions.length} actions): ${problem.split('\n')[0]!}`;
          lastFailure = { error: problem, log: log.lines, instance: proc! };
          throw new Error(`run ${n}: ${problem}`);
        }
      });

      let failure: unknown = null;
      try {
        await fc.assert(property, { seed: SEED, numRuns: NUM_RUNS, endOnFailure: false });
      } catch (err) {
        failure = err;
      }
      const wall = Date.now() - started;
      console.log(summary(wall));
      if (failure) {
        const f = lastFailure as { error: string; log: string[]; instance: ServerProcess } | null;
        console.error(
          [
            `[fuzz] FAILED. Distinct failures seen (${new Set(stats.failures).size}):`,
            ...[...new Set(stats.failures)].slice(0, 20).map((x) => `    ${x}`),
            `[fuzz] first failure: ${firstFailure ?? '?'}`,
            `[fuzz] smallest failing batch found (${f?.log.length ?? 0} actions, in order: role, connection, kind; tcp: the bytes on the wire, ws: the payload of one binary frame):`,
            ...(f?.log ?? []).map((l) => `    ${l}`),
            `[fuzz] its failure: ${f?.error ?? '?'}`,
            ...(f && !f.error.startsWith('the server process died') ? [`[fuzz] --- output of the server process that ran it (${f.instance.url}, exit ${f.instance.child.exitCode ?? f.instance.child.signalCode ?? 'still running'}), last 80 lines ---`, outputTail(f.instance, 80)] : []),
          ].join('\n'),
        );
        throw failure;
      }
      expect(stats.runs).toBeGreaterThan(0);
      if (LONG && FUZZ_SECONDS >= 300) expect(stats.frames, 'the long variant sends at least 100,000 frames').toBeGreaterThanOrEqual(100_000);
    },
    // The fuzzing time, plus start-up, checks and up to 75 s of shrinking (more if FUZZ_SHRINK_SECONDS asks for it).
    FUZZ_SECONDS * 1000 + 120_000 + Math.max(0, SHRINK_SECONDS - 75) * 1000,
  );
});
