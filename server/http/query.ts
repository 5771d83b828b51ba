// Query-string parsing for GET endpoints: integers only, clear 400s otherwise.
import type { Request } from 'express';
import { badRequest, msg } from './errors';

export function intParam(req: Request, name: string, source: 'query' | 'params' = 'query'): number {
  const raw = source === 'query' ? req.query[name] : req.params[name];
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) throw badRequest(msg('query.nonNegativeInteger', { name }));
  return Number(raw);
}

export function optionalIntParam(req: Request, name: string): number | undefined {
  return req.query[name] === undefined ? undefined : intParam(req, name);
}
