// Rate-limit counters in PostgreSQL (migration 3 in postgres-schema.ts), the
// same contract as rate-limits-sqlite.ts: one row per key and one-minute
// bucket, a sliding window is the sum of the buckets it covers. Checking and
// counting share one transaction under a lock on the key, so two processes
// cannot both take the last place.
import type { RateDecision, RateLimitRepository, RateWindow } from './rate-limit-types';
import type { Transaction } from './postgres-common';

export const BUCKET_MS = 60_000;

type Client = Parameters<Parameters<Transaction>[0]>[0];

export function createPgRateLimitRepository(transaction: Transaction): RateLimitRepository {
  const bucketOf = (ms: number): number => Math.floor(ms / BUCKET_MS);
  const firstOutside = (now: number, window: RateWindow): number => bucketOf(now - window.windowMs);
  const check = async (c: Client, key: string, now: number, window: RateWindow): Promise<RateDecision> => {
    const row = (await c.query<{ total: string | null; oldest: string | null }>('SELECT SUM(count) AS total, MIN(bucket) AS oldest FROM rate_counters WHERE key = $1 AND bucket > $2', [key, firstOutside(now, window)])).rows[0];
    const total = Number(row?.total ?? 0);
    if (total < window.max) return { allowed: true };
    const oldest = row?.oldest === null || row?.oldest === undefined ? bucketOf(now) : Number(row.oldest);
    const freesAt = (oldest + 1) * BUCKET_MS + window.windowMs;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((freesAt - now) / 1000)) };
  };
  // One lock per key for the transaction: the check and the count are one step for every process.
  const lock = (c: Client, key: string) => c.query("SELECT pg_advisory_xact_lock(hashtext('rate:' || $1))", [key]);
  let takes = 0;
  return {
    peek(key, now, window) {
      return transaction((c) => check(c, key, now, window));
    },
    async take(key, now, window) {
      const decision = await transaction(async (c) => {
        await lock(c, key);
        const answer = await check(c, key, now, window);
        if (answer.allowed) {
          await c.query('INSERT INTO rate_counters (key, bucket, count) VALUES ($1, $2, 1) ON CONFLICT (key, bucket) DO UPDATE SET count = rate_counters.count + 1', [key, bucketOf(now)]);
        }
        return answer;
      });
      if (++takes % 500 === 0) await transaction((c) => c.query('DELETE FROM rate_counters WHERE bucket < $1', [bucketOf(now - 24 * 3600_000)]));
      return decision;
    },
    async forgive(key, now, window) {
      await transaction(async (c) => {
        await lock(c, key);
        const latest = (await c.query<{ bucket: string }>('SELECT bucket FROM rate_counters WHERE key = $1 AND bucket > $2 AND count > 0 ORDER BY bucket DESC LIMIT 1', [key, firstOutside(now, window)])).rows[0];
        if (!latest) return;
        await c.query('UPDATE rate_counters SET count = count - 1 WHERE key = $1 AND bucket = $2', [key, Number(latest.bucket)]);
        await c.query('DELETE FROM rate_counters WHERE key = $1 AND count <= 0', [key]);
      });
    },
    async sweep(before) {
      await transaction((c) => c.query('DELETE FROM rate_counters WHERE bucket < $1', [bucketOf(before)]));
    },
  };
}
