// The redline engine: section match -> block alignment -> move detection ->
// word diff -> clean-up, producing the one JSON every rendering reads
// (contract "Redlines"). Pure and synchronous: no I/O, no Node-only APIs.
import type { PMJSON } from '../schema';
import { alignBlocks, detectMoves, type LooseBlock } from './align';
import { joinable, tryMerge, trySplit, type Joined } from './joins';
import { flattenDocument, wordsOf, type FlatBlock, type FlatSection } from './blocks';
import { matchSections, type SectionMatch } from './sections';
import { changedCells, planMarkedWords, planTable, tableBlock, wholeTableRows, type TablePlan } from './tables';
import { countWords, resetTokens } from './tokens';
import type { BlockShape, Redline, RedlineBlock, RedlineSection, RedlineStats, SectionStats, VersionRef } from './types';
import { alignWords, CLEANUP_RULES, cleanupSegments, mayClean, markedWords, segmentsToOps, wholeBlockOps, type CleanupBudget, type Seg } from './words';

export type * from './types';
export { splitTokens, splitWords } from './tokens';

export interface RedlineInput {
  /** The version number, 'live', or another name for this side. */
  ref: VersionRef;
  label?: string;
  title: string;
  /** ProseMirror JSON of the document (core/schema.ts); a PM node's `toJSON()` works too. */
  doc: PMJSON;
}

export interface RedlineOptions {
  /** Detect moved blocks (default true). */
  moves?: boolean;
  /** Group changes into readable runs (default true). */
  cleanup?: boolean;
  /** Share of a section's marked words the clean-up may add by absorbing equal words (default 0.1, which keeps a redline within 1.1x the words a minimal diff marks). */
  cleanupBudget?: number;
}

interface MoveEnd {
  id: string;
  otherSection: string;
  /** On the destination, when the words changed while moving. */
  segs?: Seg[];
  source?: FlatBlock;
}

type Item =
  | { kind: 'pair'; o: FlatBlock; n: FlatBlock; segs: Seg[] | null }
  | { kind: 'joined'; first: FlatBlock; second: FlatBlock; joined: Joined }
  | { kind: 'table'; o: FlatBlock; n: FlatBlock; plan: TablePlan }
  | { kind: 'delete'; o: FlatBlock; move?: MoveEnd }
  | { kind: 'insert'; n: FlatBlock; move?: MoveEnd };

interface Work {
  match: SectionMatch;
  items: Item[];
  /** Per item, its blocks once built; deleted and inserted blocks (null here) wait for the moves. */
  blocks: (RedlineBlock | RedlineBlock[] | null)[];
  stats: SectionStats;
}

export function redline(from: RedlineInput, to: RedlineInput, options: RedlineOptions = {}): Redline {
  const fromFlat = flattenDocument(from.doc);
  // A text against itself (the clean exports) needs no alignment: every block pairs with itself.
  return redlineFlat({ ...from, sections: fromFlat }, { ...to, sections: from.doc === to.doc ? fromFlat : flattenDocument(to.doc) }, options);
}

/**
 * A side already flattened: fresh from `flattenDocument`, or from `prepareText`
 * (tokens in arrays of their own; tokens made lazily during an earlier redline
 * live in reused chunks and are invalid now). The same sections on both sides
 * compare as one text.
 */
export type FlatInput = Omit<RedlineInput, 'doc'> & { sections: FlatSection[] };

