// History points and visits in SQLite (migration 9 in sqlite-schema.ts); the
// contract is history-types.ts. Recording is one transaction: SQLite has one
// writer, so the newest point cannot change between the check and the insert.
import type Database from 'better-sqlite3';
import type { HistoryRepository, HistoryVisit, NewHistoryPoint, RecordOutcome } from './history-types';
import { mergeAccounts, POINT_COLUMNS, toHistoryHead, toHistoryPoint, toHistoryVisit, type HistoryHeadRow, type HistoryPointRow, type HistoryVisitRow } from './history-rows';
import { bytes } from './bytes';
import type { SqliteTransaction } from './sqlite-database';

function statements(db: Database.Database) {
  return {
    head: db.prepare<[string, string, string], HistoryHeadRow>(
      `SELECT ${POINT_COLUMNS}, state_vector,
         (SELECT sum(length(d.data)) FROM history_points d WHERE d.doc_id = ? AND d.number > coalesce((SELECT max(b.number) FROM history_points b WHERE b.doc_id = p.doc_id AND b.base = 1), 0)) AS since_base,
         (SELECT count(*) FROM history_points d WHERE d.doc_id = ? AND d.number > coalesce((SELECT max(b.number) FROM history_points b WHERE b.doc_id = p.doc_id AND b.base = 1), 0)) AS deltas_since_base,
         (SELECT length(b.data) FROM history_points b WHERE b.doc_id = p.doc_id AND b.base = 1 ORDER BY b.number DESC LIMIT 1) AS base_bytes
       FROM history_points p WHERE doc_id = ? ORDER BY number DESC LIMIT 1`,
    ),
    insert: db.prepare(
      `INSERT INTO history_points (doc_id, number, at, version, accounts, upto, base, data, state_vector)
       VALUES (@docId, @number, @at, @version, @accounts, @upto, @base, @data, @stateVector)`,
    ),
    update: db.prepare<[string, number | null, string, number]>('UPDATE history_points SET accounts = ?, version = ? WHERE doc_id = ? AND number = ?'),
    list: db.prepare<[string], HistoryPointRow>(`SELECT ${POINT_COLUMNS} FROM history_points WHERE doc_id = ? ORDER BY number`),
    get: db.prepare<[string, number], HistoryPointRow>(`SELECT ${POINT_COLUMNS} FROM history_points WHERE doc_id = ? AND number = ?`),
    baseAtOrBefore: db.prepare<[string, number], { number: number }>('SELECT max(number) AS number FROM history_points WHERE doc_id = ? AND number <= ? AND base = 1'),
    range: db.prepare<[string, number, number], { data: Buffer }>('SELECT data FROM history_points WHERE doc_id = ? AND number >= ? AND number <= ? ORDER BY number'),
    visitPut: db.prepare(
      `INSERT INTO history_visits (doc_id, user_id, point, at) VALUES (?, ?, ?, ?)
       ON CONFLICT (doc_id, user_id) DO UPDATE SET point = excluded.point, at = excluded.at`,
    ),
    visitGet: db.prepare<[string, string], HistoryVisitRow>('SELECT * FROM history_visits WHERE doc_id = ? AND user_id = ?'),
  };
}

export class SqliteHistoryRepository implements HistoryRepository {
  private readonly stmt: ReturnType<typeof statements>;

  constructor(
    db: Database.Database,
    private readonly transaction: SqliteTransaction,
  ) {
    this.stmt = statements(db);
  }

  private readHead(docId: string) {
    const row = this.stmt.head.get(docId, docId, docId);
    return row ? toHistoryHead(row) : null;
  }

  async head(docId: string) {
    return this.readHead(docId);
  }

  async record(point: NewHistoryPoint): Promise<RecordOutcome> {
    return this.transaction((): RecordOutcome => {
      const newest = this.readHead(point.docId);
      if (newest && newest.upto >= point.upto && (point.version === null || newest.version === null || newest.version === point.version)) {
        const accounts = mergeAccounts(newest.accounts, point.accounts);
        const version = newest.version ?? point.version;
        this.stmt.update.run(JSON.stringify(accounts), version, point.docId, newest.number);
        return { kind: 'covered', point: { ...newest, accounts, version } };
      }
      if ((newest?.number ?? null) !== point.after && !point.base) return { kind: 'stale', head: newest! };
      const number = (newest?.number ?? 0) + 1;
      this.stmt.insert.run({
        docId: point.docId,
        number,
        at: point.at,
        version: point.version,
        accounts: JSON.stringify(mergeAccounts([], point.accounts)),
        upto: point.upto,
        base: point.base ? 1 : 0,
        data: Buffer.from(point.data),
        stateVector: Buffer.from(point.stateVector),
      });
      return { kind: 'recorded', point: toHistoryPoint(this.stmt.get.get(point.docId, number)!) };
    });
  }

  async list(docId: string) {
    return this.stmt.list.all(docId).map(toHistoryPoint);
  }

  async get(docId: string, number: number) {
    const row = this.stmt.get.get(docId, number);
    return row ? toHistoryPoint(row) : null;
  }

  async chain(docId: string, number: number) {
    const base = this.stmt.baseAtOrBefore.get(docId, number)?.number ?? null;
    if (base === null || !this.stmt.get.get(docId, number)) return null;
    return this.stmt.range.all(docId, base, number).map((r) => bytes(r.data));
  }

  async markVisit(visit: HistoryVisit) {
    this.stmt.visitPut.run(visit.docId, visit.userId, visit.point, visit.at);
  }

  async lastVisit(docId: string, userId: string) {
    const row = this.stmt.visitGet.get(docId, userId);
    return row ? toHistoryVisit(row) : null;
  }
}
