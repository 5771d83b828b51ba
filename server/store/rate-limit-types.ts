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
