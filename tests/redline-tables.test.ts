// Tables in the redline (core/redline/tables.ts) and in every rendering: a
// table compared with a table is diffed row by row (rows matched by content)
// and cell by cell; accepting all changes gives the new table and rejecting
// all the old one, for random tables and random edits; HTML, Markdown, DOCX
// and PDF (redline and clean exports) show real tables.
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../core/markdown';
import { redline, splitWords, type Redline, type RedlineBlock, type RedlineCell, type RedlineOp } from '../core/redline/index';
import { renderRedlineHtml } from '../core/redline/render-html';
import { renderRedlineMarkdown } from '../core/redline/render-markdown';
import type { PMJSON } from '../core/schema';
import { cleanDocx, redlineDocx } from '../server/export/docx';
import { cleanHtml, cleanMarkdown } from '../server/export/html-clean';
import { cleanPdf, redlinePdf } from '../server/export/pdf';
import { CORPUS } from './redline-corpus';
import { sectionWords } from './redline-fixtures';

type Side = 'from' | 'to';
type Table = string[][];

const docOf = (markdown: string): PMJSON => parseMarkdown(markdown).doc.toJSON() as PMJSON;

function tableMarkdown(t: Table): string {
  const width = Math.max(...t.map((r) => r.length));
  const line = (r: string[]) => `| ${Array.from({ length: width }, (_, i) => r[i] ?? '').join(' | ')} |`;
  return [line(t[0]!), `|${' --- |'.repeat(width)}`, ...t.slice(1).map(line)].join('\n');
}

const docWith = (t: Table) => docOf(`# T\n\n## Terms {#terms}\n\nBefore the table.\n\n${tableMarkdown(t)}\n\nAfter the table.\n`);

function diff(a: PMJSON, b: PMJSON): Redline {
  return redline({ ref: 1, title: 'T', doc: a }, { ref: 2, title: 'T', doc: b });
}

const tableOf = (r: Redline): RedlineBlock => r.sections[0]!.blocks.find((b) => b.type === 'table')!;

/** A side of a redline table: the rows and cells that exist there, each cell's text from its ops. */
function side(block: RedlineBlock, s: Side): string[][] {
  const gone = s === 'from' ? 'inserted' : 'deleted';
  const skip = s === 'from' ? 'insert' : 'delete';
  const text = (c: RedlineCell) => c.ops.filter((o) => o.op !== skip).map((o) => o.text).join('').trim();
  return block.rows!.filter((r) => r.status !== gone).map((r) => r.cells.filter((c) => c.status !== gone).map(text));
}

/** Rows as GFM reads them back: every row as wide as the header. */
const padded = (t: Table): Table => t.map((r) => Array.from({ length: t[0]!.length }, (_, i) => (r[i] ?? '').trim()));

const FIRST = CORPUS.find((p) => p.name === 'a table: a cell edited, a row inserted, a row deleted')!;

