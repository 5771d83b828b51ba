// Compaction's pure step: folds a stored snapshot and the updates stored
// after it into one new snapshot. Replaying the result gives exactly the state
// of replaying the inputs in order; deleted content is garbage-collected, so a
// snapshot does not grow with everything ever typed and removed.
import * as Y from 'yjs';
import { storedState } from './stored-state';

/** Folds a snapshot and updates into a new snapshot: foldUpdates in this thread by default, in a worker when the server gives one. */
export type Fold = (snapshot: Uint8Array | null, updates: Uint8Array[]) => Promise<Uint8Array>;

/** The default Fold: in this thread. */
export const foldHere: Fold = async (snapshot, updates) => foldUpdates(snapshot, updates);

export function foldUpdates(snapshot: Uint8Array | null, updates: readonly Uint8Array[]): Uint8Array {
  const state = storedState({ snapshot, tail: updates });
  if (state === null) return Y.encodeStateAsUpdate(new Y.Doc());
  const doc = new Y.Doc({ gc: true });
  try {
    Y.applyUpdate(doc, state);
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}
