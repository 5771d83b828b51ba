// Block alignment inside a section, and move detection across the document.
// Identical blocks are matched on their text first (cheap string equality,
// so unchanged blocks cost next to nothing); the blocks left between those
// anchors are paired by word similarity, so an inserted or deleted paragraph
// never smears its changes over its neighbours. What stays unpaired may be a
// move: the same text (or nearly) deleted in one place and inserted in another.
import { normalText, wordsOf, type FlatBlock } from './blocks';
import { myers } from './myers';
import { tokenizeLike, wordHash, type WordTokens } from './tokens';
import { alignWords, equalWords, type Seg } from './words';

export type BlockStep =
  | { kind: 'pair'; o: number; n: number; segs?: Seg[] }
  | { kind: 'delete'; o: number }
  | { kind: 'insert'; n: number };

/** Two blocks this similar (shared words / all words, from the word diff) are one block edited. */
const PAIR_SIMILARITY = 0.6;
/** In a small gap, blocks this similar (bag of words) are still paired when nothing better is there. */
const WEAK_SIMILARITY = 0.25;
/** A deleted and an inserted block this similar (and long enough) are one block moved and edited. */
const MOVE_SIMILARITY = 0.75;
const MOVE_MIN_WORDS = 5;
/** Gaps up to this many block pairs get the exhaustive (quadratic) pairing. */
const SMALL_GAP = 256;
/** Gaps up to this many block pairs are paired by a diff over blocks; larger ones by a windowed scan. */
const DIFF_GAP = 4096;
/** How far the windowed scan looks ahead for a block's partner. */
const WINDOW = 4;
/** Edits tried first when aligning two blocks. */
const QUICK_EDITS = 24;
/** Most edits a similarity check will look for (beyond, the blocks are not "similar"). */
const TRACE_LIMIT = 1024;
/** Fuzzy move detection compares at most this many block pairs. */
const MOVE_PAIRS = 10_000;

/**
 * Word alignment of two blocks if they share at least `threshold` of their
 * words (2 * equal / (n + m)); undefined otherwise. Gives up early through the
 * diff's edit bound, so dissimilar blocks cost little.
 */
export function similarAlignment(a: FlatBlock, b: FlatBlock, threshold: number): Seg[] | undefined {
  const ta = wordsOf(a);
  // The other side of an edited paragraph shares most of its words: tokenised from these.
  const tb = (b.tokens ??= tokenizeLike(b.text, a.text, ta));
  const total = ta.count + tb.count;
  if (total === 0) return [];
  if ((2 * Math.min(ta.count, tb.count)) / total < threshold) return undefined;
  const bound = Math.min(Math.floor((1 - threshold) * total), TRACE_LIMIT);
  // Lightly edited blocks (the usual case) align within a few edits; try that first.
  let segs = alignWords(a, b, Math.min(bound, QUICK_EDITS));
  if (!segs && bound > QUICK_EDITS) {
    // Shared words (as a bag) bound the words a diff can keep: when too few, no diff is needed.
    if ((2 * sharedWords(ta, tb)) / total < threshold) return undefined;
    segs = alignWords(a, b, bound);
  }
  if (!segs || (2 * equalWords(segs)) / total < threshold) return undefined;
  return segs;
}

// Scratch open-addressing table for counting shared words without a Map.
let tableKeys = new Int32Array(256);
let tableCounts = new Int32Array(256);
let tableStamps = new Int32Array(256);
let stamp = 0;

