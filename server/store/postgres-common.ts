// What the PostgreSQL store's repositories share (postgres.ts assembles the
// store; postgres-database.ts opens the pool and implements these): the
// connection type, advisory lock classes, the transaction, query and
// log-append signatures, and the one way an update is stored.
import type pg from 'pg';

export type Client = pg.PoolClient;

/** Advisory lock classes (the first key of pg_advisory_xact_lock(int, int)). */
export const LOCK = { migrations: 1, document: 2, amendments: 3, exclusive: 4, organization: 5, history: 6 } as const;

/** Runs `fn` in one transaction on one pooled connection: committed when it returns, rolled back when it throws. */
export type Transaction = <T>(fn: (c: Client) => Promise<T>, options?: { readOnlySnapshot?: boolean }) => Promise<T>;

/** Runs one statement on any pooled connection (its own transaction); returns its rows. */
export type Query = <R extends pg.QueryResultRow>(sql: string, params?: unknown[]) => Promise<R[]>;

/** The pool and the two ways every repository reaches it. */
export interface PgDatabase {
  readonly pool: pg.Pool;
  readonly transaction: Transaction;
  readonly query: Query;
}

/** Appends a leaf to the log inside the caller's transaction; returns its index. */
export type AppendLogLeaf = (c: Client, leaf: (logIndex: number) => Uint8Array) => Promise<number>;

/** Stores an update of a document inside the caller's transaction, after that document's earlier appends; returns its seq. */
export async function insertUpdate(c: Client, docId: string, update: Uint8Array): Promise<number> {
  await c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK.document, docId]);
  const { rows } = await c.query<{ seq: number }>('INSERT INTO updates (doc_id, data) VALUES ($1, $2) RETURNING seq', [docId, Buffer.from(update)]);
  return rows[0]!.seq;
}

export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}
