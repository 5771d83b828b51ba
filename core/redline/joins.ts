// Paragraph splits and merges: one old paragraph that became two new ones
// (a paragraph break inserted), or two that became one (a break deleted).
// Found among the blocks the alignment left changed, inserted or deleted next
// to each other, when reading the two as one text marks fewer words. The
// result is two blocks whose ops meet at the break, so nothing is retyped.
// Pure: reads FlatBlocks, returns ops.
import { sharedWords } from './align';
import { markKey, wordsOf, type FlatBlock, type MarkSegment } from './blocks';
import { splitTokens } from './tokens';
import type { RedlineOp, RedlineRun } from './types';
import { alignWords, CLEANUP_RULES, cleanupSegments, equalWords, markedWords, segmentsToOps, type Seg } from './words';

/** Reading the two as one must keep at least this share of the words (as a block pair must). */
const JOIN_SIMILARITY = 0.6;

export interface Joined {
  /** The ops of the block before the break and of the block after it. */
  parts: [RedlineOp[], RedlineOp[]];
  /** 'inserted': one old paragraph split in two; 'deleted': two old paragraphs merged. */
  paragraphBreak: 'inserted' | 'deleted';
  wordsInserted: number;
  wordsDeleted: number;
  wordsUnchanged: number;
}

/** Two blocks as one text, joined by a space at `a.text.length` (formatting kept). */
export function joinBlocks(a: FlatBlock, b: FlatBlock): FlatBlock {
  const text = `${a.text} ${b.text}`;
  let segments: MarkSegment[] | null = null;
  if (a.segments || b.segments) {
    const off = a.text.length + 1;
    const raw: MarkSegment[] = [
      ...(a.segments ?? [{ start: 0, end: a.text.length, marks: [], key: '' }]),
      { start: a.text.length, end: off, marks: [], key: '' },
      ...(b.segments ?? [{ start: 0, end: b.text.length, marks: [], key: '' }]).map((s) => ({ ...s, start: s.start + off, end: s.end + off })),
    ];
    segments = [];
    for (const s of raw) {
      if (s.end <= s.start) continue;
      const last = segments[segments.length - 1];
      if (last && last.key === s.key) last.end = s.end;
      else segments.push({ ...s });
    }
  }
  const marksKey = segments ? segments.filter((s) => s.key).map((s) => `${s.start}-${s.end}:${s.marks.map(markKey).sort().join(' ')}`).join(';') : '';
  return { shape: a.shape, shapeKey: a.shapeKey, text, segments, marksKey, sectionHeading: false };
}

/** Whether two blocks may be the halves of one paragraph (same kind of block, neither a section heading). */
export function joinable(a: FlatBlock, b: FlatBlock, whole: FlatBlock): boolean {
  // A table is never the half of a split paragraph.
  return !a.table && !a.sectionHeading && !b.sectionHeading && !whole.sectionHeading && a.shapeKey === b.shapeKey && a.shapeKey === whole.shapeKey && a.text !== '' && b.text !== '';
}

/**
 * `single` aligned with `first` + `second` joined, its ops cut where the two
 * meet; undefined when that marks `cost` words or more, or when either side
 * is mostly new text (then it is no split or merge).
 */
function alignAtJunction(single: FlatBlock, first: FlatBlock, second: FlatBlock, cost: number) {
  if (!halvesMayBeKept(single, first, second)) return undefined;
  const whole = joinBlocks(first, second);
  const segs = alignJoined(single, whole, cost);
  if (!segs) return undefined;
  const [left, right] = cutAtJunction(segmentsToOps(single, whole, segs).ops, first.text.length);
  if (!mostlyKept(left, 'insert') || !mostlyKept(right, 'insert')) return undefined;
  return { segs, left, right };
}

/** The best split of `old` into `first` + `second` (new), if it marks fewer than `cost` words. */
export function trySplit(old: FlatBlock, first: FlatBlock, second: FlatBlock, cost: number): Joined | undefined {
  const cut = alignAtJunction(old, first, second, cost);
  return cut && { parts: [cut.left, cut.right], paragraphBreak: 'inserted', ...counts(cut.segs, false) };
}

/** The best merge of `first` + `second` (old) into `merged` (new), if it marks fewer than `cost` words. */
export function tryMerge(first: FlatBlock, second: FlatBlock, merged: FlatBlock, cost: number): Joined | undefined {
  // Aligned the other way round, the old pair is the text to cut at its junction; then the ops are turned back.
  const cut = alignAtJunction(merged, first, second, cost);
  return cut && { parts: [cut.left.map(reverseOp), cut.right.map(reverseOp)], paragraphBreak: 'deleted', ...counts(cut.segs, true) };
}

/**
 * Texts whose words are exactly their tokens' runs (no control characters, no
 * script the segmenter cuts): there, `splitTokens` of any op counts the same
 * tokens the diff saw, so the bound below is exact.
 */
const PLAIN_TEXT = /^[\t\n\r\x20-\u0dff]*$/;

