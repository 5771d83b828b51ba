// A sliding-window counter per key (a client address, a contact address), in
// memory: enough for one server process; several processes share theirs in
// Redis (rate-limit-redis.ts) behind the same WindowCounter. Spam and
// impersonation attempts are slowed down, not stopped; chairs still review
// every endorsement.

export interface RateLimit {
  /** Attempts allowed per window. */
  max: number;
  windowMs: number;
}

export const DEFAULT_ENDORSEMENT_RATE_LIMIT: RateLimit = { max: 5, windowMs: 10 * 60_000 };

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

/** A sliding-window counter wherever it lives (this process, or Redis for all processes). */
export interface WindowCounter {
  /** Counts an attempt for `key`; false (and not counted) when the key is over its limit. */
  take(key: string): Promise<boolean>;
  /** Takes back the latest attempt counted for `key`. */
  forgive(key: string): Promise<void>;
  /** Seconds until `key` may try again (at least 1). */
  retryAfter(key: string): Promise<number>;
}

/** Makes the counter named `name` (distinct names never share keys). */
export type WindowCounters = (name: string, limit: RateLimit) => WindowCounter;

/** Counters in this process's memory (the default). */
export function memoryCounters(now: () => number = Date.now): WindowCounters {
  return (_name, limit) => {
    const limiter = new SlidingWindowLimiter(limit, now);
    return {
      take: async (key) => limiter.take(key),
      forgive: async (key) => limiter.forgive(key),
      retryAfter: async (key) => limiter.retryAfter(key),
    };
  };
}
