// The shared store: PostgreSQL through node-postgres (ACCORD_DATABASE_URL),
// for several processes serving the same documents. Every operation that is
// one transaction on SQLite is one here. Appends to the log lock the tree
// head row (SELECT ... FOR UPDATE), so appends from every process are
// serialised and the Merkle tree and its checkpoints never fork; appends to a
// document's updates take that document's advisory lock, so its seq order is
// its commit order. Never holds a lock across anything but its own queries.
import { errorText } from '../../core/i18n/messages/errors';
import pg from 'pg';
import { randomBytes, randomUUID } from 'node:crypto';
import type { DocumentSummary } from '../../core/api';
import { appendIndexes, storedHashesForRecord, storedHashIndex, treeHash, treeHashIndexes, type Hash, type HashReader } from '../../core/tlog/merkle';
import { ConflictError, type CheckpointSigner, type Store, type StoredUpdates, type VersionRecord } from './types';
import { PG_MIGRATIONS } from './postgres-schema';
import { numberedMigrations } from './sqlite-schema';
import { insertUpdate, isUniqueViolation, LOCK, type AppendLogLeaf, type Client, type Transaction } from './postgres-common';

import { DEFAULT_LANGUAGE } from '../../core/language';
import { toAccount, toTokenInfo, toUser, toVersion, toVersionHead, VERSION_HEAD_COLUMNS, withContent, type TokenRow, type UserRow, type VersionRow } from './rows';
import { createPgAmendmentRepository } from './amendments-postgres';
import { createPgEndorsementRepository } from './endorsements-postgres';
import { createPgRateLimitRepository } from './rate-limits-postgres';
import { createPgAttributionRepository } from './attribution-postgres';
import { createPgHistoryRepository } from './history-postgres';
import { foldUpdates } from './fold';
import { organizationKey } from '../../core/endorsements';
import type { Fold } from './sqlite';
import { bytes } from './bytes';

