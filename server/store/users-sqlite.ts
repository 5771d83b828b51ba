// Accounts in SQLite (the users table): one row per person, the e-mail
// unique in any case; a stopped account keeps its row with disabled_at set.
import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { Locale } from '../../core/i18n/locales';
import { errorText } from '../../core/i18n/messages/errors';
import { toAccount, toUser, type UserRow } from './rows';
import { isUniqueViolation } from './sqlite-database';
import { ConflictError } from '../errors';
import type { NewUser, UserRepository } from './types';

function statements(db: Database.Database) {
  return {
    insert: db.prepare(
      `INSERT INTO users (id, name, email, organization, stakeholder_group, role, password_hash, created_at)
       VALUES (@id, @name, @email, @organization, @stakeholderGroup, @role, @passwordHash, @createdAt)`,
    ),
    byId: db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?'),
    byEmail: db.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ? COLLATE NOCASE'),
    count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM users'),
    list: db.prepare<[], UserRow>('SELECT * FROM users ORDER BY created_at, id'),
    setDisabled: db.prepare<[string | null, string]>('UPDATE users SET disabled_at = ? WHERE id = ?'),
    setLanguage: db.prepare<[string, string]>('UPDATE users SET language = ? WHERE id = ?'),
  };
}

export class SqliteUserRepository implements UserRepository {
  private readonly stmt: ReturnType<typeof statements>;

  constructor(db: Database.Database) {
    this.stmt = statements(db);
  }

  async create(user: NewUser) {
    const id = randomUUID();
    try {
      this.stmt.insert.run({ ...user, id, createdAt: new Date().toISOString() });
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError(errorText('account.emailTaken', { email: user.email }));
      throw err;
    }
    return toUser(this.stmt.byId.get(id)!);
  }

  async byId(id: string) {
    const row = this.stmt.byId.get(id);
    return row ? toUser(row) : null;
  }

  async account(id: string) {
    const row = this.stmt.byId.get(id);
    return row ? toAccount(row) : null;
  }

  async list() {
    return this.stmt.list.all().map(toAccount);
  }

  async credentials(email: string) {
    const row = this.stmt.byEmail.get(email);
    return row ? { ...toAccount(row), passwordHash: row.password_hash } : null;
  }

  async setDisabled(id: string, disabledAt: string | null) {
    this.stmt.setDisabled.run(disabledAt, id);
    return this.account(id);
  }

  async setLanguage(id: string, language: Locale) {
    this.stmt.setLanguage.run(language, id);
    return this.byId(id);
  }

  async count() {
    return this.stmt.count.get()!.n;
  }
}
