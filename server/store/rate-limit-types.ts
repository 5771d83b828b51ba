// The storage port for rate limits: counters per key (a client address, a
// contact mailbox) over a sliding window, kept in the store rather than in
// process memory, so several processes and a restart count the same attempts.

export interface RateWindow {
  /** Attempts allowed in the window. */
  max: number;
  windowMs: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimitRepository {
  /**
   * Counts one attempt for `key` at `now` (ms) unless the window already holds
   * `max`: then nothing is counted and the answer says when to retry. Atomic.
   */
  take(key: string, now: number, window: RateWindow): Promise<RateDecision>;
  /** What `take` would answer now, counting nothing. */
  peek(key: string, now: number, window: RateWindow): Promise<RateDecision>;
  /** Takes back one attempt counted for `key` within the window (one that turned out not to count). */
  forgive(key: string, now: number, window: RateWindow): Promise<void>;
  /** Drops counters older than `before` (ms). */
  sweep(before: number): Promise<void>;
}

/** Counters are kept per key and one-minute bucket; a window is the sum of the buckets it covers. */
export const BUCKET_MS = 60_000;

export const bucketOf = (ms: number): number => Math.floor(ms / BUCKET_MS);

/** The newest bucket a window ending at `now` no longer covers. */
export const firstOutside = (now: number, window: RateWindow): number => bucketOf(now - window.windowMs);

/** The answer for a window that holds `total` attempts, the oldest in bucket `oldest`. */
export function rateDecision(total: number, oldest: number | null, now: number, window: RateWindow): RateDecision {
  if (total < window.max) return { allowed: true };
  const freesAt = ((oldest ?? bucketOf(now)) + 1) * BUCKET_MS + window.windowMs;
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((freesAt - now) / 1000)) };
}
