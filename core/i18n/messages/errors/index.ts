// The server's error messages as data: a key of the `errors` catalogue and its
// values, rendered in a locale only at the edge that answers (server/http/errors.ts).
// A value may itself be a message (a role's name, a duration) or a list of them.
import type { Locale } from '../../locales';
import { translatorCache } from '../../translator';
import { ar } from './ar';
import { en } from './en';
import { es } from './es';
import { fr } from './fr';
import { ru } from './ru';
import { zh } from './zh';

export type ErrorKey = keyof typeof en;
export const errorMessages: Readonly<Record<Locale, Readonly<Record<ErrorKey, string>>>> = { ar, zh, en, fr, ru, es };

export type ErrorValue = string | number | ErrorText | { readonly anyOf: readonly (string | ErrorText)[] } | { readonly allOf: readonly (string | ErrorText)[] };
export interface ErrorText {
  readonly key: ErrorKey;
  readonly values?: Readonly<Record<string, ErrorValue>>;
}

/** An error message as data: `errorText('document.notFound', { id })`. */
export const errorText = (key: ErrorKey, values?: Readonly<Record<string, ErrorValue>>): ErrorText => (values ? { key, values } : { key });

const translator = translatorCache(errorMessages);

/** The message in `locale`; nested messages and lists are rendered in the same locale. */
export function renderErrorText(text: ErrorText, locale: Locale): string {
  const t = translator(locale);
  const one = (v: string | ErrorText): string => (typeof v === 'string' ? v : renderErrorText(v, locale));
  const values: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(text.values ?? {})) {
    if (typeof value === 'string' || typeof value === 'number') values[name] = value;
    else if ('anyOf' in value) values[name] = t.list(value.anyOf.map(one), 'disjunction');
    else if ('allOf' in value) values[name] = t.list(value.allOf.map(one), 'conjunction');
    else values[name] = one(value);
  }
  return t.t(text.key, values);
}
