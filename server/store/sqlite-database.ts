// The SQLite connection every repository of the embedded store shares: the
// file (created 0600), WAL mode and its pragmas, the numbered migrations, and
// the one transaction helper. Nothing here knows a table but the migrations'.
import Database from 'better-sqlite3';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { MIGRATIONS, numberedMigrations } from './sqlite-schema';

/** Runs `fn` in one transaction (BEGIN IMMEDIATE), committed when it returns; nested calls join the outer one. */
export type SqliteTransaction = <T>(fn: () => T) => T;

/** Opens (or creates) the database file and brings its schema up to date. */
export function openSqliteDatabase(file: string): Database.Database {
  // Accounts, sessions and contacts live here: readable by the server's user only. SQLite gives
  // its -wal and -shm files the database file's mode, so creating it 0600 covers all three.
  if (!existsSync(file)) writeFileSync(file, '', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode survives a process crash (kill -9); only power loss may lose the last commit.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

export function sqliteTransaction(db: Database.Database): SqliteTransaction {
  return (fn) => (db.inTransaction ? fn() : db.transaction(fn).immediate());
}

export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Error && 'code' in err && String((err as { code: unknown }).code).startsWith('SQLITE_CONSTRAINT');
}

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  const done = new Set(db.prepare<[], { version: number }>('SELECT version FROM schema_migrations').all().map((r) => r.version));
  numberedMigrations(MIGRATIONS).forEach(({ version, sql }) => {
    if (done.has(version)) return;
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version, new Date().toISOString());
    })();
  });
}
