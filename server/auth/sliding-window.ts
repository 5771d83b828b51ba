// A sliding-window counter per key, in process memory: sign-in throttling
// (server/auth/login-throttle.ts) counts with it. Public endorsements count in
// the store instead (server/store/rate-limit-types.ts).
export interface RateLimit {
  /** Attempts allowed per window. */
  max: number;
  windowMs: number;
}


export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();
  private sweeps = 0;

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts an attempt for `key`; false (and not counted) when the key is over its limit. */
  take(key: string): boolean {
    const now = this.now();
    const recent = this.recent(key, now);
    if (recent.length >= this.limit.max) return false;
    recent.push(now);
    this.hits.set(key, recent);
    if (++this.sweeps % 1000 === 0) this.sweep(now);
    return true;
  }

  /** Takes back the latest attempt counted for `key` (one that turned out well). */
  forgive(key: string): void {
    const times = this.hits.get(key);
    if (!times) return;
    times.pop();
    if (times.length === 0) this.hits.delete(key);
  }

  /** Seconds until `key` may try again (at least 1). */
  retryAfter(key: string): number {
    const now = this.now();
    const oldest = this.recent(key, now)[0];
    return oldest === undefined ? 1 : Math.max(1, Math.ceil((oldest + this.limit.windowMs - now) / 1000));
  }

  private recent(key: string, now: number): number[] {
    return (this.hits.get(key) ?? []).filter((t) => t > now - this.limit.windowMs);
  }

  /** Forgets keys with no attempt inside the window, so memory follows the active clients only. */
  private sweep(now: number): void {
    for (const [key, times] of this.hits) {
      if (!times.some((t) => t > now - this.limit.windowMs)) this.hits.delete(key);
    }
  }
}
