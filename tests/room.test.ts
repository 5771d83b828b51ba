// One room in isolation: storage failure, malformed frames, the schema gate's
// place on the path of an edit, and bounded presence.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { Room, MESSAGE_AUTH, MESSAGE_AWARENESS, batchWindowMs } from '../server/collab/room';
import { DEFAULT_COLLAB_LIMITS } from '../server/collab/limits';
import { encodePresenceUpdate, type PresenceEntry } from '../server/collab/presence';
import { CONTENT_FIELD } from '../core/schema';
import { EditorDoc, firstParagraphText, gppStore, sleep, slowUpdates, storedXml, testPeer, type TempStore, type TestPeer } from './helpers/rooms';
import type { BusSubscription, DocumentBus } from '../server/collab/bus';
import type { UpdateRepository } from '../server/store/types';
import { syncStep1Frame } from './helpers/y-frames';

let temp: TempStore;
beforeEach(async () => {
  temp = await gppStore();
});
afterEach(async () => {
  await temp.close();
});

const options = { compactEvery: 1000, log: () => {} };

async function openRoom(limits = DEFAULT_COLLAB_LIMITS): Promise<{ room: Room; editor: EditorDoc }> {
  const room = await Room.load('gpp', temp.store.updates, { ...options, limits });
  return { room, editor: new EditorDoc(Y.encodeStateAsUpdate(room.doc)) };
}

function kinds(peer: TestPeer): number[] {
  return peer.received.map((m) => decoding.readVarUint(decoding.createDecoder(m)));
}

function denials(peer: TestPeer): string[] {
  return peer.received
    .filter((m) => m[0] === MESSAGE_AUTH)
    .map((m) => {
      const d = decoding.createDecoder(m);
      decoding.readVarUint(d);
      decoding.readVarUint(d);
      return decoding.readVarString(d);
    });
}

