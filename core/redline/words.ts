// Word diff of two aligned blocks: a minimal word-level diff (Myers, as in the
// `diff` package, see myers.ts), a semantic clean-up that groups changes into
// runs a person would mark, and the ops with their exact text. Word boundaries
// are whitespace, so an op never splits a word.
import { formatKeyOf, runsOf, wordAt, wordsOf, type FlatBlock } from './blocks';
import { myers, type Seg } from './myers';
import { exactCompare, hashCompare, isMinorWord, isSpaceCode, sameWords, wordEnd, wordStart, type WordTokens } from './tokens';
import type { RedlineOp } from './types';

export type { Seg } from './myers';

/**
 * Minimal word alignment of two blocks. With `maxEdit`, gives up (undefined)
 * when more than that many words would have to be inserted or deleted.
 */
export function alignWords(a: FlatBlock, b: FlatBlock, maxEdit?: number): Seg[] | undefined {
  const ta = wordsOf(a);
  const tb = wordsOf(b);
  const segs = myers(ta.count, tb.count, hashCompare(ta, tb), maxEdit);
  if (!segs) return undefined;
  for (const s of segs) {
    // Equal hashes are not proof: confirm on the text, and redo the diff on the text if two words only collided.
    if (s.eq && !sameWords(a.text, ta, s.o0, b.text, tb, s.n0, s.o1 - s.o0)) return myers(ta.count, tb.count, exactCompare(a.text, ta, b.text, tb), maxEdit);
  }
  return segs;
}

/** Words inserted plus words deleted. */
export function markedWords(segs: readonly Seg[]): number {
  let n = 0;
  for (const s of segs) if (!s.eq) n += s.o1 - s.o0 + (s.n1 - s.n0);
  return n;
}

export function equalWords(segs: readonly Seg[]): number {
  let n = 0;
  for (const s of segs) if (s.eq) n += s.o1 - s.o0;
  return n;
}

/** Extra words a clean-up may still mark (shared by the blocks of one section). */
export interface CleanupBudget {
  extra: number;
}

/** One sweep of the clean-up: which equal runs between two changes it may absorb. */
export interface CleanupRule {
  /** Longest equal run (in words) absorbed. */
  maxWords: number;
  /** The smaller of the two neighbouring changes must have at least this many words (on its larger side). */
  minNeighbour: number;
  /** Only runs made of minor words (the, of, and, ...). */
  minorOnly: boolean;
}

/**
 * The sweeps, in order: single minor words between large changes first, so a
 * limited budget goes where it helps a reader most; then short runs dwarfed by
 * the changes around them.
 */
export const CLEANUP_RULES: readonly CleanupRule[] = [
  { maxWords: 1, minNeighbour: 3, minorOnly: true },
  { maxWords: 1, minNeighbour: 2, minorOnly: true },
  { maxWords: 1, minNeighbour: 1, minorOnly: true },
  { maxWords: 2, minNeighbour: 2, minorOnly: true },
  { maxWords: 2, minNeighbour: 4, minorOnly: false },
];

/** Whether any clean-up rule could apply: an equal run of at most two words between two changes. */
export function mayClean(segs: readonly Seg[]): boolean {
  for (let k = 1; k < segs.length - 1; k++) {
    const s = segs[k]!;
    if (s.eq && s.o1 - s.o0 <= 2) return true;
  }
  return false;
}

/**
 * Absorb short equal runs that stand between two changes into one change, so
 * "<del>a b</del><ins>c d</ins> the <del>e</del><ins>f</ins>" reads as one
 * replacement. Each absorbed word is marked twice (deleted and inserted),
 * paid from `budget`.
 */
export function cleanupSegments(segs: Seg[], oldBlock: FlatBlock, rule: CleanupRule, budget: CleanupBudget): Seg[] {
  if (segs.length < 3) return segs;
  const out: Seg[] = [];
  for (const seg of segs) {
    out.push(seg);
    for (;;) {
      const k = out.length;
      if (k < 3) break;
      const after = out[k - 1]!;
      const mid = out[k - 2]!;
      const before = out[k - 3]!;
      if (after.eq || !mid.eq || before.eq) break;
      const len = mid.o1 - mid.o0;
      if (2 * len > budget.extra || !absorbable(mid, len, before, after, oldBlock, rule)) break;
      budget.extra -= 2 * len;
      out.length = k - 3;
      out.push({ eq: false, o0: before.o0, o1: after.o1, n0: before.n0, n1: after.n1 });
    }
  }
  return out;
}

