// Who is asking: resolves a bearer token, a `?token=` query or the session
// cookie to a user. Shared by HTTP requests and WebSocket upgrades.
import type { Role, User } from '../../core/api';
import type { Store } from '../store/types';
import { sameSecret, tokenHash } from './tokens';

export const SESSION_COOKIE = 'accord_session';

export const ADMIN_USER: User = {
  id: 'admin',
  name: 'Administrator',
  email: 'admin@localhost',
  organization: 'Accord',
  stakeholderGroup: 'technical-community',
  role: 'admin',
};

export interface Credentials {
  bearer?: string | undefined;
  session?: string | undefined;
}

/** `null`: no credentials given; `'invalid'`: credentials given but not valid. */
export type Resolution = User | null | 'invalid';

export interface Authenticator {
  resolve(credentials: Credentials): Promise<Resolution>;
}

export function createAuthenticator(store: Store, adminToken: string | undefined): Authenticator {
  async function userOf(found: { userId: string; kind: string } | null, kind: string): Promise<Resolution> {
    if (!found || found.kind !== kind) return 'invalid';
    // Sessions opened with the admin token end when the token is no longer configured.
    if (found.userId === ADMIN_USER.id) return adminToken ? ADMIN_USER : 'invalid';
    return (await store.users.byId(found.userId)) ?? 'invalid';
  }
  return {
    async resolve({ bearer, session }) {
      if (bearer) {
        if (adminToken && sameSecret(bearer, adminToken)) return ADMIN_USER;
        return userOf(await store.tokens.resolve(tokenHash(bearer), new Date()), 'api');
      }
      if (session) return userOf(await store.tokens.resolve(tokenHash(session), new Date()), 'session');
      return null;
    },
  };
}

export function bearerFrom(header: string | undefined): string | undefined {
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/**
 * The value of cookie `name`, or undefined. A malformed value (a bad %-escape)
 * is ignored like a missing one: any page on the same host can set cookies, so
 * a garbled one must never lock the browser out of the server.
 */
export function cookieFrom(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

const RANK: Record<Role, number> = { observer: 0, stakeholder: 1, editor: 2, chair: 3, admin: 4 };

/** Stakeholder "and up" in the contract's sense. */
export function atLeast(user: User, role: Role): boolean {
  return RANK[user.role] >= RANK[role];
}
