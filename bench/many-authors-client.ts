// The client processes of bench/many-authors.ts (`node --import tsx`, forked):
// thin authors driven over IPC by the parent, raw WebSockets speaking the
// y-websocket protocol (or Hocuspocus's framing of it), each typing marked
// Yjs updates and timing every other author's marks.
//
// A thin author decodes the document once (the sync step 2 answering its sync
// step 1), to learn which real items its inserts go next to, then writes its
// updates itself (`Typist`: the bytes its own Y.Doc would emit, checked
// against Yjs). It never decodes what it receives: it finds the marks
// `~<author>:<seq>:<sendTime>~` in the raw bytes (Yjs carries inserted
// strings as UTF-8, merged updates too).
// Times are performance.timeOrigin + performance.now(), shared by processes
// on one machine (the parent checks it over IPC before each run).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { mulberry32 } from './stats';

export type Protocol = 'y-websocket' | 'hocuspocus';

/** Parent -> child messages. */
export type Order =
  | { type: 'ping'; id: number }
  | {
      type: 'connect';
      protocol: Protocol;
      url: string;
      docName: string;
      /** Global index of this child's first author; its authors are first .. first+count-1. */
      first: number;
      count: number;
      /** Authors in the whole run (over all children). */
      n: number;
      /** Updates one author sends at most (bounds the de-duplication bitmap). */
      maxSeq: number;
      seed: number;
      /** Connections opened at once by this child. */
      concurrency: number;
      connectTimeoutMs: number;
    }
  | { type: 'go'; start: number; warmupEnd: number; measureEnd: number; drainEnd: number; ratePerSecond: number }
  | { type: 'close' };

/** Child -> parent messages. */
export type Report =
  | { type: 'hello' }
  | { type: 'pong'; id: number; clock: number }
  | { type: 'ready'; connected: number; failed: number; error?: string }
  | { type: 'result'; result: ChildResult };

export interface ChildResult {
  /** Updates sent with a send time inside the measured window. */
  sentMeasured: number;
  sentTotal: number;
  /** Authors that stopped early: maxSeq reached. */
  capped: number;
  /** Distinct (author, seq, receiver) deliveries of measured updates from other authors, before the drain ended. */
  delivered: number;
  duplicates: number;
  /** Measured updates that came back to their own author. */
  echoes: number;
  /** Frames carrying at least one newly delivered measured update. */
  framesWithUpdates: number;
  /** Every frame received from the start of the measured window to the end of the drain. */
  framesAll: number;
  bytesAll: number;
  /** Permission-denied (auth) messages: Accord's schema gate refusing an update, for one. */
  refused: number;
  /** Hocuspocus SyncStatus acknowledgements. */
  acks: number;
  /** Deliveries timed below zero (clock trouble; counted in the first bucket). */
  negative: number;
  /** Connections that closed or failed while the load ran. */
  closedDuringRun: number;
  sendFailures: number;
  /** Latency histogram, sparse: bucket i holds [i*0.1 ms, (i+1)*0.1 ms); the last bucket is everything above. */
  histIndex: number[];
  histCount: number[];
  /** This process's CPU over the measured window, in % of one core. */
  cpuPercent: number;
  /** Share of the measured window its main thread waited, runnable, for a CPU (%): other processes' load. */
  waitPercent: number;
  /** Event-loop lag over the run (ms, beyond the sampling interval): a busy client shows it here. */
  loopDelayP99: number;
  loopDelayMax: number;
}

export const HIST_BUCKET_MS = 0.1;
export const HIST_BUCKETS = 600_001; // 0.1 ms steps up to 60 s, plus one overflow bucket

const LOOP_RESOLUTION_MS = 10;
const TILDE = 0x7e;
const COLON = 0x3a;
const DOT = 0x2e;
const MESSAGE_SYNC = 0;
const MESSAGE_AUTH = 2;
const HOCUSPOCUS_SYNC_STATUS = 8;
const SYNC_STEP1 = 0;
const SYNC_STEP2 = 1;

const clock = (): number => performance.timeOrigin + performance.now();

/** Nanoseconds a process's main thread has waited, runnable, for a CPU (/proc/<pid>/schedstat, Linux), or NaN. */
export function runQueueWaitNs(pid: number | 'self'): number {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]);
  } catch {
    return NaN;
  }
}
const send = (m: Report): void => {
  process.send?.(m);
};