function changeSize(s: Seg): number {
  return Math.max(s.o1 - s.o0, s.n1 - s.n0);
}

function absorbable(mid: Seg, len: number, before: Seg, after: Seg, oldBlock: FlatBlock, rule: CleanupRule): boolean {
  if (len > rule.maxWords || Math.min(changeSize(before), changeSize(after)) < rule.minNeighbour) return false;
  if (rule.minorOnly) for (let i = mid.o0; i < mid.o1; i++) if (!isMinorWord(wordAt(oldBlock, i))) return false;
  return true;
}


/**
 * The ops of an aligned block pair. Whitespace at the edge of a change that
 * is the same on both sides stays in the equal text around it, so a change
 * reads "a <del>b</del><ins>x</ins> c"; equal + delete texts rebuild the old
 * text and equal + insert the new one (exactly, unless only whitespace inside
 * an unchanged run differs).
 */
export function segmentsToOps(oldB: FlatBlock, newB: FlatBlock, segments: readonly Seg[]): { ops: RedlineOp[]; formatChanges: number } {
  const ot = wordsOf(oldB);
  const nt = wordsOf(newB);
  if (segments.length === 0) return { ops: newB.text ? [{ op: 'equal', text: newB.text }] : [], formatChanges: 0 };
  const segs = splitAtBreaks(oldB, newB, ot, nt, segments);
  const oldText = oldB.text;
  const newText = newB.text;
  const last = segs.length - 1;
  const r = runRanges(oldText, newText, ot, nt, segs);
  const out: RedlineOp[] = [];
  let formatChanges = 0;
  const formatted = oldB.segments !== null || newB.segments !== null;
  for (let k = 0; k <= last; k++) {
    const s = segs[k]!;
    const x = 4 * k;
    if (!s.eq) {
      if (r[x + 1]! > r[x]!) out.push(makeOp('delete', oldB, r[x]!, r[x + 1]!));
      if (r[x + 3]! > r[x + 2]!) out.push(makeOp('insert', newB, r[x + 2]!, r[x + 3]!));
      continue;
    }
    const start = r[x]!;
    const end = r[x + 1]!;
    const oldStart = r[x + 2]!;
    const oldEnd = r[x + 3]!;
    // The usual equal run: the same text on both sides, one op.
    const same = end - start === oldEnd - oldStart && oldText.slice(oldStart, oldEnd) === newText.slice(start, end);
    if (same && !formatted) {
      out.push(makeOp('equal', newB, start, end));
      continue;
    }
    const eq: Range = { start, end, oldStart, oldEnd };
    for (const part of same ? [{ spacing: false, ...eq, o0: s.o0, n0: s.n0, count: s.o1 - s.o0 }] : spacingParts(oldText, newText, ot, nt, s, eq)) {
      if (part.spacing) {
        if (part.oldEnd > part.oldStart) out.push(makeOp('delete', oldB, part.oldStart, part.oldEnd));
        if (part.end > part.start) out.push(makeOp('insert', newB, part.start, part.end));
      } else if (!formatted) {
        out.push(makeOp('equal', newB, part.start, part.end));
      } else {
        formatChanges += pushEqualByFormat(out, oldB, newB, ot, nt, part);
      }
    }
  }
  return { ops: out, formatChanges };
}

/**
 * Where each run of `segmentsToOps` reads, four integers a run in a reused
 * array (no object per run): an equal run's new range then its old range; a
 * change's old range (deleted) then its new range (inserted). The whitespace
 * a change shares with both sides at its edges goes to the equal runs around it.
 */
let ranges = new Int32Array(256);

