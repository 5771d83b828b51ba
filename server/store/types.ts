// The storage port: everything the server keeps durably, as a small set of
// repositories. Asynchronous so that a PostgreSQL implementation can sit
// behind the same interface; the SQLite one answers synchronously inside.
// Operations that must be atomic (an event and its log leaf) are single calls.
import type { Actor, DocumentSummary, Role, StakeholderGroup, User } from '../../core/api';
import type { PMJSON } from '../../core/schema';
import type { Locale } from '../../core/i18n/locales';
import type { AmendmentRepository } from './amendment-types';
import type { EndorsementRepository } from './endorsement-types';
import type { RateLimitRepository } from './rate-limit-types';
import type { AttributionRepository } from './attribution-types';
import type { HistoryRepository } from './history-types';
import type { CosignatureRepository } from './cosignature-types';
import type { LeafEncoder } from './leaf';

export interface NewUser {
  name: string;
  email: string;
  organization: string;
  stakeholderGroup: StakeholderGroup;
  role: Role;
  passwordHash: string | null;
}

/** A user as the server keeps it: the public fields plus whether the account is stopped. */
export interface Account {
  user: User;
  /** When an admin disabled the account; null while it is active. */
  disabledAt: string | null;
}

export interface UserRepository {
  create(user: NewUser): Promise<User>;
  byId(id: string): Promise<User | null>;
  account(id: string): Promise<Account | null>;
  list(): Promise<Account[]>;
  credentials(email: string): Promise<(Account & { passwordHash: string | null }) | null>;
  /** Disables (a time) or re-enables (null) the account; null when there is no such user. */
  setDisabled(id: string, disabledAt: string | null): Promise<Account | null>;
  /** Remembers the interface language the user chose; null when there is no such user. */
  setLanguage(id: string, language: Locale): Promise<User | null>;
  count(): Promise<number>;
}

export type TokenKind = 'api' | 'session';

/** What may be shown of a token or session: never the token, never its hash. */
export interface TokenInfo {
  id: string;
  userId: string;
  kind: TokenKind;
  createdAt: string;
  expiresAt: string | null;
}

export interface ResolvedToken extends TokenInfo {
  /** For a session opened with the admin token: the SHA-256 of that token. */
  adminTokenHash: string | null;
}

export interface TokenRepository {
  /** Stores only the hash of a token; the token itself is never kept. Returns its public id. */
  create(tokenHash: string, userId: string, kind: TokenKind, expiresAt: Date | null, adminTokenHash?: string | null): Promise<TokenInfo>;
  resolve(tokenHash: string, now: Date): Promise<ResolvedToken | null>;
  /** The live token or session with that public id. */
  byId(id: string, now: Date): Promise<ResolvedToken | null>;
  /** Deletes the token with that hash; returns what it was, if anything. */
  delete(tokenHash: string): Promise<TokenInfo | null>;
  /** The user's live tokens and sessions, oldest first. */
  list(userId: string, now: Date): Promise<TokenInfo[]>;
  /** Deletes one token or session of the user by its public id. */
  revoke(userId: string, id: string): Promise<TokenInfo | null>;
  /** Deletes every token of the user of the given kinds; returns what was deleted. */
  revokeAll(userId: string, kinds: readonly TokenKind[]): Promise<TokenInfo[]>;
}

export interface StoredUpdates {
  /** The compacted state, if any, covering every update up to `upto`. */
  snapshot: Uint8Array | null;
  /** The updates appended after the snapshot, oldest first. */
  tail: Uint8Array[];
  /** The sequence number of each update of `tail`. */
  tailSeqs: number[];
  /** Sequence number of the last update included (snapshot or tail). */
  upto: number;
}

export interface Compaction {
  /** The snapshot's sequence number after the call. */
  upto: number;
  /** How many stored updates this call folded (0: nothing to do). */
  folded: number;
}

