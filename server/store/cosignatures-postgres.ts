// Witness cosignatures in PostgreSQL (migration 7 in postgres-schema.ts), the
// same contract as cosignatures-sqlite.ts: every process sharing the database
// serves the same cosignatures, and the first one stored for a checkpoint and
// witness stays whichever process collected it.
import type { CosignatureRepository, StoredCosignature } from './cosignature-types';
import type { PgDatabase } from './postgres-common';

export class PgCosignatureRepository implements CosignatureRepository {
  constructor(private readonly db: PgDatabase) {}

  async put(body: string, size: number, witness: string, cosignature: StoredCosignature) {
    await this.db.query(
      'INSERT INTO witness_cosignatures (body, witness, tree_size, line, timestamp) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (body, witness) DO NOTHING',
      [body, witness, size, cosignature.line, cosignature.timestamp],
    );
  }

  async get(body: string, witness: string) {
    return (await this.db.query<StoredCosignature>('SELECT line, timestamp FROM witness_cosignatures WHERE body = $1 AND witness = $2', [body, witness]))[0] ?? null;
  }

  async all(body: string) {
    const rows = await this.db.query<StoredCosignature & { witness: string }>('SELECT witness, line, timestamp FROM witness_cosignatures WHERE body = $1', [body]);
    return new Map(rows.map((row): [string, StoredCosignature] => [row.witness, { line: row.line, timestamp: row.timestamp }]));
  }

  async largestSize(witness: string) {
    return (await this.db.query<{ size: number | null }>('SELECT max(tree_size) AS size FROM witness_cosignatures WHERE witness = $1', [witness]))[0]?.size ?? null;
  }
}
