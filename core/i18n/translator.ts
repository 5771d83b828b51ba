// Message catalogues in ICU MessageFormat (plurals by each language's CLDR rules,
// numbers and dates through Intl), formatted by intl-messageformat.
//
// A catalogue area (the client's interface, the server's texts) has one module
// per locale. English defines the keys; every other locale is typed
// `Messages<typeof en>`, so a missing key does not compile, and
// tests/helpers/i18n.ts checks at run time that each message parses, uses the
// same arguments as English, covers its language's plural categories and is
// written in its own script.
import { IntlMessageFormat } from 'intl-messageformat';
import { localeDirection, type Locale } from './locales';

export type Messages<T> = { readonly [K in keyof T]: string };
export type MessageValues = Readonly<Record<string, string | number | Date>>;

export interface Translator<K extends string> {
  readonly locale: Locale;
  readonly dir: 'ltr' | 'rtl';
  /** The message `key`, formatted with `values` (ICU arguments: {name}, {count, plural, ...}, {when, date, medium}). */
  t(key: K, values?: MessageValues): string;
  number(value: number, options?: Intl.NumberFormatOptions): string;
  date(value: Date | string | number, options?: Intl.DateTimeFormatOptions): string;
  list(items: readonly string[], type?: 'conjunction' | 'disjunction'): string;
}

/**
 * A catalogue area's translator for a locale, made on first use and kept: a
 * translator compiles each message once, so every caller of one area shares it.
 */
export function translatorCache<K extends string>(catalogue: Readonly<Record<Locale, Readonly<Record<K, string>>>>): (locale: Locale) => Translator<K> {
  const made = new Map<Locale, Translator<K>>();
  return (locale) => {
    let t = made.get(locale);
    if (!t) made.set(locale, (t = createTranslator(locale, catalogue[locale])));
    return t;
  };
}

export function createTranslator<K extends string>(locale: Locale, messages: Readonly<Record<K, string>>): Translator<K> {
  const formats = new Map<K, IntlMessageFormat>();
  // The formats used without options are made once (the editor formats a date per coloured stretch of text).
  const numberFormat = new Intl.NumberFormat(locale);
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const listFormats = { conjunction: new Intl.ListFormat(locale, { type: 'conjunction' }), disjunction: new Intl.ListFormat(locale, { type: 'disjunction' }) };
  return {
    locale,
    dir: localeDirection(locale),
    t(key, values) {
      let format = formats.get(key);
      if (!format) {
        format = new IntlMessageFormat(messages[key], locale);
        formats.set(key, format);
      }
      const out = format.format(values);
      return typeof out === 'string' ? out : String(out);
    },
    number: (value, options) => (options ? new Intl.NumberFormat(locale, options) : numberFormat).format(value),
    date: (value, options) => (options ? new Intl.DateTimeFormat(locale, options) : dateFormat).format(new Date(value)),
    list: (items, type = 'conjunction') => listFormats[type].format(items),
  };
}
