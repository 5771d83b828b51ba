// Amendment rows as both stores (SQLite and PostgreSQL) read them, and the
// records they become.
import type { Participant } from '../../core/api';
import { errorText } from '../../core/i18n/messages/errors';
import type { AmendmentCommentRecord, AmendmentEventRecord, AmendmentRecord, AmendmentState, AmendmentSupportRecord } from './amendment-types';
import { bytes } from './bytes';
import { ConflictError } from '../errors';

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

export interface SupporterRow {
  amendment_id: string;
  supporter: string;
  created_at: string;
}

export interface CommentRow {
  id: string;
  amendment_id: string;
  author: string;
  text: string;
  created_at: string;
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

export const toSupport = (s: Omit<SupporterRow, 'amendment_id'>): AmendmentSupportRecord => ({ supporter: person(s.supporter), at: s.created_at });

export const toComment = (c: Omit<CommentRow, 'amendment_id'>): AmendmentCommentRecord => ({ id: c.id, author: person(c.author), text: c.text, at: c.created_at });

/** The states of a document's amendments, in the order of `rows`, from all its rows read at once. */
export function toStates(rows: AmendmentRow[], supporters: SupporterRow[], comments: CommentRow[], events: EventRow[]): AmendmentState[] {
  const states = new Map<string, AmendmentState>(rows.map((row) => [row.id, { amendment: toAmendment(row), supporters: [], comments: [], closed: null }]));
  for (const s of supporters) states.get(s.amendment_id)?.supporters.push(toSupport(s));
  for (const c of comments) states.get(c.amendment_id)?.comments.push(toComment(c));
  for (const e of events) {
    const state = states.get(e.amendment_id);
    if (state) state.closed = toEvent(e);
  }
  return [...states.values()];
}

/** The refusal of a second closing event: says how and when the amendment was closed. */
export function alreadyClosed(previous: EventRow): ConflictError {
  const status = previous.kind === 'withdrawal' ? 'withdrawn' : previous.decision === 'accept' ? 'accepted' : 'rejected';
  return new ConflictError(errorText('amendment.alreadyClosedOn', { status: errorText('amendment.status', { status }), time: previous.time }));
}
