// Continuous history, below HTTP: a point's delta rebuilds exactly the text
// it was taken from (deletions included, with only the deletions since the
// point before); the recorder takes points after a pause and after minutes of
// activity from a real room, independent of compaction; its timers stop at
// close. The store's side (both SQLite and PostgreSQL) is in history-store.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deltaSince, rebuildPoint } from '../server/history/delta';
import type { TaskRunner } from '../server/workers/pool';
import { runTask } from '../server/workers/tasks';
import { HistoryRecorder } from '../server/history/recorder';
import { Room } from '../server/collab/room';
import { CONTENT_FIELD } from '../core/schema';
import { firstParagraphText, gppStore, sleep, testPeer, type TempStore } from './helpers/rooms';

/** A small deterministic random generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

describe('history deltas', () => {
  it('rebuild every point exactly from its base and the deltas after it, across deletions', () => {
    for (const seed of [1, 2, 3]) {
      const next = random(seed);
      const doc = new Y.Doc({ gc: true });
      const text = doc.getText('t');
      let updates: Uint8Array[] = [];
      doc.on('update', (update: Uint8Array) => updates.push(update));
      // Three writers' edits arrive as updates, as in a room.
      const writers = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
      const chain: Uint8Array[] = [Y.encodeStateAsUpdate(doc)];
      const expected: string[] = [text.toString()];
      let previous = Y.encodeStateVector(doc);
      for (let point = 0; point < 12; point++) {
        for (let edit = 0; edit < 30; edit++) {
          const w = writers[Math.floor(next() * writers.length)]!;
          Y.applyUpdate(w, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(w)));
          const before = Y.encodeStateVector(w);
          const t = w.getText('t');
          if (t.length > 10 && next() < 0.4) t.delete(Math.floor(next() * (t.length - 5)), 1 + Math.floor(next() * 4));
          else t.insert(Math.floor(next() * (t.length + 1)), `w${edit} `);
          Y.applyUpdate(doc, Y.encodeStateAsUpdate(w, before));
        }
        chain.push(deltaSince(doc, previous, updates));
        updates = [];
        previous = Y.encodeStateVector(doc);
        expected.push(text.toString());
      }
      for (let n = 0; n < chain.length; n++) {
        const rebuilt = rebuildPoint(chain.slice(0, n + 1));
        expect(rebuilt.getText('t').toString()).toBe(expected[n]);
      }
      // Only the changes since the point before: the last delta is smaller than one carrying the whole delete set.
      const whole = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(rebuildPoint(chain.slice(0, -1))));
      expect(chain.at(-1)!.byteLength).toBeLessThan(whole.byteLength);
    }
  });

  it('without the updates since the point before, carries the whole delete set (larger, still exact); no change, an empty delta', () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'one two three four');
    const base = Y.encodeStateAsUpdate(doc);
    const sv = Y.encodeStateVector(doc);
    doc.getText('t').delete(4, 4);
    const delta = deltaSince(doc, sv, null);
    expect(rebuildPoint([base, delta]).getText('t').toString()).toBe('one three four');
    expect(rebuildPoint([base, delta, deltaSince(doc, Y.encodeStateVector(doc), [])]).getText('t').toString()).toBe('one three four');
  });
});

describe('history recorder', () => {
  let temp: TempStore;
  const logs: string[] = [];
  beforeEach(async () => {
    temp = await gppStore();
  });
  afterEach(async () => {
    await temp.close();
  });

  const options = { compactEvery: 1000, log: (m: string) => logs.push(m) };
  const paragraph = (doc: Y.Doc) => firstParagraphText(doc).toString();
  const pointText = async (n: number) => {
    const chain = await temp.store.history.chain('gpp', n);
    const doc = rebuildPoint(chain!);
    return paragraph(doc);
  };
  const edit = (room: Room, change: (text: Y.XmlText) => void) => room.doc.transact(() => change(firstParagraphText(room.doc)), { kind: 'server', reason: 'test' });

  it('records a base when a document without points opens, then a delta after each pause, with who edited', async () => {
    const recorder = new HistoryRecorder(temp.store.history, options.log, { pauseMs: 60, activityMs: 10_000 });
    const room = await Room.load('gpp', temp.store.updates, { ...options, history: recorder });
    recorder.opened(room);
    await sleep(30);
    expect((await temp.store.history.list('gpp')).map((p) => p.base)).toEqual([true]);
    const original = paragraph(room.doc);

    edit(room, (t) => t.insert(0, 'First change. '));
    recorder.edited(room, ['alice']);
    await sleep(20);
    edit(room, (t) => t.delete(0, 6));
    recorder.edited(room, ['bob']);
    expect(await temp.store.history.list('gpp')).toHaveLength(1); // still typing: no point yet
    await sleep(150);
    const points = await temp.store.history.list('gpp');
    expect(points).toHaveLength(2);
    expect(points[1]).toMatchObject({ number: 2, base: false, accounts: ['alice', 'bob'], version: null });
    expect(points[1]!.bytes).toBeLessThan(points[0]!.bytes / 10);
    expect(await pointText(1)).toBe(original);
    expect(await pointText(2)).toBe(`change. ${original}`);

    // Compaction folds every update row away: the points do not need them.
    await room.settled();
    await room.compact();
    expect((await temp.store.updates.load('gpp')).tail).toHaveLength(0);
    expect(await pointText(2)).toBe(`change. ${original}`);

    // Nothing changed: no timer, no point.
    await sleep(150);
    expect(await temp.store.history.list('gpp')).toHaveLength(2);
    recorder.close();
    room.destroy();
  });

  it('merges the updates of long typing a chunk at a time, through the merge it is given, and the point is still exact', async () => {
    const merged: number[] = [];
    const run: TaskRunner = (task) => {
      if (task.kind === 'merge') merged.push(task.updates.length);
      return runTask(task);
    };
    const recorder = new HistoryRecorder(temp.store.history, options.log, { pauseMs: 60_000, activityMs: 60_000 }, run);
    const room = await Room.load('gpp', temp.store.updates, { ...options, history: recorder });
    recorder.opened(room);
    await sleep(30);
    const original = paragraph(room.doc);
    for (let i = 0; i < 2_500; i++) edit(room, (t) => t.insert(0, 'x'));
    edit(room, (t) => t.delete(0, 500));
    // Two chunks of 1,000 merged while typing (the event loop never merges everything since the newest point).
    expect(merged).toEqual([1_000, 1_000]);
    const point = await recorder.recordNow(room, null);
    // The point merges the two chunks and the 501 transactions after them.
    expect(merged).toEqual([1_000, 1_000, 503]);
    expect(point).toMatchObject({ number: 2, base: false });
    expect(await pointText(2)).toBe(`${'x'.repeat(2_000)}${original}`);
    recorder.close();
    room.destroy();
  });

  it('records during continuous activity, at the latest after the activity limit', async () => {
    const recorder = new HistoryRecorder(temp.store.history, options.log, { pauseMs: 80, activityMs: 200 });
    const room = await Room.load('gpp', temp.store.updates, { ...options, history: recorder });
    recorder.opened(room);
    await sleep(20);
    const started = Date.now();
    while (Date.now() - started < 450) {
      edit(room, (t) => t.insert(0, 'x'));
      await sleep(20); // never a pause of 80 ms
    }
    const points = await temp.store.history.list('gpp');
    expect(points.length).toBeGreaterThanOrEqual(2); // the base, and one or two after 200 ms of activity each
    recorder.close();
    room.destroy();
  });

  it('records the last changes when the room retires, a point per freeze and a visit when an account leaves; nothing after close', async () => {
    const recorder = new HistoryRecorder(temp.store.history, options.log, { pauseMs: 60_000, activityMs: 60_000 });
    const room = await Room.load('gpp', temp.store.updates, { ...options, history: recorder });
    recorder.opened(room);
    await sleep(20); // the first point (a base) of the text as loaded
    const reader = testPeer('observer', 'reader-1');
    room.join(reader);
    edit(room, (t) => t.insert(0, 'Before the freeze. '));
    const frozen = await recorder.recordNow(room, 1);
    expect(frozen).toMatchObject({ number: 2, version: 1 });
    // Frozen again without a change: the same point carries the version when it had none, else a new empty step.
    expect(await recorder.recordNow(room, 2)).toMatchObject({ number: 3, version: 2 });
    edit(room, (t) => t.insert(0, 'After. '));
    room.leave(reader);
    await sleep(50);
    const visit = await temp.store.history.lastVisit('gpp', 'reader-1');
    expect(visit?.point).toBe(4);
    expect(await pointText(4)).toMatch(/^After\. Before the freeze\. /);
    edit(room, (t) => t.insert(0, 'Unrecorded. '));
    await recorder.retiring(room);
    expect((await temp.store.history.list('gpp')).map((p) => p.number)).toEqual([1, 2, 3, 4, 5]);
    expect(await pointText(5)).toMatch(/^Unrecorded\. After\./);

    // A closed recorder arms no timer and records nothing.
    const second = new HistoryRecorder(temp.store.history, options.log, { pauseMs: 20, activityMs: 20 });
    second.opened(room);
    await sleep(20);
    second.close();
    edit(room, (t) => t.insert(0, 'Late. '));
    await sleep(80);
    expect(await temp.store.history.list('gpp')).toHaveLength(5);
    room.destroy();
  });

  it('takes the deltas of a reopened room against the points recorded before', async () => {
    const recorder = new HistoryRecorder(temp.store.history, options.log, { pauseMs: 60_000, activityMs: 60_000 });
    const first = await Room.load('gpp', temp.store.updates, { ...options, history: recorder });
    recorder.opened(first);
    await sleep(20);
    edit(first, (t) => t.insert(0, 'One. '));
    await recorder.retiring(first);
    first.destroy();
    // Changes the recorder never saw (a process stopped before its point): the next room records them with the whole delete set.
    const untracked = await Room.load('gpp', temp.store.updates, options);
    edit(untracked, (t) => t.delete(0, 5));
    await untracked.settled();
    untracked.destroy();
    const second = await Room.load('gpp', temp.store.updates, { ...options, history: recorder });
    recorder.opened(second);
    await sleep(20);
    edit(second, (t) => t.insert(0, 'Two. '));
    await recorder.retiring(second);
    second.destroy();
    const points = await temp.store.history.list('gpp');
    expect(points.map((p) => p.base)).toEqual([true, false, false]);
    const doc = rebuildPoint((await temp.store.history.chain('gpp', 3))!);
    expect(paragraph(doc)).toMatch(/^Two\. /);
    expect(paragraph(doc)).not.toMatch(/One\./);
    expect(doc.getXmlFragment(CONTENT_FIELD).length).toBeGreaterThan(3);
  });
});