// ---------------------------------------------------------------------------
// Authors.

interface Author {
  /** Global author index; also the receiver index minus `first`. */
  readonly id: number;
  readonly ws: WebSocket;
  /** Where this author types: what its own Y.Doc would do (see `Typist`), learnt from the synced state. */
  typist: Typist | null;
  seq: number;
  synced: boolean;
  nextAt: number;
  timer: ReturnType<typeof setTimeout> | null;
}

interface ItemId {
  client: number;
  clock: number;
}

/** Yjs client ids of the authors: CLIENT_BASE + author index, far from the random ids Yjs draws for the seed. */
const CLIENT_BASE = 0x5a000000;

/**
 * An author typing at the start of one paragraph, holding no Y.Doc. In the
 * author's own Y.Doc (the synced state plus its own inserts), `insert(0, s)`
 * makes an item whose left origin is always the same (`origin`: null, or
 * what Yjs skips at the start: deleted items, format ends) and whose right
 * origin is the author's previous insert, or, the first time, what followed
 * `origin` in the synced state. So the update Yjs would emit is written here
 * directly, byte for byte (checked against real Yjs in `checkTypist`): one
 * struct (a ContentString item), no deletions. This keeps 1,000 authors from
 * holding 1,000 copies of the document (about 230 KB each), whose garbage
 * collection would make the clients, not the server, the bottleneck.
 */
class Typist {
  private clock = 0;
  private right: ItemId;

  constructor(
    readonly client: number,
    private readonly origin: ItemId | null,
    firstRight: ItemId | null,
  ) {
    if (origin === null && firstRight === null) throw new Error('an empty paragraph: nothing to type next to');
    // With both origins null Yjs would write the parent instead; never the case here: `firstRight` is set
    // unless the paragraph ends right after `origin`, and then every later insert has its right origin.
    this.right = firstRight ?? { client: -1, clock: -1 };
  }

  /** The Yjs update (v1) of `insert(0, text)` in this author's own doc. ASCII text only (clocks count UTF-16 units). */
  insert(text: string): Uint8Array {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 1); // clients with structs
    encoding.writeVarUint(e, 1); // structs of this client
    encoding.writeVarUint(e, this.client);
    encoding.writeVarUint(e, this.clock);
    const right = this.right.client >= 0 ? this.right : null;
    encoding.writeUint8(e, 4 /* ContentString */ | (this.origin ? 0x80 : 0) | (right ? 0x40 : 0));
    if (this.origin) {
      encoding.writeVarUint(e, this.origin.client);
      encoding.writeVarUint(e, this.origin.clock);
    }
    if (right) {
      encoding.writeVarUint(e, right.client);
      encoding.writeVarUint(e, right.clock);
    }
    encoding.writeVarString(e, text);
    encoding.writeVarUint(e, 0); // delete set: no clients
    this.right = { client: this.client, clock: this.clock };
    this.clock += text.length;
    return encoding.toUint8Array(e);
  }
}

/** The paragraphs an author may type in: every section's paragraphs whose first child is a non-empty text. */
function paragraphTexts(doc: Y.Doc): Y.XmlText[] {
  const out: Y.XmlText[] = [];
  for (const section of doc.getXmlFragment('content').toArray()) {
    if (!(section instanceof Y.XmlElement) || section.nodeName !== 'section') continue;
    for (const child of section.toArray()) {
      if (!(child instanceof Y.XmlElement) || child.nodeName !== 'paragraph') continue;
      const first = child.get(0);
      if (first instanceof Y.XmlText && first.length > 0) out.push(first);
    }
  }
  return out;
}

/** Where author `id` types in the synced `state`: the origins Yjs gives an insert at 0 of its paragraph. */
function typistFor(state: Uint8Array, id: number): Typist {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    const client = CLIENT_BASE + id;
    if (doc.store.clients.has(client)) throw new Error(`client id ${client} is taken in the document`);
    const texts = paragraphTexts(doc);
    if (texts.length === 0) throw new Error('the document has no paragraph to type in');
    const text = texts[id % texts.length]!;
    doc.clientID = client;
    text.insert(0, '?');
    const item = doc.store.clients.get(client)![0] as Y.Item;
    const id_ = (x: Y.ID | null): ItemId | null => (x ? { client: x.client, clock: x.clock } : null);
    return new Typist(client, id_(item.origin), id_(item.rightOrigin));
  } finally {
    doc.destroy();
  }
}

