// History rows as both stores read them (history-sqlite.ts, history-postgres.ts).
import type { HistoryHead, HistoryPoint, HistoryVisit } from './history-types';
import { bytes } from './bytes';

export interface HistoryPointRow {
  doc_id: string;
  number: number;
  at: string;
  version: number | null;
  accounts: string;
  upto: number;
  base: number | boolean;
  bytes: number;
}

export interface HistoryHeadRow extends HistoryPointRow {
  state_vector: Buffer;
  since_base: number | null;
  deltas_since_base: number | null;
  base_bytes: number | null;
}

export interface HistoryVisitRow {
  doc_id: string;
  user_id: string;
  point: number;
  at: string;
}

/** The columns of a point's summary (never its data). */
export const POINT_COLUMNS = 'doc_id, number, at, version, accounts, upto, base, length(data) AS bytes';

export function toHistoryPoint(row: HistoryPointRow): HistoryPoint {
  return {
    docId: row.doc_id,
    number: Number(row.number),
    at: row.at,
    version: row.version === null ? null : Number(row.version),
    accounts: JSON.parse(row.accounts) as string[],
    upto: Number(row.upto),
    base: row.base === true || row.base === 1,
    bytes: Number(row.bytes),
  };
}

export function toHistoryHead(row: HistoryHeadRow): HistoryHead {
  const point = toHistoryPoint(row);
  return {
    ...point,
    stateVector: bytes(row.state_vector),
    sinceBase: point.base ? 0 : Number(row.since_base ?? 0),
    deltasSinceBase: point.base ? 0 : Number(row.deltas_since_base ?? 0),
    baseBytes: Number(row.base_bytes ?? 0),
  };
}

export function toHistoryVisit(row: HistoryVisitRow): HistoryVisit {
  return { docId: row.doc_id, userId: row.user_id, point: Number(row.point), at: row.at };
}

/** The accounts of two records of the same point, once each, sorted. */
export function mergeAccounts(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}
