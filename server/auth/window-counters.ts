// Sliding-window counters wherever they live: in this process's memory (the
// default), or in Redis for every process serving the same documents
// (window-counters-redis.ts). Sign-in throttling counts with them; public
// endorsements count in the store instead (server/store/rate-limit-types.ts).
import { SlidingWindowLimiter, type RateLimit } from './sliding-window';

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
