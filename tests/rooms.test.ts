// The room lifecycle under races, with a store whose every call has real
// latency: one live room per document whatever order unloads, failures,
// reloads and REST holders finish in; compaction never loses an update.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Rooms } from '../server/collab/rooms';
import { CONTENT_FIELD } from '../core/schema';
import { EditorDoc, gppStore, sleep, slowUpdates, storedXml, testPeer, type SlowUpdates, type TempStore } from './helpers/rooms';

const quiet = { compactEvery: 1_000_000, log: () => {} };

let temp: TempStore;
let updates: SlowUpdates;

beforeEach(async () => {
  temp = await gppStore();
  updates = slowUpdates(temp.store.updates);
});
afterEach(async () => {
  await temp.close();
});

async function initialState(): Promise<Uint8Array> {
  const stored = await temp.store.updates.load('gpp');
  return Y.mergeUpdates(stored.snapshot ? [stored.snapshot, ...stored.tail] : stored.tail);
}

describe('Rooms: one live room per document', () => {
  it('a failed room that finishes unloading late does not drop its successor (reproduction)', async () => {
    updates.delay.compact = 300;
    const rooms = new Rooms(updates, quiet);
    const editor = new EditorDoc(await initialState());

    // Room A: an editor joins, then storage fails on its next update.
    const a = await rooms.acquire('gpp');
    const first = testPeer('editor', 'first');
    a.room.join(first);
    a.release();
    updates.failAppends = true;
    a.room.receive(first, editor.type('zqlost '));
    await a.room.settled();
    expect(a.room.failed).toBe(true);
    expect(first.closed).toBe(1011);
    updates.failAppends = false;

    // The socket's close arrives: the failed room starts unloading (slow compaction)...
    a.room.leave(first);
    rooms.unloadIfIdle('gpp', a.room);

    // ...while the client reconnects and gets a fresh room B.
    const b = await rooms.acquire('gpp');
    expect(b.room).not.toBe(a.room);
    const second = testPeer('editor', 'second');
    b.room.join(second);
    b.release();

    // A's unload finishes late. B must still be the document's room.
    await sleep(500);
    const again = await rooms.acquire('gpp');
    expect(again.room).toBe(b.room);
    again.release();
    expect(rooms.size).toBe(1);

    // And B's edits are relayed and stored.
    const fresh = new EditorDoc(await storedState(updates));
    b.room.receive(second, fresh.type('zqkept '));
    await b.room.settled();
    expect((await storedXml(temp.store.updates, 'gpp')).includes('zqkept ')).toBe(true);
    b.room.leave(second);
    rooms.unloadIfIdle('gpp', b.room);
    await rooms.closeAll();
  });

  it('a closing room is never handed out; a newcomer gets a fresh room with every stored update', async () => {
    updates.delay.append = 30;
    const rooms = new Rooms(updates, quiet);
    const editor = new EditorDoc(await initialState());
    const a = await rooms.acquire('gpp');
    const peer = testPeer('editor');
    a.room.join(peer);
    a.release();
    a.room.receive(peer, editor.type('zqone '));
    a.room.receive(peer, editor.type('zqtwo '));
    a.room.leave(peer);
    rooms.unloadIfIdle('gpp', a.room);
    expect(rooms.stateOf('gpp')).toBe('closing');

    // A REST reader arrives while A's appends are still in flight.
    const text = await rooms.with('gpp', (room) => {
      expect(room).not.toBe(a.room);
      expect(room.closed).toBe(false);
      return room.doc.getXmlFragment(CONTENT_FIELD).toString();
    });
    expect(text.includes('zqtwo zqone ')).toBe(true);
    await sleep(100);
    expect(a.room.closed).toBe(true);
    await rooms.closeAll();
  });

  it('a REST holder keeps the room open through a peer leaving; the last release unloads it', async () => {
    const rooms = new Rooms(updates, quiet);
    const holder = await rooms.acquire('gpp');
    const peer = testPeer('editor');
    const joined = await rooms.acquire('gpp');
    joined.room.join(peer);
    joined.release();
    expect(joined.room).toBe(holder.room);
    joined.room.leave(peer);
    rooms.unloadIfIdle('gpp', joined.room);
    expect(rooms.stateOf('gpp')).toBe('open');
    holder.release();
    expect(rooms.stateOf('gpp')).toBe('closing');
    await sleep(150);
    expect(rooms.stateOf('gpp')).toBe('none');
    expect(holder.room.closed).toBe(true);
  });

  it('many concurrent acquires during load, unload and reload all get the same live room', async () => {
    updates.delay.load = 40;
    const rooms = new Rooms(updates, quiet);
    const seen = new Set<unknown>();
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        await sleep(i * 3);
        const { room, release } = await rooms.acquire('gpp');
        seen.add(room);
        expect(room.closed).toBe(false);
        await sleep(5);
        release();
      }),
    );
    // Some acquires may land after an unload: never two rooms at the same time.
    expect(rooms.size).toBeLessThanOrEqual(1);
    await sleep(150);
    expect(rooms.size).toBe(0);
    for (const room of seen) expect((room as { closed: boolean }).closed).toBe(true);
  });

  it('a load that fails is not cached: the next acquire tries again', async () => {
    const failing = { ...updates, load: async () => Promise.reject(new Error('store down')) };
    let fail = true;
    const rooms = new Rooms({ ...updates, load: (id: string) => (fail ? failing.load() : updates.load(id)) }, quiet);
    await expect(rooms.acquire('gpp')).rejects.toThrow('store down');
    expect(rooms.size).toBe(0);
    fail = false;
    const { room, release } = await rooms.acquire('gpp');
    expect(room.closed).toBe(false);
    release();
    await rooms.closeAll();
  });
});

