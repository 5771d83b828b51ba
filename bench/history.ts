// Continuous history (issue 15): 300 history points of the Good Practice
// Paper recorded by the real recorder (server/history/recorder.ts) from a
// real room while 100,000 keystrokes (typing and deleting across the paper)
// are stored and compacted as the server does. Storage of the points beside
// two naive baselines (a Markdown copy per point, a full Yjs state per
// point); rebuilding a point; and the live load time with 100,000 updates,
// with and without the points, beside the naive way to keep history (never
// compacting the update log).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import * as Y from 'yjs';
import { openSqliteStore, type SqliteStore } from '../server/store/sqlite';
import { Room } from '../server/collab/room';
import { HistoryRecorder } from '../server/history/recorder';
import { rebuildPoint } from '../server/history/delta';
import { initialState } from '../server/documents/state';
import { parseMarkdown, serializeMarkdown } from '../core/markdown';
import { readContent } from '../core/read-content';
import { CONTENT_FIELD, schema } from '../core/schema';
import type { HistoryPoint } from '../server/store/history-types';
import { ROOT } from '../tests/helpers/process';
import { median, mulberry32, quantile, round } from './stats';

type Figures = Record<string, number | string>;

// ACCORD_BENCH_HISTORY_SCALE=0.1 runs a tenth of it (a quick look; the figures are for the full run).
const SCALE = Number(process.env.ACCORD_BENCH_HISTORY_SCALE ?? 1);
const POINTS = Math.round(300 * SCALE);
const KEYSTROKES = Math.round(100_000 * SCALE);
const phase = (name: string, since: number): void => {
  if (process.env.ACCORD_BENCH_DEBUG) console.error(`[history] ${name}: ${Math.round(performance.now() - since)} ms`);
};
const COMPACT_EVERY = 500;
const MB = 1024 * 1024;
const NAIVE_ROWS = Math.min(10_000, KEYSTROKES);

/** Every paragraph's text of the document, to type into. */
function paragraphs(doc: Y.Doc): Y.XmlText[] {
  const out: Y.XmlText[] = [];
  const walk = (el: Y.XmlElement | Y.XmlFragment): void => {
    for (const child of el.toArray()) {
      if (child instanceof Y.XmlElement) {
        if (child.nodeName === 'paragraph') {
          const text = child.toArray().find((c) => c instanceof Y.XmlText);
          if (text instanceof Y.XmlText) out.push(text);
        } else walk(child);
      }
    }
  };
  walk(doc.getXmlFragment(CONTENT_FIELD));
  return out;
}

function markdownOf(doc: Y.Doc): string {
  return serializeMarkdown('Good Practice Paper', readContent(doc.getXmlFragment(CONTENT_FIELD), schema).doc);
}

async function timeLoads(store: SqliteStore, expected: string, runs = 7): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    const start = performance.now();
    const room = await Room.load('gpp', store.updates, { compactEvery: COMPACT_EVERY, log: () => {} });
    times.push(performance.now() - start);
    if (room.doc.getXmlFragment(CONTENT_FIELD).toString() !== expected) throw new Error('load differs');
    room.destroy();
  }
  return times;
}

/** How the keystrokes of one point are typed into a writer's copy (each keystroke is one update). */
type Typist = (w: Y.Doc, keystrokes: number, random: () => number) => void;

const WORDS = 'the coalition agrees on good practice for connected devices and their users in every region '.split(' ');

/** Three writers edit anywhere in the paper: words typed at a cursor that jumps now and then, 15% of keystrokes deleting. */
const anywhere: Typist = (w, keystrokes, random) => {
  const texts = paragraphs(w);
  let text = texts[Math.floor(random() * texts.length)]!;
  let at = Math.floor(random() * (text.length + 1));
  for (let k = 0; k < keystrokes; k++) {
    if (random() < 0.02) {
      text = texts[Math.floor(random() * texts.length)]!;
      at = Math.floor(random() * (text.length + 1));
    }
    if (random() < 0.15 && at > 0) {
      text.delete(at - 1, 1);
      at--;
    } else {
      const word = `${WORDS[Math.floor(random() * WORDS.length)]} `;
      text.insert(at, word[k % word.length]!);
      at++;
    }
  }
};