describe('a table compared with a table', () => {
  const r = diff(docOf(FIRST.old), docOf(FIRST.new));
  const table = tableOf(r);

  it('is one changed block whose rows are matched by content: an inserted or deleted row is whole', () => {
    expect(table.status).toBe('changed');
    expect(table.rows!.map((row) => row.status)).toEqual(['unchanged', 'changed', 'inserted', 'unchanged', 'deleted']);
    expect(table.rows![0]!.cells.every((c) => c.header)).toBe(true);
    expect(table.rows![2]!.cells.map((c) => c.ops)).toEqual([[{ op: 'insert', text: 'service' }], [{ op: 'insert', text: 'what the device connects to' }]]);
    expect(table.rows![4]!.cells.every((c) => c.status === 'deleted' && c.ops.every((o) => o.op === 'delete'))).toBe(true);
  });

  it('diffs a changed cell word by word', () => {
    const cell = table.rows![1]!.cells[1]!;
    expect(cell.status).toBe('changed');
    expect(cell.ops).toEqual([
      { op: 'equal', text: 'personal ' },
      { op: 'delete', text: 'data' },
      { op: 'insert', text: 'information' },
      { op: 'equal', text: ' of users' },
    ]);
    expect(r.stats.wordsInserted).toBe(1 + 1 + 5);
    expect(r.stats.wordsDeleted).toBe(1 + 1 + 4);
    expect(r.stats.blocksChanged).toBe(1);
  });

  it('keeps the contract: the block ops hold the words of the old and the new text in order', () => {
    const words = (s: Side) => {
      const skip = s === 'from' ? 'insert' : 'delete';
      return splitWords(r.sections[0]!.blocks.map((b) => b.ops.filter((o) => o.op !== skip).map((o) => o.text).join('')).join(' '));
    };
    expect(words('from')).toEqual(sectionWords(docOf(FIRST.old)).get('terms'));
    expect(words('to')).toEqual(sectionWords(docOf(FIRST.new)).get('terms'));
  });

  it('a table against itself has no change', () => {
    const doc = docOf(FIRST.new);
    const same = diff(doc, docOf(FIRST.new));
    expect(same.stats.wordsInserted + same.stats.wordsDeleted + same.stats.formatChanges).toBe(0);
    expect(tableOf(same).rows!.every((row) => row.status === 'unchanged')).toBe(true);
  });

  it('a table that appears or disappears is one inserted or deleted block, every row and cell with it', () => {
    const plain = docOf('# T\n\n## Terms {#terms}\n\nBefore the table.\n\nAfter the table.\n');
    const withTable = docWith([['a', 'b'], ['c d', 'e']]);
    const added = tableOf(diff(plain, withTable));
    expect(added.status).toBe('inserted');
    expect(added.rows!.flatMap((row) => [row.status, ...row.cells.map((c) => c.status)]).every((s) => s === 'inserted')).toBe(true);
    const removed = tableOf(diff(withTable, plain));
    expect(removed.status).toBe('deleted');
    expect(side(removed, 'from')).toEqual([['a', 'b'], ['c d', 'e']]);
    expect(side(removed, 'to')).toEqual([]);
  });

  it('a column added: the new cells are inserted in every kept row', () => {
    const t = tableOf(diff(docWith([['Port', 'Use'], ['443', 'web']]), docWith([['Port', 'Use', 'Open'], ['443', 'web', 'yes']])));
    expect(t.rows!.map((row) => row.cells.map((c) => c.status))).toEqual([
      ['unchanged', 'unchanged', 'inserted'],
      ['unchanged', 'unchanged', 'inserted'],
    ]);
  });

  const word = fc.constantFrom('data', 'device', 'maker', 'seller', 'must', 'may', 'not', 'the', 'users', 'patch', 'secure', '443', 'TLS', 'yes', 'no');
  const cellText = fc.array(word, { minLength: 0, maxLength: 4 }).map((w) => w.join(' '));
  const tableArb = fc.integer({ min: 1, max: 4 }).chain((cols) => fc.array(fc.array(cellText, { minLength: cols, maxLength: cols }), { minLength: 1, maxLength: 6 }));
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('cell' as const), r: fc.nat(), c: fc.nat(), text: cellText }),
    fc.record({ kind: fc.constant('insertRow' as const), r: fc.nat(), text: cellText }),
    fc.record({ kind: fc.constant('deleteRow' as const), r: fc.nat() }),
    fc.record({ kind: fc.constant('moveRow' as const), r: fc.nat(), to: fc.nat() }),
  );

  function applyEdit(t: Table, e: { kind: string; r: number; c?: number; to?: number; text?: string }): Table {
    const rows = t.map((r) => [...r]);
    const width = rows[0]!.length;
    const r = e.r % rows.length;
    if (e.kind === 'cell') rows[r]![(e.c ?? 0) % width] = e.text ?? '';
    else if (e.kind === 'insertRow') rows.splice(1 + (e.r % rows.length), 0, Array.from({ length: width }, (_, i) => (i === 0 ? (e.text ?? '') : `${e.text ?? ''} ${i}`)));
    else if (e.kind === 'deleteRow' && rows.length > 1 && r > 0) rows.splice(r, 1);
    else if (e.kind === 'moveRow' && rows.length > 2 && r > 0) {
      const [row] = rows.splice(r, 1);
      rows.splice(1 + ((e.to ?? 0) % (rows.length - 1)), 0, row!);
    }
    return rows;
  }

  it('accept all gives the new table and reject all the old one, in JSON and in CriticMarkup (property)', () => {
    fc.assert(
      fc.property(tableArb, fc.array(edit, { minLength: 1, maxLength: 5 }), (old, edits) => {
        const neu = edits.reduce(applyEdit, old);
        const r = diff(docWith(old), docWith(neu));
        const t = tableOf(r);
        expect(side(t, 'from')).toEqual(padded(old));
        expect(side(t, 'to')).toEqual(padded(neu));
        // CriticMarkup resolved and read back: the cells' texts in order (a row on the other side only is left empty).
        const cells = (x: Table) => padded(x).flat().filter(Boolean);
        expect(criticCells(r, 'from')).toEqual(cells(old));
        expect(criticCells(r, 'to')).toEqual(cells(neu));
        // The contract's property: the section's words, old and new, read from the ops in order.
        const words = (s: Side) => {
          const skip = s === 'from' ? 'insert' : 'delete';
          return splitWords(r.sections[0]!.blocks.map((b) => b.ops.filter((o) => o.op !== skip).map((o) => o.text).join('')).join(' '));
        };
        expect(words('from')).toEqual(sectionWords(docWith(old)).get('terms'));
        expect(words('to')).toEqual(sectionWords(docWith(neu)).get('terms'));
        // Every op sits in its cell: the block's ops are the cells' ops, a line apart.
        const cellOps: RedlineOp[] = t.rows!.flatMap((row) => row.cells.flatMap((c) => c.ops));
        expect(t.ops.filter((o) => o.text !== '\n')).toEqual(cellOps);
        // Word counts: what the cells mark is what the stats count.
        const marked = (k: 'insert' | 'delete') => cellOps.filter((o) => o.op === k).reduce((n, o) => n + splitWords(o.text).length, 0);
        expect(r.stats.wordsInserted).toBe(marked('insert'));
        expect(r.stats.wordsDeleted).toBe(marked('delete'));
      }),
      { numRuns: 300 },
    );
  });
});

