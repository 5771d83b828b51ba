// Domain errors (server/errors.ts) carry their reason as data and no HTTP;
// the edge (server/http/errors.ts) gives each its status and code. These are
// the statuses and codes the API answered before the services stopped
// throwing HTTP errors themselves, so the contract's error shape is unchanged.
import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  HistoryMismatchError,
  InvalidError,
  MailFailedError,
  msg,
  NotFoundError,
  RateLimitedError,
  SignInRequiredError,
} from '../server/errors';
import { HttpError, toHttpError } from '../server/http/errors';

describe('domain errors', () => {
  it('keep their reason as data and the English text as their message', () => {
    const err = new NotFoundError(msg('document.notFound', { id: 'gpp' }));
    expect(err).toBeInstanceOf(DomainError);
    expect(err).not.toBeInstanceOf(HttpError);
    expect(err.text).toEqual({ key: 'document.notFound', values: { id: 'gpp' } });
    expect(err.message).toBe('no document gpp');
    expect(err.name).toBe('NotFoundError');
  });

  it('each maps at the edge to the status and code the API has always answered', () => {
    const text = msg('http.internal');
    const cases: [DomainError, number, string][] = [
      [new InvalidError(text), 422, 'unprocessable'],
      [new SignInRequiredError(text), 401, 'unauthorized'],
      [new ForbiddenError(text), 403, 'forbidden'],
      [new NotFoundError(text), 404, 'not_found'],
      [new ConflictError(text), 409, 'conflict'],
      [new RateLimitedError(text, 30), 429, 'rate_limited'],
      [new HistoryMismatchError(text), 500, 'history_mismatch'],
      [new MailFailedError(text), 502, 'mail_failed'],
    ];
    for (const [err, status, code] of cases) {
      const http = toHttpError(err);
      expect([err.name, http.status, http.code]).toEqual([err.name, status, code]);
      expect(http.texts).toEqual([text]);
    }
  });

  it('render in the language of the request at the edge', () => {
    const http = toHttpError(new NotFoundError(msg('document.notFound', { id: 'gpp' })));
    expect(http.messageIn('fr')).toBe('aucun document gpp');
    expect(http.messageIn('en')).toBe('no document gpp');
  });
});
