// The `endorse` catalogue in one locale, made once per locale and kept.
import type { Locale } from '../../core/i18n/locales';
import { endorseMessages, type EndorseKey } from '../../core/i18n/messages/endorse';
import { createTranslator, type Translator } from '../../core/i18n/translator';

const made = new Map<Locale, Translator<EndorseKey>>();

export function endorseText(locale: Locale): Translator<EndorseKey> {
  let t = made.get(locale);
  if (!t) made.set(locale, (t = createTranslator(locale, endorseMessages[locale])));
  return t;
}
