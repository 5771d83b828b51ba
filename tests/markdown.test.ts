import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { MarkdownError, parseMarkdown, serializeMarkdown } from '../core/markdown';
import { schema, sectionsOf } from '../core/schema';

const DOCS = join(import.meta.dirname, '..', 'documents');
const files = ['gpp.md', ...readdirSync(join(DOCS, 'drafts')).map((f) => `drafts/${f}`)];

/** A document of one section "A" holding one paragraph of plain `text`. */
const oneParagraph = (text: string) =>
  schema.nodes.doc!.create(null, schema.nodes.section!.create({ id: 'a' }, [schema.nodes.heading!.create({ level: 2 }, schema.text('A')), schema.nodes.paragraph!.create(null, schema.text(text))]));

describe('Markdown in and out', () => {
  it.each(files)('round-trips %s losslessly', (file) => {
    const md = readFileSync(join(DOCS, file), 'utf8');
    const parsed = parseMarkdown(md);
    expect(serializeMarkdown(parsed.title, parsed.doc)).toBe(md);
  });

  it('reads the title and the sections of the Good Practice Paper', () => {
    const parsed = parseMarkdown(readFileSync(join(DOCS, 'gpp.md'), 'utf8'));
    expect(parsed.title).toBe('Internet of Things Good Practice Paper');
    const ids = sectionsOf(parsed.doc).map((s) => s.id);
    expect(ids).toEqual(expect.arrayContaining(['introduction', 'privacy', 'transparency', 'security']));
  });

  it('gives sections without {#id} their heading slug, unique', () => {
    const parsed = parseMarkdown('# T\n\n## Privacy & Data\n\nx\n\n## Privacy & Data\n\ny\n');
    expect(sectionsOf(parsed.doc).map((s) => s.id)).toEqual(['privacy-data', 'privacy-data-2']);
  });

  it('keeps inline code and images, and writes them back', () => {
    const md = '# T\n\n## A {#a}\n\nUse `TLS 1.3` here; see ![The diagram](figures/net.png "Network") and ![](https://example.org/x.png).\n';
    const parsed = parseMarkdown(md);
    expect(serializeMarkdown(parsed.title, parsed.doc)).toBe(md);
    const images: unknown[] = [];
    parsed.doc.descendants((n) => {
      if (n.type.name === 'image') images.push(n.attrs);
    });
    expect(images).toEqual([
      { src: 'figures/net.png', alt: 'The diagram', title: 'Network' },
      { src: 'https://example.org/x.png', alt: null, title: null },
    ]);
    // An unsafe source never becomes an image (markdown-it keeps it as literal text).
    const unsafe = parseMarkdown('## A {#a}\n\n![x](javascript:alert(1))\n');
    expect(JSON.stringify(unsafe.doc.toJSON())).not.toContain('"image"');
  });

  it('reads GFM tables as tables (header row, body rows) and writes them back, pipes escaped', () => {
    const md = '# T\n\n## A {#a}\n\n| Term | Use \\| kind |\n| :--- | ---: |\n| **data** | `a\\|b` kept |\n| device |\n';
    const doc = parseMarkdown(md).doc;
    const table = doc.firstChild!.child(1);
    expect(table.type.name).toBe('table');
    expect(table.childCount).toBe(3);
    expect(table.child(0).firstChild!.type.name).toBe('table_header');
    expect(table.child(1).firstChild!.type.name).toBe('table_cell');
    expect(table.child(0).child(1).textContent).toBe('Use | kind');
    expect(table.child(1).child(1).textContent).toBe('a|b kept');
    // A short row gets its empty cells, as GFM reads it.
    expect(table.child(2).childCount).toBe(2);
    const out = serializeMarkdown('T', doc);
    expect(out).toBe('# T\n\n## A {#a}\n\n| Term | Use \\| kind |\n| --- | --- |\n| **data** | `a\\|b` kept |\n| device | |\n');
    expect(parseMarkdown(out).doc.eq(doc)).toBe(true);
  });

  it('refuses a table row with more cells than its header rather than dropping them, naming the line', () => {
    expect(() => parseMarkdown('# T\n\n## A {#a}\n\n| a | b |\n| - | - |\n| 1 | `x|y` |\n')).toThrow(/line 7: a table row has 3 cells but the header row 2/);
  });

  it('tables survive serialise → parse for generated cell texts (pipes, backslashes, code, empty cells)', () => {
    const text = fc.stringMatching(/^[A-Za-z|\\`*_ ]{0,12}$/);
    const tableArb = fc.integer({ min: 1, max: 4 }).chain((cols) => fc.array(fc.array(text, { minLength: cols, maxLength: cols }), { minLength: 1, maxLength: 4 }));
    const { nodes } = schema;
    fc.assert(
      fc.property(tableArb, fc.boolean(), (rows, code) => {
        const cell = (t: string, r: number) => {
          const trimmed = t.trim().replace(/\s+/g, ' ');
          const content = trimmed ? [code && r > 0 ? schema.text(trimmed, [schema.marks.code!.create()]) : schema.text(trimmed)] : [];
          return nodes[r === 0 ? 'table_header' : 'table_cell']!.create(null, nodes.paragraph!.create(null, content));
        };
        const table = nodes.table!.create(null, rows.map((row, r) => nodes.table_row!.create(null, row.map((t) => cell(t, r)))));
        const doc = nodes.doc!.create(null, nodes.section!.create({ id: 'a' }, [nodes.heading!.create({ level: 2 }, schema.text('A')), table]));
        doc.check();
        const back = parseMarkdown(serializeMarkdown('T', doc)).doc;
        expect(back.toJSON()).toEqual(doc.toJSON());
      }),
      { numRuns: 300 },
    );
  });

  it('keeps runs of underscores literal: "__a__" is text, not "_" + emphasis (fast-check seeds -552675017, -178520042)', () => {
    const texts = ['__a__', '_a_', 'a__b', 'snake_case_name', '___', '_', 'x_', '_x', 'é_ü', '1_000', '*_*'];
    for (const t of texts) {
      const doc = oneParagraph(t);
      const out = serializeMarkdown('T', doc);
      expect(parseMarkdown(out).doc.toJSON(), `${t} written as ${out}`).toEqual(doc.toJSON());
    }
    // Intraword between letters or digits stays bare, as it reads back the same.
    const doc = parseMarkdown('# T\n\n## A {#a}\n\nsnake_case and 1_000\n').doc;
    expect(serializeMarkdown('T', doc)).toContain('snake_case and 1_000');
  });

  it('a paragraph of any plain text comes back as that text: list markers, numbers, headings and escapes stay literal', () => {
    for (const t of ['+', '1.', '1)', '12) Scope', '-', '>', '#', '###', '* x', '+ x']) {
      const doc = oneParagraph(t);
      expect(parseMarkdown(serializeMarkdown('T', doc)).doc.toJSON(), t).toEqual(doc.toJSON());
    }
    const text = fc
      .stringMatching(/^[A-Za-z0-9|\\`*_~[\]()#>+!<&.:=$"'{}é\- ]{1,16}$/)
      .map((t) => t.trim().replace(/\s+/g, ' '))
      .filter((t) => t.length > 0);
    fc.assert(
      fc.property(text, (t) => {
        const doc = oneParagraph(t);
        expect(parseMarkdown(serializeMarkdown('T', doc)).doc.toJSON()).toEqual(doc.toJSON());
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses text outside any section rather than dropping it', () => {
    expect(() => parseMarkdown('# T\n\nloose text\n\n## A\n\nx\n')).toThrow(MarkdownError);
    expect(() => parseMarkdown('no sections at all')).toThrow(MarkdownError);
    expect(() => parseMarkdown('# T\n\n## A {#a}\n\nx\n\n## B {#a}\n\ny\n')).toThrow(/twice/);
  });

  it('serialise(parse(serialise(d))) is stable for generated documents', () => {
    const word = fc.stringMatching(/^[A-Za-z][a-z]{0,8}$/);
    const sentence = fc.array(word, { minLength: 1, maxLength: 12 }).map((w) => `${w.join(' ')}.`);
    const block = fc.oneof(
      sentence,
      // Two lists in a row read as one list in Markdown, so each list is followed by a paragraph.
      fc.tuple(fc.array(sentence, { minLength: 1, maxLength: 4 }), sentence).map(([items, after]) => `${items.map((i) => `- ${i}`).join('\n')}\n\n${after}`),
      fc.tuple(fc.array(sentence, { minLength: 1, maxLength: 4 }), sentence).map(([items, after]) => `${items.map((i, n) => `${n + 1}. ${i}`).join('\n')}\n\n${after}`),
      sentence.map((s) => `Some *${s.slice(0, -1)}* and **strong** text.`),
    );
    const section = fc.tuple(word, fc.array(block, { maxLength: 5 }));
    fc.assert(
      fc.property(fc.array(section, { minLength: 1, maxLength: 6 }), (sections) => {
        const md = `# Doc\n\n${sections.map(([h, blocks], i) => [`## ${h} {#s${i}}`, ...blocks].join('\n\n')).join('\n\n')}\n`;
        const once = parseMarkdown(md);
        const out = serializeMarkdown(once.title, once.doc);
        expect(out).toBe(md);
        const twice = parseMarkdown(out);
        expect(twice.doc.eq(once.doc)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
