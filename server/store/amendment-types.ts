// The storage port for amendments: the proposal (written once), its
// supporters and comments, and at most one closing event (a decision or a
// withdrawal) whose log leaf is appended in the same transaction.
import type { AmendmentDecisionKind, Participant } from '../../core/api';
import type { LeafEncoder } from './leaf';

export interface AmendmentRecord {
  id: string;
  docId: string;
  number: number;
  section: string;
  quote: string;
  proposed: string;
  justification: string;
  occurrence: number;
  /** Y.encodeRelativePosition of the quote's start and end. */
  anchorStart: Uint8Array;
  anchorEnd: Uint8Array;
  proposer: Participant;
  createdAt: string;
}

export interface AmendmentSupportRecord {
  supporter: Participant;
  at: string;
}

export interface AmendmentCommentRecord {
  id: string;
  author: Participant;
  text: string;
  at: string;
}

/** What closed an amendment: a chair's or editor's decision, or the proposer's withdrawal. */
export interface AmendmentEventRecord {
  amendmentId: string;
  kind: 'decision' | 'withdrawal';
  decision: AmendmentDecisionKind | null;
  reason: string;
  actor: Participant;
  time: string;
  logIndex: number;
}

export interface AmendmentState {
  amendment: AmendmentRecord;
  supporters: AmendmentSupportRecord[];
  comments: AmendmentCommentRecord[];
  closed: AmendmentEventRecord | null;
}

export interface AmendmentRepository {
  /** Numbers the amendment within its document (inside the transaction) and stores it. */
  create(draft: Omit<AmendmentRecord, 'number'>): Promise<AmendmentRecord>;
  get(docId: string, id: string): Promise<AmendmentState | null>;
  list(docId: string): Promise<AmendmentState[]>;
  /** ConflictError when the person already supports it or it is no longer open. */
  support(amendmentId: string, support: AmendmentSupportRecord): Promise<void>;
  comment(amendmentId: string, comment: AmendmentCommentRecord): Promise<void>;
  /**
   * Records the closing event, appends its log leaf and stores `textChange`
   * (an accepted amendment's Yjs update) as the document's next update, all
   * in one transaction. The caller applies the change to an open room only
   * after this returns (Room.applyStored). ConflictError when the amendment
   * is already closed: then nothing is recorded.
   */
  close(event: Omit<AmendmentEventRecord, 'logIndex'>, leafOf: LeafEncoder<AmendmentEventRecord>, textChange?: TextChange): Promise<ClosedAmendment>;
}

/** A change to the live text stored with the event that causes it. */
export interface TextChange {
  docId: string;
  update: Uint8Array;
}

export interface ClosedAmendment {
  event: AmendmentEventRecord;
  /** The sequence number of the stored text change; null without one. */
  updateSeq: number | null;
}