// node-postgres returns BIGINT as a string; every BIGINT here is a count or a sequence number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

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
  const fold: Fold = options.fold ?? (async (snapshot, updates) => foldUpdates(snapshot, updates));
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  // An idle connection that breaks (the database restarted) must not take the process down.
  pool.on('error', () => {});
  try {
    await migrate(pool);
  } catch (err) {
    await pool.end();
    throw err;
  }

  const transaction: Transaction = async (fn, opts = {}) => {
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

  const query = async <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> => (await pool.query<R>(sql, params)).rows;

  async function readHashes(c: Client | pg.Pool, indexes: number[]): Promise<Hash[]> {
    if (indexes.length === 0) return [];
    const { rows } = await c.query<{ idx: number; hash: Buffer }>('SELECT idx, hash FROM log_hashes WHERE idx = ANY($1::bigint[])', [indexes]);
    const byIndex = new Map(rows.map((r) => [r.idx, bytes(r.hash)]));
    return indexes.map((i) => {
      const h = byIndex.get(i);
      if (!h) throw new Error(`log hash ${i} is missing`);
      return h;
    });
  }

  const appendLogLeaf: AppendLogLeaf = async (c, leafAt) => {
    // The tree head's row lock serialises appends across every process until this transaction ends.
    const { rows } = await c.query<{ size: number }>('SELECT size FROM log_head WHERE id = 1 FOR UPDATE');
    const index = rows[0]!.size;
    const leaf = leafAt(index);
    const first = storedHashIndex(0, index);
    // Everything the new hashes and the new root read: stored hashes before `first`, or ones this append computes.
    const before = [...new Set([...appendIndexes(index), ...treeHashIndexes(index + 1)].filter((i) => i < first))];
    const known = new Map<number, Hash>();
    (await readHashes(c, before)).forEach((h, i) => known.set(before[i]!, h));
    const reader: HashReader = {
      readHashes: (wanted) =>
        wanted.map((i) => {
          const h = known.get(i);
          if (!h) throw new Error(`log hash ${i} is missing`);
          return h;
        }),
    };
    const fresh = storedHashesForRecord(index, leaf, reader);
    fresh.forEach((h, i) => known.set(first + i, h));
    await c.query('INSERT INTO log_leaves (idx, data) VALUES ($1, $2)', [index, Buffer.from(leaf)]);
    await c.query('INSERT INTO log_hashes (idx, hash) SELECT * FROM unnest($1::bigint[], $2::bytea[])', [
      fresh.map((_, i) => first + i),
      fresh.map((h) => Buffer.from(h)),
    ]);
    await c.query('INSERT INTO log_checkpoints (tree_size, note) VALUES ($1, $2)', [index + 1, signCheckpoint(index + 1, treeHash(index + 1, reader))]);
    await c.query('UPDATE log_head SET size = $1 WHERE id = 1', [index + 1]);
    return index;
  };

  const userById = async (c: Client | pg.Pool, id: string) => (await c.query<UserRow>('SELECT * FROM users WHERE id = $1', [id])).rows[0];
  const tokenRow = async (c: Client | pg.Pool, sql: string, params: unknown[]) => (await c.query<TokenRow>(sql, params)).rows[0];
  const resolved = (row: TokenRow | undefined) => (row ? { ...toTokenInfo(row), adminTokenHash: row.admin_token_hash } : null);

  await rekeyEndorsements(pool);

  const store: PostgresStore = {
    pool,
    users: {
      async create(user) {
        const id = randomUUID();
        try {
          await pool.query(
            `INSERT INTO users (id, name, email, organization, stakeholder_group, role, password_hash, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
            [id, user.name, user.email, user.organization, user.stakeholderGroup, user.role, user.passwordHash, new Date().toISOString()],
          );
        } catch (err) {
          if (isUniqueViolation(err)) throw new ConflictError(errorText('account.emailTaken', { email: user.email }));
          throw err;
        }
        return toUser((await userById(pool, id))!);
      },
      async byId(id) {
        const row = await userById(pool, id);
        return row ? toUser(row) : null;
      },
      async account(id) {
        const row = await userById(pool, id);
        return row ? toAccount(row) : null;
      },
      async list() {
        return (await query<UserRow>('SELECT * FROM users ORDER BY created_at, id')).map(toAccount);
      },
      async credentials(email) {
        const [row] = await query<UserRow>('SELECT * FROM users WHERE lower(email) = lower($1)', [email]);
        return row ? { ...toAccount(row), passwordHash: row.password_hash } : null;
      },
      async setDisabled(id, disabledAt) {
        const [row] = await query<UserRow>('UPDATE users SET disabled_at = $1 WHERE id = $2 RETURNING *', [disabledAt, id]);
        return row ? toAccount(row) : null;
      },
      async setLanguage(id, language) {
        const [row] = await query<UserRow>('UPDATE users SET language = $1 WHERE id = $2 RETURNING *', [language, id]);
        return row ? toUser(row) : null;
      },
      async count() {
        return Number((await query<{ n: number }>('SELECT count(*)::int AS n FROM users'))[0]!.n);
      },
    },
    tokens: {
      async create(tokenHash, userId, kind, expiresAt, adminTokenHash = null) {
        const id = randomBytes(8).toString('hex');
        const [row] = await query<TokenRow>(
          'INSERT INTO tokens (token_hash, id, user_id, kind, expires_at, created_at, admin_token_hash) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *',
          [tokenHash, id, userId, kind, expiresAt?.toISOString() ?? null, new Date().toISOString(), adminTokenHash],
        );
        return toTokenInfo(row!);
      },
      async resolve(tokenHash, now) {
        return resolved(await tokenRow(pool, 'SELECT * FROM tokens WHERE token_hash = $1 AND (expires_at IS NULL OR expires_at > $2)', [tokenHash, now.toISOString()]));
      },
      async byId(id, now) {
        return resolved(await tokenRow(pool, 'SELECT * FROM tokens WHERE id = $1 AND (expires_at IS NULL OR expires_at > $2)', [id, now.toISOString()]));
      },
      async delete(tokenHash) {
        const [row] = await query<TokenRow>('DELETE FROM tokens WHERE token_hash = $1 RETURNING *', [tokenHash]);
        return row ? toTokenInfo(row) : null;
      },
      async list(userId, now) {
        return (
          await query<TokenRow>('SELECT * FROM tokens WHERE user_id = $1 AND (expires_at IS NULL OR expires_at > $2) ORDER BY created_at, id', [userId, now.toISOString()])
        ).map(toTokenInfo);
      },
      async revoke(userId, id) {
        const [row] = await query<TokenRow>('DELETE FROM tokens WHERE user_id = $1 AND id = $2 RETURNING *', [userId, id]);
        return row ? toTokenInfo(row) : null;
      },
      async revokeAll(userId, kinds) {
        if (kinds.length === 0) return [];
        const rows = await query<TokenRow>('DELETE FROM tokens WHERE user_id = $1 AND kind = ANY($2::text[]) RETURNING *', [userId, [...kinds]]);
        // Same order as SQLite's: by kind as asked, then as stored.
        return kinds.flatMap((kind) => rows.filter((r) => r.kind === kind).sort((a, b) => cmp(a.created_at, b.created_at) || cmp(a.id, b.id))).map(toTokenInfo);
      },
    },
    documents: {
      async create(doc, initialUpdate) {
        await transaction(async (c) => {
          const inserted = await c.query('INSERT INTO documents (id, title, created_at, language) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING', [
            doc.id,
            doc.title,
            new Date().toISOString(),
            doc.language ?? DEFAULT_LANGUAGE,
          ]);
          if (inserted.rowCount === 0) throw new ConflictError(errorText('document.exists', { id: doc.id }));
          await insertUpdate(c, doc.id, initialUpdate);
        });
      },
      async get(id) {
        const [row] = await query<DocumentSummary>('SELECT id, title, language FROM documents WHERE id = $1', [id]);
        return row ?? null;
      },
      async list() {
        return query<DocumentSummary>('SELECT id, title, language FROM documents ORDER BY created_at, id');
      },
    },
    updates: {
      async append(docId, update) {
        // The hot path: one statement, one round trip, its own transaction. The
        // document's lock is taken (in the CTE) before the row gets its seq and
        // held until the statement commits, so seq order stays commit order.
        // Named: each pooled connection parses and plans it once.
        const { rows } = await pool.query<{ seq: number }>({
          name: 'accord-append-update',
          text: `WITH locked AS (SELECT pg_advisory_xact_lock($1, hashtext($2)))
           INSERT INTO updates (doc_id, data) SELECT $2, $3 FROM locked RETURNING seq`,
          values: [LOCK.document, docId, Buffer.from(update.buffer, update.byteOffset, update.byteLength)],
        });
        return rows[0]!.seq;
      },
      async load(docId) {
        return store.updates.since(docId, 0);
      },
      async since(docId, after): Promise<StoredUpdates> {
        // One snapshot of the database: a compaction committing between the two reads cannot hide updates.
        return transaction(
          async (c) => {
            const snap = (await c.query<{ data: Buffer; upto: number }>('SELECT data, upto FROM snapshots WHERE doc_id = $1', [docId])).rows[0];
            const useSnapshot = snap !== undefined && snap.upto > after;
            const from = useSnapshot ? snap.upto : after;
            const tail = (await c.query<{ seq: number; data: Buffer }>('SELECT seq, data FROM updates WHERE doc_id = $1 AND seq > $2 ORDER BY seq', [docId, from])).rows;
            return {
              snapshot: useSnapshot ? bytes(snap.data) : null,
              tail: tail.map((r) => bytes(r.data)),
              upto: tail.length ? tail[tail.length - 1]!.seq : from,
            };
          },
          { readOnlySnapshot: true },
        );
      },
      async head(docId) {
        const [row] = await query<{ upto: number | null }>(
          'SELECT greatest((SELECT upto FROM snapshots WHERE doc_id = $1), (SELECT max(seq) FROM updates WHERE doc_id = $1)) AS upto',
          [docId],
        );
        return row?.upto ?? 0;
      },
      async compact(docId, upto) {
        // Forward-only, and folds only what is stored: read, fold (in a worker
        // when given), then write only if no other process moved the snapshot meanwhile.
        const read = await transaction(
          async (c) => {
            const snap = (await c.query<{ data: Buffer; upto: number }>('SELECT data, upto FROM snapshots WHERE doc_id = $1', [docId])).rows[0];
            const from = snap?.upto ?? 0;
            if (upto <= from) return { snap, from, rows: [] };
            const rows = (await c.query<{ seq: number; data: Buffer }>('SELECT seq, data FROM updates WHERE doc_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq', [docId, from, upto])).rows;
            return { snap, from, rows };
          },
          { readOnlySnapshot: true },
        );
        if (read.rows.length === 0) return { upto: read.from, folded: 0 };
        const last = read.rows[read.rows.length - 1]!.seq;
        const folded = await fold(read.snap ? bytes(read.snap.data) : null, read.rows.map((r) => bytes(r.data)));
        return transaction(async (c) => {
          await c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK.document, docId]);
          const now = (await c.query<{ upto: number }>('SELECT upto FROM snapshots WHERE doc_id = $1 FOR UPDATE', [docId])).rows[0]?.upto ?? 0;
          if (now !== read.from) return { upto: now, folded: 0 };
          await c.query(
            `INSERT INTO snapshots (doc_id, data, upto) VALUES ($1, $2, $3)
             ON CONFLICT (doc_id) DO UPDATE SET data = excluded.data, upto = excluded.upto`,
            [docId, Buffer.from(folded), last],
          );
          await c.query('DELETE FROM updates WHERE doc_id = $1 AND seq <= $2', [docId, last]);
          return { upto: last, folded: read.rows.length };
        });
      },
    },
    versions: {
      async list(docId) {
        return (await query<VersionRow>('SELECT * FROM versions WHERE doc_id = $1 ORDER BY number', [docId])).map(toVersion);
      },
      async get(docId, number) {
        const [row] = await query<VersionRow>('SELECT * FROM versions WHERE doc_id = $1 AND number = $2', [docId, number]);
        return row ? toVersion(row) : null;
      },
      async head(docId, number) {
        const [row] = await query<Omit<VersionRow, 'content' | 'markdown'>>(`SELECT ${VERSION_HEAD_COLUMNS} FROM versions WHERE doc_id = $1 AND number = $2`, [docId, number]);
        return row ? toVersionHead(row) : null;
      },
      async create(draft, leafOf) {
        return transaction(async (c) => {
          // The tree head lock (taken by the append) is taken first, so numbering is serialised with it.
          await c.query('SELECT size FROM log_head WHERE id = 1 FOR UPDATE');
          const number = (await c.query<{ n: number }>('SELECT coalesce(max(number), 0) + 1 AS n FROM versions WHERE doc_id = $1', [draft.docId])).rows[0]!.n;
          let record: VersionRecord | undefined;
          const { contentJson, ...fields } = draft;
          const logIndex = await appendLogLeaf(c, (index) => {
            record = withContent({ ...fields, number, logIndex: index }, contentJson);
            return leafOf(record);
          });
          const r = record!;
          await c.query(
            `INSERT INTO versions (doc_id, number, label, meeting, title, content, markdown, content_hash, created_at, created_by, log_index)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
            [r.docId, number, r.label, r.meeting, r.title, contentJson, r.markdown, r.contentHash, r.createdAt, JSON.stringify(r.createdBy), logIndex],
          );
          return r;
        });
      },
    },
    log: {
      async size() {
        return (await query<{ size: number }>('SELECT size FROM log_head WHERE id = 1'))[0]!.size;
      },
      async leaves(start, end) {
        return (await query<{ data: Buffer }>('SELECT data FROM log_leaves WHERE idx >= $1 AND idx < $2 ORDER BY idx', [start, end])).map((r) => bytes(r.data));
      },
      async readHashes(indexes) {
        return readHashes(pool, indexes);
      },
      async latestCheckpoint() {
        return (await query<{ note: string }>('SELECT note FROM log_checkpoints ORDER BY tree_size DESC LIMIT 1'))[0]?.note ?? null;
      },
      async checkpointCovering(size) {
        return (await query<{ note: string }>('SELECT note FROM log_checkpoints WHERE tree_size >= $1 ORDER BY tree_size LIMIT 1', [size]))[0]?.note ?? null;
      },
    },
    amendments: createPgAmendmentRepository(transaction, appendLogLeaf, query),
    endorsements: createPgEndorsementRepository(transaction, appendLogLeaf, query),
    rateLimits: createPgRateLimitRepository(transaction),
    attribution: createPgAttributionRepository(transaction, query),
    history: createPgHistoryRepository(pool, transaction),
    async exclusive(name, fn) {
      // A session-level advisory lock on one connection, held while `fn` runs.
      const c = await pool.connect();
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
    },
    async sharedSignerKey(generate) {
      await pool.query('INSERT INTO log_key (id, signer_key) VALUES (1, $1) ON CONFLICT (id) DO NOTHING', [generate()]);
      return (await query<{ signer_key: string }>('SELECT signer_key FROM log_key WHERE id = 1'))[0]!.signer_key;
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      await pool.end();
    },
  };
  return store;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Applies the migrations not yet applied, each in its own transaction, one process at a time. */
async function migrate(pool: pg.Pool): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query('SELECT pg_advisory_lock($1, 0)', [LOCK.migrations]);
    try {
      await c.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
      const done = new Set((await c.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
      for (const { version, sql } of numberedMigrations(PG_MIGRATIONS)) {
        if (done.has(version)) continue;
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
    } finally {
      await c.query('SELECT pg_advisory_unlock($1, 0)', [LOCK.migrations]);
    }
  } finally {
    c.release();
  }
}

/** Keys written by an older organizationKey are brought up to date on open (as the SQLite store does). */
async function rekeyEndorsements(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ id: string; organization: string; organization_key: string }>('SELECT id, organization, organization_key FROM endorsements');
  for (const row of rows) {
    const key = organizationKey(row.organization);
    if (key !== row.organization_key) await pool.query('UPDATE endorsements SET organization_key = $1 WHERE id = $2', [key, row.id]);
  }
}