function runRanges(oldText: string, newText: string, ot: WordTokens, nt: WordTokens, segs: readonly Seg[]): Int32Array {
  const last = segs.length - 1;
  if (ranges.length < 4 * segs.length) ranges = new Int32Array(8 * segs.length);
  const r = ranges;
  for (let k = 0; k <= last; k++) {
    const s = segs[k]!;
    const x = 4 * k;
    if (s.eq) {
      r[x] = k === 0 ? 0 : wordStart(nt, s.n0);
      r[x + 1] = k === last ? newText.length : wordEnd(nt, s.n1 - 1);
      r[x + 2] = wordStart(ot, s.o0);
      r[x + 3] = wordEnd(ot, s.o1 - 1);
    } else {
      r[x] = s.o0 > 0 ? wordEnd(ot, s.o0 - 1) : 0;
      r[x + 1] = s.o1 < ot.count ? wordStart(ot, s.o1) : oldText.length;
      r[x + 2] = s.n0 > 0 ? wordEnd(nt, s.n0 - 1) : 0;
      r[x + 3] = s.n1 < nt.count ? wordStart(nt, s.n1) : newText.length;
    }
  }
  for (let k = 0; k <= last; k++) {
    if (segs[k]!.eq) continue;
    const x = 4 * k;
    let ao = r[x]!;
    let bo = r[x + 1]!;
    let an = r[x + 2]!;
    let bn = r[x + 3]!;
    if (k > 0 && segs[k - 1]!.eq) {
      let l = 0;
      while (ao + l < bo && an + l < bn && oldText.charCodeAt(ao + l) === newText.charCodeAt(an + l) && isSpaceCode(newText.charCodeAt(an + l))) l++;
      r[x - 3] = r[x - 3]! + l;
      r[x - 1] = r[x - 1]! + l;
      ao += l;
      an += l;
    }
    if (k < last && segs[k + 1]!.eq) {
      let t = 0;
      while (bo - t > ao && bn - t > an && oldText.charCodeAt(bo - 1 - t) === newText.charCodeAt(bn - 1 - t) && isSpaceCode(newText.charCodeAt(bn - 1 - t))) t++;
      r[x + 4] = r[x + 4]! - t;
      r[x + 6] = r[x + 6]! - t;
      bo -= t;
      bn -= t;
    }
    r[x] = ao;
    r[x + 1] = bo;
    r[x + 2] = an;
    r[x + 3] = bn;
  }
  return r;
}

/** An equal run's range in the new text and in the old. */
interface Range {
  start: number;
  end: number;
  oldStart: number;
  oldEnd: number;
}

/** A stretch of an equal segment: equal words (with their token ranges), or spacing between two of them that differs. */
interface Part {
  spacing: boolean;
  start: number;
  end: number;
  oldStart: number;
  oldEnd: number;
  o0: number;
  n0: number;
  count: number;
}

/**
 * Equal words may be spaced differently on the two sides ("隐私プライバシー"
 * and "隐私 プライバシー" are the same two tokens): the equal op is cut where
 * the spacing between two words differs, and that spacing becomes a delete
 * and an insert of its own, so equal + delete still rebuild the old text and
 * equal + insert the new, character for character. (For a run whose texts
 * differ: one the same on both sides is one part.)
 */
function spacingParts(oldText: string, newText: string, ot: WordTokens, nt: WordTokens, s: Seg, eq: Range): Part[] {
  const count = s.o1 - s.o0;
  const parts: Part[] = [];
  let from = { start: eq.start, oldStart: eq.oldStart, i: 0 };
  for (let i = 0; i + 1 < count; i++) {
    const oldGap = [wordEnd(ot, s.o0 + i), wordStart(ot, s.o0 + i + 1)] as const;
    const newGap = [wordEnd(nt, s.n0 + i), wordStart(nt, s.n0 + i + 1)] as const;
    if (oldText.slice(oldGap[0], oldGap[1]) === newText.slice(newGap[0], newGap[1])) continue;
    parts.push({ spacing: false, start: from.start, end: newGap[0], oldStart: from.oldStart, oldEnd: oldGap[0], o0: s.o0 + from.i, n0: s.n0 + from.i, count: i + 1 - from.i });
    parts.push({ spacing: true, start: newGap[0], end: newGap[1], oldStart: oldGap[0], oldEnd: oldGap[1], o0: 0, n0: 0, count: 0 });
    from = { start: newGap[1], oldStart: oldGap[1], i: i + 1 };
  }
  parts.push({ spacing: false, start: from.start, end: eq.end, oldStart: from.oldStart, oldEnd: eq.oldEnd, o0: s.o0 + from.i, n0: s.n0 + from.i, count: count - from.i });
  return parts;
}