function presenceFrame(entries: PresenceEntry[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(e, encodePresenceUpdate(entries));
  return encoding.toUint8Array(e);
}

/** A room with `count` editors (each with its own replica) and one observer, all synced; what each has received so far. */
async function authorsAndWatcher(count: number) {
  const { room } = await openRoom();
  const state = Y.encodeStateAsUpdate(room.doc);
  const authors = Array.from({ length: count }, (_, i) => ({ peer: testPeer('editor', `author${i}`), doc: new EditorDoc(state) }));
  const watcher = testPeer('observer', 'watcher');
  for (const a of authors) room.join(a.peer);
  room.join(watcher);
  await room.settled();
  const seqBefore = (await temp.store.updates.load('gpp')).tail.length;
  const base = new Map([...authors.map((a) => a.peer), watcher].map((p) => [p, p.received.length]));
  return { room, state, authors, watcher, seqBefore, base };
}

describe('Room: storage', () => {
  it('relays only what was stored; after a storage failure it closes its peers, accepts nothing more, and a compaction folds only stored updates', async () => {
    const slow = slowUpdates(temp.store.updates, { append: 1, load: 1, compact: 1 });
    const room = await Room.load('gpp', slow, options);
    const editor = new EditorDoc(Y.encodeStateAsUpdate(room.doc));
    const writer = testPeer('editor');
    const reader = testPeer('observer');
    room.join(writer);
    room.join(reader);
    await room.settled();
    const initial = reader.received.length;
    room.receive(writer, editor.type('zqstored '));
    await room.settled();
    expect(reader.received.length).toBe(initial + 1);
    slow.failAppends = true;
    room.receive(writer, editor.type('zqlost '));
    await room.settled();
    expect(reader.received.length).toBe(initial + 1);
    expect(reader.closed).toBe(1011);
    expect(writer.closed).toBe(1011);
    expect(room.failed).toBe(true);
    slow.failAppends = false;
    room.receive(writer, editor.type('zqafter '));
    await room.settled();
    expect(reader.received.length).toBe(initial + 1);
    await room.compact();
    const stored = await storedXml(temp.store.updates, 'gpp');
    expect(stored.includes('zqstored ')).toBe(true);
    expect(stored.includes('zqlost ')).toBe(false);
    expect(stored.includes('zqafter ')).toBe(false);
    room.destroy();
  });

  it('refuses malformed frames by throwing, leaving the document untouched', async () => {
    const { room } = await openRoom();
    const writer = testPeer('editor');
    room.join(writer);
    const before = Y.encodeStateAsUpdate(room.doc);
    expect(() => room.receive(writer, new Uint8Array([0, 2, 9, 1, 2, 3]))).toThrow();
    expect(() => room.receive(writer, new Uint8Array([77]))).toThrow();
    expect(() => room.receive(writer, new Uint8Array([0, 0, 5, 200, 200]))).toThrow();
    expect(() => room.receive(writer, new Uint8Array([1, 3, 1, 1]))).toThrow();
    expect(Y.encodeStateAsUpdate(room.doc)).toEqual(before);
    room.destroy();
  });

  it('ignores every frame after it was destroyed (late events of a dropped room)', async () => {
    const { room, editor } = await openRoom();
    const writer = testPeer('editor');
    room.join(writer);
    room.destroy();
    expect(() => room.receive(writer, editor.type('zqlate '))).not.toThrow();
    room.leave(writer);
    expect((await storedXml(temp.store.updates, 'gpp')).includes('zqlate ')).toBe(false);
  });
});

describe('Room: the schema gate on the path of an edit', () => {
  it('an editor update the schema cannot hold is refused whole: not applied, not stored, not relayed; the sender is told', async () => {
    const { room, editor } = await openRoom();
    const writer = testPeer('editor');
    const other = testPeer('editor', 'other');
    room.join(writer);
    room.join(other);
    await room.settled();
    const before = Y.encodeStateVector(room.doc);
    const seen = other.received.length;
    const hostile = [
      editor.frame((d) => d.getXmlFragment(CONTENT_FIELD).insert(0, [new Y.XmlText('top-level text')])),
      new EditorDoc(Y.encodeStateAsUpdate(room.doc)).frame((d) => d.getXmlFragment(CONTENT_FIELD).insert(0, [new Y.XmlElement('paragraph')])),
      new EditorDoc(Y.encodeStateAsUpdate(room.doc)).frame((d) => d.getText('elsewhere').insert(0, 'x')),
    ];
    for (const frame of hostile) room.receive(writer, frame);
    await room.settled();
    expect(Y.encodeStateVector(room.doc)).toEqual(before);
    expect(other.received.length).toBe(seen);
    expect(denials(writer)).toHaveLength(3);
    expect(denials(writer).every((r) => r.startsWith('update refused'))).toBe(true);
    expect((await storedXml(temp.store.updates, 'gpp')).includes('top-level text')).toBe(false);
    // A valid edit from a fresh client still goes through.
    room.receive(other, new EditorDoc(Y.encodeStateAsUpdate(room.doc)).type('zqvalid '));
    await room.settled();
    expect((await storedXml(temp.store.updates, 'gpp')).includes('zqvalid ')).toBe(true);
    room.destroy();
  });
});

describe('Room: bounded presence', () => {
  const state = (extra: Record<string, unknown> = {}) => ({ user: { name: 'claimed', color: '#123456' }, ...extra });

  it('relays a small state, stamped with the account, to everyone including observers', async () => {
    const { room } = await openRoom();
    const observer = testPeer('observer', 'obs');
    const editor = testPeer('editor', 'ed');
    room.join(observer);
    room.join(editor);
    room.receive(observer, presenceFrame([{ clientId: 7, clock: 1, state: state() }]));
    const got = room.awareness.getStates().get(7) as { user: { id: string; name: string; color: string } };
    expect(got.user).toMatchObject({ id: 'obs', name: 'obs', color: '#123456' });
    await sleep(10); // presence is relayed in batches, the first one after a quiet spell at once
    expect(kinds(editor)).toContain(MESSAGE_AWARENESS);
    room.destroy();
  });

  it('drops a state over the size cap', async () => {
    const { room } = await openRoom();
    const peer = testPeer('observer');
    room.join(peer);
    room.receive(peer, presenceFrame([{ clientId: 8, clock: 1, state: state({ junk: 'x'.repeat(5000) }) }]));
    expect(room.awareness.getStates().has(8)).toBe(false);
    room.destroy();
  });

  it("refuses states for another connection's client id, and removal of it", async () => {
    const { room } = await openRoom();
    const alice = testPeer('editor', 'alice');
    const mallory = testPeer('observer', 'mallory');
    room.join(alice);
    room.join(mallory);
    room.receive(alice, presenceFrame([{ clientId: 10, clock: 1, state: state() }]));
    room.receive(mallory, presenceFrame([{ clientId: 10, clock: 2, state: state({ cursor: null }) }]));
    room.receive(mallory, presenceFrame([{ clientId: 10, clock: 3, state: null }]));
    const got = room.awareness.getStates().get(10) as { user: { id: string } };
    expect(got.user.id).toBe('alice');
    room.destroy();
  });

  it('limits the client ids one connection may introduce', async () => {
    const { room } = await openRoom();
    const peer = testPeer('observer');
    room.join(peer);
    const many = Array.from({ length: 20 }, (_, i) => ({ clientId: 100 + i, clock: 1, state: state() }));
    room.receive(peer, presenceFrame(many));
    expect(room.awareness.getStates().size).toBe(DEFAULT_COLLAB_LIMITS.maxPresenceClients);
    room.destroy();
  });

  it('strips a cursor other clients could not resolve, keeps a valid one', async () => {
    const { room } = await openRoom();
    const peer = testPeer('observer');
    room.join(peer);
    room.receive(peer, presenceFrame([{ clientId: 11, clock: 1, state: state({ cursor: { anchor: null, head: null } }) }]));
    expect(room.awareness.getStates().get(11)).not.toHaveProperty('cursor');
    const rel = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(room.doc.getXmlFragment(CONTENT_FIELD), 0));
    room.receive(peer, presenceFrame([{ clientId: 11, clock: 2, state: state({ cursor: { anchor: rel, head: rel } }) }]));
    expect(room.awareness.getStates().get(11)).toHaveProperty('cursor');
    room.destroy();
  });

  it('coalesces presence over the rate to the latest state, applied when the rate allows', async () => {
    const { room } = await openRoom({ ...DEFAULT_COLLAB_LIMITS, presencePerSecond: 10 });
    const peer = testPeer('editor');
    const watcher = testPeer('observer', 'watcher');
    room.join(peer);
    room.join(watcher);
    await room.settled();
    const base = watcher.received.length;
    for (let clock = 1; clock <= 200; clock++) room.receive(peer, presenceFrame([{ clientId: 12, clock, state: state({ n: clock }) }]));
    const relayedAtOnce = watcher.received.length - base;
    expect(relayedAtOnce).toBeLessThanOrEqual(10);
    await sleep(250);
    expect((room.awareness.getStates().get(12) as { n: number }).n).toBe(200);
    expect(watcher.received.length - base).toBeLessThanOrEqual(14);
    room.destroy();
  });

  it('removes the presence of a connection that leaves', async () => {
    const { room } = await openRoom();
    const peer = testPeer('stakeholder');
    room.join(peer);
    room.receive(peer, presenceFrame([{ clientId: 13, clock: 1, state: state() }]));
    expect(room.awareness.getStates().has(13)).toBe(true);
    room.leave(peer);
    expect(room.awareness.getStates().has(13)).toBe(false);
    room.destroy();
  });
});


