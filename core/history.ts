// Wire shapes of the continuous history (server/history, client/panels/history):
// points, a point's text, visits, and the references a history redline takes.
import { z } from 'zod';
import type { Actor, DocumentView } from './api';

/** A text to compare: a history point (`p3`), a frozen version (`v2`) or the live text. */
export type HistoryRef = { kind: 'point'; number: number } | { kind: 'version'; number: number } | { kind: 'live' };

export const historyRefSchema = z
  .string()
  .regex(/^(?:[pv][1-9]\d{0,8}|live)$/, 'a point (p<n>), a version (v<n>) or "live"')
  .transform((raw): HistoryRef => (raw === 'live' ? { kind: 'live' } : { kind: raw[0] === 'p' ? 'point' : 'version', number: Number(raw.slice(1)) }));

export const HISTORY_REDLINE_FORMATS = ['json', 'html', 'md'] as const;
export type HistoryRedlineFormat = (typeof HISTORY_REDLINE_FORMATS)[number];

export const historyRedlineQuery = z.object({
  from: historyRefSchema,
  to: historyRefSchema.default({ kind: 'live' }),
  format: z.enum(HISTORY_REDLINE_FORMATS).default('json'),
});

export const historyPointParams = z.object({ n: z.string().regex(/^[1-9]\d{0,8}$/, 'a point number').transform(Number) });

export function refName(ref: HistoryRef): string {
  return ref.kind === 'live' ? 'live' : `${ref.kind === 'point' ? 'p' : 'v'}${ref.number}`;
}

export interface HistoryPointSummary {
  number: number;
  /** When the point was recorded (ISO). */
  at: string;
  /** The version frozen at this point, if any. */
  version: number | null;
  /** Who changed the text since the point before; empty when the document's attribution policy hides names from the reader. */
  accounts: Actor[];
  /** True when `accounts` was left empty because the reader may not see who wrote the document. */
  namesHidden?: boolean;
  /** Bytes stored for the point (a delta, or a full state when `base`). */
  bytes: number;
  base: boolean;
}

export type HistoryPointView = HistoryPointSummary & DocumentView;

export interface HistoryVisitView {
  /** The point the account last saw, and when it left. */
  point: number;
  at: string;
  /** Whether the text changed since. */
  changed: boolean;
}
