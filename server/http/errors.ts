// Every error leaves as the contract's JSON shape with the fitting status.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import type { ApiErrorBody } from '../../core/api';
import { ConflictError } from '../store/types';
import { MarkdownError } from '../../core/markdown';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new HttpError(400, 'bad_request', message);
export const unauthorized = (message = 'sign in or send a valid bearer token') => new HttpError(401, 'unauthorized', message);
export const forbidden = (message: string) => new HttpError(403, 'forbidden', message);
export const notFound = (message: string) => new HttpError(404, 'not_found', message);
export const conflict = (message: string) => new HttpError(409, 'conflict', message);
export const unprocessable = (message: string) => new HttpError(422, 'unprocessable', message);

export function errorBody(code: string, message: string): ApiErrorBody {
  return { error: { code, message } };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json(errorBody('not_found', `no route for ${req.method} ${req.path}`));
};

/** Zod issues: a missing or mistyped field is malformed (400); a well-typed but invalid value is 422. */
function fromZod(err: ZodError): HttpError {
  const message = err.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
  const malformed = err.issues.every((i) => i.code === 'invalid_type' || i.code === 'unrecognized_keys' || i.code === 'invalid_union');
  return malformed ? new HttpError(400, 'invalid_request', message) : new HttpError(422, 'invalid_field', message);
}

export const errorHandler: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
  const http = toHttpError(err);
  if (http.status >= 500) console.error(err);
  if (res.headersSent) return;
  res.status(http.status).json(errorBody(http.code, http.message));
};

export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof ZodError) return fromZod(err);
  if (err instanceof ConflictError) return conflict(err.message);
  if (err instanceof MarkdownError) return unprocessable(`markdown ${err.message}`);
  const type = typeof err === 'object' && err && 'type' in err ? (err as { type: unknown }).type : undefined;
  if (type === 'entity.too.large') return new HttpError(413, 'too_large', 'request body is too large');
  if (type === 'entity.parse.failed') return new HttpError(400, 'malformed_json', 'request body is not valid JSON');
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') return new HttpError(415, 'unsupported_encoding', 'unsupported body encoding');
  // Anything else the HTTP stack marks as the client's fault (a malformed %-escape in the path,
  // a body whose Content-Encoding does not decode) is a 4xx, never a 500.
  const status = typeof err === 'object' && err && 'status' in err ? (err as { status: unknown }).status : undefined;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (err instanceof URIError) return new HttpError(400, 'malformed_path', 'the path holds a malformed %-escape');
    return new HttpError(status, 'bad_request', 'the request could not be read');
  }
  return new HttpError(500, 'internal', 'internal server error');
}
