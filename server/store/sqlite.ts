// The embedded store: one SQLite file in DATA_DIR through better-sqlite3, WAL
// mode. Every write is a committed transaction before the call returns, so a
// kill -9 of the process loses nothing a caller was told is stored.
import { errorText } from '../../core/i18n/messages/errors';
import Database from 'better-sqlite3';
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import type { DocumentSummary } from '../../core/api';
import { storedHashesForRecord, storedHashIndex, treeHash, type HashReader } from '../../core/tlog/merkle';
import { ConflictError } from '../errors';
import type { CheckpointSigner, LeafEncoder, NewUser, Store, StoredUpdates, TokenKind, VersionRecord } from './types';
import { MIGRATIONS, numberedMigrations } from './sqlite-schema';
import { DEFAULT_LANGUAGE } from '../../core/language';
import { toAccount, toTokenInfo, toUser, toVersion, toVersionHead, VERSION_HEAD_COLUMNS, withContent, type TokenRow, type UserRow, type VersionRow } from './rows';
import { createAmendmentRepository } from './amendments-sqlite';
import { createEndorsementRepository } from './endorsements-sqlite';
import { createRateLimitRepository } from './rate-limits-sqlite';
import { createAttributionRepository } from './attribution-sqlite';
import { createHistoryRepository } from './history-sqlite';
import { foldUpdates } from './fold';
import { bytes } from './bytes';

export interface SqliteStore extends Store {
  /** The underlying handle, for the log's transactional appends and for tests. */
  readonly db: Database.Database;
  /** Runs `fn` in one transaction; nested calls join the outer one. */
  transaction<T>(fn: () => T): T;
  /** Appends `leaf` to the log inside the current transaction; returns its index. */
  appendLogLeaf(leaf: (logIndex: number) => Uint8Array): number;
}

/** Folds a snapshot and updates into a new snapshot; by default in this thread. */
export type Fold = (snapshot: Uint8Array | null, updates: Uint8Array[]) => Promise<Uint8Array>;

