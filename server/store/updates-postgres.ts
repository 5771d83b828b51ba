// A document's live text in PostgreSQL, the same contract as
// updates-sqlite.ts. Appends take the document's advisory lock, so its seq
// order is its commit order; reads of a snapshot and its tail share one
// read-only snapshot of the database.
import { bytes } from './bytes';
import type { Fold } from './fold';
import { LOCK, type Client, type PgDatabase } from './postgres-common';
import type { Compaction, StoredUpdates, UpdateRepository } from './types';

interface SnapshotRow {
  data: Buffer;
  upto: number;
}

interface UpdateRow {
  seq: number;
  data: Buffer;
}

const snapshotOf = async (c: Client, docId: string): Promise<SnapshotRow | undefined> =>
  (await c.query<SnapshotRow>('SELECT data, upto FROM snapshots WHERE doc_id = $1', [docId])).rows[0];

export class PgUpdateRepository implements UpdateRepository {
  constructor(
    private readonly db: PgDatabase,
    private readonly fold: Fold,
  ) {}

  async append(docId: string, update: Uint8Array) {
    // The hot path: one statement, one round trip, its own transaction. The
    // document's lock is taken (in the CTE) before the row gets its seq and
    // held until the statement commits, so seq order stays commit order.
    // Named: each pooled connection parses and plans it once. The update is sent without a copy.
    const { rows } = await this.db.pool.query<{ seq: number }>({
      name: 'accord-append-update',
      text: `WITH locked AS (SELECT pg_advisory_xact_lock($1, hashtext($2)))
       INSERT INTO updates (doc_id, data) SELECT $2, $3 FROM locked RETURNING seq`,
      values: [LOCK.document, docId, Buffer.from(update.buffer, update.byteOffset, update.byteLength)],
    });
    return rows[0]!.seq;
  }

  async load(docId: string) {
    return this.since(docId, 0);
  }

  async since(docId: string, after: number): Promise<StoredUpdates> {
    // One snapshot of the database: a compaction committing between the two reads cannot hide updates.
    return this.db.transaction(
      async (c) => {
        const snap = await snapshotOf(c, docId);
        const useSnapshot = snap !== undefined && snap.upto > after;
        const from = useSnapshot ? snap.upto : after;
        const tail = (await c.query<UpdateRow>('SELECT seq, data FROM updates WHERE doc_id = $1 AND seq > $2 ORDER BY seq', [docId, from])).rows;
        return {
          snapshot: useSnapshot ? bytes(snap.data) : null,
          tail: tail.map((r) => bytes(r.data)),
          tailSeqs: tail.map((r) => r.seq),
          upto: tail.length ? tail[tail.length - 1]!.seq : from,
        };
      },
      { readOnlySnapshot: true },
    );
  }

  async head(docId: string) {
    const [row] = await this.db.query<{ upto: number | null }>(
      'SELECT greatest((SELECT upto FROM snapshots WHERE doc_id = $1), (SELECT max(seq) FROM updates WHERE doc_id = $1)) AS upto',
      [docId],
    );
    return row?.upto ?? 0;
  }

  async compact(docId: string, upto: number): Promise<Compaction> {
    // Forward-only, and folds only what is stored: read, fold (in a worker
    // when given), then write only if no other process moved the snapshot meanwhile.
    const read = await this.foldable(docId, upto);
    if (read.rows.length === 0) return { upto: read.from, folded: 0 };
    const last = read.rows[read.rows.length - 1]!.seq;
    const folded = await this.fold(read.snap ? bytes(read.snap.data) : null, read.rows.map((r) => bytes(r.data)));
    return this.db.transaction(async (c) => {
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
  }

  /** The snapshot and the stored updates after it up to `upto`, read in one snapshot of the database. */
  private foldable(docId: string, upto: number): Promise<{ snap: SnapshotRow | undefined; from: number; rows: UpdateRow[] }> {
    return this.db.transaction(
      async (c) => {
        const snap = await snapshotOf(c, docId);
        const from = snap?.upto ?? 0;
        if (upto <= from) return { snap, from, rows: [] };
        const rows = (await c.query<UpdateRow>('SELECT seq, data FROM updates WHERE doc_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq', [docId, from, upto])).rows;
        return { snap, from, rows };
      },
      { readOnlySnapshot: true },
    );
  }
}
