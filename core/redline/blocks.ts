// Flatten a document (ProseMirror JSON per core/schema.ts) into sections of
// comparable blocks: one block per textblock (the section heading, paragraphs,
// subheadings, list items) or table, with its plain text, its shape and its formatting.
// Reads JSON only; never needs the schema instance, never mutates its input.
import type { PMJSON } from '../schema';
import { tokenizeWords, wordEnd, wordStart, type WordTokens } from './tokens';
import type { BlockShape, RedlineMark } from './types';

/** A stretch of a block's text with one set of marks. */
export interface MarkSegment {
  start: number;
  end: number;
  marks: RedlineMark[];
  /** Canonical key of `marks` ('' for none). */
  key: string;
}

export interface FlatBlock {
  shape: BlockShape;
  /** Shape without the list number: renumbering alone is not a change. */
  shapeKey: string;
  text: string;
  /** Formatting of the text; null when nothing in the block carries a mark. */
  segments: MarkSegment[] | null;
  /** Canonical key of the formatting ('' when none). */
  marksKey: string;
  sectionHeading: boolean;
  /** Filled on first use (see `wordsOf`). */
  tokens?: WordTokens;
  /** A table (shape `table`): its rows; the block's text is every cell's text, one per line, row by row. */
  table?: FlatRow[];
}

/** A table row: its cells, and one block holding their texts (one per line) that rows are aligned by. */
export interface FlatRow {
  line: FlatBlock;
  cells: FlatCell[];
}

export interface FlatCell {
  /** The cell's paragraph. */
  block: FlatBlock;
  header: boolean;
}

export interface FlatSection {
  id: string;
  title: string;
  blocks: FlatBlock[];
}

export function wordsOf(block: FlatBlock): WordTokens {
  return (block.tokens ??= tokenizeWords(block.text));
}

/** Word `i` of a block, as a string. */
export function wordAt(block: FlatBlock, i: number): string {
  const t = wordsOf(block);
  return block.text.slice(wordStart(t, i), wordEnd(t, i));
}

/** The block's words separated by single spaces. */
export function normalText(block: FlatBlock): string {
  const t = wordsOf(block);
  let out = '';
  for (let i = 0; i < t.count; i++) out += (i ? ' ' : '') + block.text.slice(wordStart(t, i), wordEnd(t, i));
  return out;
}

export function markKey(mark: RedlineMark): string {
  if (mark.type === 'image') return `image(${mark.href ?? ''}|${mark.title ?? ''})`;
  return mark.type === 'link' ? `link(${mark.href ?? ''})` : mark.type;
}

/**
 * The character that stands for an image in a block's text: a private-use
 * character picked by the image's src and alt, so the word diff sees another
 * image as another token (an image changed is one deleted and one inserted,
 * which accepting and rejecting undo in every format). Its run carries an
 * `image` mark with the src and alt.
 */
export function imageChar(node: PMJSON): string {
  const key = `${String(node.attrs?.src ?? '')}\u0000${String(node.attrs?.alt ?? '')}`;
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return String.fromCharCode(IMAGE_CHARS_START + ((h >>> 0) % IMAGE_CHARS));
}

/** The private-use block U+E000..U+F8FF. */
const IMAGE_CHARS_START = 0xe000;
const IMAGE_CHARS = 0x1900;

/** Whether a character stands for an image (see `imageChar`; only in runs with an `image` mark). */
export const IMAGE_CHAR_PATTERN = /[\uE000-\uF8FF]/g;

export function flattenDocument(doc: PMJSON): FlatSection[] {
  const sections: FlatSection[] = [];
  for (const node of doc.content ?? []) {
    if (node.type !== 'section') continue;
    const blocks: FlatBlock[] = [];
    const children = node.content ?? [];
    children.forEach((child, index) => {
      if (index === 0 && child.type === 'heading') {
        blocks.push(textBlock(child, { type: 'heading', level: headingLevel(child, 2) }, true));
      } else {
        flattenBlock(child, { listDepth: 0, quote: 0 }, blocks);
      }
    });
    const heading = blocks[0];
    sections.push({ id: String(node.attrs?.id ?? ''), title: heading?.sectionHeading ? heading.text : '', blocks });
  }
  return sections;
}

interface Context {
  listDepth: number;
  quote: number;
}

function headingLevel(node: PMJSON, fallback: number): number {
  const level = Number(node.attrs?.level);
  return Number.isFinite(level) && level > 0 ? level : fallback;
}

function withContext(shape: BlockShape, ctx: Context): BlockShape {
  if (ctx.listDepth > 0 && shape.depth === undefined) shape.depth = ctx.listDepth;
  if (ctx.quote > 0) shape.quote = ctx.quote;
  return shape;
}

