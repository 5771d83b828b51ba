// The storage port for witness cosignatures: the verified cosignature lines
// the server collected, by checkpoint body and witness, kept in the store so
// every process sharing it serves the same ones and a restart loses none.
// Only lines that verified under the configured witness key are ever put here.

export interface StoredCosignature {
  /** The signature line, as the witness sent it, with its newline. */
  line: string;
  /** The cosignature's time (seconds since the epoch), signed with it. */
  timestamp: number;
}

export interface CosignatureRepository {
  /** Keeps the cosignature of the checkpoint `body` (of tree size `size`) by `witness`; the first one stored for that pair stays. */
  put(body: string, size: number, witness: string, cosignature: StoredCosignature): Promise<void>;
  get(body: string, witness: string): Promise<StoredCosignature | null>;
  /** Every stored cosignature of `body`, by witness id. */
  all(body: string): Promise<Map<string, StoredCosignature>>;
  /** The largest tree size `witness` has cosigned for this log, or null. */
  largestSize(witness: string): Promise<number | null>;
}
