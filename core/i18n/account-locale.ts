// The interface language an account chose (users.language, set from the web
// client's switcher with PATCH /api/me), or null when it chose none: what the
// server's error messages and mail to that account are written in.
import type { User } from '../api';
import { isLocale, type Locale } from './locales';

export function localeOf(user: User | null | undefined): Locale | null {
  if (!user || !('language' in user)) return null;
  const stored: unknown = user.language;
  return isLocale(stored) ? stored : null;
}
