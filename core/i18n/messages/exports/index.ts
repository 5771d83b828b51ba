import { negotiateLocale, type Locale } from '../../locales';
import { createTranslator, type Translator } from '../../translator';
import { ar } from './ar';
import { en } from './en';
import { es } from './es';
import { fr } from './fr';
import { ru } from './ru';
import { zh } from './zh';

export type ExportKey = keyof typeof en;
export type ExportText = Translator<ExportKey>;
export const exportMessages: Readonly<Record<Locale, Readonly<Record<ExportKey, string>>>> = { ar, zh, en, fr, ru, es };

/** The locale of an export's own texts: the one given, else the document's language when it is one of the six, else English. */
export function exportLocale(language: string | undefined, asked?: Locale): Locale {
  return asked ?? negotiateLocale(language ? [language] : []);
}

const made = new Map<Locale, ExportText>();
export function exportText(locale: Locale): ExportText {
  let t = made.get(locale);
  if (!t) made.set(locale, (t = createTranslator(locale, exportMessages[locale])));
  return t;
}
