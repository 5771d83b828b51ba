// Attribution in PostgreSQL (migration 5 in postgres-schema.ts), the same
// contract as attribution-sqlite.ts. A claim is INSERT ... ON CONFLICT DO
// NOTHING, so two processes claiming one client id for two accounts cannot
// both win: the loser reads the stored owner in the same transaction.
import type { AttributionRepository, ClientClaim, DeletionRecord, StoredAttributionPolicy } from './attribution-types';
import { bytes } from './bytes';
import type { PgDatabase } from './postgres-common';

interface ClaimRow {
  client_id: number;
  user_id: string;
  claimed_at: string;
  note: string | null;
}

interface PolicyRow {
  visibility: StoredAttributionPolicy['visibility'];
  public_shares: boolean;
  set_by: string;
  set_at: string;
}

const toClaim = (r: ClaimRow): ClientClaim => ({ clientId: Number(r.client_id), userId: r.user_id, claimedAt: r.claimed_at, note: r.note });

export class PgAttributionRepository implements AttributionRepository {
  constructor(private readonly db: PgDatabase) {}

  async claims(docId: string) {
    return (await this.db.query<ClaimRow>('SELECT client_id, user_id, claimed_at, note FROM client_owners WHERE doc_id = $1', [docId])).map(toClaim);
  }

  async claim(docId: string, claims: readonly ClientClaim[]) {
    if (claims.length === 0) return [];
    return this.db.transaction(async (c) => {
      const lost: ClientClaim[] = [];
      for (const claim of claims) {
        const inserted = await c.query(
          'INSERT INTO client_owners (doc_id, client_id, user_id, claimed_at, note) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (doc_id, client_id) DO NOTHING',
          [docId, claim.clientId, claim.userId, claim.claimedAt, claim.note],
        );
        if ((inserted.rowCount ?? 0) > 0) continue;
        const held = (await c.query<ClaimRow>('SELECT client_id, user_id, claimed_at, note FROM client_owners WHERE doc_id = $1 AND client_id = $2', [docId, claim.clientId])).rows[0];
        if (held && held.user_id !== claim.userId) lost.push(toClaim(held));
      }
      return lost;
    });
  }

  async recordDeletions(docId: string, deletions: readonly DeletionRecord[]) {
    if (deletions.length === 0) return;
    await this.db.query(
      'INSERT INTO deletions (doc_id, client_id, clock, len, user_id, deleted_at) SELECT $1, c, k, l, u, t FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::text[]) AS d(c, k, l, u, t)',
      [docId, deletions.map((d) => d.clientId), deletions.map((d) => d.clock), deletions.map((d) => d.len), deletions.map((d) => d.userId), deletions.map((d) => d.deletedAt)],
    );
  }

  async deletions(docId: string): Promise<DeletionRecord[]> {
    const rows = await this.db.query<{ client_id: number; clock: number; len: number; user_id: string; deleted_at: string }>(
      'SELECT client_id, clock, len, user_id, deleted_at FROM deletions WHERE doc_id = $1 ORDER BY seq',
      [docId],
    );
    return rows.map((r) => ({ clientId: Number(r.client_id), clock: Number(r.clock), len: Number(r.len), userId: r.user_id, deletedAt: r.deleted_at }));
  }

  async saveVersionState(docId: string, number: number, state: Uint8Array) {
    await this.db.query('INSERT INTO version_states (doc_id, number, state) VALUES ($1, $2, $3) ON CONFLICT (doc_id, number) DO NOTHING', [docId, number, Buffer.from(state)]);
  }

  async saveVersionStateSameAs(docId: string, number: number, sameAs: number) {
    // Pointing at the version that holds the bytes, so a lookup is always one step.
    await this.db.query(
      `INSERT INTO version_states (doc_id, number, same_as)
       SELECT $1, $2, coalesce((SELECT same_as FROM version_states WHERE doc_id = $1 AND number = $3), $3)
       ON CONFLICT (doc_id, number) DO NOTHING`,
      [docId, number, sameAs],
    );
  }

  async versionState(docId: string, number: number) {
    const [row] = await this.db.query<{ state: Buffer | null }>(
      `SELECT coalesce(v.state, (SELECT s.state FROM version_states s WHERE s.doc_id = v.doc_id AND s.number = v.same_as)) AS state
       FROM version_states v WHERE v.doc_id = $1 AND v.number = $2`,
      [docId, number],
    );
    return row?.state ? bytes(row.state) : null;
  }

  async policy(docId: string) {
    const [row] = await this.db.query<PolicyRow>('SELECT visibility, public_shares, set_by, set_at FROM attribution_policies WHERE doc_id = $1', [docId]);
    return row ? { visibility: row.visibility, publicShares: row.public_shares, setBy: row.set_by, setAt: row.set_at } : null;
  }

  async setPolicy(docId: string, p: StoredAttributionPolicy) {
    await this.db.query(
      `INSERT INTO attribution_policies (doc_id, visibility, public_shares, set_by, set_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (doc_id) DO UPDATE SET visibility = EXCLUDED.visibility, public_shares = EXCLUDED.public_shares, set_by = EXCLUDED.set_by, set_at = EXCLUDED.set_at`,
      [docId, p.visibility, p.publicShares, p.setBy, p.setAt],
    );
  }
}
