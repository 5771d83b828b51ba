// Sign-in throttling (server/auth/login-throttle.ts) and the Origin check
// (server/auth/origin.ts), as pure units with a fake clock.
import { describe, expect, it } from 'vitest';
import { LoginThrottle } from '../server/auth/login-throttle';
import { createOriginCheck } from '../server/auth/origin';
import { configFromEnv } from '../server/config';

describe('LoginThrottle', () => {
  const limits = { perAccount: { max: 3, windowMs: 60_000 }, perAddress: { max: 5, windowMs: 60_000 } };

  it('counts failures per account across addresses, forgets them after the window, and never counts successes', async () => {
    let now = 0;
    const throttle = new LoginThrottle(limits, () => now);
    for (let i = 0; i < 3; i++) expect('succeeded' in (await throttle.begin('Ann@Example.org', `10.0.0.${i}`))).toBe(true);
    const refused = (await throttle.begin('ann@example.org', '10.0.0.9'));
    expect(refused).toEqual({ retryAfter: 60 });
    now += 30_000;
    expect((await throttle.begin('ann@example.org', '10.0.0.9'))).toEqual({ retryAfter: 30 });
    now += 30_001;
    expect('succeeded' in (await throttle.begin('ann@example.org', '10.0.0.9'))).toBe(true);

    // Successes are taken back: a shared address signs in as often as it likes.
    for (let i = 0; i < 50; i++) {
      const attempt = (await throttle.begin(`user${i}@example.org`, '192.0.2.1'));
      if (!('succeeded' in attempt)) throw new Error(`refused at ${i}`);
      attempt.succeeded();
    }
  });

  it('counts failures per address across accounts; a refusal by the account limit does not use up the address', async () => {
    const throttle = new LoginThrottle(limits, () => 0);
    for (let i = 0; i < 3; i++) (await throttle.begin('target@example.org', '192.0.2.7'));
    expect('retryAfter' in (await throttle.begin('target@example.org', '192.0.2.7'))).toBe(true);
    expect('succeeded' in (await throttle.begin('a@example.org', '192.0.2.7'))).toBe(true);
    expect('succeeded' in (await throttle.begin('b@example.org', '192.0.2.7'))).toBe(true);
    expect('retryAfter' in (await throttle.begin('c@example.org', '192.0.2.7'))).toBe(true);
    expect('succeeded' in (await throttle.begin('c@example.org', '192.0.2.8'))).toBe(true);
  });
});

describe('createOriginCheck', () => {
  const check = createOriginCheck('https://accord.example.org');
  it('accepts our public origin, the host asked, and requests without Origin; refuses other sites', () => {
    expect(check({ origin: 'https://accord.example.org', host: 'internal:4000' })).toBe(true);
    expect(check({ origin: 'http://127.0.0.1:4000', host: '127.0.0.1:4000' })).toBe(true);
    expect(check({ host: '127.0.0.1:4000' })).toBe(true);
    expect(check({ host: '127.0.0.1:4000', secFetchSite: 'same-origin' })).toBe(true);
    expect(check({ origin: 'https://evil.example', host: '127.0.0.1:4000' })).toBe(false);
    expect(check({ origin: 'http://127.0.0.1:4001', host: '127.0.0.1:4000' })).toBe(false);
    expect(check({ origin: 'null', host: '127.0.0.1:4000' })).toBe(false);
    expect(check({ origin: 'https://accord.example.org.evil.example', host: '127.0.0.1:4000' })).toBe(false);
    expect(check({ host: '127.0.0.1:4000', secFetchSite: 'cross-site' })).toBe(false);
    expect(check({ host: '127.0.0.1:4000', secFetchSite: 'same-site' })).toBe(false);
  });
});

describe('sign-in limits from the environment', () => {
  it('defaults unless set; ACCORD_LOGIN_RATE_ACCOUNT, _ADDRESS and _WINDOW (seconds) each replace one part; nonsense refused', () => {
    expect(configFromEnv({}).loginLimits).toBeUndefined();
    expect(configFromEnv({ ACCORD_LOGIN_RATE_ACCOUNT: '5' }).loginLimits).toEqual({ perAccount: { max: 5, windowMs: 900_000 }, perAddress: { max: 100, windowMs: 900_000 } });
    expect(configFromEnv({ ACCORD_LOGIN_RATE_ADDRESS: '1000', ACCORD_LOGIN_RATE_WINDOW: '60' }).loginLimits).toEqual({ perAccount: { max: 10, windowMs: 60_000 }, perAddress: { max: 1000, windowMs: 60_000 } });
    expect(() => configFromEnv({ ACCORD_LOGIN_RATE_ACCOUNT: '0' })).toThrow(/ACCORD_LOGIN_RATE_ACCOUNT must be a positive integer/);
    expect(() => configFromEnv({ ACCORD_LOGIN_RATE_WINDOW: 'soon' })).toThrow(/ACCORD_LOGIN_RATE_WINDOW must be a positive number of seconds/);
    expect(() => configFromEnv({ ACCORD_ENDORSE_RATE_MAX: '1.5' })).toThrow(/ACCORD_ENDORSE_RATE_MAX must be a positive integer/);
  });
});
