// What every repository that appends to the signed log takes from its caller:
// the encoder of a record's leaf, called once the store has numbered it.

/** Encodes the log leaf of a record once the store has numbered it. */
export type LeafEncoder<T> = (record: T) => Uint8Array;
