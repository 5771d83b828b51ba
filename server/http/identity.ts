// Request-scoped identity for HTTP handlers: resolved once per request.
import type { Request, RequestHandler } from 'express';
import type { Role, User } from '../../core/api';
import { atLeast, bearerFrom, cookieFrom, SESSION_COOKIE, type Authenticator } from '../auth/identity';
import type { ErrorKey } from '../../core/i18n/messages/errors';
import { forbidden, msg, unauthorized } from './errors';
import { currentUser, setCurrentUser } from './request-user';

export { currentUser };

/** What a role check guards, named in the `errors` catalogue (`action.*`). */
export type Action = ErrorKey extends infer K ? (K extends `action.${infer A}` ? A : never) : never;

/** Resolves the caller; a presented but invalid credential is a 401 even on public routes. */
export function identify(auth: Authenticator): RequestHandler {
  return async (req, _res, next) => {
    const result = await auth.resolve({
      bearer: bearerFrom(req.headers.authorization),
      session: cookieFrom(req.headers.cookie, SESSION_COOKIE),
    });
    if (result === 'invalid') {
      // A wrong bearer token is an error; a stale session cookie is just a signed-out visitor.
      if (req.headers.authorization) return next(unauthorized(msg('auth.bearerInvalid')));
      setCurrentUser(req, null);
      return next();
    }
    setCurrentUser(req, result);
    next();
  };
}


export function requireUser(req: Request): User {
  const user = currentUser(req);
  if (!user) throw unauthorized();
  return user;
}

/** The caller must hold one of `roles` (admin always may). */
export function requireRole(req: Request, roles: readonly Role[], action: Action): User {
  const user = requireUser(req);
  if (user.role !== 'admin' && !roles.includes(user.role)) {
    throw forbidden(msg('role.needsOneOf', { action: msg(`action.${action}`), roles: { anyOf: roles.map(roleName) }, role: roleName(user.role) }));
  }
  return user;
}

export function requireAtLeast(req: Request, role: Role, action: Action): User {
  const user = requireUser(req);
  if (!atLeast(user, role)) throw forbidden(msg('role.needsAtLeast', { action: msg(`action.${action}`), role: roleName(role), current: roleName(user.role) }));
  return user;
}

const roleName = (role: Role) => msg(`term.${role}`);
