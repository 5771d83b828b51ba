// What a history point stores, computed from the live Y.Doc: a delta against
// the point before it (the items created since its state vector, and only the
// deletions made since it), or a full state (a base). Pure functions of a
// Y.Doc; nothing here stores or reads anything.
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';

export type DeleteSet = ReturnType<typeof Y.createDeleteSet>;

/** A delete set in the update format (v1), as Yjs writes it after an update's structs. */
export function encodeDeleteSet(ds: DeleteSet): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, ds.clients.size);
  for (const [client, items] of [...ds.clients.entries()].sort((a, b) => b[0] - a[0])) {
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, items.length);
    for (const item of items) {
      encoding.writeVarUint(encoder, item.clock);
      encoding.writeVarUint(encoder, item.len);
    }
  }
  return encoding.toUint8Array(encoder);
}

function endsWith(whole: Uint8Array, tail: Uint8Array): boolean {
  if (tail.length > whole.length) return false;
  const offset = whole.length - tail.length;
  for (let i = 0; i < tail.length; i++) if (whole[offset + i] !== tail[i]) return false;
  return true;
}

/**
 * The delta from the state `after` (a state vector) to `doc`: every item
 * created since, plus `deletions` (what was deleted since) instead of the
 * whole document's delete set, which grows with every deletion ever made.
 * Without `deletions` (not known, e.g. after a restart), the whole delete set:
 * larger, never wrong.
 */
export function pointDelta(doc: Y.Doc, after: Uint8Array, deletions: DeleteSet | null): Uint8Array {
  const full = Y.encodeStateAsUpdate(doc, after);
  if (deletions === null) return full;
  const whole = encodeDeleteSet(Y.createDeleteSetFromStructStore(doc.store));
  // Yjs writes the structs, then the whole delete set; anything else (pending structs merged in): keep it whole.
  if (!endsWith(full, whole)) return full;
  const own = encodeDeleteSet(deletions);
  const delta = new Uint8Array(full.length - whole.length + own.length);
  delta.set(full.subarray(0, full.length - whole.length), 0);
  delta.set(own, full.length - whole.length);
  return delta;
}

/** Rebuilds a point's state from its nearest base and the deltas after it (HistoryRepository.chain). */
export function rebuildPoint(chain: readonly Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const part of chain) Y.applyUpdate(doc, part);
  });
  return doc;
}