/** How many words two blocks share, as bags (an upper bound of the words any diff of them keeps). */
export function sharedWords(a: WordTokens, b: WordTokens): number {
  let size = 64;
  while (size < 2 * a.count) size <<= 1;
  if (tableKeys.length < size) {
    tableKeys = new Int32Array(size);
    tableCounts = new Int32Array(size);
    tableStamps = new Int32Array(size);
    stamp = 0;
  }
  if (++stamp === 0x7fffffff) {
    tableStamps.fill(0);
    stamp = 1;
  }
  const mask = size - 1;
  for (let i = 0; i < a.count; i++) {
    const h = wordHash(a, i);
    let slot = (Math.imul(h, 0x9e3779b1) >>> 7) & mask;
    while (tableStamps[slot] === stamp && tableKeys[slot] !== h) slot = (slot + 1) & mask;
    if (tableStamps[slot] === stamp) tableCounts[slot]!++;
    else {
      tableStamps[slot] = stamp;
      tableKeys[slot] = h;
      tableCounts[slot] = 1;
    }
  }
  let common = 0;
  for (let j = 0; j < b.count; j++) {
    const h = wordHash(b, j);
    let slot = (Math.imul(h, 0x9e3779b1) >>> 7) & mask;
    while (tableStamps[slot] === stamp && tableKeys[slot] !== h) slot = (slot + 1) & mask;
    if (tableStamps[slot] === stamp && tableCounts[slot]! > 0) {
      tableCounts[slot]!--;
      common++;
    }
  }
  return common;
}

/** Bag-of-words similarity (Dice), for the exhaustive pairing of small gaps. */
function dice(a: FlatBlock, b: FlatBlock): number {
  const ta = wordsOf(a);
  const tb = wordsOf(b);
  const total = ta.count + tb.count;
  return total === 0 ? 1 : (2 * sharedWords(ta, tb)) / total;
}

/** Align the blocks of one section (old and new, in order). The section headings, when both present, always pair. */
export function alignBlocks(oldBlocks: readonly FlatBlock[], newBlocks: readonly FlatBlock[]): BlockStep[] {
  const steps: BlockStep[] = [];
  let start = 0;
  if (oldBlocks[0]?.sectionHeading && newBlocks[0]?.sectionHeading) {
    steps.push({ kind: 'pair', o: 0, n: 0 });
    start = 1;
  }
  const oldIdx: number[] = [];
  const newIdx: number[] = [];
  for (let i = start; i < oldBlocks.length; i++) oldIdx.push(i);
  for (let i = start; i < newBlocks.length; i++) newIdx.push(i);
  anchorExact(oldBlocks, newBlocks, oldIdx, newIdx, steps);
  return steps;
}

/** Match blocks with identical text, in order; pair what lies between by similarity. */
function anchorExact(oldBlocks: readonly FlatBlock[], newBlocks: readonly FlatBlock[], oldIdx: number[], newIdx: number[], steps: BlockStep[]): void {
  let p = 0;
  const minLen = Math.min(oldIdx.length, newIdx.length);
  while (p < minLen && oldBlocks[oldIdx[p]!]!.text === newBlocks[newIdx[p]!]!.text) p++;
  let s = 0;
  while (s < minLen - p && oldBlocks[oldIdx[oldIdx.length - 1 - s]!]!.text === newBlocks[newIdx[newIdx.length - 1 - s]!]!.text) s++;
  for (let i = 0; i < p; i++) steps.push({ kind: 'pair', o: oldIdx[i]!, n: newIdx[i]! });
  const midOld = oldIdx.slice(p, oldIdx.length - s);
  const midNew = newIdx.slice(p, newIdx.length - s);
  if (midOld.length && midNew.length) {
    if (midOld.length * midNew.length > 4096) anchorUnique(oldBlocks, newBlocks, midOld, midNew, steps);
    else anchorMyers(oldBlocks, newBlocks, midOld, midNew, steps);
  } else {
    pairGap(oldBlocks, newBlocks, midOld, midNew, steps);
  }
  for (let i = s; i > 0; i--) steps.push({ kind: 'pair', o: oldIdx[oldIdx.length - i]!, n: newIdx[newIdx.length - i]! });
}

