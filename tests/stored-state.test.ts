// The stored text read back (server/store/stored-state.ts): the snapshot
// first, then the tail; one part kept as it is, several merged, none null.
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { storedParts, storedState } from '../server/store/stored-state';

function typed(doc: Y.Doc, text: string): Uint8Array {
  const before = Y.encodeStateVector(doc);
  doc.getText('t').insert(doc.getText('t').length, text);
  return Y.encodeStateAsUpdate(doc, before);
}

describe('stored state', () => {
  it('reads the snapshot before the tail, and nothing as null', () => {
    const [a, b, c] = [new Uint8Array([1]), new Uint8Array([2]), new Uint8Array([3])];
    expect(storedParts({ snapshot: a, tail: [b, c] })).toEqual([a, b, c]);
    expect(storedParts({ snapshot: null, tail: [b] })).toEqual([b]);
    expect(storedState({ snapshot: null, tail: [] })).toBeNull();
  });

  it('keeps a single part as it is and merges several into the same text', () => {
    const doc = new Y.Doc();
    const snapshot = typed(doc, 'one ');
    expect(storedState({ snapshot, tail: [] })).toBe(snapshot);
    const tail = [typed(doc, 'two '), typed(doc, 'three')];
    const merged = storedState({ snapshot, tail })!;
    const read = new Y.Doc();
    Y.applyUpdate(read, merged);
    expect(read.getText('t').toString()).toBe('one two three');
  });
});
