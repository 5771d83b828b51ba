// Rate-limit counters in SQLite (migration 6 in sqlite-schema.ts): one row
// per key and one-minute bucket; a sliding window is the sum of the buckets
// it covers. Checking and counting run in one transaction, so two requests
// cannot both take the last place.
import type Database from 'better-sqlite3';
import { bucketOf, firstOutside, rateDecision, type RateDecision, type RateLimitRepository, type RateWindow } from './rate-limit-types';
import type { SqliteTransaction } from './sqlite-database';

function statements(db: Database.Database) {
  return {
    window: db.prepare<[string, number], { total: number | null; oldest: number | null }>('SELECT SUM(count) AS total, MIN(bucket) AS oldest FROM rate_counters WHERE key = ? AND bucket > ?'),
    add: db.prepare<[string, number]>('INSERT INTO rate_counters (key, bucket, count) VALUES (?, ?, 1) ON CONFLICT (key, bucket) DO UPDATE SET count = count + 1'),
    latest: db.prepare<[string, number], { bucket: number }>('SELECT bucket FROM rate_counters WHERE key = ? AND bucket > ? AND count > 0 ORDER BY bucket DESC LIMIT 1'),
    subtract: db.prepare<[string, number]>('UPDATE rate_counters SET count = count - 1 WHERE key = ? AND bucket = ?'),
    dropEmpty: db.prepare<[string]>('DELETE FROM rate_counters WHERE key = ? AND count <= 0'),
    sweep: db.prepare<[number]>('DELETE FROM rate_counters WHERE bucket < ?'),
  };
}

export class SqliteRateLimitRepository implements RateLimitRepository {
  private readonly stmt: ReturnType<typeof statements>;
  private takes = 0;

  constructor(
    db: Database.Database,
    private readonly transaction: SqliteTransaction,
  ) {
    this.stmt = statements(db);
  }

  private check(key: string, now: number, window: RateWindow): RateDecision {
    const { total, oldest } = this.stmt.window.get(key, firstOutside(now, window)) ?? { total: 0, oldest: null };
    return rateDecision(total ?? 0, oldest, now, window);
  }

  async peek(key: string, now: number, window: RateWindow) {
    return this.check(key, now, window);
  }

  async take(key: string, now: number, window: RateWindow): Promise<RateDecision> {
    const decision = this.transaction((): RateDecision => {
      const answer = this.check(key, now, window);
      if (answer.allowed) this.stmt.add.run(key, bucketOf(now));
      return answer;
    });
    // Now and then, forget windows long past, so the table follows the active clients only.
    if (++this.takes % 500 === 0) this.stmt.sweep.run(bucketOf(now - 24 * 3600_000));
    return decision;
  }

  async forgive(key: string, now: number, window: RateWindow) {
    this.transaction(() => {
      const latest = this.stmt.latest.get(key, firstOutside(now, window));
      if (!latest) return;
      this.stmt.subtract.run(key, latest.bucket);
      this.stmt.dropEmpty.run(key);
    });
  }

  async sweep(before: number) {
    this.stmt.sweep.run(bucketOf(before));
  }
}
