// Accounts in PostgreSQL, the same contract as users-sqlite.ts: the e-mail
// unique in any case (a unique index on lower(email)).
import { randomUUID } from 'node:crypto';
import type { Locale } from '../../core/i18n/locales';
import { errorText } from '../../core/i18n/messages/errors';
import { isUniqueViolation, type PgDatabase } from './postgres-common';
import { toAccount, toUser, type UserRow } from './rows';
import { ConflictError } from '../errors';
import type { NewUser, UserRepository } from './types';

export class PgUserRepository implements UserRepository {
  constructor(private readonly db: PgDatabase) {}

  private async row(id: string): Promise<UserRow | undefined> {
    return (await this.db.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]))[0];
  }

  async create(user: NewUser) {
    const id = randomUUID();
    try {
      await this.db.query(
        `INSERT INTO users (id, name, email, organization, stakeholder_group, role, password_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [id, user.name, user.email, user.organization, user.stakeholderGroup, user.role, user.passwordHash, new Date().toISOString()],
      );
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError(errorText('account.emailTaken', { email: user.email }));
      throw err;
    }
    return toUser((await this.row(id))!);
  }

  async byId(id: string) {
    const row = await this.row(id);
    return row ? toUser(row) : null;
  }

  async account(id: string) {
    const row = await this.row(id);
    return row ? toAccount(row) : null;
  }

  async list() {
    return (await this.db.query<UserRow>('SELECT * FROM users ORDER BY created_at, id')).map(toAccount);
  }

  async credentials(email: string) {
    const [row] = await this.db.query<UserRow>('SELECT * FROM users WHERE lower(email) = lower($1)', [email]);
    return row ? { ...toAccount(row), passwordHash: row.password_hash } : null;
  }

  async setDisabled(id: string, disabledAt: string | null) {
    const [row] = await this.db.query<UserRow>('UPDATE users SET disabled_at = $1 WHERE id = $2 RETURNING *', [disabledAt, id]);
    return row ? toAccount(row) : null;
  }

  async setLanguage(id: string, language: Locale) {
    const [row] = await this.db.query<UserRow>('UPDATE users SET language = $1 WHERE id = $2 RETURNING *', [language, id]);
    return row ? toUser(row) : null;
  }

  async count() {
    return Number((await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users'))[0]!.n);
  }
}
