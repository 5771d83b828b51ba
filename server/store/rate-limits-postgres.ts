// Rate-limit counters in PostgreSQL (migration 3 in postgres-schema.ts), the
// same contract as rate-limits-sqlite.ts: one row per key and one-minute
// bucket, a sliding window is the sum of the buckets it covers. Checking and
// counting share one transaction under a lock on the key, so two processes
// cannot both take the last place.
import { bucketOf, firstOutside, rateDecision, type RateDecision, type RateLimitRepository, type RateWindow } from './rate-limit-types';
import type { Client, PgDatabase } from './postgres-common';

async function check(c: Client, key: string, now: number, window: RateWindow): Promise<RateDecision> {
  const sql = 'SELECT SUM(count) AS total, MIN(bucket) AS oldest FROM rate_counters WHERE key = $1 AND bucket > $2';
  const row = (await c.query<{ total: string | null; oldest: string | null }>(sql, [key, firstOutside(now, window)])).rows[0];
  const oldest = row?.oldest === null || row?.oldest === undefined ? null : Number(row.oldest);
  return rateDecision(Number(row?.total ?? 0), oldest, now, window);
}

// One lock per key for the transaction: the check and the count are one step for every process.
const lock = (c: Client, key: string) => c.query("SELECT pg_advisory_xact_lock(hashtext('rate:' || $1))", [key]);

export class PgRateLimitRepository implements RateLimitRepository {
  private takes = 0;

  constructor(private readonly db: PgDatabase) {}

  peek(key: string, now: number, window: RateWindow) {
    return this.db.transaction((c) => check(c, key, now, window));
  }

  async take(key: string, now: number, window: RateWindow) {
    const decision = await this.db.transaction(async (c) => {
      await lock(c, key);
      const answer = await check(c, key, now, window);
      if (answer.allowed) {
        await c.query('INSERT INTO rate_counters (key, bucket, count) VALUES ($1, $2, 1) ON CONFLICT (key, bucket) DO UPDATE SET count = rate_counters.count + 1', [key, bucketOf(now)]);
      }
      return answer;
    });
    // Now and then, forget windows long past, so the table follows the active clients only.
    if (++this.takes % 500 === 0) await this.sweep(now - 24 * 3600_000);
    return decision;
  }

  async forgive(key: string, now: number, window: RateWindow) {
    await this.db.transaction(async (c) => {
      await lock(c, key);
      const latest = (await c.query<{ bucket: string }>('SELECT bucket FROM rate_counters WHERE key = $1 AND bucket > $2 AND count > 0 ORDER BY bucket DESC LIMIT 1', [key, firstOutside(now, window)])).rows[0];
      if (!latest) return;
      await c.query('UPDATE rate_counters SET count = count - 1 WHERE key = $1 AND bucket = $2', [key, Number(latest.bucket)]);
      await c.query('DELETE FROM rate_counters WHERE key = $1 AND count <= 0', [key]);
    });
  }

  async sweep(before: number) {
    await this.db.transaction((c) => c.query('DELETE FROM rate_counters WHERE bucket < $1', [bucketOf(before)]));
  }
}
