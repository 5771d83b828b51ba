// A document's stored text as the store keeps it (a compacted snapshot and the
// updates appended after it) read back as Yjs updates: the room's load and
// catch-up, the document view, attribution and compaction all read it so.
// Pure: no Y.Doc is built here.
import * as Y from 'yjs';
import type { StoredUpdates } from './types';

type Stored = Pick<StoredUpdates, 'snapshot'> & { readonly tail: readonly Uint8Array[] };

/** The snapshot (when there is one), then the tail, oldest first. */
export function storedParts(stored: Stored): Uint8Array[] {
  return stored.snapshot ? [stored.snapshot, ...stored.tail] : [...stored.tail];
}

/** The stored text as one update: null when nothing is stored; a single part as it is (not encoded again); several merged. */
export function storedState(stored: Stored): Uint8Array | null {
  const parts = storedParts(stored);
  return parts.length === 0 ? null : parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts);
}