function anchorMyers(oldBlocks: readonly FlatBlock[], newBlocks: readonly FlatBlock[], oldIdx: number[], newIdx: number[], steps: BlockStep[]): void {
  // Nothing in common (every paragraph edited, the usual case): no alignment to compute.
  const texts = new Set(oldIdx.map((i) => oldBlocks[i]!.text));
  if (!newIdx.some((i) => texts.has(newBlocks[i]!.text))) {
    pairGap(oldBlocks, newBlocks, oldIdx, newIdx, steps);
    return;
  }
  const segs = myers(oldIdx.length, newIdx.length, (i, j) => oldBlocks[oldIdx[i]!]!.text === newBlocks[newIdx[j]!]!.text)!;
  for (const seg of segs) {
    if (seg.eq) for (let k = 0; k < seg.o1 - seg.o0; k++) steps.push({ kind: 'pair', o: oldIdx[seg.o0 + k]!, n: newIdx[seg.n0 + k]! });
    else pairGap(oldBlocks, newBlocks, oldIdx.slice(seg.o0, seg.o1), newIdx.slice(seg.n0, seg.n1), steps);
  }
}

/**
 * Large sections: anchor on texts that occur once on each side, keep the
 * longest run of them in order (patience diff), and recurse between them.
 */
function anchorUnique(oldBlocks: readonly FlatBlock[], newBlocks: readonly FlatBlock[], oldIdx: number[], newIdx: number[], steps: BlockStep[]): void {
  const seen = new Map<string, { o: number; n: number; oc: number; nc: number }>();
  oldIdx.forEach((b, k) => {
    const t = oldBlocks[b]!.text;
    const e = seen.get(t);
    if (e) e.oc++;
    else seen.set(t, { o: k, n: -1, oc: 1, nc: 0 });
  });
  newIdx.forEach((b, k) => {
    const e = seen.get(newBlocks[b]!.text);
    if (e) {
      e.nc++;
      e.n = k;
    }
  });
  const uniques: { o: number; n: number }[] = [];
  for (const e of seen.values()) if (e.oc === 1 && e.nc === 1) uniques.push({ o: e.o, n: e.n });
  uniques.sort((x, y) => x.o - y.o);
  const chain = longestIncreasing(uniques.map((u) => u.n)).map((k) => uniques[k]!);
  if (chain.length === 0) {
    anchorMyers(oldBlocks, newBlocks, oldIdx, newIdx, steps);
    return;
  }
  let o = 0;
  let n = 0;
  for (const a of chain) {
    anchorExact(oldBlocks, newBlocks, oldIdx.slice(o, a.o), newIdx.slice(n, a.n), steps);
    steps.push({ kind: 'pair', o: oldIdx[a.o]!, n: newIdx[a.n]! });
    o = a.o + 1;
    n = a.n + 1;
  }
  anchorExact(oldBlocks, newBlocks, oldIdx.slice(o), newIdx.slice(n), steps);
}

/** Indices of a longest strictly increasing subsequence. */
function longestIncreasing(values: readonly number[]): number[] {
  const tails: number[] = [];
  const prev: number[] = new Array<number>(values.length).fill(-1);
  values.forEach((v, i) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[tails[mid]!]! < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1]!;
    tails[lo] = i;
  });
  const out: number[] = [];
  for (let i = tails.length ? tails[tails.length - 1]! : -1; i >= 0; i = prev[i]!) out.push(i);
  return out.reverse();
}

