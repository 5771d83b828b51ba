// The texts of exports (redline headers, summaries, notes, DOCX and PDF footers, the meeting package README) in the six UN languages.
import { negotiateLocale, type Locale } from '../../locales';
import { translatorCache, type Translator } from '../../translator';
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

export const exportText: (locale: Locale) => ExportText = translatorCache(exportMessages);
