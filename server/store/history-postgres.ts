// History points and visits in PostgreSQL (migration 6 in postgres-schema.ts),
// the contract of history-types.ts. Recording takes the document's history
// lock for its transaction, so processes recording the same document take
// turns: the second finds the first's point and merges into it (or is told
// its delta is stale); the (doc_id, number) key backs that up.
import type { HistoryRepository, HistoryVisit, NewHistoryPoint, RecordOutcome } from './history-types';
import { mergeAccounts, POINT_COLUMNS, toHistoryHead, toHistoryPoint, toHistoryVisit, type HistoryHeadRow, type HistoryPointRow, type HistoryVisitRow } from './history-rows';
import { LOCK, type Client, type PgDatabase } from './postgres-common';
import type pg from 'pg';
import { bytes } from './bytes';

const HEAD_SQL = `SELECT ${POINT_COLUMNS}, state_vector,
    (SELECT sum(length(d.data)) FROM history_points d WHERE d.doc_id = p.doc_id AND d.number > coalesce((SELECT max(b.number) FROM history_points b WHERE b.doc_id = p.doc_id AND b.base), 0)) AS since_base,
    (SELECT count(*) FROM history_points d WHERE d.doc_id = p.doc_id AND d.number > coalesce((SELECT max(b.number) FROM history_points b WHERE b.doc_id = p.doc_id AND b.base), 0)) AS deltas_since_base,
    (SELECT length(b.data) FROM history_points b WHERE b.doc_id = p.doc_id AND b.base ORDER BY b.number DESC LIMIT 1) AS base_bytes
  FROM history_points p WHERE doc_id = $1 ORDER BY number DESC LIMIT 1`;

async function headOf(on: Client | pg.Pool, docId: string) {
  const row = (await on.query<HistoryHeadRow>(HEAD_SQL, [docId])).rows[0];
  return row ? toHistoryHead(row) : null;
}

async function pointRow(on: Client | pg.Pool, docId: string, number: number) {
  return (await on.query<HistoryPointRow>(`SELECT ${POINT_COLUMNS} FROM history_points WHERE doc_id = $1 AND number = $2`, [docId, number])).rows[0];
}

export class PgHistoryRepository implements HistoryRepository {
  constructor(private readonly db: PgDatabase) {}

  head(docId: string) {
    return headOf(this.db.pool, docId);
  }

  record(point: NewHistoryPoint) {
    return this.db.transaction(async (c): Promise<RecordOutcome> => {
      await c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK.history, point.docId]);
      const newest = await headOf(c, point.docId);
      if (newest && newest.upto >= point.upto && (point.version === null || newest.version === null || newest.version === point.version)) {
        const accounts = mergeAccounts(newest.accounts, point.accounts);
        const version = newest.version ?? point.version;
        await c.query('UPDATE history_points SET accounts = $1, version = $2 WHERE doc_id = $3 AND number = $4', [JSON.stringify(accounts), version, point.docId, newest.number]);
        return { kind: 'covered', point: { ...newest, accounts, version } };
      }
      if ((newest?.number ?? null) !== point.after && !point.base) return { kind: 'stale', head: newest! };
      const number = (newest?.number ?? 0) + 1;
      await c.query(
        `INSERT INTO history_points (doc_id, number, at, version, accounts, upto, base, data, state_vector) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [point.docId, number, point.at, point.version, JSON.stringify(mergeAccounts([], point.accounts)), point.upto, point.base, Buffer.from(point.data), Buffer.from(point.stateVector)],
      );
      return { kind: 'recorded', point: toHistoryPoint((await pointRow(c, point.docId, number))!) };
    });
  }

  async list(docId: string) {
    return (await this.db.query<HistoryPointRow>(`SELECT ${POINT_COLUMNS} FROM history_points WHERE doc_id = $1 ORDER BY number`, [docId])).map(toHistoryPoint);
  }

  async get(docId: string, number: number) {
    const row = await pointRow(this.db.pool, docId, number);
    return row ? toHistoryPoint(row) : null;
  }

  chain(docId: string, number: number) {
    return this.db.transaction(
      async (c) => {
        const base = (await c.query<{ number: number | null }>('SELECT max(number) AS number FROM history_points WHERE doc_id = $1 AND number <= $2 AND base', [docId, number])).rows[0]?.number ?? null;
        if (base === null || !(await pointRow(c, docId, number))) return null;
        const { rows } = await c.query<{ data: Buffer }>('SELECT data FROM history_points WHERE doc_id = $1 AND number >= $2 AND number <= $3 ORDER BY number', [docId, base, number]);
        return rows.map((r) => bytes(r.data));
      },
      { readOnlySnapshot: true },
    );
  }

  async markVisit(visit: HistoryVisit) {
    await this.db.query(
      `INSERT INTO history_visits (doc_id, user_id, point, at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (doc_id, user_id) DO UPDATE SET point = excluded.point, at = excluded.at`,
      [visit.docId, visit.userId, visit.point, visit.at],
    );
  }

  async lastVisit(docId: string, userId: string) {
    const [row] = await this.db.query<HistoryVisitRow>('SELECT * FROM history_visits WHERE doc_id = $1 AND user_id = $2', [docId, userId]);
    return row ? toHistoryVisit(row) : null;
  }
}
