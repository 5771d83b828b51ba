// The adversarial corpus (tests/redline-corpus.ts), every pair in every
// format: accepting all changes gives the new text and rejecting all the old
// (JSON ops, CriticMarkup resolved, HTML with the marks removed, and the DOCX
// in LibreOffice itself), and the tokens marked stay within 1.1x of a
// token-level LCS of the two texts.
import { diffArrays } from 'diff';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseMarkdown } from '../core/markdown';
import { flattenDocument, type FlatBlock } from '../core/redline/blocks';
import { plainRunText } from '../core/redline/render-common';
import { blockText, breakAfter, redline, splitTokens, type Redline } from '../core/redline/index';
import { renderRedlineHtml } from '../core/redline/render-html';
import { renderRedlineMarkdown } from '../core/redline/render-markdown';
import type { PMJSON } from '../core/schema';
import { redlineDocx } from '../server/export/docx';
import { CORPUS, type RedlinePair } from './redline-corpus';
import { resolveTrackedChanges, soffice, type Resolved } from './helpers/libreoffice';

type Side = 'from' | 'to';

const norm = (text: string) => text.replace(/\s+/g, ' ').trim();

function docOf(markdown: string): PMJSON {
  return parseMarkdown(markdown).doc.toJSON() as PMJSON;
}

/** A block's text, images as their U+FFFC (JSON, Markdown) or as the label HTML and DOCX show. */
function textOf(b: FlatBlock, labels: boolean): string {
  if (!labels || !b.segments) return b.text;
  return b.segments.map((s) => plainRunText({ text: b.text.slice(s.start, s.end), marks: s.marks })).join('');
}

/** The text of a version, one entry per non-empty block, whitespace collapsed. */
function blocksOf(doc: PMJSON, labels = false): string[] {
  return flattenDocument(doc)
    .flatMap((s) => s.blocks.map((b) => norm(textOf(b, labels))))
    .filter(Boolean);
}

function redlineOf(pair: RedlinePair): Redline {
  return redline({ ref: 1, title: 'Charter', doc: docOf(pair.old) }, { ref: 2, title: 'Charter', doc: docOf(pair.new) });
}

/** JSON: the blocks that exist on a side, their equal + delete (insert) ops; a split or merged paragraph is one on the side without the break. */
function jsonSide(r: Redline, side: Side): string[] {
  const gone = side === 'from' ? ['inserted', 'moved-to'] : ['deleted', 'moved-from'];
  const out: string[] = [];
  let join = false;
  for (const s of r.sections) {
    for (const b of s.blocks) {
      if (gone.includes(b.status)) continue;
      if (join) out[out.length - 1] += blockText(b, side);
      else out.push(blockText(b, side));
      join = !breakAfter(b, side);
    }
  }
  return out.map(norm).filter(Boolean);
}