/** Throws unless Typist writes exactly the updates real Yjs emits for the same inserts. */
function checkTypist(state: Uint8Array, id: number): void {
  const typist = typistFor(state, id);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  doc.clientID = CLIENT_BASE + id;
  const text = paragraphTexts(doc)[id % paragraphTexts(doc).length]!;
  let emitted: Uint8Array | null = null;
  doc.on('update', (u: Uint8Array) => (emitted = u));
  for (const s of ['~1:0:1.000~', '~1:1:22.500~', '~1:2:333.250~']) {
    text.insert(0, s);
    const ours = typist.insert(s);
    if (emitted === null || Buffer.compare(Buffer.from(emitted), Buffer.from(ours)) !== 0) {
      throw new Error(`hand-written update differs from Yjs's for author ${id}`);
    }
  }
  doc.destroy();
}

interface Window {
  start: number;
  warmupEnd: number;
  measureEnd: number;
  drainEnd: number;
  ratePerSecond: number;
}

type ConnectOrder = Extract<Order, { type: 'connect' }>;

/** The counters of a ChildResult, zero at the start. */
function emptyStats() {
  return {
    sentMeasured: 0,
    sentTotal: 0,
    capped: 0,
    delivered: 0,
    duplicates: 0,
    echoes: 0,
    framesWithUpdates: 0,
    framesAll: 0,
    bytesAll: 0,
    refused: 0,
    acks: 0,
    negative: 0,
    closedDuringRun: 0,
    sendFailures: 0,
  };
}

/**
 * Calls `found` for every mark `~<author>:<seq>:<sendTime>~` in `buf` from
 * `from` on (the send time in ms with three decimals), reading the digits in
 * place: the authors see every update, and this runs beside what is measured.
 */
export function forEachMark(buf: Buffer, from: number, found: (author: number, seq: number, sent: number) => void): void {
  const len = buf.length;
  let i = buf.indexOf(TILDE, from);
  while (i !== -1) {
    let j = i + 1;
    let author = 0;
    let seq = 0;
    let whole = 0;
    let frac = 0;
    let d = j;
    while (j < len && buf[j]! >= 48 && buf[j]! <= 57) author = author * 10 + (buf[j++]! - 48);
    let ok = j > d && buf[j] === COLON;
    if (ok) {
      d = ++j;
      while (j < len && buf[j]! >= 48 && buf[j]! <= 57) seq = seq * 10 + (buf[j++]! - 48);
      ok = j > d && buf[j] === COLON;
    }
    if (ok) {
      d = ++j;
      while (j < len && buf[j]! >= 48 && buf[j]! <= 57) whole = whole * 10 + (buf[j++]! - 48);
      ok = j > d && buf[j] === DOT;
    }
    if (ok) {
      d = ++j;
      while (j < len && buf[j]! >= 48 && buf[j]! <= 57) frac = frac * 10 + (buf[j++]! - 48);
      ok = j - d === 3 && buf[j] === TILDE;
    }
    if (!ok) {
      i = buf.indexOf(TILDE, i + 1);
      continue;
    }
    found(author, seq, whole + frac / 1000);
    i = buf.indexOf(TILDE, j + 1);
  }
}

/**
 * What one client process counts: each (author, seq, receiver) delivery of
 * a measured mark once, with its latency, in a histogram of 0.1 ms buckets.
 */
class Tally {
  readonly stats = emptyStats();
  private readonly hist = new Uint32Array(HIST_BUCKETS);
  /** One bit per (receiver, author, seq): a mark counted once, however often it comes. */
  private readonly seen: Uint8Array;
  window: Window | null = null;

  constructor(private readonly c: ConnectOrder) {
    this.seen = new Uint8Array(Math.ceil((c.count * c.n * c.maxSeq) / 8));
  }

  /** True from the end of the warm-up to the end of the drain: frames are counted. */
  counting(now: number): boolean {
    const w = this.window;
    return w !== null && now >= w.warmupEnd && now < w.drainEnd;
  }

