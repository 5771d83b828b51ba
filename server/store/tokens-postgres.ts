// API tokens and browser sessions in PostgreSQL, the same contract as
// tokens-sqlite.ts: only a token's hash is stored; deletions return what they deleted.
import { randomBytes } from 'node:crypto';
import type { PgDatabase } from './postgres-common';
import { toTokenInfo, type TokenRow } from './rows';
import type { ResolvedToken, TokenInfo, TokenKind, TokenRepository } from './types';

const LIVE = '(expires_at IS NULL OR expires_at > $2)';

const resolved = (row: TokenRow | undefined): ResolvedToken | null => (row ? { ...toTokenInfo(row), adminTokenHash: row.admin_token_hash } : null);

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export class PgTokenRepository implements TokenRepository {
  constructor(private readonly db: PgDatabase) {}

  async create(tokenHash: string, userId: string, kind: TokenKind, expiresAt: Date | null, adminTokenHash: string | null = null) {
    const id = randomBytes(8).toString('hex');
    const [row] = await this.db.query<TokenRow>(
      'INSERT INTO tokens (token_hash, id, user_id, kind, expires_at, created_at, admin_token_hash) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *',
      [tokenHash, id, userId, kind, expiresAt?.toISOString() ?? null, new Date().toISOString(), adminTokenHash],
    );
    return toTokenInfo(row!);
  }

  async resolve(tokenHash: string, now: Date) {
    return resolved((await this.db.query<TokenRow>(`SELECT * FROM tokens WHERE token_hash = $1 AND ${LIVE}`, [tokenHash, now.toISOString()]))[0]);
  }

  async byId(id: string, now: Date) {
    return resolved((await this.db.query<TokenRow>(`SELECT * FROM tokens WHERE id = $1 AND ${LIVE}`, [id, now.toISOString()]))[0]);
  }

  async delete(tokenHash: string) {
    const [row] = await this.db.query<TokenRow>('DELETE FROM tokens WHERE token_hash = $1 RETURNING *', [tokenHash]);
    return row ? toTokenInfo(row) : null;
  }

  async list(userId: string, now: Date) {
    return (await this.db.query<TokenRow>(`SELECT * FROM tokens WHERE user_id = $1 AND ${LIVE} ORDER BY created_at, id`, [userId, now.toISOString()])).map(toTokenInfo);
  }

  async revoke(userId: string, id: string) {
    const [row] = await this.db.query<TokenRow>('DELETE FROM tokens WHERE user_id = $1 AND id = $2 RETURNING *', [userId, id]);
    return row ? toTokenInfo(row) : null;
  }

  async revokeAll(userId: string, kinds: readonly TokenKind[]): Promise<TokenInfo[]> {
    if (kinds.length === 0) return [];
    const rows = await this.db.query<TokenRow>('DELETE FROM tokens WHERE user_id = $1 AND kind = ANY($2::text[]) RETURNING *', [userId, [...kinds]]);
    // Same order as SQLite's: by kind as asked, then as stored.
    return kinds.flatMap((kind) => rows.filter((r) => r.kind === kind).sort((a, b) => cmp(a.created_at, b.created_at) || cmp(a.id, b.id))).map(toTokenInfo);
  }
}
