// The language a request is answered in: the signed-in account's own choice
// when it has one (core/i18n/account-locale.ts), else the browser's
// Accept-Language, else English.
import type { Request } from 'express';
import { localeOf } from '../../core/i18n/account-locale';
import { isLocale, negotiateLocale, parseAcceptLanguage, type Locale } from '../../core/i18n/locales';
import { currentUser } from './request-user';

export function acceptedLocale(req: Request): Locale {
  return negotiateLocale(parseAcceptLanguage(req.get('accept-language')));
}

export function requestLocale(req: Request): Locale {
  return localeOf(currentUser(req)) ?? acceptedLocale(req);
}

/** A page's language: `?lang=` when it names one of the six (the switcher's links), else as for any request. */
export function pageLocale(req: Request): Locale {
  const asked = req.query.lang;
  return isLocale(asked) ? asked : requestLocale(req);
}
