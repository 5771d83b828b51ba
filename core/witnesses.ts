// Wire shapes of GET /api/log/witnesses: who has cosigned the log's current
// checkpoint (public), and, for chairs and admins, each witness's health.
// Types only; the server fills them (server/witness/submitter.ts), the history panel reads them.

export type WitnessState = 'cosigned' | 'pending' | 'failing' | 'refused';

/** What everyone sees. */
export interface PublicWitnessStatus {
  /** The witness's key name (its organisation, by convention). */
  name: string;
  /** `<name>+<hex key ID>`. */
  key: string;
  /** cosigned: its cosignature on the current checkpoint is collected; pending: not yet; failing: unreachable or erring, retried; refused: it refused this log's checkpoint (409/403/404/422). */
  state: WitnessState;
  /** When it cosigned the current checkpoint (ISO time), or null. */
  cosignedAt: string | null;
}

/** What chairs and admins see besides. */
export interface WitnessStatus extends PublicWitnessStatus {
  url: string;
  /** The tree size this witness last cosigned for this log, as far as the server knows. */
  cosignedSize: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  failures: number;
}

export interface WitnessesResponse {
  treeSize: number;
  witnesses: (PublicWitnessStatus | WitnessStatus)[];
}