/** `redline` of texts already flattened, as the server keeps its versions (prepared.ts). */
export function redlineFlat(from: FlatInput, to: FlatInput, options: RedlineOptions = {}): Redline {
  resetTokens();
  // Each section's changed blocks are built as soon as it is aligned, while its texts and
  // tokens are still in the cache; its deleted and inserted blocks wait for the moves.
  const work = matchSections(from.sections, to.sections).map((match) => compareSection(match, options));
  if (options.moves !== false) assignMoves(work);

  const sections = work.map(finishSection);
  const stats: RedlineStats = {
    ...emptyStats(),
    sectionsAdded: 0,
    sectionsRemoved: 0,
    sectionsMoved: 0,
    sectionsChanged: 0,
    sectionsUnchanged: 0,
  };
  for (const s of sections) {
    for (const key of Object.keys(s.stats) as (keyof SectionStats)[]) stats[key] += s.stats[key];
    if (s.status === 'added') stats.sectionsAdded++;
    else if (s.status === 'removed') stats.sectionsRemoved++;
    else if (s.status === 'moved') stats.sectionsMoved++;
    else if (s.status === 'changed') stats.sectionsChanged++;
    else stats.sectionsUnchanged++;
  }
  return {
    from: from.ref,
    to: to.ref,
    versions: {
      from: { ref: from.ref, ...(from.label !== undefined ? { label: from.label } : {}), title: from.title },
      to: { ref: to.ref, ...(to.label !== undefined ? { label: to.label } : {}), title: to.title },
    },
    sections,
    stats,
  };
}

function itemsOf(match: SectionMatch): Item[] {
  const { from, to } = match;
  if (from && from === to) return from.blocks.map((b): Item => (b.table ? { kind: 'table', o: b, n: b, plan: planTable(b, b) } : { kind: 'pair', o: b, n: b, segs: null }));
  if (from && to) {
    const items = alignBlocks(from.blocks, to.blocks).flatMap((step): Item | Item[] => {
      if (step.kind === 'pair') {
        const o = from.blocks[step.o]!;
        const n = to.blocks[step.n]!;
        if (!o.table && !n.table) return { kind: 'pair', o, n, segs: step.segs ?? null };
        // A table compares with a table, cell by cell; a table in place of other text is one deleted and one inserted block.
        return o.table && n.table ? { kind: 'table', o, n, plan: planTable(o, n) } : [{ kind: 'delete', o }, { kind: 'insert', n }];
      }
      if (step.kind === 'delete') return { kind: 'delete', o: from.blocks[step.o]! };
      return { kind: 'insert', n: to.blocks[step.n]! };
    });
    return findJoins(items);
  }
  if (from) return from.blocks.map((o): Item => ({ kind: 'delete', o }));
  return (to?.blocks ?? []).map((n): Item => ({ kind: 'insert', n }));
}

/** Words a pair of blocks marks as it stands (its word diff). */
function pairCost(item: Item & { kind: 'pair' }): number {
  if (item.o.text === item.n.text) return 0;
  item.segs ??= alignWords(item.o, item.n)!;
  return markedWords(item.segs);
}

const tokenCount = (b: FlatBlock) => wordsOf(b).count;

/**
 * Paragraph splits and merges among neighbouring changed items: a pair or a
 * deletion next to one or two insertions (split), or the mirror (merge),
 * replaced by one joined item when reading them as one text marks fewer words.
 */
function findJoins(items: Item[]): Item[] {
  if (items.every((item) => item.kind === 'pair' && item.o.text === item.n.text)) return items;
  const out: Item[] = [];
  for (let i = 0; i < items.length; i++) {
    const a = items[i]!;
    const b = items[i + 1];
    const c = items[i + 2];
    let found: Item | undefined;
    if (b) {
      if (a.kind === 'pair' && b.kind === 'insert' && joinable(a.n, b.n, a.o)) found = split(a.o, a.n, b.n, pairCost(a) + tokenCount(b.n));
      else if (a.kind === 'insert' && b.kind === 'pair' && joinable(a.n, b.n, b.o)) found = split(b.o, a.n, b.n, pairCost(b) + tokenCount(a.n));
      else if (a.kind === 'pair' && b.kind === 'delete' && joinable(a.o, b.o, a.n)) found = merge(a.o, b.o, a.n, pairCost(a) + tokenCount(b.o));
      else if (a.kind === 'delete' && b.kind === 'pair' && joinable(a.o, b.o, b.n)) found = merge(a.o, b.o, b.n, pairCost(b) + tokenCount(a.o));
      else if (c && a.kind === 'delete' && b.kind === 'insert' && c.kind === 'insert' && joinable(b.n, c.n, a.o)) {
        found = split(a.o, b.n, c.n, tokenCount(a.o) + tokenCount(b.n) + tokenCount(c.n));
        if (found) i++;
      } else if (c && a.kind === 'delete' && b.kind === 'delete' && c.kind === 'insert' && joinable(a.o, b.o, c.n)) {
        found = merge(a.o, b.o, c.n, tokenCount(a.o) + tokenCount(b.o) + tokenCount(c.n));
        if (found) i++;
      }
    }
    if (found) {
      out.push(found);
      i++;
    } else out.push(a);
  }
  return out;
}

