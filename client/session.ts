// Who is signed in, as far as this tab knows. The session itself is the
// server's httpOnly cookie; this only caches GET /api/me between routes.
import { api, ApiError, type User } from './api';
import { forgetLocalCopies } from './local-copy';

let cached: User | null | undefined;

export async function currentUser(): Promise<User | null> {
  if (cached !== undefined) return cached;
  try {
    cached = await api.me();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) cached = null;
    else throw error;
  }
  return cached;
}

export function rememberUser(user: User): void {
  cached = user;
}

/** The server ended this session (a socket closed with CLOSE_SIGNED_OUT): ask again before the next page. */
export function forgetSignedInUser(): void {
  cached = null;
}

/**
 * Ends the session on the server, then deletes this account's local copies
 * on this device (client/local-copy.ts). When the server cannot be reached
 * (offline), the session and the copies, which may hold unsent changes, stay.
 */
export async function signOut(): Promise<void> {
  const user = cached;
  try {
    await api.signOut();
    if (user) await forgetLocalCopies(user.id);
  } finally {
    cached = null;
  }
}
