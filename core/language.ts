// The language a document is written in (BCP 47), and the direction its
// script runs. Pure: the server validates and stores a document's language,
// the editor and every export (HTML lang/dir, DOCX w:lang and bidi, PDF /Lang,
// Markdown) carry it.

export const DEFAULT_LANGUAGE = 'en';

/** Scripts written right to left (ISO 15924). */
const RTL_SCRIPTS = new Set(['Arab', 'Hebr', 'Thaa', 'Syrc', 'Nkoo', 'Adlm', 'Rohg', 'Mand', 'Samr', 'Yezi']);

/** The canonical form of a BCP 47 tag ("EN-gb" → "en-GB"), or null if it is not one. */
export function canonicalLanguage(tag: string): string | null {
  if (tag.length === 0 || tag.length > 35) return null;
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    return canonical ?? null;
  } catch {
    return null;
  }
}

/** 'rtl' when the language's likely script runs right to left (ar, he, fa, ur, ps, …), else 'ltr'. */
export function directionOf(language: string): 'ltr' | 'rtl' {
  try {
    const script = new Intl.Locale(language).maximize().script;
    return script !== undefined && RTL_SCRIPTS.has(script) ? 'rtl' : 'ltr';
  } catch {
    return 'ltr';
  }
}

/** Strong right-to-left letters (Hebrew, Arabic, Syriac, Thaana, NKo, … and their presentation forms). */
const STRONG_RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]|\ud802[\udc00-\udfff]|\ud83a[\udc00-\udfff]/;
const STRONG_LTR = /[A-Za-z\u00c0-\u02af\u0370-\u058f\u0900-\u1fff\u2c00-\ufb1c\uff21-\uff5a]/;

/** The direction of a paragraph as HTML's dir="auto" finds it: its first strong letter's; null when it has none. */
export function directionOfText(text: string): 'ltr' | 'rtl' | null {
  const rtl = text.search(STRONG_RTL);
  const ltr = text.search(STRONG_LTR);
  if (rtl < 0 && ltr < 0) return null;
  if (rtl < 0) return 'ltr';
  if (ltr < 0) return 'rtl';
  return rtl < ltr ? 'rtl' : 'ltr';
}

/** Markdown front matter carrying a language other than English (none for English, the default); core/markdown.ts reads it back. */
export function languageFrontMatter(language: string | undefined): string {
  return language && language !== DEFAULT_LANGUAGE ? `---\nlang: ${language}\n---\n\n` : '';
}