describe('tables in every rendering', () => {
  const r = diff(docOf(FIRST.old), docOf(FIRST.new));

  it('HTML: a real table, header cells with a scope, <ins>/<del> inside the cells, rows marked', () => {
    const html = renderRedlineHtml(r);
    const table = html.slice(html.indexOf('<table class="rl-table'), html.indexOf('</table>', html.indexOf('<table class="rl-table')));
    expect(table).toContain('<thead><tr class="r-unchanged"><th scope="col" dir="auto">Term</th><th scope="col" dir="auto">Meaning</th></tr></thead>');
    expect(table).toContain('<td dir="auto">personal <del>data</del><ins>information</ins> of users</td>');
    expect(table).toContain('<tr class="r-inserted"><td dir="auto"><span class="note">row inserted</span> <ins>service</ins></td>');
    expect(table).toContain('<tr class="r-deleted"><td dir="auto"><span class="note">row deleted</span> <del>vendor</del></td>');
  });

  it('Markdown: a GFM table with CriticMarkup in its cells, pipes escaped', () => {
    const md = renderRedlineMarkdown(r);
    expect(md).toContain('| Term | Meaning |\n| --- | --- |\n| data | personal {~~data~>information~~} of users |\n| {>>row inserted<<}{++service++} | {++what the device connects to++} |');
    const pipes = diff(docWith([['a', 'x'], ['`a\\|b`', 'c \\| d']]), docWith([['a', 'x'], ['`a\\|c`', 'c \\| e']]));
    const out = renderRedlineMarkdown(pipes);
    expect(out).toContain('{~~`a\\|b`~>`a\\|c`~~}');
    expect(out).toContain('c \\| {~~d~>e~~}');
  });

  it('DOCX: a w:tbl whose changed cells hold tracked runs and whose inserted and deleted rows are tracked rows', async () => {
    const zip = await JSZip.loadAsync(await redlineDocx(r));
    const xml = await zip.file('word/document.xml')!.async('string');
    const tables = xml.match(/<w:tbl>[\s\S]*?<\/w:tbl>/g)!;
    const text = tables.find((t) => t.includes('information'))!;
    const rows = text.match(/<w:tr>[\s\S]*?<\/w:tr>/g)!;
    expect(rows).toHaveLength(5);
    expect(rows[1]).toMatch(/<w:tc>[\s\S]*<w:del [^>]*>[\s\S]*<w:delText[^>]*>data<\/w:delText>[\s\S]*<w:ins [^>]*>[\s\S]*information/);
    expect(rows[2]).toMatch(/<w:trPr>[\s\S]*<w:ins [^>]*w:author="Accord"/);
    expect(rows[4]).toMatch(/<w:trPr>[\s\S]*<w:del [^>]*w:author="Accord"/);
    expect(rows[0]).toContain('<w:tblHeader');
  });

  it.runIf(spawnSync('sh', ['-c', 'command -v pdftotext']).status === 0)('PDF: every cell’s words are on the page, row by row', async () => {
    const text = pdfText(await redlinePdf(r));
    for (const words of ['Term Meaning', 'personal datainformation of users', 'service what the device connects to', 'vendor whoever sells the device']) {
      expect(text.replace(/\s+/g, ' ')).toContain(words);
    }
  });

  it.runIf(spawnSync('sh', ['-c', 'command -v pdftotext']).status === 0)('PDF: a row taller than a page, and a wide table, lose no text', async () => {
    const long = Array.from({ length: 1400 }, (_, i) => `w${i}`).join(' ');
    const wide = Array.from({ length: 9 }, (_, i) => `col${i}`);
    const old = docWith([['Term', 'Meaning', 'Note'], ['short', 'tiny', 'small']]);
    const neu = docWith([['Term', 'Meaning', 'Note'], ['short', long, 'small'], ['after', 'the long', 'row']]);
    const text = pdfText(await redlinePdf(diff(old, neu))).replace(/\s+/g, ' ');
    for (const word of ['w0', 'w700', 'w1399', 'short', 'small', 'after', 'the long', 'row']) expect(text).toContain(word);
    // Nine columns: every cell drawn (a word wider than its column would wrap inside it, not vanish).
    const wideText = pdfText(await cleanPdf('Wide', docWith([wide, wide.map((w) => `${w}v`)]))).replace(/\s+/g, ' ');
    for (const w of wide) expect(wideText).toContain(`${w}v`);
  });

  it('clean exports of a version render the table (HTML, Markdown, DOCX, PDF)', async () => {
    const doc = docOf(FIRST.new);
    const html = cleanHtml('Charter', doc);
    expect(html).toContain('<th scope="col" dir="auto">Term</th>');
    expect(html).toContain('<td dir="auto">what the device connects to</td>');
    expect(html).not.toMatch(/<ins|<del/);
    expect(cleanMarkdown('Charter', doc)).toContain('| Term | Meaning |\n| --- | --- |\n| data | personal information of users |\n| service | what the device connects to |');
    const xml = await (await JSZip.loadAsync(await cleanDocx('Charter', doc))).file('word/document.xml')!.async('string');
    expect(xml).toMatch(/<w:tbl>[\s\S]*what the device connects to[\s\S]*<\/w:tbl>/);
    expect(xml).not.toMatch(/<w:ins |<w:del /);
    if (spawnSync('sh', ['-c', 'command -v pdftotext']).status === 0) expect(pdfText(await cleanPdf('Charter', doc)).replace(/\s+/g, ' ')).toContain('service what the device connects to');
  });
});