export interface UpdateRepository {
  /** Appends durably and returns the update's sequence number. */
  append(docId: string, update: Uint8Array): Promise<number>;
  load(docId: string): Promise<StoredUpdates>;
  /**
   * What was stored after sequence number `after` (a process catching up):
   * the updates after it, or, when compaction has folded past it, the
   * snapshot and the updates after the snapshot. Read in one snapshot of the store.
   */
  since(docId: string, after: number): Promise<StoredUpdates>;
  /** The sequence number of the last stored update (`upto` of `load`) without reading any update: the stored text's version. */
  head(docId: string): Promise<number>;
  /**
   * Folds the stored snapshot and the stored updates with sequence numbers up
   * to `upto` into a new snapshot and deletes those updates, in one
   * transaction. Forward-only: an `upto` at or below the snapshot's is a no-op.
   */
  compact(docId: string, upto: number): Promise<Compaction>;
}

/** A document to create: its language may be left to the default. */
export type NewDocument = Omit<DocumentSummary, 'language'> & { language?: string };

export interface DocumentRepository {
  /** Creates the document with its first state; ConflictError if the id exists. The language defaults to English. */
  create(doc: NewDocument, initialUpdate: Uint8Array): Promise<void>;
  get(id: string): Promise<DocumentSummary | null>;
  list(): Promise<DocumentSummary[]>;
}

export interface VersionRecord {
  docId: string;
  number: number;
  label: string;
  meeting: string | null;
  title: string;
  content: PMJSON;
  /** The content as stored JSON text: what a worker thread is handed to parse, never parsed on the event loop. */
  contentJson: string;
  markdown: string;
  contentHash: string;
  createdAt: string;
  createdBy: Actor;
  logIndex: number;
}

/** A version without its text (neither content nor Markdown): what naming, caching and listing a version need. */
export type VersionHead = Omit<VersionRecord, 'content' | 'contentJson' | 'markdown'>;

/** A version to record: its content as JSON text (what is stored, and what the worker rendered), not as objects. */
export type VersionDraft = Omit<VersionRecord, 'number' | 'logIndex' | 'content'>;

export interface LogRepository {
  size(): Promise<number>;
  leaves(start: number, end: number): Promise<Uint8Array[]>;
  /** Stored Merkle hashes by their storage index (see core/tlog/merkle). */
  readHashes(indexes: number[]): Promise<Uint8Array[]>;
  latestCheckpoint(): Promise<string | null>;
  /** The first signed checkpoint whose tree has at least `size` leaves (null: none yet). */
  checkpointCovering(size: number): Promise<string | null>;
}

/** Turns a tree head into a signed checkpoint note; given to the store when it opens. */
export type CheckpointSigner = (treeSize: number, rootHash: Uint8Array) => string;

export type { LeafEncoder } from './leaf';

export interface Store {
  readonly users: UserRepository;
  readonly tokens: TokenRepository;
  readonly documents: DocumentRepository;
  readonly updates: UpdateRepository;
  readonly versions: VersionRepository;
  readonly log: LogRepository;
  readonly amendments: AmendmentRepository;
  readonly endorsements: EndorsementRepository;
  /**
   * Runs `fn` while holding the named lock, exclusive across every process
   * sharing this store (first-start seed import). SQLite: one process, so a
   * lock within it.
   */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Whether the database answers (readiness). */
  ping(): Promise<void>;
  readonly rateLimits: RateLimitRepository;
  /** Client id owners, frozen versions' Yjs states, attribution policies. */
  readonly attribution: AttributionRepository;
  /** History points and visits (history-types.ts). */
  readonly history: HistoryRepository;
  /** The witness cosignatures collected for the log's checkpoints (cosignature-types.ts). */
  readonly cosignatures: CosignatureRepository;
  close(): Promise<void>;
}

export interface VersionRepository {
  list(docId: string): Promise<VersionRecord[]>;
  get(docId: string, number: number): Promise<VersionRecord | null>;
  /** The version without reading its text (a redline whose texts are prepared needs only their hashes). */
  head(docId: string, number: number): Promise<VersionHead | null>;
  /** Next number is assigned inside the transaction, so concurrent freezes cannot collide. */
  /**
   * Numbers the version, appends its leaf to the log and signs the new
   * checkpoint, all in one transaction: no version without its leaf.
   */
  create(draft: VersionDraft, leafOf: LeafEncoder<VersionRecord>): Promise<VersionRecord>;
}

