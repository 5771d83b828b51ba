// The history port: points recorded while people edit (after a pause, after
// minutes of activity, at every freeze), each a Yjs delta against the point
// before it or, now and then, a full state (a base), so a point is rebuilt
// from its nearest base and the deltas after it, never from the update log
// (which compaction folds away). Also when each account last saw a document.
// Points of one document are numbered 1, 2, 3…; the number is unique, so two
// processes can never record the same point twice.

export interface HistoryPoint {
  docId: string;
  number: number;
  /** When it was recorded (ISO). */
  at: string;
  /** The version frozen at this point, if any. */
  version: number | null;
  /** Accounts that changed the text since the point before (user ids, sorted). */
  accounts: string[];
  /** The sequence number of the last stored update the point covers. */
  upto: number;
  /** True when `data` is a full state rather than a delta. */
  base: boolean;
  /** Bytes stored for this point. */
  bytes: number;
}

/** The newest point of a document, with what the next one needs to be computed against it. */
export interface HistoryHead extends HistoryPoint {
  stateVector: Uint8Array;
  /** Bytes of the deltas after the newest base, this point's included (0 when it is a base). */
  sinceBase: number;
  /** Deltas after the newest base (0 when it is a base). */
  deltasSinceBase: number;
  /** Bytes of the newest base. */
  baseBytes: number;
}

export interface NewHistoryPoint {
  docId: string;
  at: string;
  version: number | null;
  accounts: string[];
  upto: number;
  /** The number of the point `data` is a delta against; null for a base. */
  after: number | null;
  base: boolean;
  data: Uint8Array;
  stateVector: Uint8Array;
}

export type RecordOutcome =
  /** Stored as a new point. */
  | { kind: 'recorded'; point: HistoryPoint }
  /** The newest point already covers this state (another process, or nothing changed): its accounts (and version) were added to it. */
  | { kind: 'covered'; point: HistoryPoint }
  /** Another point was recorded after `after`: compute the delta again against it. */
  | { kind: 'stale'; head: HistoryHead };

export interface HistoryVisit {
  docId: string;
  userId: string;
  /** The point the account last saw. */
  point: number;
  at: string;
}

export interface HistoryRepository {
  head(docId: string): Promise<HistoryHead | null>;
  /**
   * Records a point in one transaction: a new point numbered after the
   * newest, unless the newest already covers `upto` (then the accounts and
   * version are merged into it) or `after` is no longer the newest (stale).
   */
  record(point: NewHistoryPoint): Promise<RecordOutcome>;
  list(docId: string): Promise<HistoryPoint[]>;
  get(docId: string, number: number): Promise<HistoryPoint | null>;
  /** What rebuilds point `number`: its nearest base and every delta after it up to it, oldest first; null when there is no such point. */
  chain(docId: string, number: number): Promise<Uint8Array[] | null>;
  /** Remembers that `userId` saw the document as of point `point`. */
  markVisit(visit: HistoryVisit): Promise<void>;
  lastVisit(docId: string, userId: string): Promise<HistoryVisit | null>;
}
