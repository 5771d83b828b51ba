// Endorsements in PostgreSQL (the tables of postgres-schema.ts), the same
// contract as endorsements-sqlite.ts: records written once, events appended,
// a decision's uniqueness a database constraint; a confirmation's log leaf in
// the decision's transaction.
import type pg from 'pg';
import { randomUUID } from 'node:crypto';
import { organizationKey } from '../../core/endorsements';
import type { EmailConfirmation, EndorsementDecision, EndorsementRecord, EndorsementRepository, NewEndorsement, OpenVersionRecord } from './endorsement-types';
import { alreadyEndorses, assertDecidable, linkState, SELECT_ENDORSEMENT, toEndorsement, toOpenVersion, UNTOUCHED, type EndorsementRow, type OpenVersionRow } from './endorsement-rows';
import { LOCK, type AppendLogLeaf, type Client, type PgDatabase } from './postgres-common';
import type { LeafEncoder } from './types';

const LIVE = `SELECT e.id FROM endorsements e
  WHERE e.doc_id = $1 AND e.version = $2 AND e.organization_key = $3
    AND EXISTS (SELECT 1 FROM endorsement_events d WHERE d.endorsement_id = e.id AND d.kind = 'confirm')
  LIMIT 1`;

/** One endorsement by `where` (on e, with $1 and $2), inside a transaction or not. */
async function readOne(on: Client | pg.Pool, where: string, params: [string, string]): Promise<EndorsementRecord | null> {
  const row = (await on.query<EndorsementRow>(`${SELECT_ENDORSEMENT} WHERE ${where}`, params)).rows[0];
  return row ? toEndorsement(row) : null;
}

const byId = (on: Client | pg.Pool, docId: string, id: string) => readOne(on, 'e.doc_id = $1 AND e.id = $2', [docId, id]);
const byToken = (on: Client | pg.Pool, docId: string, tokenHash: string) => readOne(on, 'e.doc_id = $1 AND e.token_hash = $2', [docId, tokenHash]);

// Serialises the checks and writes about one organisation's endorsement of one version.
const lockOrganization = (c: Client, docId: string, version: number, orgKey: string) =>
  c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK.organization, `${docId}\n${version}\n${orgKey}`]);

/** Keys written by an older organizationKey are brought up to date on open (as the SQLite store does). */
export async function rekeyPgEndorsements(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ id: string; organization: string; organization_key: string }>('SELECT id, organization, organization_key FROM endorsements');
  for (const row of rows) {
    const key = organizationKey(row.organization);
    if (key !== row.organization_key) await pool.query('UPDATE endorsements SET organization_key = $1 WHERE id = $2', [key, row.id]);
  }
}

export class PgEndorsementRepository implements EndorsementRepository {
  constructor(
    private readonly db: PgDatabase,
    private readonly appendLeaf: AppendLogLeaf,
  ) {}

  async submit(draft: NewEndorsement, orgKey: string, tokenHash: string) {
    return this.db.transaction(async (c) => {
      await lockOrganization(c, draft.docId, draft.version, orgKey);
      if ((await c.query(LIVE, [draft.docId, draft.version, orgKey])).rowCount) throw alreadyEndorses(draft.organization, draft.version);
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
      return (await byId(c, draft.docId, id))!;
    });
  }

  async hasConfirmed(docId: string, version: number, orgKey: string) {
    return (await this.db.query(LIVE, [docId, version, orgKey])).length > 0;
  }

  async get(docId: string, id: string) {
    return byId(this.db.pool, docId, id);
  }

  async discard(docId: string, id: string) {
    await this.db.query(`DELETE FROM endorsements WHERE doc_id = $1 AND id = $2 AND ${UNTOUCHED}`, [docId, id]);
  }

  async expireUnconfirmed(now: string) {
    return this.db.transaction(async (c) => (await c.query(`DELETE FROM endorsements WHERE link_expires_at < $1 AND ${UNTOUCHED}`, [now])).rowCount ?? 0);
  }

  async list(docId: string) {
    return (await this.db.query<EndorsementRow>(`${SELECT_ENDORSEMENT} WHERE e.doc_id = $1 ORDER BY e.submitted_at, e.seq`, [docId])).map(toEndorsement);
  }

  async peekEmail(docId: string, tokenHash: string, now: string) {
    return linkState(await byToken(this.db.pool, docId, tokenHash), now);
  }

  async confirmEmail(docId: string, tokenHash: string, now: string): Promise<EmailConfirmation> {
    return this.db.transaction(async (c): Promise<EmailConfirmation> => {
      const found = await c.query<{ id: string }>('SELECT id FROM endorsements WHERE doc_id = $1 AND token_hash = $2 FOR UPDATE', [docId, tokenHash]);
      if (found.rowCount === 0) return { outcome: 'invalid' };
      const endorsement = (await byToken(c, docId, tokenHash))!;
      if (endorsement.emailConfirmedAt) return { outcome: 'already-used', endorsement };
      if (endorsement.linkExpiresAt <= now) return { outcome: 'expired', endorsement };
      await c.query(`INSERT INTO endorsement_events (endorsement_id, kind, actor, reason, at, log_index) VALUES ($1, 'email-confirmed', NULL, NULL, $2, NULL)`, [endorsement.id, now]);
      return { outcome: 'confirmed', endorsement: (await byId(c, docId, endorsement.id))! };
    });
  }

  async decide(docId: string, id: string, decision: Omit<EndorsementDecision, 'logIndex'>, leafOf: LeafEncoder<EndorsementRecord>) {
    return this.db.transaction(async (c) => {
      // The tree head first, as every appending transaction: decisions are serialised with the log.
      await c.query('SELECT size FROM log_head WHERE id = 1 FOR UPDATE');
      await c.query('SELECT 1 FROM endorsements WHERE doc_id = $1 AND id = $2 FOR UPDATE', [docId, id]);
      const current = await byId(c, docId, id);
      assertDecidable(current, id);
      let logIndex: number | null = null;
      if (decision.decision === 'confirm') {
        const key = organizationKey(current.organization);
        await lockOrganization(c, docId, current.version, key);
        if ((await c.query(LIVE, [docId, current.version, key])).rowCount) throw alreadyEndorses(current.organization, current.version);
        logIndex = await this.appendLeaf(c, (index) => leafOf({ ...current, decision: { ...decision, logIndex: index } }));
      }
      await c.query('INSERT INTO endorsement_events (endorsement_id, kind, actor, reason, at, log_index) VALUES ($1, $2, $3, $4, $5, $6)', [
        id,
        decision.decision,
        JSON.stringify(decision.actor),
        decision.reason,
        decision.at,
        logIndex,
      ]);
      return (await byId(c, docId, id))!;
    });
  }

  async openVersion(docId: string) {
    const [row] = await this.db.query<OpenVersionRow>('SELECT doc_id, version, set_at, set_by FROM endorsement_open_versions WHERE doc_id = $1 ORDER BY seq DESC LIMIT 1', [docId]);
    return row ? toOpenVersion(row) : null;
  }

  async setOpenVersion(record: OpenVersionRecord) {
    await this.db.query('INSERT INTO endorsement_open_versions (doc_id, version, set_at, set_by) VALUES ($1, $2, $3, $4)', [
      record.docId,
      record.version,
      record.setAt,
      JSON.stringify(record.setBy),
    ]);
    return record;
  }
}
