// Endorsement rows as both stores (SQLite and PostgreSQL) read them: a record
// joined with its address confirmation and its decision, and the record it becomes.
import type { Actor, StakeholderGroup } from '../../core/api';
import type { EndorsementDecisionKind } from '../../core/endorsements';
import { errorText } from '../../core/i18n/messages/errors';
import type { EndorsementRecord, OpenVersionRecord } from './endorsement-types';
import { ConflictError } from '../errors';

export interface EndorsementRow {
  id: string;
  doc_id: string;
  version: number;
  content_hash: string;
  organization: string;
  stakeholder_group: string;
  country: string;
  contact_name: string;
  email: string;
  statement: string | null;
  reaffirms: string | null;
  submitted_at: string;
  link_expires_at: string;
  email_confirmed_at: string | null;
  decision: string | null;
  decision_reason: string | null;
  decision_actor: string | null;
  decided_at: string | null;
  log_index: number | null;
}

export interface OpenVersionRow {
  doc_id: string;
  version: number;
  set_at: string;
  set_by: string;
}

/** An endorsement with its events, to be narrowed by a WHERE clause (placeholders are the caller's). */
export const SELECT_ENDORSEMENT = `
  SELECT e.*, c.at AS email_confirmed_at,
         d.kind AS decision, d.reason AS decision_reason, d.actor AS decision_actor, d.at AS decided_at, d.log_index AS log_index
  FROM endorsements e
  LEFT JOIN endorsement_events c ON c.endorsement_id = e.id AND c.kind = 'email-confirmed'
  LEFT JOIN endorsement_events d ON d.endorsement_id = e.id AND d.kind IN ('confirm', 'reject')`;

/** A submission that may still be deleted: it has no event, and no other submission re-affirms it. */
export const UNTOUCHED = `NOT EXISTS (SELECT 1 FROM endorsement_events v WHERE v.endorsement_id = endorsements.id)
  AND NOT EXISTS (SELECT 1 FROM endorsements r WHERE r.reaffirms = endorsements.id)`;

export const toEndorsement = (row: EndorsementRow): EndorsementRecord => ({
  id: row.id,
  docId: row.doc_id,
  version: row.version,
  contentHash: row.content_hash,
  organization: row.organization,
  stakeholderGroup: row.stakeholder_group as StakeholderGroup,
  country: row.country,
  contactName: row.contact_name,
  email: row.email,
  statement: row.statement,
  reaffirms: row.reaffirms,
  submittedAt: row.submitted_at,
  linkExpiresAt: row.link_expires_at,
  emailConfirmedAt: row.email_confirmed_at,
  decision:
    row.decision === null
      ? null
      : {
          decision: row.decision as EndorsementDecisionKind,
          reason: row.decision_reason,
          actor: JSON.parse(row.decision_actor ?? 'null') as Actor,
          at: row.decided_at!,
          logIndex: row.log_index,
        },
});

export const toOpenVersion = (row: OpenVersionRow): OpenVersionRecord => ({ docId: row.doc_id, version: row.version, setAt: row.set_at, setBy: JSON.parse(row.set_by) as Actor });

/** What a link would do now, read without writing: the answer of `peekEmail`. */
export function linkState(endorsement: EndorsementRecord | null, now: string): 'invalid' | 'already-used' | 'expired' | 'ready' {
  if (!endorsement) return 'invalid';
  if (endorsement.emailConfirmedAt) return 'already-used';
  return endorsement.linkExpiresAt <= now ? 'expired' : 'ready';
}

/** The checks before a decision: the endorsement exists, is not decided yet, and its address is confirmed. */
export function assertDecidable(current: EndorsementRecord | null, id: string): asserts current is EndorsementRecord {
  if (!current) throw new ConflictError(errorText('endorsement.unknown', { id }));
  if (current.decision) throw new ConflictError(errorText('endorsement.alreadyDecided', { id, decision: current.decision.decision }));
  if (!current.emailConfirmedAt) throw new ConflictError(errorText('endorsement.addressUnconfirmed', { id }));
}

/** The refusal of a second confirmed endorsement of one version by one organisation. */
export const alreadyEndorses = (organization: string, version: number): ConflictError =>
  new ConflictError(errorText('endorsement.alreadyEndorses', { organization, version }));