export function openSqliteStore(file: string, signCheckpoint: CheckpointSigner, options: { fold?: Fold } = {}): SqliteStore {
  const fold: Fold = options.fold ?? (async (snapshot, updates) => foldUpdates(snapshot, updates));
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

  const stmt = {
    userInsert: db.prepare(
      `INSERT INTO users (id, name, email, organization, stakeholder_group, role, password_hash, created_at)
       VALUES (@id, @name, @email, @organization, @stakeholderGroup, @role, @passwordHash, @createdAt)`,
    ),
    userById: db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?'),
    userByEmail: db.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ? COLLATE NOCASE'),
    userCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM users'),
    userList: db.prepare<[], UserRow>('SELECT * FROM users ORDER BY created_at, id'),
    userSetDisabled: db.prepare<[string | null, string]>('UPDATE users SET disabled_at = ? WHERE id = ?'),
    userSetLanguage: db.prepare<[string, string]>('UPDATE users SET language = ? WHERE id = ?'),
    tokenInsert: db.prepare(
      'INSERT INTO tokens (token_hash, id, user_id, kind, expires_at, created_at, admin_token_hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    tokenResolve: db.prepare<[string, string], TokenRow>(
      'SELECT * FROM tokens WHERE token_hash = ? AND (expires_at IS NULL OR expires_at > ?)',
    ),
    tokenByHash: db.prepare<[string], TokenRow>('SELECT * FROM tokens WHERE token_hash = ?'),
    tokenByPublicId: db.prepare<[string, string], TokenRow>('SELECT * FROM tokens WHERE id = ? AND (expires_at IS NULL OR expires_at > ?)'),
    tokenDelete: db.prepare('DELETE FROM tokens WHERE token_hash = ?'),
    tokenList: db.prepare<[string, string], TokenRow>(
      'SELECT * FROM tokens WHERE user_id = ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY created_at, id',
    ),
    tokenById: db.prepare<[string, string], TokenRow>('SELECT * FROM tokens WHERE user_id = ? AND id = ?'),
    tokenDeleteById: db.prepare('DELETE FROM tokens WHERE user_id = ? AND id = ?'),
    tokensOfKind: db.prepare<[string, string], TokenRow>('SELECT * FROM tokens WHERE user_id = ? AND kind = ?'),
    tokensDeleteOfKind: db.prepare('DELETE FROM tokens WHERE user_id = ? AND kind = ?'),
    docInsert: db.prepare('INSERT INTO documents (id, title, created_at, language) VALUES (?, ?, ?, ?)'),
    docGet: db.prepare<[string], DocumentSummary>('SELECT id, title, language FROM documents WHERE id = ?'),
    docList: db.prepare<[], DocumentSummary>('SELECT id, title, language FROM documents ORDER BY created_at, id'),
    updateInsert: db.prepare('INSERT INTO updates (doc_id, data) VALUES (?, ?)'),
    updateTail: db.prepare<[string, number], { seq: number; data: Buffer }>(
      'SELECT seq, data FROM updates WHERE doc_id = ? AND seq > ? ORDER BY seq',
    ),
    updateRange: db.prepare<[string, number, number], { seq: number; data: Buffer }>(
      'SELECT seq, data FROM updates WHERE doc_id = ? AND seq > ? AND seq <= ? ORDER BY seq',
    ),
    updateDeleteUpto: db.prepare('DELETE FROM updates WHERE doc_id = ? AND seq <= ?'),
    snapshotGet: db.prepare<[string], { data: Buffer; upto: number }>('SELECT data, upto FROM snapshots WHERE doc_id = ?'),
    updateHead: db.prepare<[string, string], { upto: number | null }>(
      'SELECT max(upto) AS upto FROM (SELECT upto FROM snapshots WHERE doc_id = ? UNION ALL SELECT max(seq) AS upto FROM updates WHERE doc_id = ?)',
    ),
    snapshotPut: db.prepare(
      `INSERT INTO snapshots (doc_id, data, upto) VALUES (?, ?, ?)
       ON CONFLICT(doc_id) DO UPDATE SET data = excluded.data, upto = excluded.upto`,
    ),
    versionList: db.prepare<[string], VersionRow>('SELECT * FROM versions WHERE doc_id = ? ORDER BY number'),
    versionGet: db.prepare<[string, number], VersionRow>('SELECT * FROM versions WHERE doc_id = ? AND number = ?'),
    versionHead: db.prepare<[string, number], Omit<VersionRow, 'content' | 'markdown'>>(`SELECT ${VERSION_HEAD_COLUMNS} FROM versions WHERE doc_id = ? AND number = ?`),
    versionNext: db.prepare<[string], { n: number }>('SELECT coalesce(max(number), 0) + 1 AS n FROM versions WHERE doc_id = ?'),
    versionInsert: db.prepare(
      `INSERT INTO versions (doc_id, number, label, meeting, title, content, markdown, content_hash, created_at, created_by, log_index)
       VALUES (@docId, @number, @label, @meeting, @title, @content, @markdown, @contentHash, @createdAt, @createdBy, @logIndex)`,
    ),
    logSize: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM log_leaves'),
    logLeaves: db.prepare<[number, number], { data: Buffer }>('SELECT data FROM log_leaves WHERE idx >= ? AND idx < ? ORDER BY idx'),
    logLeafInsert: db.prepare('INSERT INTO log_leaves (idx, data) VALUES (?, ?)'),
    logHashGet: db.prepare<[number], { hash: Buffer }>('SELECT hash FROM log_hashes WHERE idx = ?'),
    logHashInsert: db.prepare('INSERT INTO log_hashes (idx, hash) VALUES (?, ?)'),
    checkpointPut: db.prepare('INSERT OR REPLACE INTO log_checkpoints (tree_size, note) VALUES (?, ?)'),
    checkpointLatest: db.prepare<[], { note: string }>('SELECT note FROM log_checkpoints ORDER BY tree_size DESC LIMIT 1'),
    checkpointCovering: db.prepare<[number], { note: string }>('SELECT note FROM log_checkpoints WHERE tree_size >= ? ORDER BY tree_size LIMIT 1'),
  };

  const hashReader: HashReader = {
    readHashes(indexes) {
      return indexes.map((i) => {
        const row = stmt.logHashGet.get(i);
        if (!row) throw new Error(`log hash ${i} is missing`);
        return bytes(row.hash);
      });
    },
  };

  function transaction<T>(fn: () => T): T {
    return db.inTransaction ? fn() : db.transaction(fn).immediate();
  }

  function appendLogLeaf(leafAt: (logIndex: number) => Uint8Array): number {
    if (!db.inTransaction) throw new Error('appendLogLeaf must run inside a transaction');
    const index = stmt.logSize.get()!.n;
    const leaf = leafAt(index);
    stmt.logLeafInsert.run(index, Buffer.from(leaf));
    const first = storedHashIndex(0, index);
    storedHashesForRecord(index, leaf, hashReader).forEach((hash, i) => stmt.logHashInsert.run(first + i, Buffer.from(hash)));
    stmt.checkpointPut.run(index + 1, signCheckpoint(index + 1, treeHash(index + 1, hashReader)));
    return index;
  }

  // One process owns a SQLite file: its named locks are promise chains.
  const locks = new Map<string, Promise<void>>();

  const store: SqliteStore = {
    db,
    transaction,
    appendLogLeaf,
    users: {
      async create(user: NewUser) {
        const id = randomUUID();
        try {
          stmt.userInsert.run({ ...user, id, createdAt: new Date().toISOString() });
        } catch (err) {
          if (isUniqueViolation(err)) throw new ConflictError(errorText('account.emailTaken', { email: user.email }));
          throw err;
        }
        return toUser(stmt.userById.get(id)!);
      },
      async byId(id) {
        const row = stmt.userById.get(id);
        return row ? toUser(row) : null;
      },
      async account(id) {
        const row = stmt.userById.get(id);
        return row ? toAccount(row) : null;
      },
      async list() {
        return stmt.userList.all().map(toAccount);
      },
      async credentials(email) {
        const row = stmt.userByEmail.get(email);
        return row ? { ...toAccount(row), passwordHash: row.password_hash } : null;
      },
      async setDisabled(id, disabledAt) {
        stmt.userSetDisabled.run(disabledAt, id);
        const row = stmt.userById.get(id);
        return row ? toAccount(row) : null;
      },
      async setLanguage(id, language) {
        stmt.userSetLanguage.run(language, id);
        const row = stmt.userById.get(id);
        return row ? toUser(row) : null;
      },
      async count() {
        return stmt.userCount.get()!.n;
      },
    },
    tokens: {
      async create(tokenHash, userId, kind: TokenKind, expiresAt, adminTokenHash = null) {
        const id = randomBytes(8).toString('hex');
        stmt.tokenInsert.run(tokenHash, id, userId, kind, expiresAt?.toISOString() ?? null, new Date().toISOString(), adminTokenHash);
        return toTokenInfo(stmt.tokenByHash.get(tokenHash)!);
      },
      async resolve(tokenHash, now) {
        const row = stmt.tokenResolve.get(tokenHash, now.toISOString());
        return row ? { ...toTokenInfo(row), adminTokenHash: row.admin_token_hash } : null;
      },
      async byId(id, now) {
        const row = stmt.tokenByPublicId.get(id, now.toISOString());
        return row ? { ...toTokenInfo(row), adminTokenHash: row.admin_token_hash } : null;
      },
      async delete(tokenHash) {
        return transaction(() => {
          const row = stmt.tokenByHash.get(tokenHash);
          if (!row) return null;
          stmt.tokenDelete.run(tokenHash);
          return toTokenInfo(row);
        });
      },
      async list(userId, now) {
        return stmt.tokenList.all(userId, now.toISOString()).map(toTokenInfo);
      },
      async revoke(userId, id) {
        return transaction(() => {
          const row = stmt.tokenById.get(userId, id);
          if (!row) return null;
          stmt.tokenDeleteById.run(userId, id);
          return toTokenInfo(row);
        });
      },
      async revokeAll(userId, kinds) {
        return transaction(() =>
          kinds.flatMap((kind) => {
            const rows = stmt.tokensOfKind.all(userId, kind);
            stmt.tokensDeleteOfKind.run(userId, kind);
            return rows.map(toTokenInfo);
          }),
        );
      },
    },
    documents: {
      async create(doc, initialUpdate) {
        transaction(() => {
          if (stmt.docGet.get(doc.id)) throw new ConflictError(errorText('document.exists', { id: doc.id }));
          stmt.docInsert.run(doc.id, doc.title, new Date().toISOString(), doc.language ?? DEFAULT_LANGUAGE);
          stmt.updateInsert.run(doc.id, Buffer.from(initialUpdate));
        });
      },
      async get(id) {
        return stmt.docGet.get(id) ?? null;
      },
      async list() {
        return stmt.docList.all();
      },
    },
    updates: {
      async append(docId, update) {
        return Number(stmt.updateInsert.run(docId, Buffer.from(update)).lastInsertRowid);
      },
      async load(docId): Promise<StoredUpdates> {
        const snap = stmt.snapshotGet.get(docId);
        const tail = stmt.updateTail.all(docId, snap?.upto ?? 0);
        return {
          snapshot: snap ? bytes(snap.data) : null,
          tail: tail.map((r) => bytes(r.data)),
          upto: tail.length ? tail[tail.length - 1]!.seq : (snap?.upto ?? 0),
        };
      },
      async since(docId, after): Promise<StoredUpdates> {
        // Synchronous: no other write can come between the two reads.
        {
          const snap = stmt.snapshotGet.get(docId);
          const useSnapshot = snap !== undefined && snap.upto > after;
          const tail = stmt.updateTail.all(docId, useSnapshot ? snap.upto : after);
          return {
            snapshot: useSnapshot ? bytes(snap.data) : null,
            tail: tail.map((r) => bytes(r.data)),
            upto: tail.length ? tail[tail.length - 1]!.seq : useSnapshot ? snap.upto : after,
          };
        }
      },
      async head(docId) {
        return stmt.updateHead.get(docId, docId)?.upto ?? 0;
      },
      async compact(docId, upto) {
        // Forward-only, and only ever folds what is stored: a compaction can
        // never delete an update its snapshot does not hold. Read, fold (off
        // the event loop when a worker is given), then write only if no other
        // compaction moved the snapshot meanwhile.
        const snap = stmt.snapshotGet.get(docId);
        const from = snap?.upto ?? 0;
        if (upto <= from) return { upto: from, folded: 0 };
        const rows = stmt.updateRange.all(docId, from, upto);
        if (rows.length === 0) return { upto: from, folded: 0 };
        const last = rows[rows.length - 1]!.seq;
        const folded = await fold(snap ? bytes(snap.data) : null, rows.map((r) => bytes(r.data)));
        return transaction(() => {
          const now = stmt.snapshotGet.get(docId)?.upto ?? 0;
          if (now !== from) return { upto: now, folded: 0 };
          stmt.snapshotPut.run(docId, Buffer.from(folded), last);
          stmt.updateDeleteUpto.run(docId, last);
          return { upto: last, folded: rows.length };
        });
      },
    },
    versions: {
      async list(docId) {
        return stmt.versionList.all(docId).map(toVersion);
      },
      async get(docId, number) {
        const row = stmt.versionGet.get(docId, number);
        return row ? toVersion(row) : null;
      },
      async head(docId, number) {
        const row = stmt.versionHead.get(docId, number);
        return row ? toVersionHead(row) : null;
      },
      async create(draft, leafOf: LeafEncoder<VersionRecord>) {
        return transaction(() => {
          const number = stmt.versionNext.get(draft.docId)!.n;
          let record: VersionRecord | undefined;
          const { contentJson, ...fields } = draft;
          const logIndex = appendLogLeaf((index) => {
            record = withContent({ ...fields, number, logIndex: index }, contentJson);
            return leafOf(record);
          });
          const r = record!;
          stmt.versionInsert.run({
            ...fields,
            number,
            logIndex,
            content: contentJson,
            createdBy: JSON.stringify(r.createdBy),
          });
          return r;
        });
      },
    },
    log: {
      async size() {
        return stmt.logSize.get()!.n;
      },
      async leaves(start, end) {
        return stmt.logLeaves.all(start, end).map((r) => bytes(r.data));
      },
      async readHashes(indexes) {
        return hashReader.readHashes(indexes);
      },
      async latestCheckpoint() {
        return stmt.checkpointLatest.get()?.note ?? null;
      },
      async checkpointCovering(size) {
        return stmt.checkpointCovering.get(size)?.note ?? null;
      },
    },
    amendments: createAmendmentRepository(db, transaction, appendLogLeaf),
    endorsements: createEndorsementRepository(db, transaction, appendLogLeaf),
    async exclusive(name, fn) {
      const previous = locks.get(name) ?? Promise.resolve();
      const run = previous.then(fn, fn);
      const settled = run.then(noop, noop);
      locks.set(name, settled);
      try {
        return await run;
      } finally {
        if (locks.get(name) === settled) locks.delete(name);
      }
    },
    async ping() {
      db.prepare('SELECT 1').get();
    },
    rateLimits: createRateLimitRepository(db, transaction),
    attribution: createAttributionRepository(db, transaction),
    history: createHistoryRepository(db, transaction),
    async close() {
      db.close();
    },
  };
  return store;
}

function noop(): void {}

function isUniqueViolation(err: unknown): boolean {
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
