// Sliding-window counters in Redis (ACCORD_REDIS_URL), shared by every
// process: one sorted set per key (member: an attempt, score: its time), the
// window trimmed and checked atomically by a script. The same WindowCounter
// as the in-memory one, so two processes behind a load balancer allow an
// address exactly as many attempts as one process would.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { RateLimit } from './sliding-window';
import type { WindowCounter, WindowCounters } from './window-counters';

// KEYS[1] the set; ARGV now, window, max, member. 1 when counted, 0 when over the limit.
const TAKE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1] - ARGV[2])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

export interface RedisCounters {
  counters: WindowCounters;
  close(): Promise<void>;
}

export function openRedisCounters(url: string, options: { prefix?: string; now?: () => number; log?: (m: string) => void } = {}): RedisCounters {
  const prefix = options.prefix ?? 'accord';
  const now = options.now ?? Date.now;
  const redis = new Redis(url, { maxRetriesPerRequest: 2 });
  redis.on('error', (err: Error) => options.log?.(`redis (rate limits): ${err.message}`));
  const counters: WindowCounters = (name: string, limit: RateLimit): WindowCounter => {
    const keyOf = (key: string) => `${prefix}:rate:${name}:${key}`;
    return {
      async take(key) {
        const t = now();
        const counted = await redis.eval(TAKE, 1, keyOf(key), t, limit.windowMs, limit.max, `${t}:${randomBytes(6).toString('hex')}`);
        return counted === 1;
      },
      async forgive(key) {
        await redis.zpopmax(keyOf(key));
      },
      async retryAfter(key) {
        const t = now();
        const oldest = await redis.zrangebyscore(keyOf(key), t - limit.windowMs + 1, '+inf', 'WITHSCORES', 'LIMIT', 0, 1);
        if (oldest.length < 2) return 1;
        return Math.max(1, Math.ceil((Number(oldest[1]) + limit.windowMs - t) / 1000));
      },
    };
  };
  return {
    counters,
    async close() {
      redis.disconnect();
    },
  };
}
