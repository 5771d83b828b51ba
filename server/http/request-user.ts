// Who made a request, once identify() (identity.ts) has resolved it; apart so
// that the error handler can read the account's language without the role checks.
import type { Request } from 'express';
import type { User } from '../../core/api';

const resolved = new WeakMap<Request, User | null>();

export function setCurrentUser(req: Request, user: User | null): void {
  resolved.set(req, user);
}

export function currentUser(req: Request): User | null {
  return resolved.get(req) ?? null;
}