describe('Room: coalesced fan-out', () => {
  it('the batch window: none up to 100 connections, then twice the cost of relaying, at most 40 ms', () => {
    expect(batchWindowMs(50, 30)).toBe(0);
    expect(batchWindowMs(100, 30)).toBe(0);
    expect(batchWindowMs(500, 0)).toBe(0);
    expect(batchWindowMs(500, 7.5)).toBe(15);
    expect(batchWindowMs(1000, 35)).toBe(40);
  });

  it('with a bus, a process sends at most about 10 frames a millisecond: the window is at least connections / 10 ms, still at most 40 ms', () => {
    expect(batchWindowMs(100, 3, true)).toBe(0);
    expect(batchWindowMs(250, 3, true)).toBe(25);
    expect(batchWindowMs(250, 15, true)).toBe(30);
    expect(batchWindowMs(500, 3, true)).toBe(40);
    expect(batchWindowMs(250, 3, false)).toBe(6);
  });

  it('updates arriving together are stored as one and relayed as one frame per peer, never echoing a peer its own', async () => {
    const { room, state, authors, watcher, seqBefore, base } = await authorsAndWatcher(5);
    authors.forEach((a, i) => room.receive(a.peer, a.doc.type(`zqauthor${i} `, i)));
    await room.settled();
    expect((await temp.store.updates.load('gpp')).tail.length - seqBefore).toBe(1);
    const frames = (p: TestPeer) => p.received.slice(base.get(p)!).filter((m) => m[0] === 0);
    expect(frames(watcher)).toHaveLength(1);
    const applied = new Y.Doc();
    Y.applyUpdate(applied, state);
    const payload = (m: Uint8Array) => {
      const d = decoding.createDecoder(m);
      decoding.readVarUint(d);
      decoding.readVarUint(d);
      return decoding.readVarUint8Array(d);
    };
    Y.applyUpdate(applied, payload(frames(watcher)[0]!));
    expect(applied.getXmlFragment(CONTENT_FIELD).toString()).toBe(room.doc.getXmlFragment(CONTENT_FIELD).toString());
    authors.forEach((a, i) => {
      const got = frames(a.peer);
      expect(got).toHaveLength(1);
      const text = new TextDecoder().decode(payload(got[0]!));
      expect(text.includes(`zqauthor${i} `)).toBe(false);
      for (let j = 0; j < authors.length; j++) if (j !== i) expect(text.includes(`zqauthor${j} `)).toBe(true);
    });
    room.destroy();
  });

  it('thirty authors in one batch: applied together (one document update), one stored update, no one gets its own text back, everyone converges', async () => {
    const { room, authors, watcher, seqBefore, base } = await authorsAndWatcher(30);
    let docUpdates = 0;
    room.doc.on('update', () => docUpdates++);
    // Each author types twice before the batch goes out: the second update depends on the first.
    authors.forEach((a, i) => {
      room.receive(a.peer, a.doc.type(`zqmany${i}a `, i % 5));
      room.receive(a.peer, a.doc.type(`zqmany${i}b `, i % 5));
    });
    await room.settled();
    expect(docUpdates).toBe(1);
    expect((await temp.store.updates.load('gpp')).tail.length - seqBefore).toBe(1);
    const payloads = (p: TestPeer) =>
      p.received.slice(base.get(p)!).filter((m) => m[0] === 0).map((m) => {
        const d = decoding.createDecoder(m);
        decoding.readVarUint(d);
        decoding.readVarUint(d);
        return decoding.readVarUint8Array(d);
      });
    expect(payloads(watcher)).toHaveLength(1);
    const expected = room.doc.getXmlFragment(CONTENT_FIELD).toString();
    authors.forEach((a, i) => {
      const got = payloads(a.peer);
      expect(got.length).toBeGreaterThanOrEqual(1);
      expect(got.length).toBeLessThanOrEqual(2);
      const text = got.map((u) => new TextDecoder().decode(u)).join('');
      expect(text.includes(`zqmany${i}a `) || text.includes(`zqmany${i}b `)).toBe(false);
      for (const u of got) Y.applyUpdate(a.doc.doc, u);
      expect(a.doc.doc.getXmlFragment(CONTENT_FIELD).toString()).toBe(expected);
    });
    room.destroy();
  });

  it('a slow reader gets what it missed as one merged update once it catches up', async () => {
    const { room, editor } = await openRoom();
    const writer = testPeer('editor', 'writer');
    const slow = testPeer('observer', 'slow');
    let buffered = 10 * 1024 * 1024;
    slow.bufferedAmount = () => buffered;
    room.join(writer);
    room.join(slow);
    await room.settled();
    const base = slow.received.length;
    for (let i = 0; i < 20; i++) {
      room.receive(writer, editor.type(`zqslow${i} `));
      await room.settled();
    }
    expect(slow.received.length).toBe(base);
    buffered = 0;
    await sleep(80);
    const got = slow.received.slice(base).filter((m) => m[0] === 0);
    expect(got).toHaveLength(1);
    expect(slow.closed).toBeNull();
    room.destroy();
  });

  it('a reader whose backlog passes the limit is disconnected', async () => {
    const { room, editor } = await openRoom({ ...DEFAULT_COLLAB_LIMITS, maxBufferedBytes: 2000 });
    const writer = testPeer('editor', 'writer');
    const slow = testPeer('observer', 'slow');
    slow.bufferedAmount = () => 10 * 1024 * 1024;
    room.join(writer);
    room.join(slow);
    for (let i = 0; i < 40; i++) {
      room.receive(writer, editor.type(`zqlong-enough-to-fill-a-backlog-${i} `));
      await room.settled();
    }
    expect(slow.closed).toBe(1008);
    expect(writer.closed).toBeNull();
    room.destroy();
  });
});

