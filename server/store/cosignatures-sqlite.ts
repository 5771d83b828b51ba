// Witness cosignatures in SQLite (migration 10 in sqlite-schema.ts): one row
// per checkpoint body and witness; the first verified cosignature stays.
import type Database from 'better-sqlite3';
import type { CosignatureRepository, StoredCosignature } from './cosignature-types';

function statements(db: Database.Database) {
  return {
    put: db.prepare<[string, string, number, string, number]>(
      'INSERT INTO witness_cosignatures (body, witness, tree_size, line, timestamp) VALUES (?, ?, ?, ?, ?) ON CONFLICT (body, witness) DO NOTHING',
    ),
    get: db.prepare<[string, string], StoredCosignature>('SELECT line, timestamp FROM witness_cosignatures WHERE body = ? AND witness = ?'),
    all: db.prepare<[string], StoredCosignature & { witness: string }>('SELECT witness, line, timestamp FROM witness_cosignatures WHERE body = ?'),
    largest: db.prepare<[string], { size: number | null }>('SELECT max(tree_size) AS size FROM witness_cosignatures WHERE witness = ?'),
  };
}

export class SqliteCosignatureRepository implements CosignatureRepository {
  private readonly stmt: ReturnType<typeof statements>;

  constructor(db: Database.Database) {
    this.stmt = statements(db);
  }

  async put(body: string, size: number, witness: string, cosignature: StoredCosignature) {
    this.stmt.put.run(body, witness, size, cosignature.line, cosignature.timestamp);
  }

  async get(body: string, witness: string) {
    return this.stmt.get.get(body, witness) ?? null;
  }

  async all(body: string) {
    return new Map(this.stmt.all.all(body).map((row): [string, StoredCosignature] => [row.witness, { line: row.line, timestamp: row.timestamp }]));
  }

  async largestSize(witness: string) {
    return this.stmt.largest.get(witness)?.size ?? null;
  }
}
