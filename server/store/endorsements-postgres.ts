// Endorsements in PostgreSQL (the tables of postgres-schema.ts), the same
// contract as endorsements-sqlite.ts: records written once, events appended,
// a decision's uniqueness a database constraint; a confirmation's log leaf in
// the decision's transaction.
import { errorText } from '../../core/i18n/messages/errors';
import type pg from 'pg';
import { randomUUID } from 'node:crypto';
import type { Actor, StakeholderGroup } from '../../core/api';
import { organizationKey, type EndorsementDecisionKind } from '../../core/endorsements';
import type { EmailConfirmation, EndorsementRecord, EndorsementRepository } from './endorsement-types';
import { ConflictError } from '../errors';
import { LOCK, type AppendLogLeaf, type Client, type Transaction } from './postgres-common';

interface EndorsementRow {
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

type Query = <R extends pg.QueryResultRow>(sql: string, params?: unknown[]) => Promise<R[]>;

const SELECT = `
  SELECT e.*, c.at AS email_confirmed_at,
         d.kind AS decision, d.reason AS decision_reason, d.actor AS decision_actor, d.at AS decided_at, d.log_index AS log_index
  FROM endorsements e
  LEFT JOIN endorsement_events c ON c.endorsement_id = e.id AND c.kind = 'email-confirmed'
  LEFT JOIN endorsement_events d ON d.endorsement_id = e.id AND d.kind IN ('confirm', 'reject')`;

const LIVE = `SELECT e.id FROM endorsements e
  WHERE e.doc_id = $1 AND e.version = $2 AND e.organization_key = $3
    AND EXISTS (SELECT 1 FROM endorsement_events d WHERE d.endorsement_id = e.id AND d.kind = 'confirm')
  LIMIT 1`;

const toRecord = (row: EndorsementRow): EndorsementRecord => ({
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

export function createPgEndorsementRepository(transaction: Transaction, appendLogLeaf: AppendLogLeaf, query: Query): EndorsementRepository {
  const read = async (c: Client | null, docId: string, id: string): Promise<EndorsementRecord | null> => {
    const sql = `${SELECT} WHERE e.doc_id = $1 AND e.id = $2`;
    const row = c ? (await c.query<EndorsementRow>(sql, [docId, id])).rows[0] : (await query<EndorsementRow>(sql, [docId, id]))[0];
    return row ? toRecord(row) : null;
  };
  const byToken = async (c: Client | null, docId: string, tokenHash: string): Promise<EndorsementRecord | null> => {
    const sql = `${SELECT} WHERE e.doc_id = $1 AND e.token_hash = $2`;
    const row = c ? (await c.query<EndorsementRow>(sql, [docId, tokenHash])).rows[0] : (await query<EndorsementRow>(sql, [docId, tokenHash]))[0];
    return row ? toRecord(row) : null;
  };
  // Serialises the checks and writes about one organisation's endorsement of one version.
  const lockOrganization = (c: Client, docId: string, version: number, orgKey: string) =>
    c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK.organization, `${docId}\n${version}\n${orgKey}`]);

  return {
    async submit(draft, orgKey, tokenHash) {
      return transaction(async (c) => {
        await lockOrganization(c, draft.docId, draft.version, orgKey);
        if ((await c.query(LIVE, [draft.docId, draft.version, orgKey])).rowCount) {
          throw new ConflictError(errorText('endorsement.alreadyEndorses', { organization: draft.organization, version: draft.version }));
        }
        const id = randomUUID();
        await c.query(
          `INSERT INTO endorsements (id, doc_id, version, content_hash, organization, organization_key, stakeholder_group, country,
             contact_name, email, statement, reaffirms, token_hash, link_expires_at, submitted_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
          [
            id,
            draft.docId,
            draft.version,
            draft.contentHash,
            draft.organization,
            orgKey,
            draft.stakeholderGroup,
            draft.country,
            draft.contactName,
            draft.email,
            draft.statement,
            draft.reaffirms,
            tokenHash,
            draft.linkExpiresAt,
            draft.submittedAt,
          ],
        );
        return (await read(c, draft.docId, id))!;
      });
    },
    async hasConfirmed(docId, version, orgKey) {
      return (await query(LIVE, [docId, version, orgKey])).length > 0;
    },
    async get(docId, id) {
      return read(null, docId, id);
    },
    async discard(docId, id) {
      await query(
        `DELETE FROM endorsements WHERE doc_id = $1 AND id = $2
           AND NOT EXISTS (SELECT 1 FROM endorsement_events v WHERE v.endorsement_id = endorsements.id)
           AND NOT EXISTS (SELECT 1 FROM endorsements r WHERE r.reaffirms = endorsements.id)`,
        [docId, id],
      );
    },
    async expireUnconfirmed(now) {
      return transaction(async (c) => {
        const deleted = await c.query(
          `DELETE FROM endorsements WHERE link_expires_at < $1
             AND NOT EXISTS (SELECT 1 FROM endorsement_events v WHERE v.endorsement_id = endorsements.id)
             AND NOT EXISTS (SELECT 1 FROM endorsements r WHERE r.reaffirms = endorsements.id)`,
          [now],
        );
        return deleted.rowCount ?? 0;
      });
    },
    async list(docId) {
      return (await query<EndorsementRow>(`${SELECT} WHERE e.doc_id = $1 ORDER BY e.submitted_at, e.seq`, [docId])).map(toRecord);
    },
    async peekEmail(docId, tokenHash, now) {
      const endorsement = await byToken(null, docId, tokenHash);
      if (!endorsement) return 'invalid';
      if (endorsement.emailConfirmedAt) return 'already-used';
      return endorsement.linkExpiresAt <= now ? 'expired' : 'ready';
    },
    async confirmEmail(docId, tokenHash, now): Promise<EmailConfirmation> {
      return transaction(async (c) => {
        const found = await c.query<{ id: string }>('SELECT id FROM endorsements WHERE doc_id = $1 AND token_hash = $2 FOR UPDATE', [docId, tokenHash]);
        if (found.rowCount === 0) return { outcome: 'invalid' };
        const endorsement = (await byToken(c, docId, tokenHash))!;
        if (endorsement.emailConfirmedAt) return { outcome: 'already-used', endorsement };
        if (endorsement.linkExpiresAt <= now) return { outcome: 'expired', endorsement };
        await c.query(`INSERT INTO endorsement_events (endorsement_id, kind, actor, reason, at, log_index) VALUES ($1, 'email-confirmed', NULL, NULL, $2, NULL)`, [
          endorsement.id,
          now,
        ]);
        return { outcome: 'confirmed', endorsement: (await read(c, docId, endorsement.id))! };
      });
    },
    async decide(docId, id, decision, leafOf) {
      return transaction(async (c) => {
        // The tree head first, as every appending transaction: decisions are serialised with the log.
        await c.query('SELECT size FROM log_head WHERE id = 1 FOR UPDATE');
        await c.query('SELECT 1 FROM endorsements WHERE doc_id = $1 AND id = $2 FOR UPDATE', [docId, id]);
        const current = await read(c, docId, id);
        if (!current) throw new ConflictError(errorText('endorsement.unknown', { id }));
        if (current.decision) throw new ConflictError(errorText('endorsement.alreadyDecided', { id, decision: current.decision.decision }));
        if (!current.emailConfirmedAt) throw new ConflictError(errorText('endorsement.addressUnconfirmed', { id }));
        let logIndex: number | null = null;
        if (decision.decision === 'confirm') {
          const key = organizationKey(current.organization);
          await lockOrganization(c, docId, current.version, key);
          if ((await c.query(LIVE, [docId, current.version, key])).rowCount) throw new ConflictError(errorText('endorsement.alreadyEndorses', { organization: current.organization, version: current.version }));
          logIndex = await appendLogLeaf(c, (index) => leafOf({ ...current, decision: { ...decision, logIndex: index } }));
        }
        await c.query('INSERT INTO endorsement_events (endorsement_id, kind, actor, reason, at, log_index) VALUES ($1, $2, $3, $4, $5, $6)', [
          id,
          decision.decision,
          JSON.stringify(decision.actor),
          decision.reason,
          decision.at,
          logIndex,
        ]);
        return (await read(c, docId, id))!;
      });
    },
    async openVersion(docId) {
      const [row] = await query<{ doc_id: string; version: number; set_at: string; set_by: string }>(
        'SELECT doc_id, version, set_at, set_by FROM endorsement_open_versions WHERE doc_id = $1 ORDER BY seq DESC LIMIT 1',
        [docId],
      );
      return row ? { docId: row.doc_id, version: row.version, setAt: row.set_at, setBy: JSON.parse(row.set_by) as Actor } : null;
    },
    async setOpenVersion(record) {
      await query('INSERT INTO endorsement_open_versions (doc_id, version, set_at, set_by) VALUES ($1, $2, $3, $4)', [
        record.docId,
        record.version,
        record.setAt,
        JSON.stringify(record.setBy),
      ]);
      return record;
    },
  };
}
