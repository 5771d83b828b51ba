// Rate-limit counters in SQLite (migration 6 in sqlite-schema.ts): one row
// per key and one-minute bucket; a sliding window is the sum of the buckets
// it covers. Checking and counting run in one transaction, so two requests
// cannot both take the last place.
import type Database from 'better-sqlite3';
import type { RateDecision, RateLimitRepository, RateWindow } from './rate-limit-types';

export const BUCKET_MS = 60_000;

export function createRateLimitRepository(db: Database.Database, transaction: <T>(fn: () => T) => T): RateLimitRepository {
  const stmt = {
    window: db.prepare<[string, number], { total: number | null; oldest: number | null }>('SELECT SUM(count) AS total, MIN(bucket) AS oldest FROM rate_counters WHERE key = ? AND bucket > ?'),
    add: db.prepare<[string, number]>('INSERT INTO rate_counters (key, bucket, count) VALUES (?, ?, 1) ON CONFLICT (key, bucket) DO UPDATE SET count = count + 1'),
    latest: db.prepare<[string, number], { bucket: number }>('SELECT bucket FROM rate_counters WHERE key = ? AND bucket > ? AND count > 0 ORDER BY bucket DESC LIMIT 1'),
    subtract: db.prepare<[string, number]>('UPDATE rate_counters SET count = count - 1 WHERE key = ? AND bucket = ?'),
    dropEmpty: db.prepare<[string]>('DELETE FROM rate_counters WHERE key = ? AND count <= 0'),
    sweep: db.prepare<[number]>('DELETE FROM rate_counters WHERE bucket < ?'),
  };
  const bucketOf = (ms: number): number => Math.floor(ms / BUCKET_MS);
  const firstOutside = (now: number, window: RateWindow): number => bucketOf(now - window.windowMs);
  const check = (key: string, now: number, window: RateWindow): RateDecision => {
    const { total, oldest } = stmt.window.get(key, firstOutside(now, window)) ?? { total: 0, oldest: null };
    if ((total ?? 0) < window.max) return { allowed: true };
    const freesAt = ((oldest ?? bucketOf(now)) + 1) * BUCKET_MS + window.windowMs;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((freesAt - now) / 1000)) };
  };
  let takes = 0;
  return {
    async peek(key, now, window) {
      return check(key, now, window);
    },
    async take(key, now, window): Promise<RateDecision> {
      const decision = transaction((): RateDecision => {
        const answer = check(key, now, window);
        if (answer.allowed) stmt.add.run(key, bucketOf(now));
        return answer;
      });
      // Now and then, forget windows long past, so the table follows the active clients only.
      if (++takes % 500 === 0) stmt.sweep.run(bucketOf(now - 24 * 3600_000));
      return decision;
    },
    async forgive(key, now, window) {
      transaction(() => {
        const latest = stmt.latest.get(key, firstOutside(now, window));
        if (!latest) return;
        stmt.subtract.run(key, latest.bucket);
        stmt.dropEmpty.run(key);
      });
    },
    async sweep(before) {
      stmt.sweep.run(bucketOf(before));
    },
  };
}