/** The collaboration section's load fixture: new paragraphs typed at the end of the paper, a new one every 2,000 keystrokes. */
let typedAtEnd = 0;
const atTheEnd: Typist = (w, keystrokes) => {
  const fragment = w.getXmlFragment(CONTENT_FIELD);
  const lastSection = fragment.get(fragment.length - 1) as Y.XmlElement;
  const keys = 'the coalition agrees on good practice for connected devices ';
  for (let k = 0; k < keystrokes; k++, typedAtEnd++) {
    let last = lastSection.get(lastSection.length - 1);
    if (typedAtEnd % 2000 === 0 || !(last instanceof Y.XmlElement) || last.nodeName !== 'paragraph') {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText()]);
      lastSection.insert(lastSection.length, [paragraph]);
      last = paragraph;
    }
    const text = (last as Y.XmlElement).get(0) as Y.XmlText;
    text.insert(text.length, keys[typedAtEnd % keys.length]!);
  }
};

export async function benchHistory(): Promise<Figures> {
  const figures: Figures = {};
  for (const [name, typist, writers] of [
    ['editing anywhere, 15% deletions, 3 writers', anywhere, 3],
    ['typing at the end (the collaboration section load fixture)', atTheEnd, 1],
  ] as const) {
    for (const [k, v] of Object.entries(await scenario(typist, writers))) figures[`${name}: ${k}`] = v;
  }
  return figures;
}

/** What the editing leaves: the live texts (checked by the loads and the last point) and what was measured along the way. */
interface Edited {
  expected: string;
  finalMarkdown: string;
  naiveExpected: string;
  markdownBytes: number[];
  stateBytes: number[];
  recordMs: number[];
}

/** The points as stored, read once the editing is over. */
interface Storage {
  points: HistoryPoint[];
  historyBytes: number;
  withStateVectors: number;
  bases: number;
}

