// What a history point stores: the changes since the point before it (the
// room's updates since then, merged: the items created and only the
// deletions made since), or, when those are not known (a room opened after
// changes nobody recorded), the document's state beyond the point's state
// vector, which carries the whole delete set: larger, never wrong. Pure
// functions of Yjs values; nothing here stores or reads anything.
import * as Y from 'yjs';


/** Updates merged into one; none: an update that changes nothing. Runs in a worker (workers/tasks.ts) for the recorder. */
export function mergeUpdates(updates: readonly Uint8Array[]): Uint8Array {
  // An update that changes nothing (no structs, no deletions); a new one each time, as a worker hands its result over.
  if (updates.length === 0) return new Uint8Array([0, 0]);
  return updates.length === 1 ? updates[0]! : Y.mergeUpdates([...updates]);
}

/** The delta from the state `after` (a state vector) to `doc`, from `updates` (every update since `after`) when they are known. */
export function deltaSince(doc: Y.Doc, after: Uint8Array, updates: readonly Uint8Array[] | null): Uint8Array {
  return updates === null ? Y.encodeStateAsUpdate(doc, after) : mergeUpdates(updates);
}


/** Rebuilds a point's state from its nearest base and the deltas after it (HistoryRepository.chain). */
export function rebuildPoint(chain: readonly Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const part of chain) Y.applyUpdate(doc, part);
  });
  return doc;
}