function split(old: FlatBlock, first: FlatBlock, second: FlatBlock, cost: number): Item | undefined {
  const joined = trySplit(old, first, second, cost);
  return joined && { kind: 'joined', first, second, joined };
}

function merge(first: FlatBlock, second: FlatBlock, merged: FlatBlock, cost: number): Item | undefined {
  const joined = tryMerge(first, second, merged, cost);
  return joined && { kind: 'joined', first: merged, second: merged, joined };
}

function assignMoves(work: Work[]): void {
  const deleted: (LooseBlock & { item: Item & { kind: 'delete' } })[] = [];
  const inserted: (LooseBlock & { item: Item & { kind: 'insert' } })[] = [];
  for (const w of work) {
    for (const item of w.items) {
      // A table moved shows as deleted and inserted (its rows are not tracked as a move).
      if (item.kind === 'delete' && !item.o.table) deleted.push({ block: item.o, section: w.match.id, item });
      else if (item.kind === 'insert' && !item.n.table) inserted.push({ block: item.n, section: w.match.id, item });
    }
  }
  if (!deleted.length || !inserted.length) return;
  const moves = detectMoves(deleted, inserted).sort((a, b) => a.to - b.to);
  moves.forEach((m, k) => {
    const id = `m${k + 1}`;
    const d = deleted[m.from]!;
    const ins = inserted[m.to]!;
    d.item.move = { id, otherSection: ins.section };
    ins.item.move = { id, otherSection: d.section, source: d.block, ...(m.segs ? { segs: m.segs } : {}) };
  });
}

function emptyStats(): SectionStats {
  return {
    wordsInserted: 0,
    wordsDeleted: 0,
    wordsMoved: 0,
    wordsUnchanged: 0,
    formatChanges: 0,
    blocksInserted: 0,
    blocksDeleted: 0,
    blocksChanged: 0,
    blocksMoved: 0,
  };
}

function blockOf(shape: BlockShape, sectionHeading: boolean): RedlineBlock {
  const block: RedlineBlock = { type: shape.type, status: 'unchanged', ops: [] };
  if (shape.level !== undefined) block.level = shape.level;
  if (shape.list !== undefined) block.list = shape.list;
  if (shape.number !== undefined) block.number = shape.number;
  if (shape.depth !== undefined) block.depth = shape.depth;
  if (shape.quote !== undefined) block.quote = shape.quote;
  if (sectionHeading) block.sectionHeading = true;
  return block;
}

/** A section aligned, cleaned up, and its blocks built but for the deleted and inserted ones. */
function compareSection(match: SectionMatch, options: RedlineOptions): Work {
  const items = itemsOf(match);
  cleanUp(items, options);
  const stats = emptyStats();
  const blocks = items.map((item): RedlineBlock | RedlineBlock[] | null => {
    if (item.kind === 'pair') return pairBlock(item.o, item.n, item.segs, stats);
    if (item.kind === 'joined') return joinedBlocks(item.first, item.second, item.joined, stats);
    if (item.kind === 'table') return tableBlock(item.plan, item.n.shape, stats);
    return null;
  });
  return { match, items, blocks, stats };
}

