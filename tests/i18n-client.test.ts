// The web client's interface in the six UN languages: the client catalogue is
// complete and translated (checkCatalogues), and the client's source has no
// user-visible English left outside it (a scan of client/**/*.ts for prose
// literals and for text, title, label and placeholder assignments).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '../core/i18n/locales';
import { createTranslator } from '../core/i18n/translator';
import { clientMessages } from '../core/i18n/messages/client';
import ts from 'typescript';
import { checkCatalogues } from './helpers/i18n';

const ROOT = resolve(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|html)$/.test(entry.name) ? [path] : [];
  });
}

/** Names that read the same in every language. */
const NAMES = new Set(['Accord', 'HTML', 'PDF', 'Markdown', 'CSV', 'JSON', 'Word', 'DOCX']);

/** User-visible English in a client source file: prose literals and text-bearing attributes given a literal. */
export function strayEnglish(source: string): string[] {
  const found: string[] = [];
  const code = source
    .split('\n')
    .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line) && !/^\s*import\s/.test(line))
    .join('\n');
  // A literal that reads as a phrase: a capitalised word followed by more words ("Sign out", "Loading the text…").
  for (const m of code.matchAll(/(['`])([A-Z][a-z]+(?: [a-z]+)+[.…:?!]?)\1/g)) found.push(m[2]!);
  // Text, names and hints set from a literal with letters.
  for (const m of code.matchAll(/(?:textContent|innerText|title|placeholder|['"]aria-label['"]|label)\s*[:=]\s*(['`])([^'`]*\p{L}{2}[^'`]*)\1/gu)) found.push(m[2]!);
  // A hyperscript child given as a literal with letters: h('p', {...}, 'Text').
  for (const m of code.matchAll(/\}\s*,\s*(['`])([^'`$]*\p{L}{2}[^'`]*)\1\s*\)/gu)) found.push(m[2]!);
  // Text between the tags of a lit-html template: html`<p>Loading…</p>`.
  found.push(...templateText(source));
  // What is left once interpolations, names and key names are taken out must still have words.
  return [...new Set(found)].filter((text) => {
    const rest = text
      .replace(/\$\{[^}]*\}/g, ' ')
      .split(/\s+/)
      .filter((word) => !NAMES.has(word) && !/^(Ctrl|Control|Alt|Shift|Mod)\b/.test(word))
      .join(' ');
    return /\p{L}{2}/u.test(rest);
  });
}

/** The words of every html`…` template's markup outside its tags (values put in with ${} are not its own words). */
function templateText(source: string): string[] {
  const found: string[] = [];
  if (!source.includes('html`')) return found;
  const visit = (node: ts.Node): void => {
    if (ts.isTaggedTemplateExpression(node) && node.tag.getText() === 'html') {
      const t = node.template;
      const parts = ts.isNoSubstitutionTemplateLiteral(t) ? [t.text] : [t.head.text, ...t.templateSpans.map((span) => span.literal.text)];
      const markup = parts.join('\u0000').replace(/<!--[\s\S]*?-->/g, '').replace(/<[^>]*>/g, '\u0000');
      for (const text of markup.split('\u0000').map((piece) => piece.trim())) if (/\p{L}{2}/u.test(text)) found.push(text);
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile('scanned.ts', source, ts.ScriptTarget.Latest, true));
  return found;
}

describe('the web client in the six UN languages', () => {
  it('has every client message in all six catalogues, translated, with each language\'s plural forms', () => {
    checkCatalogues(clientMessages, {
      // Product and format names, and a template with no words of its own.
      all: ['format.word', 'link.placeholder'],
      // Words French spells as English does.
      // "№" is how Russian numbers an item.
      ru: ['amendments.number'],
      fr: ['documents.title', 'outline.title', 'history.versions', 'endorsements.version', 'proposeDialog.justification', 'connection.closeCode'],
    });
  });

  it('formats the client\'s counts by each language\'s plural rules', () => {
    const forms = (locale: (typeof LOCALES)[number]) => [0, 1, 2, 3, 5, 11, 21, 100].map((count) => createTranslator(locale, clientMessages[locale]).t('history.versionCount', { count }).replace(/[0-9٠-٩]+/g, 'N'));
    expect(forms('en')).toEqual(['N versions', 'N version', 'N versions', 'N versions', 'N versions', 'N versions', 'N versions', 'N versions']);
    expect(forms('ru')).toEqual(['N версий', 'N версия', 'N версии', 'N версии', 'N версий', 'N версий', 'N версия', 'N версий']);
    expect(new Set(forms('ar')).size).toBe(6);
  });

  it('leaves no user-visible English literal in the client source', () => {
    const problems = sources(join(ROOT, 'client'))
      .filter((path) => path.endsWith('.ts'))
      .flatMap((path) => strayEnglish(readFileSync(path, 'utf8')).map((text) => `${relative(ROOT, path)}: ${JSON.stringify(text)}`));
    expect(problems).toEqual([]);
  });

  it('gives every fixed text of the offline verifier page a message', () => {
    const html = readFileSync(join(ROOT, 'client', 'verify', 'verify.html'), 'utf8');
    const body = html.slice(html.indexOf('<main>'), html.indexOf('</main>'));
    const keys = [...body.matchAll(/data-i18n="([^"]+)"/g)].map((m) => m[1]!);
    expect(keys.length).toBeGreaterThan(5);
    for (const key of keys) expect(Object.keys(clientMessages.en), key).toContain(key);
    // Every element of the page that holds words of its own names its message.
    const worded = [...body.matchAll(/<(h1|h2|p|label|button)\b([^>]*)>([^<]*\p{L}{2}[^<]*)</gu)];
    expect(worded.length).toBeGreaterThan(5);
    for (const [, tag, attrs, text] of worded) expect(attrs, `<${tag}>${text}`).toMatch(/data-i18n=/);
  });

  it('the scan finds what it must (so it cannot pass by finding nothing)', () => {
    expect(strayEnglish(`status.textContent = 'Loading documents…';`)).toEqual(['Loading documents…']);
    expect(strayEnglish(`h('button', { 'aria-label': 'Close the panel' }, 'Close')`)).toEqual(['Close the panel', 'Close']);
    expect(strayEnglish(`const a = h('h1', {}, t('app.notFound')); const b = 'PDF';`)).toEqual([]);
    expect(strayEnglish('const v = html`<p class="muted" title=${t(\'a.b\')}>Loading documents…</p>`;')).toEqual(['Loading documents…']);
    expect(strayEnglish('const v = html`<p>${t(\'a.b\')} <a href=${u} download="">CSV</a></p>`;')).toEqual([]);
  });
});
