// Cross-site request forgery: a write that a browser's session cookie
// authenticates (no bearer token) must come from our own pages. So must a
// sign-in, so that no other site can sign a visitor into an account of its
// choosing. Bearer-token requests and reads are not affected.
import type { RequestHandler } from 'express';
import { bearerFrom, cookieFrom, SESSION_COOKIE } from '../auth/identity';
import { originHeaders, type OriginCheck } from '../auth/origin';
import { forbidden, msg } from './errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function requireSameOriginForCookies(sameOrigin: OriginCheck): RequestHandler {
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const byCookie = !bearerFrom(req.headers.authorization) && cookieFrom(req.headers.cookie, SESSION_COOKIE) !== undefined;
    const signIn = req.path === '/api/session';
    if ((byCookie || signIn) && !sameOrigin(originHeaders(req.headers))) {
      return next(forbidden(msg('auth.crossOrigin')));
    }
    next();
  };
}
