// Sign-in throttling: wrong passwords are counted per account and per client
// address in sliding windows, so guessing is slow whichever addresses it
// comes from. An attempt is counted before its password is checked (parallel
// guesses cannot slip through) and taken back when it succeeds, so a venue
// full of people signing in from one address is never slowed down.
import type { RateLimit } from './sliding-window';
import { memoryCounters, type WindowCounter, type WindowCounters } from './window-counters';

export interface LoginLimits {
  /** Failed sign-ins per account (e-mail address), from any address. */
  perAccount: RateLimit;
  /** Failed sign-ins per client address, whatever the account. */
  perAddress: RateLimit;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  perAccount: { max: 10, windowMs: 15 * 60_000 },
  perAddress: { max: 100, windowMs: 15 * 60_000 },
};

/** Counted attempt: report how it ended. */
export interface LoginAttempt {
  succeeded(): void;
}

export class LoginThrottle {
  private readonly accounts: WindowCounter;
  private readonly addresses: WindowCounter;

  /** `counters`: where the counts live (default: this process's memory, on the clock `now`). */
  constructor(limits: LoginLimits = DEFAULT_LOGIN_LIMITS, now: () => number = Date.now, counters: WindowCounters = memoryCounters(now)) {
    this.accounts = counters('login-account', limits.perAccount);
    this.addresses = counters('login-address', limits.perAddress);
  }

  /** Counts an attempt; `{ retryAfter }` (seconds) when the account or the address is over its limit. */
  async begin(account: string, address: string): Promise<LoginAttempt | { retryAfter: number }> {
    const accountKey = account.trim().toLowerCase().slice(0, 320);
    if (!(await this.addresses.take(address))) return { retryAfter: await this.addresses.retryAfter(address) };
    if (!(await this.accounts.take(accountKey))) {
      await this.addresses.forgive(address);
      return { retryAfter: await this.accounts.retryAfter(accountKey) };
    }
    return {
      succeeded: () => {
        void this.accounts.forgive(accountKey).catch(() => {});
        void this.addresses.forgive(address).catch(() => {});
      },
    };
  }
}
