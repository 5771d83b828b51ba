import { describe, expect, it } from 'vitest';
import { LOCALES, localeDirection, negotiateLocale, parseAcceptLanguage } from '../core/i18n/locales';
import { createTranslator } from '../core/i18n/translator';
import { commonMessages } from '../core/i18n/messages/common';
import { checkCatalogues } from './helpers/i18n';

describe('interface languages', () => {
  it('negotiates one of the six from preferences, best first, by language', () => {
    expect(negotiateLocale(['de-CH', 'fr-CA', 'en'])).toBe('fr');
    expect(negotiateLocale(['zh-Hant-TW'])).toBe('zh');
    expect(negotiateLocale(['AR_EG'])).toBe('ar');
    expect(negotiateLocale(['de', 'it'])).toBe('en');
    expect(negotiateLocale([])).toBe('en');
    expect(LOCALES.map(localeDirection)).toEqual(['rtl', 'ltr', 'ltr', 'ltr', 'ltr', 'ltr']);
  });

  it('reads Accept-Language by quality, skipping what is malformed or refused', () => {
    expect(parseAcceptLanguage('de;q=0.5, ru, es;q=0.9, fr;q=0, x y;q=1, *;q=0.1')).toEqual(['ru', 'es', 'de', '*']);
    expect(parseAcceptLanguage(undefined)).toEqual([]);
    expect(negotiateLocale(parseAcceptLanguage('de;q=0.9,es;q=0.8'))).toBe('es');
  });

  it('formats plurals by each language\'s rules, and numbers and dates through Intl', () => {
    const ar = createTranslator('ar', commonMessages.ar);
    // Digits follow the runtime's CLDR data (Latin or Arabic-Indic); the forms are the language's.
    const arabic = [0, 1, 2, 3, 11, 100].map((count) => ar.t('count.words', { count }).replace(/[0-9٠-٩]+/g, 'N'));
    expect(arabic).toEqual(['لا كلمات', 'كلمة واحدة', 'كلمتان', 'N كلمات', 'N كلمة', 'N كلمة']);
    const ru = createTranslator('ru', commonMessages.ru);
    expect([1, 3, 5, 21].map((count) => ru.t('count.words', { count }))).toEqual(['1 слово', '3 слова', '5 слов', '21 слово']);
    expect(createTranslator('fr', commonMessages.fr).number(12345.5)).toBe('12\u202f345,5');
    expect(createTranslator('en', commonMessages.en).list(['Privacy', 'Security'])).toBe('Privacy and Security');
    expect(ar.dir).toBe('rtl');
  });

  it('the shared catalogue is complete and translated in all six', () => {
    checkCatalogues(commonMessages);
  });
});