/** The redline's Markdown with the CriticMarkup resolved to one side, read back: its table's non-empty cell texts. */
function criticCells(r: Redline, s: Side): string[] {
  const md = renderRedlineMarkdown(r);
  const resolved = md
    .slice(md.indexOf('\n---\n') + 5)
    .replace(/\{>>[\s\S]*?<<\}/g, '')
    .replace(/\{~~([\s\S]*?)~>([\s\S]*?)~~\}/g, (_m, a: string, b: string) => (s === 'to' ? b : a))
    .replace(/\{\+\+([\s\S]*?)\+\+\}/g, (_m, a: string) => (s === 'to' ? a : ''))
    .replace(/\{--([\s\S]*?)--\}/g, (_m, a: string) => (s === 'to' ? '' : a));
  const table = (parseMarkdown(resolved).doc.toJSON() as PMJSON).content![0]!.content!.find((b) => b.type === 'table')!;
  return table.content!.flatMap((row) => row.content!.map((cell) => (cell.content![0]!.content ?? []).map((t) => t.text ?? '').join('').trim())).filter(Boolean);
}

function pdfText(pdf: Buffer): string {
  const out = spawnSync('pdftotext', ['-layout', '-', '-'], { input: pdf });
  return out.stdout.toString('utf8');
}
