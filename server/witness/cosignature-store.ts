// The cosignatures the server has collected, kept beside its database
// (DATA_DIR/witness-cosignatures.sqlite) by checkpoint body and witness, so a
// checkpoint keeps its cosignatures across restarts and an older checkpoint's
// bundle can still carry them. Only lines that verified are ever put here.
import Database from 'better-sqlite3';
import { join } from 'node:path';

export const COSIGNATURES_FILE = 'witness-cosignatures.sqlite';

export interface StoredCosignature {
  line: string;
  timestamp: number;
}

export interface CosignatureStore {
  put(body: string, size: number, witness: string, cosignature: StoredCosignature): void;
  get(body: string, witness: string): StoredCosignature | null;
  /** Every stored cosignature of `body`, by witness id. */
  all(body: string): Map<string, StoredCosignature>;
  /** The largest tree size `witness` has cosigned for this log, or null. */
  largestSize(witness: string): number | null;
  close(): void;
}

export function openCosignatureStore(dataDir: string): CosignatureStore {
  const db = new Database(join(dataDir, COSIGNATURES_FILE));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`
    CREATE TABLE IF NOT EXISTS cosignatures (
      body TEXT NOT NULL,
      witness TEXT NOT NULL,
      tree_size INTEGER NOT NULL,
      line TEXT NOT NULL,
      timestamp INTEGER NOT NULL,
      PRIMARY KEY (body, witness)
    );
    CREATE INDEX IF NOT EXISTS cosignatures_by_witness ON cosignatures (witness, tree_size);
  `);
  const put = db.prepare('INSERT OR REPLACE INTO cosignatures (body, witness, tree_size, line, timestamp) VALUES (?, ?, ?, ?, ?)');
  const get = db.prepare<[string, string], StoredCosignature>('SELECT line, timestamp FROM cosignatures WHERE body = ? AND witness = ?');
  const all = db.prepare<[string], StoredCosignature & { witness: string }>('SELECT witness, line, timestamp FROM cosignatures WHERE body = ?');
  const largest = db.prepare<[string], { size: number | null }>('SELECT MAX(tree_size) AS size FROM cosignatures WHERE witness = ?');
  return {
    put: (body, size, witness, c) => void put.run(body, witness, size, c.line, c.timestamp),
    get: (body, witness) => get.get(body, witness) ?? null,
    all: (body) => new Map(all.all(body).map((row) => [row.witness, { line: row.line, timestamp: row.timestamp }])),
    largestSize: (witness) => largest.get(witness)?.size ?? null,
    close: () => db.close(),
  };
}
