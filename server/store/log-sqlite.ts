// The signed log in SQLite: its leaves, the stored Merkle hashes and a signed
// checkpoint per tree size. A leaf is appended only inside the transaction of
// the event it records (a version, a decision, an endorsement), never alone.
import type Database from 'better-sqlite3';
import { storedHashesForRecord, storedHashIndex, treeHash, type HashReader } from '../../core/tlog/merkle';
import { bytes } from './bytes';
import type { CheckpointSigner, LogRepository } from './types';

/** Appends the leaf made for the next index inside the current transaction; returns that index. */
export type SqliteAppendLeaf = (leaf: (logIndex: number) => Uint8Array) => number;

function statements(db: Database.Database) {
  return {
    size: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM log_leaves'),
    leaves: db.prepare<[number, number], { data: Buffer }>('SELECT data FROM log_leaves WHERE idx >= ? AND idx < ? ORDER BY idx'),
    insertLeaf: db.prepare('INSERT INTO log_leaves (idx, data) VALUES (?, ?)'),
    hash: db.prepare<[number], { hash: Buffer }>('SELECT hash FROM log_hashes WHERE idx = ?'),
    insertHash: db.prepare('INSERT INTO log_hashes (idx, hash) VALUES (?, ?)'),
    putCheckpoint: db.prepare('INSERT OR REPLACE INTO log_checkpoints (tree_size, note) VALUES (?, ?)'),
    latest: db.prepare<[], { note: string }>('SELECT note FROM log_checkpoints ORDER BY tree_size DESC LIMIT 1'),
    covering: db.prepare<[number], { note: string }>('SELECT note FROM log_checkpoints WHERE tree_size >= ? ORDER BY tree_size LIMIT 1'),
  };
}

export class SqliteLogRepository implements LogRepository {
  private readonly stmt: ReturnType<typeof statements>;
  private readonly hashes: HashReader;

  constructor(
    private readonly db: Database.Database,
    private readonly signCheckpoint: CheckpointSigner,
  ) {
    const stmt = (this.stmt = statements(db));
    this.hashes = {
      readHashes: (indexes) =>
        indexes.map((i) => {
          const row = stmt.hash.get(i);
          if (!row) throw new Error(`log hash ${i} is missing`);
          return bytes(row.hash);
        }),
    };
  }

  /** Appends a leaf, its hashes and the new signed checkpoint; only inside a transaction (a bound function, handed to the repositories that append). */
  readonly append: SqliteAppendLeaf = (leafAt) => {
    if (!this.db.inTransaction) throw new Error('appendLogLeaf must run inside a transaction');
    const index = this.stmt.size.get()!.n;
    const leaf = leafAt(index);
    this.stmt.insertLeaf.run(index, Buffer.from(leaf));
    const first = storedHashIndex(0, index);
    storedHashesForRecord(index, leaf, this.hashes).forEach((hash, i) => this.stmt.insertHash.run(first + i, Buffer.from(hash)));
    this.stmt.putCheckpoint.run(index + 1, this.signCheckpoint(index + 1, treeHash(index + 1, this.hashes)));
    return index;
  };

  async size() {
    return this.stmt.size.get()!.n;
  }

  async leaves(start: number, end: number) {
    return this.stmt.leaves.all(start, end).map((r) => bytes(r.data));
  }

  async readHashes(indexes: number[]) {
    return this.hashes.readHashes(indexes);
  }

  async latestCheckpoint() {
    return this.stmt.latest.get()?.note ?? null;
  }

  async checkpointCovering(size: number) {
    return this.stmt.covering.get(size)?.note ?? null;
  }
}
