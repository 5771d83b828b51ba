// Request-scoped identity for HTTP handlers: resolved once per request.
import type { Request, RequestHandler } from 'express';
import type { Role, User } from '../../core/api';
import { atLeast, bearerFrom, cookieFrom, SESSION_COOKIE, type Authenticator } from '../auth/identity';
import { forbidden, unauthorized } from './errors';

const resolved = new WeakMap<Request, User | null>();

/** Resolves the caller; a presented but invalid credential is a 401 even on public routes. */
export function identify(auth: Authenticator): RequestHandler {
  return async (req, _res, next) => {
    const result = await auth.resolve({
      bearer: bearerFrom(req.headers.authorization),
      session: cookieFrom(req.headers.cookie, SESSION_COOKIE),
    });
    if (result === 'invalid') {
      // A wrong bearer token is an error; a stale session cookie is just a signed-out visitor.
      if (req.headers.authorization) return next(unauthorized('the bearer token is not valid'));
      resolved.set(req, null);
      return next();
    }
    resolved.set(req, result);
    next();
  };
}

export function currentUser(req: Request): User | null {
  return resolved.get(req) ?? null;
}

export function requireUser(req: Request): User {
  const user = currentUser(req);
  if (!user) throw unauthorized();
  return user;
}

/** The caller must hold one of `roles` (admin always may). */
export function requireRole(req: Request, roles: readonly Role[], action: string): User {
  const user = requireUser(req);
  if (user.role !== 'admin' && !roles.includes(user.role)) {
    throw forbidden(`${action} needs the role ${roles.join(' or ')}; you are ${user.role}`);
  }
  return user;
}

export function requireAtLeast(req: Request, role: Role, action: string): User {
  const user = requireUser(req);
  if (!atLeast(user, role)) throw forbidden(`${action} needs the role ${role} or higher; you are ${user.role}`);
  return user;
}
