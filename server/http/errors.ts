// Every error leaves as the contract's JSON shape with the fitting status. Its
// message travels as data (a key of the `errors` catalogue and its values) and
// is rendered here, at the edge, in the language of the request (locale.ts);
// `Error.message` holds the English text for logs and callers in the process.
// The services and the store throw domain errors (server/errors.ts); this is
// the one place that knows their statuses and codes (DOMAIN_STATUS).
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import type { ApiErrorBody } from '../../core/api';
import { errorText, renderErrorText, type ErrorText } from '../../core/i18n/messages/errors';
import type { Locale } from '../../core/i18n/locales';
import { DomainError, type DomainErrorKind } from '../errors';
import { MarkdownError } from '../../core/markdown';
import { zodIssueText } from './zod-messages';
import { requestLocale } from './locale';

export { msg } from '../errors';

export class HttpError extends Error {
  /** The message as parts (one per validation issue), joined by "; ". */
  readonly texts: readonly ErrorText[];
  constructor(
    readonly status: number,
    readonly code: string,
    text: ErrorText | readonly ErrorText[],
  ) {
    const texts = 'key' in text ? [text] : text;
    super(texts.map((t) => renderErrorText(t, 'en')).join('; '));
    this.texts = texts;
  }

  messageIn(locale: Locale): string {
    return this.texts.map((t) => renderErrorText(t, locale)).join('; ');
  }
}

export const badRequest = (text: ErrorText) => new HttpError(400, 'bad_request', text);
export const unauthorized = (text: ErrorText = errorText('auth.required')) => new HttpError(401, 'unauthorized', text);
export const forbidden = (text: ErrorText) => new HttpError(403, 'forbidden', text);
export const notFound = (text: ErrorText) => new HttpError(404, 'not_found', text);
export const unprocessable = (text: ErrorText) => new HttpError(422, 'unprocessable', text);

export function errorBody(code: string, message: string): ApiErrorBody {
  return { error: { code, message } };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  const err = new HttpError(404, 'not_found', errorText('http.noRoute', { method: req.method, path: req.path }));
  res.status(404).json(errorBody(err.code, err.messageIn(requestLocale(req))));
};

/** Zod issues: a missing or mistyped field is malformed (400); a well-typed but invalid value is 422. */
function fromZod(err: ZodError): HttpError {
  const texts = err.issues.map(zodIssueText);
  const malformed = err.issues.every((i) => i.code === 'invalid_type' || i.code === 'unrecognized_keys' || i.code === 'invalid_union');
  return malformed ? new HttpError(400, 'invalid_request', texts) : new HttpError(422, 'invalid_field', texts);
}

export const errorHandler: ErrorRequestHandler = (err: unknown, req, res, _next) => {
  const http = toHttpError(err);
  if (http.status >= 500) console.error(err);
  if (res.headersSent) return;
  res.status(http.status).json(errorBody(http.code, http.messageIn(requestLocale(req))));
};

/** Each domain error's status and code: the only place they meet HTTP. */
const DOMAIN_STATUS: Readonly<Record<DomainErrorKind, readonly [status: number, code: string]>> = {
  invalid: [422, 'unprocessable'],
  'sign-in-required': [401, 'unauthorized'],
  forbidden: [403, 'forbidden'],
  'not-found': [404, 'not_found'],
  conflict: [409, 'conflict'],
  'rate-limited': [429, 'rate_limited'],
  'history-mismatch': [500, 'history_mismatch'],
  'mail-failed': [502, 'mail_failed'],
};

export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof ZodError) return fromZod(err);
  if (err instanceof DomainError) {
    const [status, code] = DOMAIN_STATUS[err.kind];
    return new HttpError(status, code, err.text);
  }
  if (err instanceof MarkdownError) return unprocessable(errorText('markdown.invalid', { detail: err.message }));
  const type = typeof err === 'object' && err && 'type' in err ? (err as { type: unknown }).type : undefined;
  if (type === 'entity.too.large') return new HttpError(413, 'too_large', errorText('http.tooLarge'));
  if (type === 'entity.parse.failed') return new HttpError(400, 'malformed_json', errorText('http.malformedJson'));
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') return new HttpError(415, 'unsupported_encoding', errorText('http.unsupportedEncoding'));
  // Anything else the HTTP stack marks as the client's fault (a malformed %-escape in the path,
  // a body whose Content-Encoding does not decode) is a 4xx, never a 500.
  const status = typeof err === 'object' && err && 'status' in err ? (err as { status: unknown }).status : undefined;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (err instanceof URIError) return new HttpError(400, 'malformed_path', errorText('http.malformedPath'));
    return new HttpError(status, 'bad_request', errorText('http.unreadable'));
  }
  return new HttpError(500, 'internal', errorText('http.internal'));
}