/** Word alignment of every changed pair, then the clean-up, which shares one budget among the section's changed pairs and table cells. */
function cleanUp(items: Item[], options: RedlineOptions): void {
  let base = 0;
  for (const item of items) {
    if (item.kind === 'pair') {
      if (item.o.text === item.n.text) continue;
      item.segs ??= alignWords(item.o, item.n)!;
      base += markedWords(item.segs);
    } else if (item.kind === 'joined') {
      base += item.joined.wordsInserted + item.joined.wordsDeleted;
    } else if (item.kind === 'table') {
      base += planMarkedWords(item.plan);
    } else {
      base += wordsOf(item.kind === 'delete' ? item.o : item.n).count;
    }
  }
  if (options.cleanup === false || base === 0) return;
  const budget: CleanupBudget = { extra: base * (options.cleanupBudget ?? 0.1) };
  const candidates: { o: FlatBlock; segs: Seg[] }[] = [];
  for (const item of items) {
    if (item.kind === 'table') candidates.push(...changedCells(item.plan).filter((cell) => mayClean(cell.segs)));
    else if (item.kind === 'pair' && item.segs !== null && mayClean(item.segs)) candidates.push(item as { o: FlatBlock; segs: Seg[] });
  }
  for (const rule of CLEANUP_RULES) {
    for (const item of candidates) item.segs = cleanupSegments(item.segs, item.o, rule, budget);
  }
}

/** The section once the moves are known: its deleted and inserted blocks, its status. */
function finishSection(w: Work): RedlineSection {
  const { match, items, stats } = w;
  const blocks: RedlineBlock[] = [];
  items.forEach((item, k) => {
    const built = w.blocks[k] ?? (item.kind === 'delete' ? deletedBlock(item, stats) : item.kind === 'insert' ? insertedBlock(item, stats) : []);
    if (Array.isArray(built)) blocks.push(...built);
    else blocks.push(built);
  });
  const fromTitle = match.from?.title;
  const title = match.to?.title ?? fromTitle ?? '';
  const changed = blocks.some((b) => b.status !== 'unchanged');
  const section: RedlineSection = {
    id: match.id,
    title,
    status: !match.from ? 'added' : !match.to ? 'removed' : match.moved ? 'moved' : changed ? 'changed' : 'unchanged',
    changed,
    fromIndex: match.fromIndex,
    toIndex: match.toIndex,
    blocks,
    stats,
  };
  if (match.from && match.to && fromTitle !== title) section.fromTitle = fromTitle;
  return section;
}

function deletedBlock(item: Item & { kind: 'delete' }, stats: SectionStats): RedlineBlock {
  const block = blockOf(item.o.shape, item.o.sectionHeading);
  block.ops = wholeBlockOps('delete', item.o);
  if (item.o.table) block.rows = wholeTableRows(item.o, 'delete');
  if (item.move) {
    block.status = 'moved-from';
    markMove(block, item.move);
  } else {
    block.status = 'deleted';
    stats.blocksDeleted++;
    stats.wordsDeleted += countWords(item.o.text);
  }
  return block;
}

/** An inserted block, or the destination of a move (with the word diff from its source when its words changed). */
function insertedBlock(item: Item & { kind: 'insert' }, stats: SectionStats): RedlineBlock {
  const block = blockOf(item.n.shape, item.n.sectionHeading);
  block.ops = wholeBlockOps('insert', item.n);
  if (item.n.table) block.rows = wholeTableRows(item.n, 'insert');
  if (!item.move) {
    block.status = 'inserted';
    stats.blocksInserted++;
    stats.wordsInserted += countWords(item.n.text);
    return block;
  }
  block.status = 'moved-to';
  markMove(block, item.move);
  stats.blocksMoved++;
  stats.wordsMoved += countWords(item.n.text);
  if (item.move.segs && item.move.source) {
    let segs = item.move.segs;
    const budget = { extra: 0.1 * markedWords(segs) };
    for (const rule of CLEANUP_RULES) segs = cleanupSegments(segs, item.move.source, rule, budget);
    block.moveOps = segmentsToOps(item.move.source, item.n, segs).ops;
    countSegs(segs, stats);
  }
  return block;
}