/** An equal stretch, split where the formatting of a word changes; returns the number of format changes. */
function pushEqualByFormat(out: RedlineOp[], oldB: FlatBlock, newB: FlatBlock, ot: WordTokens, nt: WordTokens, part: Part): number {
  let formatChanges = 0;
  let runStart = part.start;
  let runOldStart = part.oldStart;
  let runChanged: boolean | null = null;
  for (let i = 0; i < part.count; i++) {
    const oi = part.o0 + i;
    const ni = part.n0 + i;
    const changed = formatKeyOf(oldB, wordStart(ot, oi), wordEnd(ot, oi)) !== formatKeyOf(newB, wordStart(nt, ni), wordEnd(nt, ni));
    if (runChanged !== null && changed !== runChanged) {
      const cut = wordStart(nt, ni);
      const oldCut = wordStart(ot, oi);
      formatChanges += pushEqual(out, oldB, newB, runStart, cut, runOldStart, oldCut, runChanged);
      runStart = cut;
      runOldStart = oldCut;
    }
    runChanged = changed;
  }
  return formatChanges + pushEqual(out, oldB, newB, runStart, part.end, runOldStart, part.oldEnd, runChanged === true);
}

/**
 * A hard break that became a space (or the other way round) is whitespace
 * only, but a reader sees the line break: equal runs are cut there by an
 * empty change, whose ops are the old and the new whitespace.
 */
function splitAtBreaks(oldB: FlatBlock, newB: FlatBlock, ot: WordTokens, nt: WordTokens, segs: readonly Seg[]): readonly Seg[] {
  if (!oldB.text.includes('\n') && !newB.text.includes('\n')) return segs;
  const out: Seg[] = [];
  for (const s of segs) {
    if (!s.eq) {
      out.push(s);
      continue;
    }
    let from = 0;
    for (let k = 1; k < s.o1 - s.o0; k++) {
      const oldGap = oldB.text.slice(wordEnd(ot, s.o0 + k - 1), wordStart(ot, s.o0 + k));
      const newGap = newB.text.slice(wordEnd(nt, s.n0 + k - 1), wordStart(nt, s.n0 + k));
      if (oldGap === newGap || (!oldGap.includes('\n') && !newGap.includes('\n'))) continue;
      out.push({ eq: true, o0: s.o0 + from, o1: s.o0 + k, n0: s.n0 + from, n1: s.n0 + k });
      out.push({ eq: false, o0: s.o0 + k, o1: s.o0 + k, n0: s.n0 + k, n1: s.n0 + k });
      from = k;
    }
    out.push(from === 0 ? s : { eq: true, o0: s.o0 + from, o1: s.o1, n0: s.n0 + from, n1: s.n1 });
  }
  return out;
}

function makeOp(op: 'equal' | 'insert' | 'delete', block: FlatBlock, start: number, end: number): RedlineOp {
  const result: RedlineOp = { op, text: block.text.slice(start, end) };
  const runs = runsOf(block, start, end);
  if (runs) result.runs = runs;
  return result;
}

function pushEqual(out: RedlineOp[], oldB: FlatBlock, newB: FlatBlock, start: number, end: number, oldStart: number, oldEnd: number, changed: boolean): number {
  if (end <= start) return 0;
  const op = makeOp('equal', newB, start, end);
  if (changed) {
    op.fromRuns = runsOf(oldB, oldStart, oldEnd) ?? [{ text: oldB.text.slice(oldStart, oldEnd), marks: [] }];
    op.runs ??= [{ text: op.text, marks: [] }];
  }
  out.push(op);
  return changed ? 1 : 0;
}

/** Ops of a block that exists on one side only. */
export function wholeBlockOps(op: 'insert' | 'delete', block: FlatBlock): RedlineOp[] {
  return block.text ? [makeOp(op, block, 0, block.text.length)] : [];
}
