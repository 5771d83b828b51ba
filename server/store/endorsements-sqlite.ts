// Endorsements in SQLite (tables of migration "endorsements" in
// sqlite-schema.ts). A record is written once; what happens to it later (the
// address confirmed, a chair's decision) is an appended event row, and the
// decision's uniqueness is a database constraint, not a check that can race.
import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { organizationKey } from '../../core/endorsements';
import type { EmailConfirmation, EndorsementDecision, EndorsementRecord, EndorsementRepository, NewEndorsement, OpenVersionRecord } from './endorsement-types';
import { alreadyEndorses, assertDecidable, linkState, SELECT_ENDORSEMENT, toEndorsement, toOpenVersion, UNTOUCHED, type EndorsementRow, type OpenVersionRow } from './endorsement-rows';
import type { SqliteAppendLeaf } from './log-sqlite';
import type { SqliteTransaction } from './sqlite-database';
import type { LeafEncoder } from './types';

function statements(db: Database.Database) {
  return {
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
    get: db.prepare<[string, string], EndorsementRow>(`${SELECT_ENDORSEMENT} WHERE e.doc_id = ? AND e.id = ?`),
    byToken: db.prepare<[string, string], EndorsementRow>(`${SELECT_ENDORSEMENT} WHERE e.doc_id = ? AND e.token_hash = ?`),
    list: db.prepare<[string], EndorsementRow>(`${SELECT_ENDORSEMENT} WHERE e.doc_id = ? ORDER BY e.submitted_at, e.rowid`),
    event: db.prepare(`INSERT INTO endorsement_events (endorsement_id, kind, actor, reason, at, log_index) VALUES (@id, @kind, @actor, @reason, @at, @logIndex)`),
    openGet: db.prepare<[string], OpenVersionRow>('SELECT doc_id, version, set_at, set_by FROM endorsement_open_versions WHERE doc_id = ? ORDER BY seq DESC LIMIT 1'),
    openInsert: db.prepare('INSERT INTO endorsement_open_versions (doc_id, version, set_at, set_by) VALUES (?, ?, ?, ?)'),
    discard: db.prepare<[string, string]>(`DELETE FROM endorsements WHERE doc_id = ? AND id = ? AND ${UNTOUCHED}`),
    expireUnconfirmed: db.prepare<[string]>(`DELETE FROM endorsements WHERE link_expires_at < ? AND ${UNTOUCHED}`),
  };
}

export class SqliteEndorsementRepository implements EndorsementRepository {
  private readonly stmt: ReturnType<typeof statements>;

  constructor(
    db: Database.Database,
    private readonly transaction: SqliteTransaction,
    private readonly appendLeaf: SqliteAppendLeaf,
  ) {
    this.stmt = statements(db);
    this.rekey();
  }

  /** Keys written by an older organizationKey are brought up to date on open, so an upgraded DATA_DIR compares names the way new submissions do. */
  private rekey(): void {
    this.transaction(() => {
      for (const row of this.stmt.keys.all()) {
        const key = organizationKey(row.organization);
        if (key !== row.organization_key) this.stmt.rekey.run(key, row.id);
      }
    });
  }

  private read(docId: string, id: string): EndorsementRecord | null {
    const row = this.stmt.get.get(docId, id);
    return row ? toEndorsement(row) : null;
  }

  async submit(draft: NewEndorsement, orgKey: string, tokenHash: string) {
    return this.transaction(() => {
      if (this.stmt.live.get(draft.docId, draft.version, orgKey)) throw alreadyEndorses(draft.organization, draft.version);
      const id = randomUUID();
      this.stmt.insert.run({ ...draft, id, organizationKey: orgKey, tokenHash });
      return this.read(draft.docId, id)!;
    });
  }

  async hasConfirmed(docId: string, version: number, orgKey: string) {
    return this.stmt.live.get(docId, version, orgKey) !== undefined;
  }

  async get(docId: string, id: string) {
    return this.read(docId, id);
  }

  async discard(docId: string, id: string) {
    this.stmt.discard.run(docId, id);
  }

  async expireUnconfirmed(now: string) {
    return this.stmt.expireUnconfirmed.run(now).changes;
  }

  async list(docId: string) {
    return this.stmt.list.all(docId).map(toEndorsement);
  }

  async peekEmail(docId: string, tokenHash: string, now: string) {
    const row = this.stmt.byToken.get(docId, tokenHash);
    return linkState(row ? toEndorsement(row) : null, now);
  }

  async confirmEmail(docId: string, tokenHash: string, now: string): Promise<EmailConfirmation> {
    return this.transaction(() => {
      const row = this.stmt.byToken.get(docId, tokenHash);
      if (!row) return { outcome: 'invalid' };
      const endorsement = toEndorsement(row);
      if (endorsement.emailConfirmedAt) return { outcome: 'already-used', endorsement };
      if (endorsement.linkExpiresAt <= now) return { outcome: 'expired', endorsement };
      this.stmt.event.run({ id: endorsement.id, kind: 'email-confirmed', actor: null, reason: null, at: now, logIndex: null });
      return { outcome: 'confirmed', endorsement: this.read(docId, endorsement.id)! };
    });
  }

  async decide(docId: string, id: string, decision: Omit<EndorsementDecision, 'logIndex'>, leafOf: LeafEncoder<EndorsementRecord>) {
    return this.transaction(() => {
      const current = this.read(docId, id);
      assertDecidable(current, id);
      let logIndex: number | null = null;
      if (decision.decision === 'confirm') {
        if (this.stmt.live.get(docId, current.version, organizationKey(current.organization))) throw alreadyEndorses(current.organization, current.version);
        logIndex = this.appendLeaf((index) => leafOf({ ...current, decision: { ...decision, logIndex: index } }));
      }
      this.stmt.event.run({ id, kind: decision.decision, actor: JSON.stringify(decision.actor), reason: decision.reason, at: decision.at, logIndex });
      return this.read(docId, id)!;
    });
  }

  async openVersion(docId: string) {
    const row = this.stmt.openGet.get(docId);
    return row ? toOpenVersion(row) : null;
  }

  async setOpenVersion(record: OpenVersionRecord) {
    this.stmt.openInsert.run(record.docId, record.version, record.setAt, JSON.stringify(record.setBy));
    return record;
  }
}