function flattenBlock(node: PMJSON, ctx: Context, out: FlatBlock[]): void {
  switch (node.type) {
    case 'paragraph':
      out.push(textBlock(node, withContext({ type: 'paragraph' }, ctx), false));
      return;
    case 'heading':
      out.push(textBlock(node, withContext({ type: 'heading', level: headingLevel(node, 3) }, ctx), false));
      return;
    case 'blockquote':
      for (const child of node.content ?? []) flattenBlock(child, { ...ctx, quote: ctx.quote + 1 }, out);
      return;
    case 'bullet_list':
    case 'ordered_list': {
      const list = node.type === 'bullet_list' ? 'bullet' : 'ordered';
      const start = Number(node.attrs?.order ?? 1) || 1;
      const depth = ctx.listDepth + 1;
      (node.content ?? []).forEach((item, k) => {
        (item.content ?? []).forEach((child, j) => {
          if (j === 0 && child.type === 'paragraph') {
            const shape: BlockShape = { type: 'list_item', list, depth };
            if (list === 'ordered') shape.number = start + k;
            out.push(textBlock(child, withContext(shape, ctx), false));
          } else {
            flattenBlock(child, { ...ctx, listDepth: depth }, out);
          }
        });
      });
      return;
    }
    case 'table':
      out.push(tableBlock(node, withContext({ type: 'table' }, ctx)));
      return;
    default:
      // Block types added later: a textblock counts as a paragraph, a container is walked.
      if ((node.content ?? []).some((c) => c.type === 'text' || c.type === 'hard_break')) {
        out.push(textBlock(node, withContext({ type: 'paragraph' }, ctx), false));
      } else {
        for (const child of node.content ?? []) flattenBlock(child, ctx, out);
      }
  }
}

/** The shape of a cell's text (shared: shapes are never changed once made). */
const CELL_SHAPE: BlockShape = { type: 'paragraph' };

/** A table is one block for the section's alignment; its rows and cells are compared inside it (tables.ts). */
function tableBlock(node: PMJSON, shape: BlockShape): FlatBlock {
  const rows: FlatRow[] = (node.content ?? []).map((row) => {
    const cells = (row.content ?? []).map((cell): FlatCell => {
      const paragraphs = cell.content ?? [];
      // A cell holds one paragraph; should it ever hold more, they are read as one text, a line apart.
      const paragraph =
        paragraphs.length === 1 ? paragraphs[0]! : { type: 'paragraph', content: paragraphs.flatMap((p, i) => (i ? [{ type: 'hard_break' }, ...(p.content ?? [])] : (p.content ?? []))) };
      return { block: textBlock(paragraph, CELL_SHAPE, false), header: cell.type === 'table_header' };
    });
    const text = cells.map((c) => c.block.text).join('\n');
    return { line: { shape: CELL_SHAPE, shapeKey: 'row', text, segments: null, marksKey: '', sectionHeading: false }, cells };
  });
  const text = rows.map((r) => r.line.text).join('\n');
  return { shape, shapeKey: shapeKeyOf(shape), text, segments: null, marksKey: '', sectionHeading: false, table: rows };
}

function shapeKeyOf(shape: BlockShape): string {
  return `${shape.type}|${shape.level ?? ''}|${shape.list ?? ''}|${shape.depth ?? 0}|${shape.quote ?? 0}`;
}

function textBlock(node: PMJSON, shape: BlockShape, sectionHeading: boolean): FlatBlock {
  let text = '';
  let segments: MarkSegment[] | null = null;
  for (const inline of node.content ?? []) {
    const piece = inline.type === 'text' ? (inline.text ?? '') : inline.type === 'hard_break' ? '\n' : inline.type === 'image' ? imageChar(inline) : '';
    if (!piece) continue;
    const start = text.length;
    text += piece;
    if (!inline.marks?.length && !segments && inline.type !== 'image') continue;
    // First marked text: the unmarked text before it becomes the first segment.
    segments ??= start > 0 ? [{ start: 0, end: start, marks: [], key: '' }] : [];
    const marks: RedlineMark[] = (inline.marks ?? []).map((m) =>
      m.type === 'link' ? { type: 'link', href: String(m.attrs?.href ?? ''), title: (m.attrs?.title as string | null | undefined) ?? null } : { type: m.type },
    );
    // An image is one character whose "mark" says which image: a different src is a changed image, not a new word.
    if (inline.type === 'image') marks.push({ type: 'image', href: String(inline.attrs?.src ?? ''), title: (inline.attrs?.alt as string | null | undefined) ?? null });
    const key = marks.map(markKey).sort().join(' ');
    const last = segments[segments.length - 1];
    if (last && last.key === key) last.end = text.length;
    else segments.push({ start, end: text.length, marks, key });
  }
  if (segments && segments.every((s) => !s.key)) segments = null;
  const marksKey = segments ? segments.filter((s) => s.key).map((s) => `${s.start}-${s.end}:${s.key}`).join(';') : '';
  return { shape, shapeKey: shapeKeyOf(shape), text, segments, marksKey, sectionHeading };
}

/** The marked runs covering [start, end) of a block's text, or undefined when none of it is marked. */
export function runsOf(block: FlatBlock, start: number, end: number): { text: string; marks: RedlineMark[] }[] | undefined {
  if (!block.segments || start >= end) return undefined;
  const runs: { text: string; marks: RedlineMark[] }[] = [];
  let any = false;
  for (const seg of block.segments) {
    if (seg.end <= start) continue;
    if (seg.start >= end) break;
    const s = Math.max(seg.start, start);
    const e = Math.min(seg.end, end);
    if (seg.key) any = true;
    runs.push({ text: block.text.slice(s, e), marks: seg.marks });
  }
  return any ? runs : undefined;
}

/** Formatting key of [start, end) relative to `start`, for comparing the same word on both sides. */
export function formatKeyOf(block: FlatBlock, start: number, end: number): string {
  if (!block.segments) return '';
  let key = '';
  for (const seg of block.segments) {
    if (seg.end <= start) continue;
    if (seg.start >= end) break;
    if (seg.key) key += `${Math.max(seg.start, start) - start}-${Math.min(seg.end, end) - start}:${seg.key};`;
  }
  return key;
}
