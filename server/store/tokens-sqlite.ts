// API tokens and browser sessions in SQLite (the tokens table): only a
// token's hash is stored, with a public id to list and revoke it by.
import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { toTokenInfo, type TokenRow } from './rows';
import type { SqliteTransaction } from './sqlite-database';
import type { ResolvedToken, TokenInfo, TokenKind, TokenRepository } from './types';

function statements(db: Database.Database) {
  return {
    insert: db.prepare('INSERT INTO tokens (token_hash, id, user_id, kind, expires_at, created_at, admin_token_hash) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    resolve: db.prepare<[string, string], TokenRow>('SELECT * FROM tokens WHERE token_hash = ? AND (expires_at IS NULL OR expires_at > ?)'),
    byHash: db.prepare<[string], TokenRow>('SELECT * FROM tokens WHERE token_hash = ?'),
    byPublicId: db.prepare<[string, string], TokenRow>('SELECT * FROM tokens WHERE id = ? AND (expires_at IS NULL OR expires_at > ?)'),
    delete: db.prepare('DELETE FROM tokens WHERE token_hash = ?'),
    list: db.prepare<[string, string], TokenRow>('SELECT * FROM tokens WHERE user_id = ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY created_at, id'),
    ofUser: db.prepare<[string, string], TokenRow>('SELECT * FROM tokens WHERE user_id = ? AND id = ?'),
    deleteOfUser: db.prepare('DELETE FROM tokens WHERE user_id = ? AND id = ?'),
    ofKind: db.prepare<[string, string], TokenRow>('SELECT * FROM tokens WHERE user_id = ? AND kind = ?'),
    deleteOfKind: db.prepare('DELETE FROM tokens WHERE user_id = ? AND kind = ?'),
  };
}

const resolved = (row: TokenRow | undefined): ResolvedToken | null => (row ? { ...toTokenInfo(row), adminTokenHash: row.admin_token_hash } : null);

export class SqliteTokenRepository implements TokenRepository {
  private readonly stmt: ReturnType<typeof statements>;

  constructor(
    db: Database.Database,
    private readonly transaction: SqliteTransaction,
  ) {
    this.stmt = statements(db);
  }

  async create(tokenHash: string, userId: string, kind: TokenKind, expiresAt: Date | null, adminTokenHash: string | null = null) {
    const id = randomBytes(8).toString('hex');
    this.stmt.insert.run(tokenHash, id, userId, kind, expiresAt?.toISOString() ?? null, new Date().toISOString(), adminTokenHash);
    return toTokenInfo(this.stmt.byHash.get(tokenHash)!);
  }

  async resolve(tokenHash: string, now: Date) {
    return resolved(this.stmt.resolve.get(tokenHash, now.toISOString()));
  }

  async byId(id: string, now: Date) {
    return resolved(this.stmt.byPublicId.get(id, now.toISOString()));
  }

  async delete(tokenHash: string) {
    return this.transaction(() => {
      const row = this.stmt.byHash.get(tokenHash);
      if (!row) return null;
      this.stmt.delete.run(tokenHash);
      return toTokenInfo(row);
    });
  }

  async list(userId: string, now: Date) {
    return this.stmt.list.all(userId, now.toISOString()).map(toTokenInfo);
  }

  async revoke(userId: string, id: string) {
    return this.transaction(() => {
      const row = this.stmt.ofUser.get(userId, id);
      if (!row) return null;
      this.stmt.deleteOfUser.run(userId, id);
      return toTokenInfo(row);
    });
  }

  async revokeAll(userId: string, kinds: readonly TokenKind[]): Promise<TokenInfo[]> {
    return this.transaction(() =>
      kinds.flatMap((kind) => {
        const rows = this.stmt.ofKind.all(userId, kind);
        this.stmt.deleteOfKind.run(userId, kind);
        return rows.map(toTokenInfo);
      }),
    );
  }
}
