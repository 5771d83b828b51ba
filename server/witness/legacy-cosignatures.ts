// Cosignatures collected before they moved into the store: earlier servers
// kept them in DATA_DIR/witness-cosignatures.sqlite. On start, that file's
// rows are put into the store (where the first cosignature of a checkpoint
// and witness stays, so a second import changes nothing) and the file is
// renamed aside, kept, never read again. Never writes to the old file.
import Database from 'better-sqlite3';
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { CosignatureRepository } from '../store/cosignature-types';

export const LEGACY_COSIGNATURES_FILE = 'witness-cosignatures.sqlite';
/** What the old file is renamed to once imported. */
export const IMPORTED_COSIGNATURES_FILE = `${LEGACY_COSIGNATURES_FILE}.imported`;

interface LegacyRow {
  body: string;
  witness: string;
  tree_size: number;
  line: string;
  timestamp: number;
}

/** Imports DATA_DIR's old cosignature file into `into`, once; returns how many cosignatures it held (0: no file). */
export async function importLegacyCosignatures(dataDir: string, into: CosignatureRepository, log: (message: string) => void = () => {}): Promise<number> {
  const file = join(dataDir, LEGACY_COSIGNATURES_FILE);
  if (!existsSync(file)) return 0;
  const rows = readLegacyRows(file);
  for (const row of rows) await into.put(row.body, row.tree_size, row.witness, { line: row.line, timestamp: row.timestamp });
  // Only once everything is stored: a crash before this imports again on the next start, harmlessly.
  renameSync(file, join(dataDir, IMPORTED_COSIGNATURES_FILE));
  log(`imported ${rows.length} witness cosignature(s) from ${file} into the store; the file is kept as ${IMPORTED_COSIGNATURES_FILE}`);
  return rows.length;
}

function readLegacyRows(file: string): LegacyRow[] {
  // Opened read-write so that a write-ahead log left by a crash is replayed, and folded back into the file on close.
  const db = new Database(file, { fileMustExist: true });
  try {
    const table = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'cosignatures'").get();
    return table ? db.prepare<[], LegacyRow>('SELECT body, witness, tree_size, line, timestamp FROM cosignatures ORDER BY tree_size').all() : [];
  } finally {
    db.close();
  }
}