/** The two blocks of a split or merge: the first carries the paragraph break that was inserted or deleted after it. */
function joinedBlocks(first: FlatBlock, second: FlatBlock, joined: Joined, stats: SectionStats): RedlineBlock[] {
  const a = blockOf(first.shape, false);
  const b = blockOf(second.shape, false);
  a.status = 'changed';
  b.status = joined.parts[1].some((op) => op.op !== 'equal' || op.fromRuns) ? 'changed' : 'unchanged';
  a.ops = joined.parts[0];
  b.ops = joined.parts[1];
  a.paragraphBreak = joined.paragraphBreak;
  stats.wordsInserted += joined.wordsInserted;
  stats.wordsDeleted += joined.wordsDeleted;
  stats.wordsUnchanged += joined.wordsUnchanged;
  stats.blocksChanged += b.status === 'changed' ? 2 : 1;
  return [a, b];
}

function markMove(block: RedlineBlock, move: MoveEnd): void {
  block.moveId = move.id;
  block.moveSection = move.otherSection;
  for (const op of block.ops) op.moveId = move.id;
}

/** Words inserted and deleted by an alignment (the ops hold exactly these words). */
function countSegs(segs: readonly Seg[], stats: SectionStats): number {
  let unchanged = 0;
  for (const s of segs) {
    if (s.eq) unchanged += s.o1 - s.o0;
    else {
      stats.wordsInserted += s.n1 - s.n0;
      stats.wordsDeleted += s.o1 - s.o0;
    }
  }
  return unchanged;
}

function pairBlock(o: FlatBlock, n: FlatBlock, segs: Seg[] | null, stats: SectionStats): RedlineBlock {
  const block = blockOf(n.shape, n.sectionHeading);
  const shapeChanged = o.shapeKey !== n.shapeKey;
  if (!segs && o.marksKey === n.marksKey) {
    // Same text, same formatting: nothing to diff.
    if (n.text) block.ops = [n.segments ? { op: 'equal', text: n.text, runs: n.segments.map((s) => ({ text: n.text.slice(s.start, s.end), marks: s.marks })) } : { op: 'equal', text: n.text }];
    stats.wordsUnchanged += countWords(n.text);
  } else {
    const words = wordsOf(n).count;
    const aligned = segs ?? (words ? [{ eq: true, o0: 0, o1: words, n0: 0, n1: words }] : []);
    const result = segmentsToOps(o, n, aligned);
    block.ops = result.ops;
    if (result.formatChanges) block.formatChanges = result.formatChanges;
    stats.wordsUnchanged += countSegs(aligned, stats);
    if (block.ops.some((op) => op.op !== 'equal') || result.formatChanges) block.status = 'changed';
  }
  if (shapeChanged) {
    block.shapeFrom = { ...o.shape };
    block.formatChanges = (block.formatChanges ?? 0) + 1;
    block.status = 'changed';
  }
  if (block.formatChanges) stats.formatChanges += block.formatChanges;
  if (block.status === 'changed') stats.blocksChanged++;
  return block;
}

/** The text of a block on one side: equal + delete ops (`from`) or equal + insert ops (`to`). */
export function blockText(block: RedlineBlock, side: 'from' | 'to'): string {
  const skip = side === 'from' ? 'insert' : 'delete';
  let text = '';
  for (const op of block.ops) if (op.op !== skip) text += op.text;
  return text;
}

/** Whether a block's paragraph break exists on a side (not when a split inserted it, or a merge deleted it, on the other). */
export function breakAfter(block: RedlineBlock, side: 'from' | 'to'): boolean {
  return block.paragraphBreak !== (side === 'from' ? 'inserted' : 'deleted');
}

/** The text of a section on one side, one line per block that exists on that side (a split or merged paragraph is one line). */
export function sectionText(section: RedlineSection, side: 'from' | 'to'): string {
  const gone = side === 'from' ? ['inserted', 'moved-to'] : ['deleted', 'moved-from'];
  let text = '';
  let joinNext = false;
  section.blocks.forEach((b, i) => {
    if (gone.includes(b.status)) return;
    text += (i === 0 || joinNext ? '' : '\n') + blockText(b, side);
    joinNext = !breakAfter(b, side);
  });
  return text;
}
