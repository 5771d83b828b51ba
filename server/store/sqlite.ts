// The embedded store: one SQLite file in DATA_DIR through better-sqlite3, WAL
// mode. Every write is a committed transaction before the call returns, so a
// kill -9 of the process loses nothing a caller was told is stored. This file
// only assembles it: one repository per file (*-sqlite.ts), sharing the
// connection and its transaction helper (sqlite-database.ts).
import type Database from 'better-sqlite3';
import type { CheckpointSigner, Store } from './types';
import { openSqliteDatabase, sqliteTransaction, type SqliteTransaction } from './sqlite-database';
import { SqliteUserRepository } from './users-sqlite';
import { SqliteTokenRepository } from './tokens-sqlite';
import { SqliteDocumentRepository } from './documents-sqlite';
import { SqliteUpdateRepository } from './updates-sqlite';
import { SqliteLogRepository, type SqliteAppendLeaf } from './log-sqlite';
import { SqliteVersionRepository } from './versions-sqlite';
import { SqliteAmendmentRepository } from './amendments-sqlite';
import { SqliteEndorsementRepository } from './endorsements-sqlite';
import { SqliteRateLimitRepository } from './rate-limits-sqlite';
import { SqliteAttributionRepository } from './attribution-sqlite';
import { SqliteHistoryRepository } from './history-sqlite';
import { SqliteCosignatureRepository } from './cosignatures-sqlite';
import { foldHere, type Fold } from './fold';

export interface SqliteStore extends Store {
  /** The underlying handle, for the log's transactional appends and for tests. */
  readonly db: Database.Database;
  /** Runs `fn` in one transaction; nested calls join the outer one. */
  transaction: SqliteTransaction;
  /** Appends `leaf` to the log inside the current transaction; returns its index. */
  appendLogLeaf: SqliteAppendLeaf;
}

export function openSqliteStore(file: string, signCheckpoint: CheckpointSigner, options: { fold?: Fold } = {}): SqliteStore {
  const db = openSqliteDatabase(file);
  const transaction = sqliteTransaction(db);
  const log = new SqliteLogRepository(db, signCheckpoint);
  return {
    db,
    transaction,
    appendLogLeaf: log.append,
    users: new SqliteUserRepository(db),
    tokens: new SqliteTokenRepository(db, transaction),
    documents: new SqliteDocumentRepository(db, transaction),
    updates: new SqliteUpdateRepository(db, transaction, options.fold ?? foldHere),
    versions: new SqliteVersionRepository(db, transaction, log.append),
    log,
    amendments: new SqliteAmendmentRepository(db, transaction, log.append),
    endorsements: new SqliteEndorsementRepository(db, transaction, log.append),
    rateLimits: new SqliteRateLimitRepository(db, transaction),
    attribution: new SqliteAttributionRepository(db, transaction),
    history: new SqliteHistoryRepository(db, transaction),
    cosignatures: new SqliteCosignatureRepository(db),
    exclusive: processLocks(),
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      db.close();
    },
  };
}

/** Named locks within this process (one process owns a SQLite file): a promise chain per name. */
function processLocks(): Store['exclusive'] {
  const locks = new Map<string, Promise<void>>();
  return async (name, fn) => {
    const previous = locks.get(name) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const settled = run.then(noop, noop);
    locks.set(name, settled);
    try {
      return await run;
    } finally {
      if (locks.get(name) === settled) locks.delete(name);
    }
  };
}

function noop(): void {}