/** CriticMarkup resolved: accept keeps {++ ++} and the new side of {~~ ~> ~~}; reject the other way. Comments go. */
function resolveCritic(md: string, side: Side): string {
  return md
    .replace(/\{>>[\s\S]*?<<\}/g, '')
    .replace(/\{~~([\s\S]*?)~>([\s\S]*?)~~\}/g, (_m, a: string, b: string) => (side === 'to' ? b : a))
    .replace(/\{\+\+([\s\S]*?)\+\+\}/g, (_m, a: string) => (side === 'to' ? a : ''))
    .replace(/\{--([\s\S]*?)--\}/g, (_m, a: string) => (side === 'to' ? '' : a))
    // A section that exists only on the other side leaves a heading with an id and no text: not a section of this side.
    .replace(/^##\s+\{#[^}\s]+\}[ \t]*$/gm, '');
}

function markdownSide(r: Redline, side: Side): string[] {
  const md = renderRedlineMarkdown(r);
  const body = md.slice(md.indexOf('\n---\n') + 5);
  return blocksOf(parseMarkdown(resolveCritic(body, side)).doc.toJSON() as PMJSON);
}

/** HTML with the marks of the other side removed: the text of each paragraph and heading of the redline. */
function htmlSide(r: Redline, side: Side): string[] {
  const html = renderRedlineHtml(r);
  const main = html.slice(html.indexOf('<main class="redline"'), html.indexOf('</main>'));
  const drop = side === 'to' ? 'del' : 'ins';
  const out: string[] = [];
  let text = '';
  let skipping = 0;
  let join = false;
  const stack: boolean[] = [];
  for (const m of main.matchAll(/<(\/?)([a-z0-9]+)([^>]*)>|([^<]+)/g)) {
    const [, close, tag, attrs, chars] = m;
    if (chars !== undefined) {
      if (!skipping) text += chars;
      continue;
    }
    if (tag === 'br') {
      if (!skipping) text += '\n';
      continue;
    }
    if (!close) {
      const para = / class="para"/.test(attrs ?? '');
      const skip = tag === drop || para || / class="(note|marker|section-status[^"]*)"/.test(attrs ?? '');
      // A paragraph break removed with the marks (¶ of a split or merge): this paragraph goes on in the next.
      if (para && tag === drop && !skipping) join = true;
      stack.push(skip);
      if (skip) skipping++;
      // A table is one block (its cells a space apart), as flattenDocument reads it.
      if (/^(p|h[2-6]|table)$/.test(tag!)) {
        if (!join) text = '';
        join = false;
      }
    } else {
      if (stack.pop()) skipping--;
      if (/^t[dh]$/.test(tag!)) text += ' ';
      if (/^(p|h[2-6]|table)$/.test(tag!) && !join) out.push(norm(text.replace(/&#8203;/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')));
    }
  }
  return out.filter(Boolean);
}

/** LibreOffice's text of the body (the last lines, after the redline's summary table), blank lines dropped. */
function officeLines(text: string, count: number): string[] {
  const lines = text.split('\n').map(norm).filter(Boolean);
  return lines.slice(Math.max(0, lines.length - count));
}

/** The lines LibreOffice should write for a version: one per line of a block, list items with their bullet or number. */
function expectedLines(markdown: string): string[] {
  return flattenDocument(docOf(markdown)).flatMap((s) =>
    s.blocks.flatMap((b) => {
      const marker = b.shape.type !== 'list_item' ? '' : b.shape.list === 'ordered' ? `${b.shape.number ?? 1}. ` : '• ';
      return textOf(b, true).split('\n').map((line, i) => norm(`${i === 0 ? marker : ''}${line}`));
    }),
  ).filter(Boolean);
}

/** Tokens marked by the redline, against a token-level LCS of the whole texts. */
function markedVsLcs(r: Redline, pair: RedlinePair): { marked: number; lcs: number } {
  // A moved block counts once, at its destination (as the stats count moved words).
  let marked = 0;
  for (const s of r.sections) for (const b of s.blocks) if (b.status !== 'moved-from') for (const o of b.ops) if (o.op !== 'equal') marked += splitTokens(o.text).length;
  const tokens = (md: string) => blocksOf(docOf(md)).flatMap(splitTokens);
  const lcs = diffArrays(tokens(pair.old), tokens(pair.new)).reduce((n, c) => n + (c.added || c.removed ? c.count : 0), 0);
  return { marked, lcs };
}

describe('redline corpus: accept all gives the new text, reject all the old', () => {
  for (const pair of CORPUS) {
    (pair.pending ? it.skip : it)(pair.pending ? `${pair.name} (pending: ${pair.pending})` : pair.name, () => {
      const r = redlineOf(pair);
      // The redline follows the new order of sections: for a reorder, the old side is compared as a set of blocks.
      const order = (texts: string[]) => (pair.reorders ? [...texts].sort() : texts);
      const from = order(blocksOf(docOf(pair.old)));
      const to = blocksOf(docOf(pair.new));
      expect(order(jsonSide(r, 'from')), 'JSON, from').toEqual(from);
      expect(jsonSide(r, 'to'), 'JSON, to').toEqual(to);
      expect(order(markdownSide(r, 'from')), 'CriticMarkup rejected').toEqual(from);
      expect(markdownSide(r, 'to'), 'CriticMarkup accepted').toEqual(to);
      expect(order(htmlSide(r, 'from')), 'HTML without insertions').toEqual(order(blocksOf(docOf(pair.old), true)));
      expect(htmlSide(r, 'to'), 'HTML without deletions').toEqual(blocksOf(docOf(pair.new), true));
      if (pair.restructures) return;
      const { marked, lcs } = markedVsLcs(r, pair);
      expect(marked, 'tokens marked vs a token LCS').toBeLessThanOrEqual(Math.max(1, Math.floor(1.1 * lcs)));
    });
  }
});

const requireOffice = process.env.CI === 'true';

describe.runIf(soffice !== undefined || requireOffice)('redline corpus: DOCX in LibreOffice (Accept All / Reject All)', () => {
  let resolved: Map<string, Resolved>;
  beforeAll(async () => {
    expect(soffice, 'LibreOffice (soffice) must be installed when CI=true').toBeDefined();
    const files = new Map<string, Uint8Array>();
    for (const pair of CORPUS) files.set(pair.name, await redlineDocx(redlineOf(pair)));
    resolved = await resolveTrackedChanges(files);
  }, 300_000);

  for (const pair of CORPUS) {
    (pair.pending ? it.skip : it)(pair.pending ? `${pair.name} (pending: ${pair.pending})` : pair.name, () => {
      const from = expectedLines(pair.old);
      const to = expectedLines(pair.new);
      const got = resolved.get(pair.name)!;
      expect(officeLines(got.accept, to.length), 'Accept All').toEqual(to);
      expect(officeLines(got.reject, from.length), 'Reject All').toEqual(from);
    });
  }
});

if (!soffice && !requireOffice) {
  describe('redline corpus: DOCX in LibreOffice', () => {
    it.skip('skipped: LibreOffice (soffice) is not installed; CI installs it and runs this check', () => {});
  });
}