describe('compaction is the store\'s, forward-only', () => {
  it('never deletes an update another room stored after the snapshot point (two coexisting rooms)', async () => {
    const store = temp.store.updates;
    const base = await initialState();
    const one = new EditorDoc(base);
    const two = new EditorDoc(base);
    // Two writers interleave; the first compacts up to what it saw.
    const u1 = capture(one.doc, () => one.type('zqalpha '));
    const u2 = capture(two.doc, () => two.type('zqbeta ', 1));
    const s1 = await store.append('gpp', u1);
    const s2 = await store.append('gpp', u2);
    expect(s2).toBeGreaterThan(s1);
    const r1 = await store.compact('gpp', s1);
    expect(r1.upto).toBe(s1);
    const xml = await storedXml(store, 'gpp');
    expect(xml.includes('zqalpha ')).toBe(true);
    expect(xml.includes('zqbeta ')).toBe(true);
    // Forward-only: an older point is a no-op, a newer one folds the rest.
    expect(await store.compact('gpp', s1 - 1)).toEqual({ upto: s1, folded: 0 });
    expect((await store.compact('gpp', s2)).folded).toBe(1);
    expect((await store.load('gpp')).tail).toHaveLength(0);
    expect(await storedXml(store, 'gpp')).toBe(xml);
  });

  it('compactions during a stream of slow appends lose nothing', async () => {
    updates.delay = { append: 3, load: 10, compact: 15 };
    const rooms = new Rooms(updates, { compactEvery: 7, log: () => {} });
    const editor = new EditorDoc(await initialState());
    const { room, release } = await rooms.acquire('gpp');
    const peer = testPeer('editor');
    const reader = testPeer('observer');
    room.join(peer);
    room.join(reader);
    release();
    for (let i = 0; i < 60; i++) {
      room.receive(peer, editor.type(`zqw${i} `, i % 3));
      if (i % 9 === 0) void room.compact();
      if (i % 10 === 0) await sleep(4);
    }
    await room.settled();
    await sleep(100);
    expect(updates.calls.compact).toBeGreaterThan(5);
    const live = room.doc.getXmlFragment(CONTENT_FIELD).toString();
    expect(live).toBe(editor.doc.getXmlFragment(CONTENT_FIELD).toString());
    expect(await storedXml(temp.store.updates, 'gpp')).toBe(live);
    room.leave(peer);
    room.leave(reader);
    rooms.unloadIfIdle('gpp', room);
    await sleep(100);
    expect(await storedXml(temp.store.updates, 'gpp')).toBe(live);
  });
});

function capture(doc: Y.Doc, change: () => void): Uint8Array {
  const before = Y.encodeStateVector(doc);
  change();
  return Y.encodeStateAsUpdate(doc, before);
}

async function storedState(repo: SlowUpdates): Promise<Uint8Array> {
  const stored = await repo.load('gpp');
  return Y.mergeUpdates(stored.snapshot ? [stored.snapshot, ...stored.tail] : stored.tail);
}

describe('Rooms: readers see what was received', () => {
  it('`with` runs after every edit received so far is applied and stored, even while it waits in a batch', async () => {
    const rooms = new Rooms(updates, quiet);
    const editor = new EditorDoc(await initialState());
    const { room, release } = await rooms.acquire('gpp');
    const writer = testPeer('editor', 'writer');
    room.join(writer);
    await room.settled();
    room.receive(writer, editor.type('zqreceivedbeforeread '));
    // Not yet applied: it waits for its batch.
    expect(room.doc.getXmlFragment(CONTENT_FIELD).toString()).not.toContain('zqreceivedbeforeread');
    const seen = await rooms.with('gpp', (r) => r.doc.getXmlFragment(CONTENT_FIELD).toString());
    expect(seen).toContain('zqreceivedbeforeread');
    expect(await storedXml(temp.store.updates, 'gpp')).toContain('zqreceivedbeforeread');
    room.leave(writer);
    release();
  });
});