describe('Room: nothing leaves before it is stored', () => {
  it('a client that asks for the document (or all presence) again and again without reading gets one answer, once it reads again', async () => {
    const { room, editor } = await openRoom();
    const writer = testPeer('editor', 'writer');
    const greedy = testPeer('observer', 'greedy');
    let buffered = 0;
    greedy.bufferedAmount = () => buffered;
    room.join(writer);
    room.join(greedy);
    await room.settled();
    buffered = 10 * 1024 * 1024; // it stopped reading
    const base = greedy.received.length;
    const ask = syncStep1Frame();
    for (let i = 0; i < 40; i++) {
      room.receive(greedy, ask);
      room.receive(greedy, Uint8Array.of(3)); // query awareness
    }
    room.receive(writer, editor.type('zqwhileaway '));
    await room.settled();
    await sleep(60);
    expect(greedy.received.length).toBe(base); // nothing queued for it, however often it asked
    buffered = 0;
    await sleep(80);
    await room.settled();
    const got = greedy.received.slice(base);
    const step2s = got.filter((m) => m[0] === 0 && m[1] === 1);
    expect(step2s).toHaveLength(1); // one full answer, not forty
    expect(got.filter((m) => m[0] === MESSAGE_AWARENESS).length).toBeLessThanOrEqual(1);
    const replica = new Y.Doc();
    for (const m of got.filter((f) => f[0] === 0)) {
      const d = decoding.createDecoder(m);
      decoding.readVarUint(d);
      decoding.readVarUint(d);
      Y.applyUpdate(replica, decoding.readVarUint8Array(d));
    }
    expect(replica.getXmlFragment(CONTENT_FIELD).toString()).toBe(room.doc.getXmlFragment(CONTENT_FIELD).toString());
    room.destroy();
  });

  it('a sync step 2 that carries a waiting batch is sent only after that batch is stored', async () => {
    const slow = slowUpdates(temp.store.updates, { append: 40, load: 1, compact: 1 });
    const room = await Room.load('gpp', slow, options);
    const editor = new EditorDoc(Y.encodeStateAsUpdate(room.doc));
    const writer = testPeer('editor', 'writer');
    const reader = testPeer('observer', 'reader');
    room.join(writer);
    room.join(reader);
    await room.settled();
    room.receive(writer, editor.type('zqbeforestore '));
    const base = reader.received.length;
    room.receive(reader, syncStep1Frame());
    await sleep(10);
    expect(reader.received.length).toBe(base); // the append takes 40 ms: nothing sent yet
    await room.settled();
    expect(reader.received.some((m, i) => i >= base && m[0] === 0 && m[1] === 1)).toBe(true);
    expect((await storedXml(temp.store.updates, 'gpp')).includes('zqbeforestore ')).toBe(true);
    room.destroy();
  });
});

