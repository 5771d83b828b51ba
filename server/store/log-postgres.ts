// The signed log in PostgreSQL, the same contract as log-sqlite.ts. Appends
// lock the tree head row (SELECT ... FOR UPDATE), so appends from every
// process are serialised and the Merkle tree and its checkpoints never fork.
import type pg from 'pg';
import { appendIndexes, storedHashesForRecord, storedHashIndex, treeHash, treeHashIndexes, type Hash, type HashReader } from '../../core/tlog/merkle';
import { bytes } from './bytes';
import type { AppendLogLeaf, Client, PgDatabase } from './postgres-common';
import type { CheckpointSigner, LogRepository } from './types';

/** The stored hashes at `indexes`, in that order; throws when one is missing. */
async function readHashes(c: Client | pg.Pool, indexes: number[]): Promise<Hash[]> {
  if (indexes.length === 0) return [];
  const { rows } = await c.query<{ idx: number; hash: Buffer }>('SELECT idx, hash FROM log_hashes WHERE idx = ANY($1::bigint[])', [indexes]);
  return mapReader(new Map(rows.map((r) => [r.idx, bytes(r.hash)]))).readHashes(indexes);
}

/** A HashReader over hashes already in memory. */
function mapReader(known: Map<number, Hash>): HashReader {
  return {
    readHashes: (wanted) =>
      wanted.map((i) => {
        const h = known.get(i);
        if (!h) throw new Error(`log hash ${i} is missing`);
        return h;
      }),
  };
}

export class PgLogRepository implements LogRepository {
  constructor(
    private readonly db: PgDatabase,
    private readonly signCheckpoint: CheckpointSigner,
  ) {}

  /** Appends a leaf, its hashes and the new signed checkpoint in the caller's transaction (a bound function, handed to the repositories that append). */
  readonly append: AppendLogLeaf = async (c, leafAt) => {
    // The tree head's row lock serialises appends across every process until this transaction ends.
    const { rows } = await c.query<{ size: number }>('SELECT size FROM log_head WHERE id = 1 FOR UPDATE');
    const index = rows[0]!.size;
    const leaf = leafAt(index);
    const first = storedHashIndex(0, index);
    // Everything the new hashes and the new root read: stored hashes before `first`, or ones this append computes.
    const before = [...new Set([...appendIndexes(index), ...treeHashIndexes(index + 1)].filter((i) => i < first))];
    const known = new Map<number, Hash>();
    (await readHashes(c, before)).forEach((h, i) => known.set(before[i]!, h));
    const reader = mapReader(known);
    const fresh = storedHashesForRecord(index, leaf, reader);
    fresh.forEach((h, i) => known.set(first + i, h));
    await c.query('INSERT INTO log_leaves (idx, data) VALUES ($1, $2)', [index, Buffer.from(leaf)]);
    await c.query('INSERT INTO log_hashes (idx, hash) SELECT * FROM unnest($1::bigint[], $2::bytea[])', [fresh.map((_, i) => first + i), fresh.map((h) => Buffer.from(h))]);
    await c.query('INSERT INTO log_checkpoints (tree_size, note) VALUES ($1, $2)', [index + 1, this.signCheckpoint(index + 1, treeHash(index + 1, reader))]);
    await c.query('UPDATE log_head SET size = $1 WHERE id = 1', [index + 1]);
    return index;
  };

  async size() {
    return (await this.db.query<{ size: number }>('SELECT size FROM log_head WHERE id = 1'))[0]!.size;
  }

  async leaves(start: number, end: number) {
    return (await this.db.query<{ data: Buffer }>('SELECT data FROM log_leaves WHERE idx >= $1 AND idx < $2 ORDER BY idx', [start, end])).map((r) => bytes(r.data));
  }

  async readHashes(indexes: number[]) {
    return readHashes(this.db.pool, indexes);
  }

  async latestCheckpoint() {
    return (await this.db.query<{ note: string }>('SELECT note FROM log_checkpoints ORDER BY tree_size DESC LIMIT 1'))[0]?.note ?? null;
  }

  async checkpointCovering(size: number) {
    return (await this.db.query<{ note: string }>('SELECT note FROM log_checkpoints WHERE tree_size >= $1 ORDER BY tree_size LIMIT 1', [size]))[0]?.note ?? null;
  }
}