/**
 * A necessary condition of `mostlyKept` for both halves, checked before any
 * diff: a half keeps at most the words it shares, as a bag, with the single
 * paragraph. Most neighbours of a changed paragraph fail it at once.
 */
function halvesMayBeKept(single: FlatBlock, first: FlatBlock, second: FlatBlock): boolean {
  if (!PLAIN_TEXT.test(single.text) || !PLAIN_TEXT.test(first.text) || !PLAIN_TEXT.test(second.text)) return true;
  const whole = wordsOf(single);
  for (const half of [wordsOf(first), wordsOf(second)]) {
    if (sharedWords(half, whole) < JOIN_SIMILARITY * half.count) return false;
  }
  return true;
}

/** Each half of a split (merge) must be mostly the old (new) text: otherwise it is a new paragraph, not a half. */
function mostlyKept(ops: readonly RedlineOp[], added: 'insert'): boolean {
  let kept = 0;
  let all = 0;
  for (const op of ops) {
    if (op.op === 'delete') continue;
    const n = splitTokens(op.text).length;
    all += n;
    if (op.op !== added) kept += n;
  }
  return all > 0 && kept >= JOIN_SIMILARITY * all;
}

function alignJoined(old: FlatBlock, whole: FlatBlock, cost: number): Seg[] | undefined {
  const total = wordsOf(old).count + wordsOf(whole).count;
  // A minimal alignment marks exactly its edit distance: beyond `cost - 1` edits, or beyond the
  // share of the words the similarity allows, the join is refused below anyway, so the diff stops there.
  let segs = alignWords(old, whole, Math.max(0, Math.min(cost - 1, Math.ceil((1 - JOIN_SIMILARITY) * total))));
  if (!segs) return undefined;
  if (total === 0 || (2 * equalWords(segs)) / total < JOIN_SIMILARITY) return undefined;
  if (markedWords(segs) >= cost) return undefined;
  const budget = { extra: 0.1 * markedWords(segs) };
  for (const rule of CLEANUP_RULES) segs = cleanupSegments(segs, old, rule, budget);
  return segs;
}

function counts(segs: readonly Seg[], reversed: boolean): { wordsInserted: number; wordsDeleted: number; wordsUnchanged: number } {
  let ins = 0;
  let del = 0;
  let eq = 0;
  for (const s of segs) {
    if (s.eq) eq += s.o1 - s.o0;
    else {
      ins += s.n1 - s.n0;
      del += s.o1 - s.o0;
    }
  }
  return reversed ? { wordsInserted: del, wordsDeleted: ins, wordsUnchanged: eq } : { wordsInserted: ins, wordsDeleted: del, wordsUnchanged: eq };
}

function reverseOp(op: RedlineOp): RedlineOp {
  if (op.op === 'insert') return { ...op, op: 'delete' };
  if (op.op === 'delete') return { ...op, op: 'insert' };
  if (!op.fromRuns) return op;
  return { ...op, runs: op.fromRuns, fromRuns: op.runs ?? [{ text: op.text, marks: [] }] };
}

/** The runs (text with marks) of characters [start, end) of an op's text; undefined for an op without runs. */
export function sliceRuns(runs: readonly RedlineRun[] | undefined, start: number, end: number): RedlineRun[] | undefined {
  if (!runs) return undefined;
  const out: RedlineRun[] = [];
  let pos = 0;
  for (const run of runs) {
    const s = Math.max(start, pos);
    const e = Math.min(end, pos + run.text.length);
    if (e > s) out.push({ text: run.text.slice(s - pos, e - pos), marks: run.marks });
    pos += run.text.length;
  }
  return out;
}

function sliceOp(op: RedlineOp, start: number, end: number): RedlineOp {
  const out: RedlineOp = { op: op.op, text: op.text.slice(start, end) };
  const runs = sliceRuns(op.runs, start, end);
  if (runs) out.runs = runs;
  const fromRuns = sliceRuns(op.fromRuns, start, end);
  if (fromRuns) out.fromRuns = fromRuns;
  if (op.moveId) out.moveId = op.moveId;
  return out;
}

/**
 * Cut the ops of a joined text at its junction, the space at offset `at` of
 * the new text that stands for the paragraph break: what was there in the old
 * text (when it was unchanged) becomes a deletion at the end of the first part.
 */
export function cutAtJunction(ops: readonly RedlineOp[], at: number): [RedlineOp[], RedlineOp[]] {
  const left: RedlineOp[] = [];
  const right: RedlineOp[] = [];
  let pos = 0;
  for (const op of ops) {
    if (op.op === 'delete') {
      (pos <= at ? left : right).push(op);
      continue;
    }
    const s = pos;
    const e = pos + op.text.length;
    pos = e;
    if (e <= at) left.push(op);
    else if (s >= at + 1) right.push(op);
    else {
      if (at > s) left.push(sliceOp(op, 0, at - s));
      if (op.op === 'equal') left.push({ op: 'delete', text: op.text.slice(at - s, at - s + 1) });
      if (e > at + 1) right.push(sliceOp(op, at + 1 - s, op.text.length));
    }
  }
  return [left, right];
}
