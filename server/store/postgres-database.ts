// The PostgreSQL pool every repository of the shared store uses: opened with
// the numbered migrations applied (one process at a time), and the one
// transaction helper and one-statement query the repositories reach it by.
import pg from 'pg';
import { LOCK, type PgDatabase, type Query, type Transaction } from './postgres-common';
import { PG_MIGRATIONS } from './postgres-schema';
import { numberedMigrations } from './sqlite-schema';

// node-postgres returns BIGINT as a string; every BIGINT here is a count or a sequence number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** Connects a pool of `max` connections and brings the schema up to date. */
export async function connectPostgres(url: string, max: number): Promise<PgDatabase> {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle connection that breaks (the database restarted) must not take the process down.
  pool.on('error', () => {});
  try {
    await migrate(pool);
  } catch (err) {
    await pool.end();
    throw err;
  }
  return { pool, transaction: pgTransaction(pool), query: pgQuery(pool) };
}

export function pgTransaction(pool: pg.Pool): Transaction {
  return async (fn, opts = {}) => {
    const c = await pool.connect();
    try {
      await c.query(opts.readOnlySnapshot ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
      const result = await fn(c);
      await c.query('COMMIT');
      return result;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      c.release();
    }
  };
}

export function pgQuery(pool: pg.Pool): Query {
  return async <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> => (await pool.query<R>(sql, params)).rows;
}

/** Applies the migrations not yet applied, each in its own transaction, one process at a time. */
async function migrate(pool: pg.Pool): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query('SELECT pg_advisory_lock($1, 0)', [LOCK.migrations]);
    try {
      await c.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
      const done = new Set((await c.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
      for (const { version, sql } of numberedMigrations(PG_MIGRATIONS)) {
        if (!done.has(version)) await applyMigration(c, version, sql);
      }
    } finally {
      await c.query('SELECT pg_advisory_unlock($1, 0)', [LOCK.migrations]);
    }
  } finally {
    c.release();
  }
}

async function applyMigration(c: pg.PoolClient, version: number, sql: string): Promise<void> {
  await c.query('BEGIN');
  try {
    await c.query(sql);
    await c.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [version, new Date().toISOString()]);
    await c.query('COMMIT');
  } catch (err) {
    await c.query('ROLLBACK').catch(() => {});
    throw err;
  }
}
