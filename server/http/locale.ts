// The language a request is answered in: the signed-in account's own choice
// when it has one, else the browser's Accept-Language, else English.
import type { Request } from 'express';
import type { User } from '../../core/api';
import { isLocale, negotiateLocale, parseAcceptLanguage, type Locale } from '../../core/i18n/locales';
import { currentUser } from './request-user';

/**
 * The interface language an account chose, or null when it chose none. Reads
 * `language` when the account record carries one (the per-account setting of
 * the web client), so mail and errors follow that setting without more wiring.
 */
export function localeOf(user: User | null | undefined): Locale | null {
  if (!user || !('language' in user)) return null;
  const stored: unknown = user.language;
  return isLocale(stored) ? stored : null;
}

export function acceptedLocale(req: Request): Locale {
  return negotiateLocale(parseAcceptLanguage(req.get('accept-language')));
}

export function requestLocale(req: Request): Locale {
  return localeOf(currentUser(req)) ?? acceptedLocale(req);
}