/** Pair the blocks of a gap between anchors: clearly similar ones first (in order), then weaker matches in what is left. */
function pairGap(oldBlocks: readonly FlatBlock[], newBlocks: readonly FlatBlock[], gapOld: number[], gapNew: number[], steps: BlockStep[]): void {
  if (gapOld.length === 0 || gapNew.length === 0) {
    for (const o of gapOld) steps.push({ kind: 'delete', o });
    for (const n of gapNew) steps.push({ kind: 'insert', n });
    return;
  }
  const cache = new Map<number, Seg[] | undefined>();
  const width = newBlocks.length + 1;
  const similar = (o: number, n: number): Seg[] | undefined => {
    const key = o * width + n;
    if (cache.has(key)) return cache.get(key);
    const segs = similarAlignment(oldBlocks[o]!, newBlocks[n]!, PAIR_SIMILARITY);
    cache.set(key, segs);
    return segs;
  };
  if (gapOld.length * gapNew.length > DIFF_GAP) {
    pairScan(gapOld, gapNew, similar, steps);
    return;
  }
  const segs = myers(gapOld.length, gapNew.length, (i, j) => similar(gapOld[i]!, gapNew[j]!) !== undefined)!;
  for (const seg of segs) {
    if (!seg.eq) {
      pairWeak(oldBlocks, newBlocks, gapOld.slice(seg.o0, seg.o1), gapNew.slice(seg.n0, seg.n1), steps);
      continue;
    }
    for (let k = 0; k < seg.o1 - seg.o0; k++) {
      const oi = gapOld[seg.o0 + k]!;
      const ni = gapNew[seg.n0 + k]!;
      steps.push({ kind: 'pair', o: oi, n: ni, segs: similar(oi, ni)! });
    }
  }
}

/**
 * Very large gaps (a section largely rewritten): walk both sides together,
 * pairing a block with a similar one at most WINDOW places ahead; linear in
 * the size of the gap.
 */
function pairScan(gapOld: number[], gapNew: number[], similar: (o: number, n: number) => Seg[] | undefined, steps: BlockStep[]): void {
  let i = 0;
  let j = 0;
  while (i < gapOld.length && j < gapNew.length) {
    const here = similar(gapOld[i]!, gapNew[j]!);
    if (here) {
      steps.push({ kind: 'pair', o: gapOld[i++]!, n: gapNew[j++]!, segs: here });
      continue;
    }
    let skipNew = -1;
    let skipOld = -1;
    for (let d = 1; d <= WINDOW && skipNew < 0 && skipOld < 0; d++) {
      if (j + d < gapNew.length && similar(gapOld[i]!, gapNew[j + d]!)) skipNew = d;
      else if (i + d < gapOld.length && similar(gapOld[i + d]!, gapNew[j]!)) skipOld = d;
    }
    if (skipNew > 0) for (let d = 0; d < skipNew; d++) steps.push({ kind: 'insert', n: gapNew[j++]! });
    else if (skipOld > 0) for (let d = 0; d < skipOld; d++) steps.push({ kind: 'delete', o: gapOld[i++]! });
    else {
      steps.push({ kind: 'delete', o: gapOld[i++]! });
      steps.push({ kind: 'insert', n: gapNew[j++]! });
    }
  }
  while (i < gapOld.length) steps.push({ kind: 'delete', o: gapOld[i++]! });
  while (j < gapNew.length) steps.push({ kind: 'insert', n: gapNew[j++]! });
}

