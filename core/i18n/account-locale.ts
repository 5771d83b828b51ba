// The interface language an account chose, or null when it chose none. Reads
// `language` when the account record carries one (the web client's
// per-account setting), so mail and error messages follow that choice as soon
// as accounts store it, with no more wiring here.
import type { User } from '../api';
import { isLocale, type Locale } from './locales';

export function localeOf(user: User | null | undefined): Locale | null {
  if (!user || !('language' in user)) return null;
  const stored: unknown = user.language;
  return isLocale(stored) ? stored : null;
}
