// Amendment rows as both stores (SQLite and PostgreSQL) read them, and the
// records they become.
import type { Participant } from '../../core/api';
import type { AmendmentEventRecord, AmendmentRecord } from './amendment-types';
import { bytes } from './bytes';

export interface AmendmentRow {
  id: string;
  doc_id: string;
  number: number;
  section: string;
  quote: string;
  proposed: string;
  justification: string;
  occurrence: number;
  anchor_start: Buffer;
  anchor_end: Buffer;
  proposer: string;
  created_at: string;
}

export interface EventRow {
  amendment_id: string;
  kind: 'decision' | 'withdrawal';
  decision: 'accept' | 'reject' | null;
  reason: string;
  actor: string;
  time: string;
  log_index: number;
}

export const person = (json: string): Participant => JSON.parse(json) as Participant;
export const personJSON = (p: Participant): string =>
  JSON.stringify({ id: p.id, name: p.name, organization: p.organization, stakeholderGroup: p.stakeholderGroup });

export const toAmendment = (r: AmendmentRow): AmendmentRecord => ({
  id: r.id,
  docId: r.doc_id,
  number: r.number,
  section: r.section,
  quote: r.quote,
  proposed: r.proposed,
  justification: r.justification,
  occurrence: r.occurrence,
  anchorStart: bytes(r.anchor_start),
  anchorEnd: bytes(r.anchor_end),
  proposer: person(r.proposer),
  createdAt: r.created_at,
});

export const toEvent = (r: EventRow): AmendmentEventRecord => ({
  amendmentId: r.amendment_id,
  kind: r.kind,
  decision: r.decision,
  reason: r.reason,
  actor: person(r.actor),
  time: r.time,
  logIndex: r.log_index,
});
