// Who is signed in, as far as this tab knows. The session itself is the
// server's httpOnly cookie; this only caches GET /api/me between routes.
import { api, ApiError, type User } from './api';

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

export async function signOut(): Promise<void> {
  try {
    await api.signOut();
  } finally {
    cached = null;
  }
}
