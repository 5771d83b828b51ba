// Endorsements in SQLite (tables of migration "endorsements" in
// sqlite-schema.ts). A record is written once; what happens to it later (the
// address confirmed, a chair's decision) is an appended event row, and the
// decision's uniqueness is a database constraint, not a check that can race.
import { errorText } from '../../core/i18n/messages/errors';
import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { Actor, StakeholderGroup } from '../../core/api';
import { organizationKey, type EndorsementDecisionKind } from '../../core/endorsements';
import type { EmailConfirmation, EndorsementRecord, EndorsementRepository, NewEndorsement, OpenVersionRecord } from './endorsement-types';
import { ConflictError } from '../errors';
import type { LeafEncoder } from './types';

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

const SELECT = `
  SELECT e.*, c.at AS email_confirmed_at,
         d.kind AS decision, d.reason AS decision_reason, d.actor AS decision_actor, d.at AS decided_at, d.log_index AS log_index
  FROM endorsements e
  LEFT JOIN endorsement_events c ON c.endorsement_id = e.id AND c.kind = 'email-confirmed'
  LEFT JOIN endorsement_events d ON d.endorsement_id = e.id AND d.kind IN ('confirm', 'reject')`;

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

export function createEndorsementRepository(
  db: Database.Database,
  transaction: <T>(fn: () => T) => T,
  appendLogLeaf: (leaf: (logIndex: number) => Uint8Array) => number,
): EndorsementRepository {
  const stmt = {
    insert: db.prepare(
      `INSERT INTO endorsements (id, doc_id, version, content_hash, organization, organization_key, stakeholder_group, country,
         contact_name, email, statement, reaffirms, token_hash, link_expires_at, submitted_at)
       VALUES (@id, @docId, @version, @contentHash, @organization, @organizationKey, @stakeholderGroup, @country,
         @contactName, @email, @statement, @reaffirms, @tokenHash, @linkExpiresAt, @submittedAt)`,
    ),
    // Only a confirmed endorsement blocks: a pending one (anyone can submit
    // under any name) must never stand in the way of the real organisation.
    live: db.prepare<[string, number, string], { id: string }>(
      `SELECT e.id FROM endorsements e
       WHERE e.doc_id = ? AND e.version = ? AND e.organization_key = ?
         AND EXISTS (SELECT 1 FROM endorsement_events d WHERE d.endorsement_id = e.id AND d.kind = 'confirm')
       LIMIT 1`,
    ),
    keys: db.prepare<[], { id: string; organization: string; organization_key: string }>('SELECT id, organization, organization_key FROM endorsements'),
    rekey: db.prepare<[string, string]>('UPDATE endorsements SET organization_key = ? WHERE id = ?'),
    get: db.prepare<[string, string], EndorsementRow>(`${SELECT} WHERE e.doc_id = ? AND e.id = ?`),
    byToken: db.prepare<[string, string], EndorsementRow>(`${SELECT} WHERE e.doc_id = ? AND e.token_hash = ?`),
    list: db.prepare<[string], EndorsementRow>(`${SELECT} WHERE e.doc_id = ? ORDER BY e.submitted_at, e.rowid`),
    event: db.prepare(
      `INSERT INTO endorsement_events (endorsement_id, kind, actor, reason, at, log_index) VALUES (@id, @kind, @actor, @reason, @at, @logIndex)`,
    ),
    openGet: db.prepare<[string], { doc_id: string; version: number; set_at: string; set_by: string }>(
      'SELECT doc_id, version, set_at, set_by FROM endorsement_open_versions WHERE doc_id = ? ORDER BY seq DESC LIMIT 1',
    ),
    openInsert: db.prepare('INSERT INTO endorsement_open_versions (doc_id, version, set_at, set_by) VALUES (?, ?, ?, ?)'),
    discard: db.prepare<[string, string]>(
      `DELETE FROM endorsements WHERE doc_id = ? AND id = ?
         AND NOT EXISTS (SELECT 1 FROM endorsement_events v WHERE v.endorsement_id = endorsements.id)
         AND NOT EXISTS (SELECT 1 FROM endorsements r WHERE r.reaffirms = endorsements.id)`,
    ),
    expireUnconfirmed: db.prepare<[string]>(
      `DELETE FROM endorsements WHERE link_expires_at < ?
         AND NOT EXISTS (SELECT 1 FROM endorsement_events v WHERE v.endorsement_id = endorsements.id)
         AND NOT EXISTS (SELECT 1 FROM endorsements r WHERE r.reaffirms = endorsements.id)`,
    ),
  };

  // Keys written by an older organizationKey are brought up to date on open,
  // so an upgraded DATA_DIR compares names the way new submissions do.
  transaction(() => {
    for (const row of stmt.keys.all()) {
      const key = organizationKey(row.organization);
      if (key !== row.organization_key) stmt.rekey.run(key, row.id);
    }
  });

  const read = (docId: string, id: string): EndorsementRecord | null => {
    const row = stmt.get.get(docId, id);
    return row ? toRecord(row) : null;
  };

  return {
    async submit(draft: NewEndorsement, orgKey, tokenHash) {
      return transaction(() => {
        if (stmt.live.get(draft.docId, draft.version, orgKey)) {
          throw new ConflictError(errorText('endorsement.alreadyEndorses', { organization: draft.organization, version: draft.version }));
        }
        const id = randomUUID();
        stmt.insert.run({ ...draft, id, organizationKey: orgKey, tokenHash });
        return read(draft.docId, id)!;
      });
    },
    async hasConfirmed(docId, version, orgKey) {
      return stmt.live.get(docId, version, orgKey) !== undefined;
    },
    async get(docId, id) {
      return read(docId, id);
    },
    async discard(docId, id) {
      stmt.discard.run(docId, id);
    },
    async expireUnconfirmed(now) {
      return stmt.expireUnconfirmed.run(now).changes;
    },
    async list(docId) {
      return stmt.list.all(docId).map(toRecord);
    },
    async peekEmail(docId, tokenHash, now) {
      const row = stmt.byToken.get(docId, tokenHash);
      if (!row) return 'invalid';
      const endorsement = toRecord(row);
      if (endorsement.emailConfirmedAt) return 'already-used';
      return endorsement.linkExpiresAt <= now ? 'expired' : 'ready';
    },
    async confirmEmail(docId, tokenHash, now): Promise<EmailConfirmation> {
      return transaction(() => {
        const row = stmt.byToken.get(docId, tokenHash);
        if (!row) return { outcome: 'invalid' };
        const endorsement = toRecord(row);
        if (endorsement.emailConfirmedAt) return { outcome: 'already-used', endorsement };
        if (endorsement.linkExpiresAt <= now) return { outcome: 'expired', endorsement };
        stmt.event.run({ id: endorsement.id, kind: 'email-confirmed', actor: null, reason: null, at: now, logIndex: null });
        return { outcome: 'confirmed', endorsement: read(docId, endorsement.id)! };
      });
    },
    async decide(docId, id, decision, leafOf: LeafEncoder<EndorsementRecord>) {
      return transaction(() => {
        const current = read(docId, id);
        if (!current) throw new ConflictError(errorText('endorsement.unknown', { id }));
        if (current.decision) throw new ConflictError(errorText('endorsement.alreadyDecided', { id, decision: current.decision.decision }));
        if (!current.emailConfirmedAt) throw new ConflictError(errorText('endorsement.addressUnconfirmed', { id }));
        let logIndex: number | null = null;
        if (decision.decision === 'confirm') {
          const key = organizationKey(current.organization);
          if (stmt.live.get(docId, current.version, key)) throw new ConflictError(errorText('endorsement.alreadyEndorses', { organization: current.organization, version: current.version }));
          logIndex = appendLogLeaf((index) => leafOf({ ...current, decision: { ...decision, logIndex: index } }));
        }
        stmt.event.run({ id, kind: decision.decision, actor: JSON.stringify(decision.actor), reason: decision.reason, at: decision.at, logIndex });
        return read(docId, id)!;
      });
    },
    async openVersion(docId) {
      const row = stmt.openGet.get(docId);
      return row ? { docId: row.doc_id, version: row.version, setAt: row.set_at, setBy: JSON.parse(row.set_by) as Actor } : null;
    },
    async setOpenVersion(record: OpenVersionRecord) {
      stmt.openInsert.run(record.docId, record.version, record.setAt, JSON.stringify(record.setBy));
      return record;
    },
  };
}

