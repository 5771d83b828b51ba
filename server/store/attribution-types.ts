// The storage port for attribution: which account introduced each Yjs client
// id of a document (so nobody can write under another's client id), the Yjs
// state of each frozen version (so a version's attribution is exact later),
// who deleted which items, and each document's attribution policy.
import type { AttributionPolicy } from '../../core/api';

export interface ClientClaim {
  clientId: number;
  userId: string;
  claimedAt: string;
  /** Why the server wrote under this client id (an accepted amendment), if it did. */
  note: string | null;
}

/** Items `clientId`:[clock, clock + len) deleted by an account, recorded when its update arrived. */
export interface DeletionRecord {
  clientId: number;
  clock: number;
  len: number;
  userId: string;
  deletedAt: string;
}

export interface StoredAttributionPolicy extends AttributionPolicy {
  setBy: string;
  setAt: string;
}

export interface AttributionRepository {
  /** Every client id claimed in the document. */
  claims(docId: string): Promise<ClientClaim[]>;
  /**
   * Records the claims of client ids not yet owned, in one transaction; a
   * client id already owned keeps its owner. Returns the claims that lost:
   * the stored claim of each id that another account already owns (empty
   * when every claim holds).
   */
  claim(docId: string, claims: readonly ClientClaim[]): Promise<ClientClaim[]>;
  /** Records who deleted which items (only items not deleted before: the first deleter). */
  recordDeletions(docId: string, deletions: readonly DeletionRecord[]): Promise<void>;
  /** Every deletion recorded in the document, oldest first. */
  deletions(docId: string): Promise<DeletionRecord[]>;
  /** Keeps the Yjs state a version was frozen from. */
  saveVersionState(docId: string, number: number, state: Uint8Array): Promise<void>;
  /** Version `number` was frozen from the same Yjs state as version `sameAs`: kept once. */
  saveVersionStateSameAs(docId: string, number: number, sameAs: number): Promise<void>;
  versionState(docId: string, number: number): Promise<Uint8Array | null>;
  policy(docId: string): Promise<StoredAttributionPolicy | null>;
  setPolicy(docId: string, policy: StoredAttributionPolicy): Promise<void>;
}
