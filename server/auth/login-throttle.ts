// Sign-in throttling: wrong passwords are counted per account and per client
// address in sliding windows, so guessing is slow whichever addresses it
// comes from. An attempt is counted before its password is checked (parallel
// guesses cannot slip through) and taken back when it succeeds, so a venue
// full of people signing in from one address is never slowed down.
import { SlidingWindowLimiter, type RateLimit } from './sliding-window';

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
  private readonly accounts: SlidingWindowLimiter;
  private readonly addresses: SlidingWindowLimiter;

  constructor(limits: LoginLimits = DEFAULT_LOGIN_LIMITS, now: () => number = Date.now) {
    this.accounts = new SlidingWindowLimiter(limits.perAccount, now);
    this.addresses = new SlidingWindowLimiter(limits.perAddress, now);
  }

  /** Counts an attempt; `{ retryAfter }` (seconds) when the account or the address is over its limit. */
  begin(account: string, address: string): LoginAttempt | { retryAfter: number } {
    const accountKey = account.trim().toLowerCase().slice(0, 320);
    if (!this.addresses.take(address)) return { retryAfter: this.addresses.retryAfter(address) };
    if (!this.accounts.take(accountKey)) {
      this.addresses.forgive(address);
      return { retryAfter: this.accounts.retryAfter(accountKey) };
    }
    return {
      succeeded: () => {
        this.accounts.forgive(accountKey);
        this.addresses.forgive(address);
      },
    };
  }
}
