// A witness's memory: for each log origin, the latest checkpoint it cosigned,
// in one SQLite file in its data directory; plus refused requests that carry
// a valid log signature (evidence of a fork). `update` runs check-and-store in
// one immediate transaction, so two requests can never roll the size back.
import Database from 'better-sqlite3';
import { join } from 'node:path';

export const WITNESS_DB_FILE = 'witness.sqlite';

export interface CosignedCheckpoint {
  origin: string;
  size: number;
  rootHash: Uint8Array;
  note: string;
  cosignedAt: string;
}

export interface WitnessState {
  latest(origin: string): CosignedCheckpoint | null;
  /**
   * Runs `decide` on the stored latest checkpoint of `origin`; when it
   * returns a checkpoint, that is stored, all in one transaction.
   */
  update<T>(origin: string, decide: (stored: CosignedCheckpoint | null) => { store: Omit<CosignedCheckpoint, 'origin'> | null; result: T }): T;
  recordEvidence(origin: string, reason: string, request: string): void;
  close(): void;
}

interface Row {
  size: number;
  root_hash: Buffer;
  note: string;
  cosigned_at: string;
}

/**
 * `fsync: true` makes every cosignature wait for the disk (synchronous=FULL),
 * so a power cut cannot roll the witness back; the default (WAL, NORMAL, as
 * the server's own store) survives process crashes and answers in well under a
 * millisecond instead of a disk flush.
 */
export function openWitnessState(dataDir: string, options: { fsync?: boolean } = {}): WitnessState {
  const db = new Database(join(dataDir, WITNESS_DB_FILE));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.fsync ? 'FULL' : 'NORMAL'}`);
  db.exec(`
    CREATE TABLE IF NOT EXISTS checkpoints (
      origin TEXT PRIMARY KEY,
      size INTEGER NOT NULL,
      root_hash BLOB NOT NULL,
      note TEXT NOT NULL,
      cosigned_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS evidence (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      origin TEXT NOT NULL,
      reason TEXT NOT NULL,
      request TEXT NOT NULL,
      received_at TEXT NOT NULL
    );
  `);
  const get = db.prepare<[string], Row>('SELECT size, root_hash, note, cosigned_at FROM checkpoints WHERE origin = ?');
  const put = db.prepare('INSERT OR REPLACE INTO checkpoints (origin, size, root_hash, note, cosigned_at) VALUES (?, ?, ?, ?, ?)');
  const evidence = db.prepare('INSERT INTO evidence (origin, reason, request, received_at) VALUES (?, ?, ?, ?)');
  const latest = (origin: string): CosignedCheckpoint | null => {
    const row = get.get(origin);
    return row ? { origin, size: row.size, rootHash: new Uint8Array(row.root_hash), note: row.note, cosignedAt: row.cosigned_at } : null;
  };
  return {
    latest,
    update(origin, decide) {
      const run = db.transaction(() => {
        const { store, result } = decide(latest(origin));
        if (store) put.run(origin, store.size, Buffer.from(store.rootHash), store.note, store.cosignedAt);
        return result;
      });
      return run.immediate();
    },
    recordEvidence(origin, reason, request) {
      evidence.run(origin, reason, request, new Date().toISOString());
    },
    close() {
      db.close();
    },
  };
}
