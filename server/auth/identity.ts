// Who is asking: resolves a bearer token, a `?token=` query or the session
// cookie to a user. Shared by HTTP requests and WebSocket upgrades.
import type { Role, User } from '../../core/api';
import type { ResolvedToken, Store, TokenKind } from '../store/types';
import { sameSecret, tokenHash } from './tokens';

export const SESSION_COOKIE = 'accord_session';

export const ADMIN_USER: User = {
  id: 'admin',
  name: 'Administrator',
  email: 'admin@localhost',
  organization: 'Accord',
  stakeholderGroup: 'technical-community',
  role: 'admin',
  language: null,
};

export interface Credentials {
  bearer?: string | undefined;
  session?: string | undefined;
}

/** `null`: no credentials given; `'invalid'`: credentials given but not valid. */
export type Resolution = User | null | 'invalid';

/** The user and the credential they came with: a token's or session's public id, or `ADMIN_TOKEN_CREDENTIAL`. */
export interface Authenticated {
  user: User;
  credential: string;
}

/** The credential id of the configured admin bearer token itself. */
export const ADMIN_TOKEN_CREDENTIAL = 'admin-token';

export interface Authenticator {
  resolve(credentials: Credentials): Promise<Resolution>;
  authenticate(credentials: Credentials): Promise<Authenticated | null | 'invalid'>;
  /** The hash to store with a session opened by `user` now: the admin token's for the admin, else null. */
  sessionBinding(user: User): string | null;
  /** Whether a credential seen earlier (an open WebSocket's) still speaks for that user: not revoked, expired or disabled. */
  stillValid(userId: string, credential: string): Promise<boolean>;
}

export function createAuthenticator(store: Store, adminToken: string | undefined): Authenticator {
  const adminHash = adminToken ? tokenHash(adminToken) : null;
  async function userOf(found: ResolvedToken | null, kind: TokenKind | null): Promise<Authenticated | 'invalid'> {
    if (!found || (kind !== null && found.kind !== kind)) return 'invalid';
    if (found.userId === ADMIN_USER.id) {
      // A session opened with the admin token lives only as long as that very token is configured.
      return adminHash && found.adminTokenHash !== null && sameSecret(found.adminTokenHash, adminHash)
        ? { user: ADMIN_USER, credential: found.id }
        : 'invalid';
    }
    const account = await store.users.account(found.userId);
    if (!account || account.disabledAt !== null) return 'invalid';
    return { user: account.user, credential: found.id };
  }
  async function authenticate({ bearer, session }: Credentials): Promise<Authenticated | null | 'invalid'> {
    if (bearer) {
      if (adminToken && sameSecret(bearer, adminToken)) return { user: ADMIN_USER, credential: ADMIN_TOKEN_CREDENTIAL };
      return userOf(await store.tokens.resolve(tokenHash(bearer), new Date()), 'api');
    }
    if (session) return userOf(await store.tokens.resolve(tokenHash(session), new Date()), 'session');
    return null;
  }
  return {
    authenticate,
    async resolve(credentials) {
      const found = await authenticate(credentials);
      return found === null || found === 'invalid' ? found : found.user;
    },
    sessionBinding(user) {
      return user.id === ADMIN_USER.id ? adminHash : null;
    },
    async stillValid(userId, credential) {
      // The admin token itself changes only with a restart, which ends every socket.
      if (credential === ADMIN_TOKEN_CREDENTIAL) return userId === ADMIN_USER.id && adminHash !== null;
      const found = await userOf(await store.tokens.byId(credential, new Date()), null);
      return found !== 'invalid' && found.user.id === userId;
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
