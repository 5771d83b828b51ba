import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { Room, type Peer } from '../server/collab/room';
import type { StoredUpdates, UpdateRepository } from '../server/store/types';
import type { Role } from '../core/api';

/** Storage that fails every append after the first `ok` ones: the room must then relay and persist nothing more. */
function flakyStorage(ok: number): UpdateRepository & { appended: number; compactions: number } {
  let appended = 0;
  return {
    appended: 0,
    compactions: 0,
    async append() {
      if (appended >= ok) throw new Error('disk full');
      this.appended = ++appended;
      return appended;
    },
    async load(): Promise<StoredUpdates> {
      return { snapshot: null, tail: [], upto: 0 };
    },
    async compact() {
      this.compactions++;
    },
  };
}

function peer(role: Role): Peer & { received: Uint8Array[]; closed: number | null } {
  return {
    user: { id: role, name: role, email: `${role}@x.org`, organization: 'O', stakeholderGroup: 'academia', role },
    received: [],
    closed: null,
    send(m) {
      this.received.push(m);
    },
    close(code) {
      this.closed = code;
    },
  };
}

function updateFrame(doc: Y.Doc, text: string): Uint8Array {
  const before = Y.encodeStateVector(doc);
  doc.getText('t').insert(0, text);
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(doc, before));
  return encoding.toUint8Array(encoder);
}

describe('Room', () => {
  it('relays only what was stored, and after a storage failure closes its peers and never compacts', async () => {
    const storage = flakyStorage(1);
    const room = await Room.load('d', storage, { compactEvery: 1000, log: () => {} });
    const writer = peer('editor');
    const reader = peer('observer');
    room.join(writer);
    room.join(reader);
    await room.settled();
    const initial = reader.received.length;
    const client = new Y.Doc();
    room.receive(writer, updateFrame(client, 'stored '));
    await room.settled();
    expect(reader.received.length).toBe(initial + 1);
    room.receive(writer, updateFrame(client, 'lost '));
    await room.settled();
    expect(reader.received.length).toBe(initial + 1);
    expect(reader.closed).toBe(1011);
    expect(writer.closed).toBe(1011);
    expect(room.failed).toBe(true);
    await room.compact();
    expect(storage.compactions).toBe(0);
  });

  it('refuses malformed frames by throwing, leaving the document untouched', async () => {
    const room = await Room.load('d', flakyStorage(10), { compactEvery: 1000, log: () => {} });
    const writer = peer('editor');
    room.join(writer);
    const before = Y.encodeStateAsUpdate(room.doc);
    expect(() => room.receive(writer, new Uint8Array([0, 2, 9, 1, 2, 3]))).toThrow();
    expect(() => room.receive(writer, new Uint8Array([77]))).toThrow();
    expect(Y.encodeStateAsUpdate(room.doc)).toEqual(before);
  });
});