  /** Finds and counts every mark in `buf` from `from` on; true if one was newly delivered. */
  scanMarks(receiver: number, buf: Buffer, from: number, now: number): boolean {
    const w = this.window;
    if (w === null) return false;
    let fresh = false;
    forEachMark(buf, from, (author, seq, sent) => {
      if (sent >= w.warmupEnd && sent < w.measureEnd && now < w.drainEnd && this.count(receiver, author, seq, now - sent)) fresh = true;
    });
    return fresh;
  }

  /** Counts one measured mark received by `receiver`; true if it is a new delivery. */
  private count(receiver: number, author: number, seq: number, latency: number): boolean {
    const { stats, c } = this;
    if (author === receiver) {
      stats.echoes++;
      return false;
    }
    if (author >= c.n || seq >= c.maxSeq) return false;
    const bit = ((receiver - c.first) * c.n + author) * c.maxSeq + seq;
    const mask = 1 << (bit & 7);
    if (this.seen[bit >> 3]! & mask) {
      stats.duplicates++;
      return false;
    }
    this.seen[bit >> 3]! |= mask;
    stats.delivered++;
    if (latency < 0) {
      stats.negative++;
      latency = 0;
    }
    this.hist[Math.min(HIST_BUCKETS - 1, Math.floor(latency / HIST_BUCKET_MS))]!++;
    return true;
  }

  /** The histogram, sparse: only the buckets that hold something. */
  sparseHistogram(): { histIndex: number[]; histCount: number[] } {
    const histIndex: number[] = [];
    const histCount: number[] = [];
    for (let i = 0; i < this.hist.length; i++) {
      if (this.hist[i]! > 0) {
        histIndex.push(i);
        histCount.push(this.hist[i]!);
      }
    }
    return { histIndex, histCount };
  }
}

/** This process's CPU and CPU wait over the measured window, and its event-loop delay over the run. */
class Usage {
  // Samples every LOOP_RESOLUTION_MS; a sample is the time between two, so the lag is what exceeds the resolution.
  private readonly loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  private cpuAtWarmupEnd: NodeJS.CpuUsage | null = null;
  private waitAtWarmupEnd = NaN;
  private cpuPercent = 0;
  private waitPercent = NaN;

  /** Samples at the end of the warm-up and at the end of the measured window. */
  start(w: Window): void {
    this.loopDelay.enable();
    let warmupEndAt = w.warmupEnd;
    setTimeout(
      () => {
        warmupEndAt = clock();
        this.cpuAtWarmupEnd = process.cpuUsage();
        this.waitAtWarmupEnd = runQueueWaitNs('self');
      },
      Math.max(0, w.warmupEnd - clock()),
    );
    setTimeout(
      () => {
        const used = process.cpuUsage(this.cpuAtWarmupEnd ?? undefined);
        const ms = clock() - warmupEndAt;
        this.cpuPercent = ((used.user + used.system) / 1000 / ms) * 100;
        this.waitPercent = ((runQueueWaitNs('self') - this.waitAtWarmupEnd) / 1e6 / ms) * 100;
      },
      Math.max(0, w.measureEnd - clock()),
    );
  }

  stop(): Pick<ChildResult, 'cpuPercent' | 'waitPercent' | 'loopDelayP99' | 'loopDelayMax'> {
    this.loopDelay.disable();
    return {
      cpuPercent: this.cpuPercent,
      waitPercent: this.waitPercent,
      loopDelayP99: Math.max(0, this.loopDelay.percentile(99) / 1e6 - LOOP_RESOLUTION_MS),
      loopDelayMax: Math.max(0, this.loopDelay.max / 1e6 - LOOP_RESOLUTION_MS),
    };
  }
}

/** The authors of one client process: they connect, sync, type at their rate, and count what they receive. */
class Authors {
  private readonly authors: Author[] = [];
  private readonly tally: Tally;
  private readonly usage = new Usage();
  /** Hocuspocus: the document name, as a var-string, before every message. */
  private readonly prefix: Uint8Array;
  private readonly hocuspocus: boolean;
  private readonly random: () => number;
  private readonly emptyUpdate = Y.encodeStateAsUpdate(new Y.Doc());
  private readonly emptyStateVector = Y.encodeStateVector(new Y.Doc());
  private running = false;
  private typistChecked = false;

  constructor(private readonly c: ConnectOrder) {
    this.tally = new Tally(c);
    this.hocuspocus = c.protocol === 'hocuspocus';
    const e = encoding.createEncoder();
    if (this.hocuspocus) encoding.writeVarString(e, c.docName);
    this.prefix = encoding.toUint8Array(e);
    this.random = mulberry32(c.seed);
  }