async function scenario(typist: Typist, writerCount: number): Promise<Figures> {
  typedAtEnd = 0;
  const dir = mkdtempSync(join(tmpdir(), 'accord-history-bench-'));
  const store = openSqliteStore(join(dir, 'a.sqlite'), () => 'unsigned checkpoint (benchmark)');
  const naiveStore = openSqliteStore(join(dir, 'naive.sqlite'), () => 'unsigned checkpoint (benchmark)');
  try {
    const gpp = parseMarkdown(readFileSync(join(ROOT, 'documents', 'gpp.md'), 'utf8'));
    const initial = initialState(gpp.doc);
    await store.documents.create({ id: 'gpp', title: 'GPP' }, initial);
    await naiveStore.documents.create({ id: 'gpp', title: 'GPP' }, initial);

    const t0 = performance.now();
    const edited = await editAndRecord(store, naiveStore, initial, typist, writerCount, t0);
    phase('editing and recording', t0);
    const storage = await storageOf(store);
    const rebuildMs = await rebuildPoints(store, storage.points, edited.finalMarkdown);
    phase('rebuilding', t0);
    const loads = await timeLiveLoads(store, edited.expected);
    phase('loads', t0);

    // The naive way to keep every state: never compact the update log (each point = a position in it).
    // Merging grows faster than linearly with the rows: measured on the first NAIVE_ROWS and extrapolated linearly (a lower bound).
    const naiveStart = performance.now();
    await timeLoads(naiveStore, edited.naiveExpected, 1);
    const naiveLoad = performance.now() - naiveStart;
    phase('naive load', t0);
    return figuresOf(edited, storage, rebuildMs, loads, naiveLoad);
  } finally {
    await store.close();
    await naiveStore.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The naive store's update log: the first NAIVE_ROWS updates, never compacted, written 5,000 at a time, and the document they make. */
class NaiveLog {
  readonly doc = new Y.Doc();
  private rows: Uint8Array[] = [];
  private stored = 0;

  constructor(
    private readonly store: SqliteStore,
    initial: Uint8Array,
  ) {
    Y.applyUpdate(this.doc, initial);
  }

  add(batch: Uint8Array[]): void {
    for (const u of batch) {
      if (this.stored + this.rows.length >= NAIVE_ROWS) break;
      this.rows.push(u);
      Y.applyUpdate(this.doc, u);
    }
  }

  /** Writes what is waiting once more than 5,000 rows are, or whatever is waiting when `always`. */
  flush(always = false): void {
    if (!always && this.rows.length <= 5000) return;
    const rows = this.rows;
    this.rows = [];
    this.stored += rows.length;
    const insert = insertUpdate(this.store);
    this.store.transaction(() => rows.forEach((u) => insert.run('gpp', Buffer.from(u))));
  }
}

type InsertUpdate = Database.Statement<[string, Buffer]>;
const inserts = new WeakMap<SqliteStore, InsertUpdate>();

/** The statement appending an update row to a store, prepared once per store. */
function insertUpdate(store: SqliteStore): InsertUpdate {
  let insert = inserts.get(store);
  if (!insert) inserts.set(store, (insert = store.db.prepare<[string, Buffer]>('INSERT INTO updates (doc_id, data) VALUES (?, ?)')));
  return insert;
}

/** One point's keystrokes, typed by writer `w` once it has caught up with the room: the updates they made. */
function typePoint(w: Y.Doc, live: Y.Doc, typist: Typist, keystrokes: number, random: () => number): Uint8Array[] {
  const pending: Uint8Array[] = [];
  Y.applyUpdate(w, Y.encodeStateAsUpdate(live, Y.encodeStateVector(w)));
  const capture = (u: Uint8Array): void => void pending.push(u);
  w.on('update', capture);
  typist(w, keystrokes, random);
  w.off('update', capture);
  return pending;
}

/** As stored by the server: each update appended; every 500 folded into the snapshot. Returns the room's last sequence number. */
async function storeBatch(store: SqliteStore, room: Room, batch: Uint8Array[], seq: number, naive: NaiveLog): Promise<number> {
  const insert = insertUpdate(store);
  const seqs = store.transaction(() => batch.map((u) => Number(insert.run('gpp', Buffer.from(u)).lastInsertRowid)));
  naive.add(batch);
  for (const u of batch) room.applyStored('bench', u, ++seq, false);
  if (seqs.length && Math.floor(seqs[0]! / COMPACT_EVERY) !== Math.floor(seqs.at(-1)! / COMPACT_EVERY)) await store.updates.compact('gpp', seqs.at(-1)! - (seqs.at(-1)! % COMPACT_EVERY));
  naive.flush();
  return seq;
}

/** The keystrokes typed, stored and compacted point by point, a history point recorded (timed) after each. */
async function editAndRecord(store: SqliteStore, naiveStore: SqliteStore, initial: Uint8Array, typist: Typist, writerCount: number, t0: number): Promise<Edited> {
  // The room holds the live document; the recorder takes its points (its timers replaced by recordNow, every 1/300 of the edits).
  const recorder = new HistoryRecorder(store.history, () => {}, { pauseMs: 3_600_000, activityMs: 3_600_000 });
  const room = await Room.load('gpp', store.updates, { compactEvery: COMPACT_EVERY, log: () => {}, history: recorder });
  recorder.opened(room);
  await recorder.recordNow(room, null);

  const writers = Array.from({ length: writerCount }, () => {
    const d = new Y.Doc();
    Y.applyUpdate(d, initial);
    return d;
  });
  const random = mulberry32(15);
  const naive = new NaiveLog(naiveStore, initial);
  const markdownBytes: number[] = [];
  const stateBytes: number[] = [];
  const recordMs: number[] = [];
  const perPoint = Math.ceil(KEYSTROKES / POINTS);
  let keystrokes = 0;
  let seq = 1;
  for (let point = 1; point <= POINTS; point++) {
    const count = Math.min(perPoint, KEYSTROKES - keystrokes);
    const batch = typePoint(writers[point % writers.length]!, room.doc, typist, count, random);
    keystrokes += count;
    seq = await storeBatch(store, room, batch, seq, naive);
    if (point % 30 === 0) phase(`point ${point}`, t0);
    const start = performance.now();
    await recorder.recordNow(room, point % 60 === 0 ? point / 60 : null);
    recordMs.push(performance.now() - start);
    markdownBytes.push(Buffer.byteLength(markdownOf(room.doc), 'utf8'));
    stateBytes.push(Y.encodeStateAsUpdate(room.doc).byteLength);
  }
  naive.flush(true);
  const naiveExpected = naive.doc.getXmlFragment(CONTENT_FIELD).toString();
  await room.settled();
  const expected = room.doc.getXmlFragment(CONTENT_FIELD).toString();
  const finalMarkdown = markdownOf(room.doc);
  await recorder.retiring(room);
  room.destroy();
  return { expected, finalMarkdown, naiveExpected, markdownBytes, stateBytes, recordMs };
}

async function storageOf(store: SqliteStore): Promise<Storage> {
  const points = await store.history.list('gpp');
  const historyBytes = points.reduce((sum, p) => sum + p.bytes, 0);
  const withStateVectors = (store.db.prepare("SELECT sum(length(data) + length(state_vector) + length(accounts) + length(at)) AS n FROM history_points WHERE doc_id = 'gpp'").get() as { n: number }).n;
  const bases = points.filter((p) => p.base).length;
  return { points, historyBytes, withStateVectors, bases };
}

/** Rebuilding points, timed: every 10th, and the last (the text it holds must be the live one). */
async function rebuildPoints(store: SqliteStore, points: Storage['points'], finalMarkdown: string): Promise<number[]> {
  const rebuildMs: number[] = [];
  for (const p of points.filter((x) => x.number % 10 === 0 || x.number === points.length)) {
    const start = performance.now();
    const doc = rebuildPoint((await store.history.chain('gpp', p.number))!);
    const md = markdownOf(doc);
    rebuildMs.push(performance.now() - start);
    if (p.number === points.length && md !== finalMarkdown) throw new Error('the last point does not hold the live text');
  }
  return rebuildMs;
}

/** The live load, compacted as the server leaves it, with and without the points: medians, and the rows it reads. */
/** Medians of the live load with and without the history points beside the updates, and how many updates were stored. */
interface Loads {
  loadWith: number;
  loadWithout: number;
  storedUpdates: number;
}

async function timeLiveLoads(store: SqliteStore, expected: string): Promise<Loads> {
  await store.updates.compact('gpp', await store.updates.head('gpp'));
  const stored = await store.updates.load('gpp');
  const storedUpdates = (stored.snapshot ? 1 : 0) + stored.tail.length;
  // With and without the points, in turns (the table moved aside and back): the live load never reads them.
  await timeLoads(store, expected, 2); // warm-up
  const withRuns: number[] = [];
  const withoutRuns: number[] = [];
  for (let round = 0; round < 7; round++) {
    withRuns.push(...(await timeLoads(store, expected, 3)));
    store.db.exec('ALTER TABLE history_points RENAME TO history_points_aside');
    withoutRuns.push(...(await timeLoads(store, expected, 3)));
    store.db.exec('ALTER TABLE history_points_aside RENAME TO history_points');
  }
  if (process.env.ACCORD_BENCH_DEBUG) console.error(`[history] loads with ${withRuns.map(Math.round).join(' ')}; without ${withoutRuns.map(Math.round).join(' ')}`);
  return { loadWith: median(withRuns), loadWithout: median(withoutRuns), storedUpdates };
}

function figuresOf(edited: Edited, storage: Storage, rebuildMs: number[], loads: Loads, naiveLoad: number): Figures {
  const { points, bases, historyBytes, withStateVectors } = storage;
  const { loadWith, loadWithout, storedUpdates } = loads;
  const naiveMarkdown = edited.markdownBytes.reduce((a, b) => a + b, 0);
  const naiveStates = edited.stateBytes.reduce((a, b) => a + b, 0);
  return {
    [`history points recorded (${KEYSTROKES.toLocaleString('en')} keystrokes)`]: points.length,
    'of which full bases': bases,
    [`storage of ${points.length} points, deltas + bases (MB; target <= 10)`]: round(historyBytes / MB, 3),
    'storage with state vectors, accounts, times (MB)': round(withStateVectors / MB, 3),
    'per point, median delta (KB)': round(median(points.filter((p) => !p.base).map((p) => p.bytes)) / 1024, 2),
    'naive baseline: a Markdown copy per point (MB)': round(naiveMarkdown / MB, 2),
    'naive baseline: a full Yjs state per point (MB)': round(naiveStates / MB, 2),
    'recording a point (ms, median / p95)': `${round(median(edited.recordMs))} / ${round(quantile(edited.recordMs, 0.95))}`,
    'rebuilding a point and its Markdown (ms, median / max)': `${round(median(rebuildMs))} / ${round(Math.max(...rebuildMs))}`,
    [`live load with ${KEYSTROKES.toLocaleString('en')} updates stored (compacted to ${storedUpdates} row${storedUpdates === 1 ? '' : 's'}), with the points (ms, median of 21; target <= 200)`]: round(loadWith),
    'live load, same store without the points, in turns with the above (ms, median of 21)': round(loadWithout),
    [`naive baseline: history kept by never compacting, load of the first ${NAIVE_ROWS.toLocaleString('en')} update rows (ms)`]: round(naiveLoad),
    [`naive baseline: the same for all ${KEYSTROKES.toLocaleString('en')}, extrapolated linearly (ms, a lower bound)`]: round((naiveLoad * KEYSTROKES) / NAIVE_ROWS),
  };
}
