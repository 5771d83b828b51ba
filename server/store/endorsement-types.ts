// The storage port for endorsements: records, their events (address
// confirmed, chair's decision) and the version open for endorsement.
// Events are appended, never edited; a confirmation's log leaf is appended
// in the same transaction as the decision that produces it.
import type { Actor, StakeholderGroup } from '../../core/api';
import type { EndorsementDecisionKind } from '../../core/endorsements';
import type { LeafEncoder } from './leaf';

export interface EndorsementDecision {
  decision: EndorsementDecisionKind;
  reason: string | null;
  actor: Actor;
  at: string;
  /** The log leaf of a confirmation; null for a rejection. */
  logIndex: number | null;
}

export interface EndorsementRecord {
  id: string;
  docId: string;
  version: number;
  /** The content hash of that version, copied when the endorsement is submitted. */
  contentHash: string;
  organization: string;
  stakeholderGroup: StakeholderGroup;
  country: string;
  /** Personal data: never in the log, the bundle or any public output. */
  contactName: string;
  email: string;
  statement: string | null;
  /** The confirmed endorsement (of an earlier version) this one re-affirms. */
  reaffirms: string | null;
  submittedAt: string;
  linkExpiresAt: string;
  emailConfirmedAt: string | null;
  decision: EndorsementDecision | null;
}

export type NewEndorsement = Omit<EndorsementRecord, 'id' | 'emailConfirmedAt' | 'decision'>;

export type EmailConfirmation =
  | { outcome: 'confirmed'; endorsement: EndorsementRecord }
  | { outcome: 'already-used'; endorsement: EndorsementRecord }
  | { outcome: 'expired'; endorsement: EndorsementRecord }
  | { outcome: 'invalid' };

export interface OpenVersionRecord {
  docId: string;
  version: number;
  setAt: string;
  setBy: Actor;
}

export interface EndorsementRepository {
  /**
   * Stores a pending endorsement with the hash of its one-time link.
   * ConflictError when the same organisation (organizationKey) already has a
   * confirmed endorsement of that version; pending ones never block.
   */
  submit(draft: NewEndorsement, organizationKey: string, tokenHash: string): Promise<EndorsementRecord>;
  /** Whether the organisation already has a confirmed endorsement of that version. */
  hasConfirmed(docId: string, version: number, organizationKey: string): Promise<boolean>;
  /** Whether the link whose hash is `tokenHash` would confirm an address now (reads only). */
  peekEmail(docId: string, tokenHash: string, now: string): Promise<EmailConfirmation['outcome'] | 'ready'>;
  /** Takes back a submission whose confirmation mail could not be sent (no one holds its link); a no-op once it has any event. */
  discard(docId: string, id: string): Promise<void>;
  /** Deletes every submission whose address was never confirmed and whose link expired before `now`; returns how many. */
  expireUnconfirmed(now: string): Promise<number>;
  get(docId: string, id: string): Promise<EndorsementRecord | null>;
  list(docId: string): Promise<EndorsementRecord[]>;
  /** Uses the link whose hash is `tokenHash` (of an endorsement of `docId`): records the address as confirmed, once. */
  confirmEmail(docId: string, tokenHash: string, now: string): Promise<EmailConfirmation>;
  /**
   * Records a chair's decision; a confirmation appends `leafOf(record)` to the
   * log in the same transaction. ConflictError before the address is
   * confirmed, when the endorsement is already decided, and when confirming
   * it while the same organisation already has a confirmed one of that version.
   */
  decide(docId: string, id: string, decision: Omit<EndorsementDecision, 'logIndex'>, leafOf: LeafEncoder<EndorsementRecord>): Promise<EndorsementRecord>;
  /** The latest version a chair opened for endorsement, if any. */
  openVersion(docId: string): Promise<OpenVersionRecord | null>;
  setOpenVersion(record: OpenVersionRecord): Promise<OpenVersionRecord>;
}
