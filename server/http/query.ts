// Query-string parsing for GET endpoints: integers only, clear 400s otherwise.
import type { Request } from 'express';
import { documentIdSchema } from '../../core/api';
import { badRequest, msg, notFound } from './errors';

export function intParam(req: Request, name: string, source: 'query' | 'params' = 'query'): number {
  const raw = source === 'query' ? req.query[name] : req.params[name];
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) throw badRequest(msg('query.nonNegativeInteger', { name }));
  return Number(raw);
}

export function optionalIntParam(req: Request, name: string): number | undefined {
  return req.query[name] === undefined ? undefined : intParam(req, name);
}

/** The document id in the path (`:id`); an id that cannot be one is a document that does not exist (404). */
export function docIdParam(req: Request): string {
  const raw = String(req.params.id);
  const id = documentIdSchema.safeParse(raw);
  if (!id.success) throw notFound(msg('document.notFound', { id: raw }));
  return id.data;
}
