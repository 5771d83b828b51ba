// Attribution in SQLite (migration 8 in sqlite-schema.ts): client id owners,
// the Yjs state of frozen versions, attribution policies. Claims are one
// transaction: an id already owned keeps its owner, and the losing claims
// are returned.
import type Database from 'better-sqlite3';
import type { AttributionRepository, ClientClaim, DeletionRecord, StoredAttributionPolicy } from './attribution-types';
import { bytes } from './bytes';
import type { SqliteTransaction } from './sqlite-database';

interface ClaimRow {
  client_id: number;
  user_id: string;
  claimed_at: string;
  note: string | null;
}

interface PolicyRow {
  visibility: StoredAttributionPolicy['visibility'];
  public_shares: number;
  set_by: string;
  set_at: string;
}

const toClaim = (r: ClaimRow): ClientClaim => ({ clientId: r.client_id, userId: r.user_id, claimedAt: r.claimed_at, note: r.note });

function statements(db: Database.Database) {
  return {
    claims: db.prepare<[string], ClaimRow>('SELECT client_id, user_id, claimed_at, note FROM client_owners WHERE doc_id = ?'),
    insert: db.prepare('INSERT INTO client_owners (doc_id, client_id, user_id, claimed_at, note) VALUES (?, ?, ?, ?, ?) ON CONFLICT (doc_id, client_id) DO NOTHING'),
    owner: db.prepare<[string, number], ClaimRow>('SELECT client_id, user_id, claimed_at, note FROM client_owners WHERE doc_id = ? AND client_id = ?'),
    deletion: db.prepare('INSERT INTO deletions (doc_id, client_id, clock, len, user_id, deleted_at) VALUES (?, ?, ?, ?, ?, ?)'),
    deletions: db.prepare<[string], { client_id: number; clock: number; len: number; user_id: string; deleted_at: string }>(
      'SELECT client_id, clock, len, user_id, deleted_at FROM deletions WHERE doc_id = ? ORDER BY rowid',
    ),
    saveState: db.prepare('INSERT INTO version_states (doc_id, number, state) VALUES (?, ?, ?) ON CONFLICT (doc_id, number) DO NOTHING'),
    sameAs: db.prepare('INSERT INTO version_states (doc_id, number, same_as) VALUES (?, ?, ?) ON CONFLICT (doc_id, number) DO NOTHING'),
    pointerOf: db.prepare<[string, number], { same_as: number | null }>('SELECT same_as FROM version_states WHERE doc_id = ? AND number = ?'),
    // A version frozen from the same state as an earlier one points at it (one step: it never points at a pointer).
    state: db.prepare<[string, number], { state: Buffer | null }>(
      `SELECT coalesce(v.state, (SELECT s.state FROM version_states s WHERE s.doc_id = v.doc_id AND s.number = v.same_as)) AS state
       FROM version_states v WHERE v.doc_id = ? AND v.number = ?`,
    ),
    policy: db.prepare<[string], PolicyRow>('SELECT visibility, public_shares, set_by, set_at FROM attribution_policies WHERE doc_id = ?'),
    setPolicy: db.prepare(
      `INSERT INTO attribution_policies (doc_id, visibility, public_shares, set_by, set_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (doc_id) DO UPDATE SET visibility = excluded.visibility, public_shares = excluded.public_shares, set_by = excluded.set_by, set_at = excluded.set_at`,
    ),
  };
}

export class SqliteAttributionRepository implements AttributionRepository {
  private readonly stmt: ReturnType<typeof statements>;

  constructor(
    db: Database.Database,
    private readonly transaction: SqliteTransaction,
  ) {
    this.stmt = statements(db);
  }

  async claims(docId: string) {
    return this.stmt.claims.all(docId).map(toClaim);
  }

  async claim(docId: string, claims: readonly ClientClaim[]) {
    return this.transaction(() => {
      const lost: ClientClaim[] = [];
      for (const c of claims) {
        if (this.stmt.insert.run(docId, c.clientId, c.userId, c.claimedAt, c.note).changes > 0) continue;
        const held = this.stmt.owner.get(docId, c.clientId);
        if (held && held.user_id !== c.userId) lost.push(toClaim(held));
      }
      return lost;
    });
  }

  async recordDeletions(docId: string, deletions: readonly DeletionRecord[]) {
    this.transaction(() => {
      for (const d of deletions) this.stmt.deletion.run(docId, d.clientId, d.clock, d.len, d.userId, d.deletedAt);
    });
  }

  async deletions(docId: string): Promise<DeletionRecord[]> {
    return this.stmt.deletions.all(docId).map((r) => ({ clientId: r.client_id, clock: r.clock, len: r.len, userId: r.user_id, deletedAt: r.deleted_at }));
  }

  async saveVersionState(docId: string, number: number, state: Uint8Array) {
    this.stmt.saveState.run(docId, number, Buffer.from(state));
  }

  async saveVersionStateSameAs(docId: string, number: number, sameAs: number) {
    // Pointing at the version that holds the bytes, so a lookup is always one step.
    const target = this.stmt.pointerOf.get(docId, sameAs);
    this.stmt.sameAs.run(docId, number, target?.same_as ?? sameAs);
  }

  async versionState(docId: string, number: number) {
    const row = this.stmt.state.get(docId, number);
    return row?.state ? bytes(row.state) : null;
  }

  async policy(docId: string) {
    const row = this.stmt.policy.get(docId);
    return row ? { visibility: row.visibility, publicShares: row.public_shares === 1, setBy: row.set_by, setAt: row.set_at } : null;
  }

  async setPolicy(docId: string, p: StoredAttributionPolicy) {
    this.stmt.setPolicy.run(docId, p.visibility, p.publicShares ? 1 : 0, p.setBy, p.setAt);
  }
}
