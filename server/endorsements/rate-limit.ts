// How much the public endorsement form takes from one place, sized for a
// venue: a meeting room of delegations shares one address, so at least 50
// organisations (we allow 100) may submit from it within ten minutes, while
// a flood (hundreds of requests from one address) and repeated mails to one
// contact address get 429. Mistyped submissions (refused as invalid) do not
// use up the allowance; they only count against the much larger flood cap.
// The counters live in the store (server/store/rate-limit-types.ts).
import type { RateWindow } from '../store/rate-limit-types';
import { errorText, type ErrorText } from '../../core/i18n/messages/errors';

export type RateLimit = RateWindow;

export interface EndorsementLimits {
  /** Submissions stored (new ones and re-affirmations) per client address. */
  submissionsPerClient: RateWindow;
  /** Every public write per client address, invalid ones included: the flood cap. */
  requestsPerClient: RateWindow;
  /** Confirmation mails per contact mailbox (plus-addressing and case folded). */
  mailsPerContact: RateWindow;
}

const TEN_MINUTES = 10 * 60_000;

/** The venue allowance: 100 stored submissions per address per 10 minutes. */
export const DEFAULT_ENDORSEMENT_RATE_LIMIT: RateLimit = { max: 100, windowMs: TEN_MINUTES };
export const DEFAULT_CONTACT_MAIL_LIMIT: RateLimit = { max: 5, windowMs: TEN_MINUTES };

/** The limits for a per-address allowance (ACCORD_ENDORSE_RATE_MAX / _WINDOW) and a per-contact one. */
export function endorsementLimits(perClient: RateLimit = DEFAULT_ENDORSEMENT_RATE_LIMIT, perContact: RateLimit = DEFAULT_CONTACT_MAIL_LIMIT): EndorsementLimits {
  return {
    submissionsPerClient: perClient,
    requestsPerClient: { max: perClient.max * 3, windowMs: perClient.windowMs },
    mailsPerContact: perContact,
  };
}

/** What a venue's shared connection (or a script) hears when over a limit, in words: seconds under 90, else minutes. */
export function durationText(seconds: number): ErrorText {
  return seconds < 90 ? errorText('duration.seconds', { count: seconds }) : errorText('duration.minutes', { count: Math.ceil(seconds / 60) });
}