  private frame(write: (e: encoding.Encoder) => void): Uint8Array {
    const e = encoding.createEncoder();
    encoding.writeUint8Array(e, this.prefix);
    write(e);
    return encoding.toUint8Array(e);
  }

  private onMessage(a: Author, buf: Buffer, onSynced: () => void, onRefused: (why: string) => void): void {
    const now = clock();
    const { stats } = this.tally;
    const counting = this.tally.counting(now);
    if (counting) {
      stats.framesAll++;
      stats.bytesAll += buf.length;
    }
    const decoder = decoding.createDecoder(buf);
    if (this.hocuspocus) decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_SYNC) {
      this.onSync(a, buf, decoder, counting ? now : null, onSynced, onRefused);
      return;
    }
    if (type === MESSAGE_AUTH) {
      const sub = decoding.readVarUint(decoder);
      // y-protocols/auth: 0 = permission denied. Hocuspocus: 0 token request, 1 permission denied, 2 authenticated.
      const denied = this.hocuspocus ? sub === 1 : sub === 0;
      if (denied) {
        stats.refused++;
        if (!a.synced) onRefused(`permission denied: ${decoding.readVarString(decoder)}`);
      }
      return;
    }
    if (this.hocuspocus && type === HOCUSPOCUS_SYNC_STATUS) stats.acks++;
    // awareness, Hocuspocus close and anything else: not what is measured
  }

  /** A sync message: answered (step 1), learnt from once (the first step 2), or scanned for marks (updates; `now` when counting). */
  private onSync(a: Author, buf: Buffer, decoder: decoding.Decoder, now: number | null, onSynced: () => void, onRefused: (why: string) => void): void {
    const body = decoder.pos;
    const sub = decoding.readVarUint(decoder);
    if (sub === SYNC_STEP1) {
      // The server asks what we have that it lacks: nothing (a thin author's own updates were all sent).
      a.ws.send(
        this.frame((e) => {
          encoding.writeVarUint(e, MESSAGE_SYNC);
          encoding.writeVarUint(e, SYNC_STEP2);
          encoding.writeVarUint8Array(e, this.emptyUpdate);
        }),
      );
      return;
    }
    if (sub === SYNC_STEP2 && !a.synced) {
      // The one decode of an author's life: the document as the server has it, to learn where to type.
      const state = decoding.readVarUint8Array(decoder);
      try {
        if (!this.typistChecked) {
          checkTypist(state, a.id);
          this.typistChecked = true;
        }
        a.typist = typistFor(state, a.id);
      } catch (err) {
        onRefused(err instanceof Error ? err.message : String(err));
        return;
      }
      a.synced = true;
      onSynced();
      return;
    }
    if (now !== null && this.tally.scanMarks(a.id, buf, body, now)) this.tally.stats.framesWithUpdates++;
  }

  /** Opens author `id`'s connection; resolves once it has synced (and knows where to type). */
  private connect(id: number): Promise<Author> {
    const c = this.c;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(c.url, { perMessageDeflate: false, skipUTF8Validation: true, maxPayload: 256 * 1024 * 1024 });
      ws.binaryType = 'nodebuffer';
      const a: Author = { id, ws, typist: null, seq: 0, synced: false, nextAt: 0, timer: null };
      let settled = false;
      const fail = (why: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timeout);
        ws.terminate();
        reject(new Error(`author ${id}: ${why}`));
      };
      const synced = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timeout);
        resolve(a);
      };
      const timeout = setTimeout(() => fail('no sync within the connect timeout'), c.connectTimeoutMs);
      ws.on('error', (err) => fail(err.message));
      ws.on('close', () => {
        if (!settled) fail('closed during the handshake');
        else if (this.running) this.tally.stats.closedDuringRun++;
      });
      ws.on('open', () => this.hello(ws));
      ws.on('message', (data: Buffer) => this.onMessage(a, data, synced, fail));
    });
  }

  /** The first messages of a connection: Hocuspocus's (empty) token, then a sync step 1 for the whole document. */
  private hello(ws: WebSocket): void {
    if (this.hocuspocus) {
      // Hocuspocus queues everything for a document until an auth message for it arrives (token may be empty).
      ws.send(
        this.frame((e) => {
          encoding.writeVarUint(e, MESSAGE_AUTH);
          encoding.writeVarUint(e, 0); // AuthMessageType.Token
          encoding.writeVarString(e, '');
        }),
      );
    }
    ws.send(
      this.frame((e) => {
        encoding.writeVarUint(e, MESSAGE_SYNC);
        encoding.writeVarUint(e, SYNC_STEP1);
        encoding.writeVarUint8Array(e, this.emptyStateVector);
      }),
    );
  }

  /** Connects every author of this process, `concurrency` at a time, and reports how many made it. */
  async connectAll(): Promise<void> {
    const c = this.c;
    let next = 0;
    let failed = 0;
    let firstError: string | undefined;
    const worker = async () => {
      while (next < c.count) {
        const id = c.first + next++;
        try {
          this.authors.push(await this.connect(id));
        } catch (err) {
          failed++;
          firstError ??= err instanceof Error ? err.message : String(err);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(c.concurrency, c.count) }, worker));
    this.authors.sort((x, y) => x.id - y.id);
    send({ type: 'ready', connected: this.authors.length, failed, ...(firstError ? { error: firstError } : {}) });
  }

  /** Exponential gaps: each author's updates are a Poisson process of the given rate. */
  private gapMs(rate: number): number {
    return (-Math.log(1 - this.random()) / rate) * 1000;
  }

  /** Author `a` types one marked update now, and schedules its next. */
  private type(a: Author): void {
    const w = this.tally.window!;
    const { stats } = this.tally;
    a.timer = null;
    if (!this.running || a.ws.readyState !== WebSocket.OPEN) return;
    if (a.seq >= this.c.maxSeq) {
      stats.capped++;
      return;
    }
    const sentAt = clock();
    if (sentAt >= w.measureEnd) return;
    const update = a.typist!.insert(`~${a.id}:${a.seq}:${sentAt.toFixed(3)}~`);
    try {
      a.ws.send(
        this.frame((e) => {
          encoding.writeVarUint(e, MESSAGE_SYNC);
          encoding.writeVarUint(e, 2); // messageYjsUpdate
          encoding.writeVarUint8Array(e, update);
        }),
      );
      stats.sentTotal++;
      if (sentAt >= w.warmupEnd) stats.sentMeasured++;
    } catch {
      stats.sendFailures++;
    }
    a.seq++;
    this.schedule(a);
  }

  private schedule(a: Author): void {
    const w = this.tally.window!;
    a.nextAt += this.gapMs(w.ratePerSecond);
    if (a.nextAt >= w.measureEnd) return;
    a.timer = setTimeout(() => this.type(a), Math.max(0, a.nextAt - clock()));
  }

  /** Starts the load: every author types from `w.start` to `w.measureEnd`; the result goes to the parent after the drain. */
  go(w: Window): void {
    this.tally.window = w;
    this.running = true;
    for (const a of this.authors) {
      a.nextAt = w.start;
      this.schedule(a);
    }
    this.usage.start(w);
    setTimeout(() => this.finish(), Math.max(0, w.drainEnd - clock()) + 20);
  }

  private finish(): void {
    this.running = false;
    for (const a of this.authors) if (a.timer) clearTimeout(a.timer);
    send({ type: 'result', result: { ...this.tally.stats, ...this.tally.sparseHistogram(), ...this.usage.stop() } });
  }

  closeAll(): void {
    this.running = false;
    for (const a of this.authors) {
      if (a.timer) clearTimeout(a.timer);
      a.ws.terminate();
    }
  }
}

function clientMain(): void {
  let authors: Authors | null = null;
  process.on('disconnect', () => process.exit(0));
  process.on('message', (order: Order) => {
    switch (order.type) {
      case 'ping':
        send({ type: 'pong', id: order.id, clock: clock() });
        break;
      case 'connect': {
        const connecting = (authors = new Authors(order));
        void connecting.connectAll().catch((err: unknown) => send({ type: 'ready', connected: 0, failed: order.count, error: String(err) }));
        break;
      }
      case 'go':
        authors?.go(order);
        break;
      case 'close':
        authors?.closeAll();
        setTimeout(() => process.exit(0), 50);
        break;
    }
  });
  send({ type: 'hello' });
}

// Only as a process of its own: the parent imports this module for its types and constants.
const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain && process.send) clientMain();