/** Order-preserving pairing of a small gap maximising the summed margin of similarity over the weak threshold. */
function pairWeak(oldBlocks: readonly FlatBlock[], newBlocks: readonly FlatBlock[], gapOld: number[], gapNew: number[], steps: BlockStep[]): void {
  const k = gapOld.length;
  const l = gapNew.length;
  if (k === 0 || l === 0 || k * l > SMALL_GAP) {
    for (const o of gapOld) steps.push({ kind: 'delete', o });
    for (const n of gapNew) steps.push({ kind: 'insert', n });
    return;
  }
  if (k === 1 && l === 1) {
    // One block in place of one block, between two that did not change: that block was rewritten.
    steps.push({ kind: 'pair', o: gapOld[0]!, n: gapNew[0]! });
    return;
  }
  const score: number[][] = gapOld.map((o) => gapNew.map((n) => dice(oldBlocks[o]!, newBlocks[n]!) - WEAK_SIMILARITY));
  // best[i][j]: best total for gapOld[i..] and gapNew[j..]
  const best: number[][] = Array.from({ length: k + 1 }, () => new Array<number>(l + 1).fill(0));
  for (let i = k - 1; i >= 0; i--) {
    for (let j = l - 1; j >= 0; j--) {
      const s = score[i]![j]!;
      best[i]![j] = Math.max(best[i + 1]![j]!, best[i]![j + 1]!, s > 0 ? s + best[i + 1]![j + 1]! : -Infinity);
    }
  }
  let i = 0;
  let j = 0;
  while (i < k && j < l) {
    const s = score[i]![j]!;
    if (s > 0 && best[i]![j] === s + best[i + 1]![j + 1]!) {
      steps.push({ kind: 'pair', o: gapOld[i]!, n: gapNew[j]! });
      i++;
      j++;
    } else if (best[i]![j] === best[i + 1]![j]) {
      steps.push({ kind: 'delete', o: gapOld[i++]! });
    } else {
      steps.push({ kind: 'insert', n: gapNew[j++]! });
    }
  }
  while (i < k) steps.push({ kind: 'delete', o: gapOld[i++]! });
  while (j < l) steps.push({ kind: 'insert', n: gapNew[j++]! });
}

/** A block left unpaired by the alignment, anywhere in the document. */
export interface LooseBlock {
  block: FlatBlock;
  section: string;
}

export interface Move {
  from: number;
  to: number;
  /** Word alignment when the text changed while moving (undefined when identical). */
  segs?: Seg[];
}

/**
 * Pair deleted with inserted blocks that carry the same words (a move), then,
 * among the rest, blocks of at least five words that are nearly the same
 * (a move with edits). Section headings never move: sections are matched by id.
 */
export function detectMoves(deleted: readonly LooseBlock[], inserted: readonly LooseBlock[]): Move[] {
  const moves: Move[] = [];
  const byText = new Map<string, number[]>();
  const normal = normalText;
  deleted.forEach((d, i) => {
    if (d.block.sectionHeading) return;
    const key = normal(d.block);
    if (!key) return;
    const list = byText.get(key);
    if (list) list.push(i);
    else byText.set(key, [i]);
  });
  const usedFrom = new Set<number>();
  const usedTo = new Set<number>();
  inserted.forEach((ins, j) => {
    if (ins.block.sectionHeading) return;
    const list = byText.get(normal(ins.block));
    const i = list?.shift();
    if (i === undefined) return;
    moves.push({ from: i, to: j });
    usedFrom.add(i);
    usedTo.add(j);
  });
  const restFrom = deleted.map((_, i) => i).filter((i) => !usedFrom.has(i) && !deleted[i]!.block.sectionHeading && wordsOf(deleted[i]!.block).count >= MOVE_MIN_WORDS);
  const restTo = inserted.map((_, j) => j).filter((j) => !usedTo.has(j) && !inserted[j]!.block.sectionHeading && wordsOf(inserted[j]!.block).count >= MOVE_MIN_WORDS);
  if (restFrom.length * restTo.length > MOVE_PAIRS) return moves;
  for (const j of restTo) {
    let bestI = -1;
    let bestSegs: Seg[] | undefined;
    let bestSim = 0;
    for (const i of restFrom) {
      if (usedFrom.has(i)) continue;
      const segs = similarAlignment(deleted[i]!.block, inserted[j]!.block, Math.max(MOVE_SIMILARITY, bestSim));
      if (!segs) continue;
      const total = wordsOf(deleted[i]!.block).count + wordsOf(inserted[j]!.block).count;
      const sim = (2 * equalWords(segs)) / total;
      if (sim > bestSim || bestI < 0) {
        bestI = i;
        bestSegs = segs;
        bestSim = sim;
      }
    }
    if (bestI >= 0) {
      usedFrom.add(bestI);
      moves.push({ from: bestI, to: j, segs: bestSegs });
    }
  }
  return moves;
}
