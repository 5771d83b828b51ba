// Checks a catalogue area in all six languages: the same keys as English, each
// message valid ICU with English's arguments, every plural covering its
// language's CLDR categories, and each translation written in its own script
// (so an English placeholder left in the Arabic catalogue fails).
import { expect } from 'vitest';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { LOCALES, type Locale } from '../../core/i18n/locales';

type Catalogues = Readonly<Record<Locale, Readonly<Record<string, string>>>>;

function walk(elements: readonly MessageFormatElement[], visit: (e: MessageFormatElement) => void): void {
  for (const e of elements) {
    visit(e);
    if (e.type === TYPE.plural || e.type === TYPE.select) for (const option of Object.values(e.options)) walk(option.value, visit);
    if (e.type === TYPE.tag) walk(e.children, visit);
  }
}

function argumentsOf(ast: readonly MessageFormatElement[]): string[] {
  const names = new Set<string>();
  walk(ast, (e) => {
    if (e.type !== TYPE.literal && e.type !== TYPE.pound) names.add(`${e.type}:${e.value}`);
  });
  return [...names].sort();
}

/** Literal text only: what a reader sees apart from the arguments. */
function literalText(ast: readonly MessageFormatElement[]): string {
  let text = '';
  walk(ast, (e) => {
    if (e.type === TYPE.literal) text += e.value;
  });
  return text;
}

const SCRIPT: Readonly<Record<Exclude<Locale, 'en' | 'fr' | 'es'>, RegExp>> = {
  ar: /\p{Script=Arabic}/u,
  zh: /\p{Script=Han}/u,
  ru: /\p{Script=Cyrillic}/u,
};

/**
 * `same`: keys whose message may read exactly as in English, in every language
 * (`all`: product and format names such as "PDF") or in one (French "Version");
 * anything else with letters must differ, and Arabic, Chinese and Russian must
 * be in their own script.
 */
export function checkCatalogues(catalogues: Catalogues, same: Readonly<Partial<Record<Locale | 'all', readonly string[]>>> = {}): void {
  const english = catalogues.en;
  const keys = Object.keys(english).sort();
  expect(keys.length).toBeGreaterThan(0);
  const problems: string[] = [];
  for (const locale of LOCALES) {
    const messages = catalogues[locale];
    expect(Object.keys(messages).sort(), `${locale}: the same keys as English`).toEqual(keys);
    const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
    for (const key of keys) {
      const message = messages[key] ?? '';
      let ast: MessageFormatElement[];
      try {
        ast = parse(message);
      } catch (err) {
        problems.push(`${locale} ${key}: not valid ICU (${(err as Error).message})`);
        continue;
      }
      const englishAst = parse(english[key] ?? '');
      if (argumentsOf(ast).join() !== argumentsOf(englishAst).join()) {
        problems.push(`${locale} ${key}: arguments ${argumentsOf(ast).join(' ')} differ from English ${argumentsOf(englishAst).join(' ')}`);
      }
      walk(ast, (e) => {
        if (e.type !== TYPE.plural || e.pluralType === 'ordinal') return;
        const missing = categories.filter((c) => !(c in e.options));
        if (missing.length) problems.push(`${locale} ${key}: plural {${e.value}} lacks ${missing.join(', ')}`);
      });
      if (locale === 'en' || same.all?.includes(key) || same[locale]?.includes(key)) continue;
      const literal = literalText(ast);
      const englishLiteral = literalText(englishAst);
      if (!/\p{L}{2}/u.test(englishLiteral)) continue;
      if (locale in SCRIPT) {
        if (!SCRIPT[locale as keyof typeof SCRIPT].test(literal)) problems.push(`${locale} ${key}: not written in its script: ${JSON.stringify(message)}`);
      } else if (message === english[key]) {
        problems.push(`${locale} ${key}: still English: ${JSON.stringify(message)}`);
      }
    }
  }
  expect(problems).toEqual([]);
}
