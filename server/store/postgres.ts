// The shared store: PostgreSQL through node-postgres (ACCORD_DATABASE_URL),
// for several processes serving the same documents. Every operation that is
// one transaction on SQLite is one here. Appends to the log lock the tree
// head row (SELECT ... FOR UPDATE), so appends from every process are
// serialised and the Merkle tree and its checkpoints never fork; appends to a
// document's updates take that document's advisory lock, so its seq order is
// its commit order. Never holds a lock across anything but its own queries.
// This file only assembles it: one repository per file (*-postgres.ts),
// sharing the pool and its transaction helper (postgres-database.ts).
import type pg from 'pg';
import type { CheckpointSigner, Store } from './types';
import { LOCK, type PgDatabase } from './postgres-common';
import { connectPostgres } from './postgres-database';
import { PgUserRepository } from './users-postgres';
import { PgTokenRepository } from './tokens-postgres';
import { PgDocumentRepository } from './documents-postgres';
import { PgUpdateRepository } from './updates-postgres';
import { PgLogRepository } from './log-postgres';
import { PgVersionRepository } from './versions-postgres';
import { PgAmendmentRepository } from './amendments-postgres';
import { PgEndorsementRepository, rekeyPgEndorsements } from './endorsements-postgres';
import { PgRateLimitRepository } from './rate-limits-postgres';
import { PgAttributionRepository } from './attribution-postgres';
import { PgHistoryRepository } from './history-postgres';
import { PgCosignatureRepository } from './cosignatures-postgres';
import { foldHere, type Fold } from './fold';

export interface PostgresStore extends Store {
  readonly pool: pg.Pool;
  /** The log's signing key kept in the database (ACCORD_LOG_KEY=database): the stored one, or `generate()`'s, stored once. */
  sharedSignerKey(generate: () => string): Promise<string>;
}

export interface PostgresOptions {
  fold?: Fold;
  /** Connections in the pool (default 10). */
  max?: number;
}

export async function openPostgresStore(url: string, signCheckpoint: CheckpointSigner, options: PostgresOptions = {}): Promise<PostgresStore> {
  const db = await connectPostgres(url, options.max ?? 10);
  const { pool } = db;
  try {
    await rekeyPgEndorsements(pool);
  } catch (err) {
    await pool.end();
    throw err;
  }
  const log = new PgLogRepository(db, signCheckpoint);
  return {
    pool,
    users: new PgUserRepository(db),
    tokens: new PgTokenRepository(db),
    documents: new PgDocumentRepository(db),
    updates: new PgUpdateRepository(db, options.fold ?? foldHere),
    versions: new PgVersionRepository(db, log.append),
    log,
    amendments: new PgAmendmentRepository(db, log.append),
    endorsements: new PgEndorsementRepository(db, log.append),
    rateLimits: new PgRateLimitRepository(db),
    attribution: new PgAttributionRepository(db),
    history: new PgHistoryRepository(db),
    cosignatures: new PgCosignatureRepository(db),
    exclusive: (name, fn) => exclusive(db, name, fn),
    sharedSignerKey: (generate) => sharedSignerKey(db, generate),
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      await pool.end();
    },
  };
}

/** A session-level advisory lock on one connection, held while `fn` runs: one holder across every process. */
async function exclusive<T>(db: PgDatabase, name: string, fn: () => Promise<T>): Promise<T> {
  const c = await db.pool.connect();
  try {
    await c.query('SELECT pg_advisory_lock($1, hashtext($2))', [LOCK.exclusive, name]);
    try {
      return await fn();
    } finally {
      await c.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK.exclusive, name]);
    }
  } finally {
    c.release();
  }
}

async function sharedSignerKey(db: PgDatabase, generate: () => string): Promise<string> {
  await db.query('INSERT INTO log_key (id, signer_key) VALUES (1, $1) ON CONFLICT (id) DO NOTHING', [generate()]);
  return (await db.query<{ signer_key: string }>('SELECT signer_key FROM log_key WHERE id = 1'))[0]!.signer_key;
}
