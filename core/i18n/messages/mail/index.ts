import type { Locale } from '../../locales';
import { createTranslator, type Translator } from '../../translator';
import { ar } from './ar';
import { en } from './en';
import { es } from './es';
import { fr } from './fr';
import { ru } from './ru';
import { zh } from './zh';

export type MailKey = keyof typeof en;
export const mailMessages: Readonly<Record<Locale, Readonly<Record<MailKey, string>>>> = { ar, zh, en, fr, ru, es };

const made = new Map<Locale, Translator<MailKey>>();
export function mailText(locale: Locale): Translator<MailKey> {
  let t = made.get(locale);
  if (!t) made.set(locale, (t = createTranslator(locale, mailMessages[locale])));
  return t;
}