describe('Room on a bus', () => {
  const quietBus = (): DocumentBus => ({ publish: () => {}, subscribe: async () => () => {}, ping: async () => {}, close: async () => {} });
  /** Timers and performance.now() under the test's hand (the batch window and compaction read the clock). */
  const FAKE_CLOCK: Parameters<typeof vi.useFakeTimers>[0] = { toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'setInterval', 'clearInterval', 'performance'] };

  it('catching up from the store decodes only the rows it has not applied: its own appends and the bus\'s messages are skipped', async () => {
    // The rows it must skip are read back as bytes that cannot be decoded: decoding one fails the catch-up.
    const garbled = new Set<number>();
    const inner = temp.store.updates;
    const updates: UpdateRepository = Object.assign(Object.create(inner) as UpdateRepository, {
      since: async (docId: string, after: number) => {
        const stored = await inner.since(docId, after);
        return { ...stored, tail: stored.tail.map((u, i) => (garbled.has(stored.tailSeqs[i]!) ? new Uint8Array([255, 255, 255]) : u)) };
      },
    });
    const room = await Room.load('gpp', updates, { ...options, bus: quietBus(), catchUpEveryMs: 600_000 });
    const editor = new EditorDoc(Y.encodeStateAsUpdate(room.doc));
    const writer = testPeer('editor');
    room.join(writer);
    room.receive(writer, editor.type('zqown '));
    await room.settled();
    garbled.add(await inner.head('gpp'));
    // Another process's update, stored and received on the bus; and one stored whose message was lost.
    const other = new EditorDoc(Y.encodeStateAsUpdate(room.doc));
    const viaBus = other.typedUpdate('zqbus ', 1);
    const busSeq = await temp.store.updates.append('gpp', viaBus);
    garbled.add(busSeq);
    room.applyStored('another process', viaBus, busSeq, false);
    const lost = other.typedUpdate('zqlost ', 2);
    await temp.store.updates.append('gpp', lost);
    const caughtUp: Uint8Array[] = [];
    room.doc.on('update', (u: Uint8Array, origin: unknown) => {
      if ((origin as { reason?: string } | null)?.reason === 'catch-up') caughtUp.push(u);
    });
    await room.catchUp();
    // Only the lost update was read back in: what the catch-up applied holds it and nothing else.
    expect(caughtUp).toHaveLength(1);
    const text = Buffer.from(caughtUp[0]!).toString('latin1');
    expect(text).toContain('zqlost');
    expect(text).not.toContain('zqbus');
    expect(text).not.toContain('zqown');
    expect(firstParagraphText(room.doc, 2).toString()).toContain('zqlost');
    room.destroy();
  });

  it('compacts in the background only what was stored at least 10 s ago, so other processes catch up from rows, not the snapshot', async () => {
    vi.useFakeTimers(FAKE_CLOCK);
    try {
      await vi.advanceTimersByTimeAsync(100);
      const room = await Room.load('gpp', temp.store.updates, { ...options, compactEvery: 2, bus: quietBus(), catchUpEveryMs: 600_000 });
      const editor = new EditorDoc(Y.encodeStateAsUpdate(room.doc));
      const writer = testPeer('editor');
      room.join(writer);
      const type = async (text: string) => {
        room.receive(writer, editor.type(text));
        await vi.advanceTimersByTimeAsync(1);
        await room.settled();
      };
      const before = (await temp.store.updates.load('gpp')).tail.length;
      for (let i = 0; i < 4; i++) await type(`early${i} `);
      const early = await temp.store.updates.head('gpp');
      await vi.advanceTimersByTimeAsync(5_000);
      for (let i = 0; i < 4; i++) await type(`middle${i} `);
      // Nothing is 10 s old yet: nothing folded.
      expect((await temp.store.updates.load('gpp')).tail.length).toBe(before + 8);
      await vi.advanceTimersByTimeAsync(6_000);
      for (let i = 0; i < 2; i++) await type(`late${i} `);
      await vi.advanceTimersByTimeAsync(1);
      const stored = await temp.store.updates.load('gpp');
      // The early batches are folded into the snapshot; the middle and late ones are still rows.
      expect(stored.upto).toBeGreaterThanOrEqual(early);
      expect(stored.tail.length).toBe(6);
      room.destroy();
    } finally {
      vi.useRealTimers();
    }
  });

  it('an update another process stored waits here at most half a batch window, and goes out in one frame with the local batch', async () => {
    const subscriptions: BusSubscription[] = [];
    const bus: DocumentBus = {
      ...quietBus(),
      subscribe: async (_docId, subscription) => {
        subscriptions.push(subscription);
        return () => {};
      },
    };
    vi.useFakeTimers(FAKE_CLOCK);
    try {
      const room = await Room.load('gpp', temp.store.updates, { ...options, bus, catchUpEveryMs: 60_000 });
      const state = Y.encodeStateAsUpdate(room.doc);
      const author = testPeer('editor', 'author');
      const editor = new EditorDoc(state);
      // 401 connections: the window is 40 ms (at least connections / 10 ms on a bus, at most 40).
      const readers = Array.from({ length: 400 }, (_, i) => testPeer('observer', `reader${i}`));
      room.join(author);
      for (const r of readers) room.join(r);
      await vi.advanceTimersByTimeAsync(100); // a quiet spell (the fake clock starts at 0)
      const reader = readers[0]!;
      const carried = (from: number) => reader.received.slice(from).filter((m) => m[0] === 0 && m[1] === 2).map((m) => Buffer.from(m).toString('latin1'));

      // After a quiet spell the first batch goes out at once, and the window starts.
      room.receive(author, editor.type('zqfirst '));
      await vi.advanceTimersByTimeAsync(1);
      expect(carried(0).some((f) => f.includes('zqfirst'))).toBe(true);
      const base = reader.received.length;
      // A local update waits for the window; 5 ms in, another process's stored update arrives.
      room.receive(author, editor.type('zqlocal '));
      await vi.advanceTimersByTimeAsync(4);
      const update = new EditorDoc(state).typedUpdate('zqremote ', 1);
      const seq = await temp.store.updates.append('gpp', update);
      subscriptions[0]!.onMessage({ kind: 'update', seq, update });
      // It waits at most half a window (20 ms), not to the end of this one (40 ms).
      await vi.advanceTimersByTimeAsync(18);
      expect(carried(base)).toEqual([]);
      await vi.advanceTimersByTimeAsync(4);
      const frames = carried(base);
      expect(frames).toHaveLength(1);
      expect(frames[0]).toContain('zqlocal');
      expect(frames[0]).toContain('zqremote');
      room.destroy();
    } finally {
      vi.useRealTimers();
    }
  });
});
