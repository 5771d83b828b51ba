// Domain errors: what a service or the store refuses, and why, with the reason
// as data (a key of the `errors` catalogue and its values). They know nothing
// of HTTP: only the edge (server/http/errors.ts, toHttpError) gives each class
// its status and code, so this module must never import from server/http/.
import { errorText, renderErrorText, type ErrorText } from '../core/i18n/messages/errors';

/** The services' short name for a message as data: `msg('document.notFound', { id })`. */
export { errorText as msg };

/** Every kind of refusal; the HTTP edge's table is keyed by it, so a new kind does not compile until it has a status. */
export type DomainErrorKind = 'not-found' | 'conflict' | 'invalid' | 'sign-in-required' | 'forbidden' | 'rate-limited' | 'history-mismatch' | 'mail-failed';

/** A refusal with its reason; `message` is the English text, for logs and callers in the process. */
export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  constructor(readonly text: ErrorText) {
    super(renderErrorText(text, 'en'));
  }
}

/** What was asked for does not exist (a document, a version, an amendment). */
export class NotFoundError extends DomainError {
  readonly kind = 'not-found';
  override name = 'NotFoundError';
}

/** A write refused because of what is stored (a duplicate, a decision already taken, a text changed since). */
export class ConflictError extends DomainError {
  readonly kind = 'conflict';
  override name = 'ConflictError';
}

/** Well formed but not acceptable (a quote not in the section, a range past the log's end). */
export class InvalidError extends DomainError {
  readonly kind = 'invalid';
  override name = 'InvalidError';
}

/** Nobody is signed in, and what was asked for needs someone to be. */
export class SignInRequiredError extends DomainError {
  readonly kind = 'sign-in-required';
  override name = 'SignInRequiredError';
}

/** The person asking is known and may not do this. */
export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
  override name = 'ForbiddenError';
}

/** Asked too often; may be asked again after `retryAfterSeconds`. */
export class RateLimitedError extends DomainError {
  readonly kind = 'rate-limited';
  override name = 'RateLimitedError';
  constructor(
    text: ErrorText,
    readonly retryAfterSeconds: number,
  ) {
    super(text);
  }
}

/** What is stored does not check (tampered storage): the reason names the item, and nothing is kept. */
export class HistoryMismatchError extends DomainError {
  readonly kind = 'history-mismatch';
  override name = 'HistoryMismatchError';
}

/** The mail transport did not take a message that had to leave. */
export class MailFailedError extends DomainError {
  readonly kind = 'mail-failed';
  override name = 'MailFailedError';
}
