// Rate limits shared by several processes (server/endorsements/rate-limit-redis.ts):
// two sets of counters on one Redis (two processes) count one window together,
// with the in-memory limiter's behaviour. A unique key prefix per run.
import { afterAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { openRedisCounters } from '../server/auth/window-counters-redis';
import { memoryCounters } from '../server/auth/window-counters';
import { LoginThrottle } from '../server/auth/login-throttle';

const REDIS_URL = process.env.ACCORD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `accord-test-${randomBytes(6).toString('hex')}`;
let now = 1_000_000;
const a = openRedisCounters(REDIS_URL, { prefix, now: () => now });
const b = openRedisCounters(REDIS_URL, { prefix, now: () => now });
afterAll(async () => {
  await a.close();
  await b.close();
});

describe('shared rate limits', () => {
  for (const [name, pair] of [
    ['redis (two processes)', () => [a.counters('endorse', { max: 2, windowMs: 10_000 }), b.counters('endorse', { max: 2, windowMs: 10_000 })]],
    ['memory (one process)', () => { const c = memoryCounters(() => now)('endorse', { max: 2, windowMs: 10_000 }); return [c, c]; }],
  ] as const) {
    it(`${name}: max attempts per sliding window and key, counted across both; retry-after; forgive`, async () => {
      const [one, two] = pair();
      const key = `k${randomBytes(4).toString('hex')}`;
      expect(await one!.take(key)).toBe(true);
      now += 4000;
      expect(await two!.take(key)).toBe(true);
      expect(await one!.take(key)).toBe(false);
      expect(await two!.take(`${key}-other`)).toBe(true);
      expect(await two!.retryAfter(key)).toBe(6);
      now += 6001;
      expect(await one!.take(key)).toBe(true);
      expect(await two!.take(key)).toBe(false);
      await two!.forgive(key);
      expect(await one!.take(key)).toBe(true);
    });
  }

  it('sign-in throttling on Redis counts failures of one account across processes', async () => {
    const limits = { perAccount: { max: 3, windowMs: 60_000 }, perAddress: { max: 100, windowMs: 60_000 } };
    const first = new LoginThrottle(limits, () => now, a.counters);
    const second = new LoginThrottle(limits, () => now, b.counters);
    const email = `ann-${randomBytes(4).toString('hex')}@example.org`;
    expect('succeeded' in (await first.begin(email, '10.0.0.1'))).toBe(true);
    expect('succeeded' in (await second.begin(email, '10.0.0.2'))).toBe(true);
    expect('succeeded' in (await first.begin(email, '10.0.0.3'))).toBe(true);
    expect(await second.begin(email, '10.0.0.4')).toEqual({ retryAfter: 60 });
  });
});
