// A document's live text in SQLite: the updates appended as editors type
// (one committed row per batch) and the snapshot compaction folds them into.
// Reads are synchronous inside, so no write comes between a snapshot and its tail.
import type Database from 'better-sqlite3';
import { bytes } from './bytes';
import type { Fold } from './fold';
import type { SqliteTransaction } from './sqlite-database';
import type { Compaction, StoredUpdates, UpdateRepository } from './types';

interface UpdateRow {
  seq: number;
  data: Buffer;
}

function statements(db: Database.Database) {
  return {
    insert: db.prepare('INSERT INTO updates (doc_id, data) VALUES (?, ?)'),
    tail: db.prepare<[string, number], UpdateRow>('SELECT seq, data FROM updates WHERE doc_id = ? AND seq > ? ORDER BY seq'),
    range: db.prepare<[string, number, number], UpdateRow>('SELECT seq, data FROM updates WHERE doc_id = ? AND seq > ? AND seq <= ? ORDER BY seq'),
    deleteUpto: db.prepare('DELETE FROM updates WHERE doc_id = ? AND seq <= ?'),
    snapshot: db.prepare<[string], { data: Buffer; upto: number }>('SELECT data, upto FROM snapshots WHERE doc_id = ?'),
    head: db.prepare<[string, string], { upto: number | null }>(
      'SELECT max(upto) AS upto FROM (SELECT upto FROM snapshots WHERE doc_id = ? UNION ALL SELECT max(seq) AS upto FROM updates WHERE doc_id = ?)',
    ),
    putSnapshot: db.prepare(
      `INSERT INTO snapshots (doc_id, data, upto) VALUES (?, ?, ?)
       ON CONFLICT(doc_id) DO UPDATE SET data = excluded.data, upto = excluded.upto`,
    ),
  };
}

export class SqliteUpdateRepository implements UpdateRepository {
  private readonly stmt: ReturnType<typeof statements>;

  constructor(
    db: Database.Database,
    private readonly transaction: SqliteTransaction,
    private readonly fold: Fold,
  ) {
    this.stmt = statements(db);
  }

  async append(docId: string, update: Uint8Array) {
    return Number(this.stmt.insert.run(docId, Buffer.from(update)).lastInsertRowid);
  }

  async load(docId: string): Promise<StoredUpdates> {
    return this.since(docId, 0);
  }

  async since(docId: string, after: number): Promise<StoredUpdates> {
    // Synchronous: no other write can come between the two reads.
    const snap = this.stmt.snapshot.get(docId);
    const useSnapshot = snap !== undefined && snap.upto > after;
    const tail = this.stmt.tail.all(docId, useSnapshot ? snap.upto : after);
    return {
      snapshot: useSnapshot ? bytes(snap.data) : null,
      tail: tail.map((r) => bytes(r.data)),
      tailSeqs: tail.map((r) => r.seq),
      upto: tail.length ? tail[tail.length - 1]!.seq : useSnapshot ? snap.upto : after,
    };
  }

  async head(docId: string) {
    return this.stmt.head.get(docId, docId)?.upto ?? 0;
  }

  async compact(docId: string, upto: number): Promise<Compaction> {
    // Forward-only, and only ever folds what is stored: a compaction can
    // never delete an update its snapshot does not hold. Read, fold (off
    // the event loop when a worker is given), then write only if no other
    // compaction moved the snapshot meanwhile.
    const snap = this.stmt.snapshot.get(docId);
    const from = snap?.upto ?? 0;
    if (upto <= from) return { upto: from, folded: 0 };
    const rows = this.stmt.range.all(docId, from, upto);
    if (rows.length === 0) return { upto: from, folded: 0 };
    const last = rows[rows.length - 1]!.seq;
    const folded = await this.fold(snap ? bytes(snap.data) : null, rows.map((r) => bytes(r.data)));
    return this.transaction(() => {
      const now = this.stmt.snapshot.get(docId)?.upto ?? 0;
      if (now !== from) return { upto: now, folded: 0 };
      this.stmt.putSnapshot.run(docId, Buffer.from(folded), last);
      this.stmt.deleteUpto.run(docId, last);
      return { upto: last, folded: rows.length };
    });
  }
}
