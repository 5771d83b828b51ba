// Tables in a redline: a table paired with a table is compared row by row and
// cell by cell. Rows are aligned by their content (alignBlocks over the rows'
// texts), so an inserted or deleted row is a whole inserted or deleted row;
// the cells of a kept row pair by column (by content when the number of
// columns changed) and are word-diffed like any block. A table on one side
// only is a whole inserted or deleted block. Pure; never reads the schema.
import { alignBlocks } from './align';
import { wordsOf, type FlatBlock, type FlatCell, type FlatRow } from './blocks';
import { countWords } from './tokens';
import type { BlockShape, RedlineBlock, RedlineCell, RedlineOp, RedlineRow, SectionStats } from './types';
import { alignWords, equalWords, markedWords, segmentsToOps, wholeBlockOps, type Seg } from './words';

/** Two kept rows sharing less than this (2 × equal words / all words) are one deleted and one inserted row. */
const ROW_SIMILARITY = 0.25;

/** A pair of cells, with the word alignment of their texts (null when the texts are equal); the clean-up may rewrite `segs`. */
export interface CellPair {
  kind: 'pair';
  o: FlatBlock;
  n: FlatBlock;
  oHeader: boolean;
  nHeader: boolean;
  segs: Seg[] | null;
}

type CellStep = CellPair | { kind: 'insert' | 'delete'; cell: FlatCell };

type RowStep = { kind: 'pair'; cells: CellStep[] } | { kind: 'insert' | 'delete'; row: FlatRow };

export interface TablePlan {
  rows: RowStep[];
}

/** How the rows and cells of two tables correspond. */
export function planTable(o: FlatBlock, n: FlatBlock): TablePlan {
  const oldRows = o.table ?? [];
  const newRows = n.table ?? [];
  if (o === n) return { rows: oldRows.map((row) => ({ kind: 'pair', cells: pairCells(row, row) })) };
  const rows: RowStep[] = [];
  for (const step of alignBlocks(
    oldRows.map((r) => r.line),
    newRows.map((r) => r.line),
  )) {
    if (step.kind === 'insert') rows.push({ kind: 'insert', row: newRows[step.n]! });
    else if (step.kind === 'delete') rows.push({ kind: 'delete', row: oldRows[step.o]! });
    else {
      const a = oldRows[step.o]!;
      const b = newRows[step.n]!;
      const cells = pairCells(a, b);
      if (alike(a, b, cells)) rows.push({ kind: 'pair', cells });
      else rows.push({ kind: 'delete', row: a }, { kind: 'insert', row: b });
    }
  }
  return { rows };
}

/** Cells of two kept rows: by column when they have as many, else aligned by content. */
function pairCells(a: FlatRow, b: FlatRow): CellStep[] {
  const pair = (x: FlatCell, y: FlatCell): CellPair => ({
    kind: 'pair',
    o: x.block,
    n: y.block,
    oHeader: x.header,
    nHeader: y.header,
    segs: x.block.text === y.block.text ? null : alignWords(x.block, y.block)!,
  });
  if (a.cells.length === b.cells.length) return a.cells.map((x, i) => pair(x, b.cells[i]!));
  return alignBlocks(
    a.cells.map((c) => c.block),
    b.cells.map((c) => c.block),
  ).map((step): CellStep => {
    if (step.kind === 'pair') return pair(a.cells[step.o]!, b.cells[step.n]!);
    return step.kind === 'insert' ? { kind: 'insert', cell: b.cells[step.n]! } : { kind: 'delete', cell: a.cells[step.o]! };
  });
}

function alike(a: FlatRow, b: FlatRow, cells: readonly CellStep[]): boolean {
  // An unchanged row (the usual case) is never tokenized.
  if (a.line.text === b.line.text) return true;
  const total = wordsOf(a.line).count + wordsOf(b.line).count;
  if (total === 0) return true;
  let equal = 0;
  for (const c of cells) if (c.kind === 'pair') equal += c.segs ? equalWords(c.segs) : wordsOf(c.o).count;
  return (2 * equal) / total >= ROW_SIMILARITY;
}

/** The cell pairs whose words changed: what the section's clean-up may regroup. */
export function changedCells(plan: TablePlan): (CellPair & { segs: Seg[] })[] {
  const out: (CellPair & { segs: Seg[] })[] = [];
  for (const row of plan.rows) if (row.kind === 'pair') for (const c of row.cells) if (c.kind === 'pair' && c.segs) out.push(c as CellPair & { segs: Seg[] });
  return out;
}

/** Words the plan marks before any clean-up. */
export function planMarkedWords(plan: TablePlan): number {
  let n = 0;
  for (const row of plan.rows) {
    if (row.kind !== 'pair') n += wordsOf(row.row.line).count;
    else for (const c of row.cells) n += c.kind === 'pair' ? (c.segs ? markedWords(c.segs) : 0) : wordsOf(c.cell.block).count;
  }
  return n;
}

/** The redline block of two tables compared; adds its words and changes to `stats`. */
export function tableBlock(plan: TablePlan, shape: BlockShape, stats: SectionStats): RedlineBlock {
  const rows = plan.rows.map((step): RedlineRow => {
    if (step.kind !== 'pair') return wholeRow(step.row, step.kind, stats);
    const cells = step.cells.map((c): RedlineCell => (c.kind === 'pair' ? pairCell(c, stats) : wholeCell(c.cell, c.kind, stats)));
    return { status: cells.some((c) => c.status !== 'unchanged') ? 'changed' : 'unchanged', cells };
  });
  const block = withRows(shape, rows);
  if (block.status === 'changed') stats.blocksChanged++;
  const formatChanges = rows.reduce((n, r) => r.cells.reduce((m, c) => m + (c.formatChanges ?? 0), n), 0);
  if (formatChanges) {
    block.formatChanges = formatChanges;
    stats.formatChanges += formatChanges;
  }
  return block;
}

/** The rows of a table that is on one side only (every row and cell inserted or deleted); words are counted by the caller. */
export function wholeTableRows(table: FlatBlock, kind: 'insert' | 'delete'): RedlineRow[] {
  return (table.table ?? []).map((row) => wholeRow(row, kind, null));
}

/** A block of the given shape holding these rows, its ops the cells' ops in reading order. */
function withRows(shape: BlockShape, rows: RedlineRow[]): RedlineBlock {
  const block: RedlineBlock = { type: 'table', status: rows.some((r) => r.status !== 'unchanged') ? 'changed' : 'unchanged', ops: [], rows };
  if (shape.depth !== undefined) block.depth = shape.depth;
  if (shape.quote !== undefined) block.quote = shape.quote;
  const ops: RedlineOp[] = [];
  for (const row of rows) {
    for (const cell of row.cells) {
      // Cells are a line apart, so the last word of one never runs into the first of the next.
      if (ops.length && cell.ops.length) ops.push({ op: 'equal', text: '\n' });
      ops.push(...cell.ops);
    }
  }
  block.ops = ops;
  return block;
}

const STATUS = { insert: 'inserted', delete: 'deleted' } as const;

function wholeRow(row: FlatRow, kind: 'insert' | 'delete', stats: SectionStats | null): RedlineRow {
  return { status: STATUS[kind], cells: row.cells.map((c) => wholeCell(c, kind, stats)) };
}

function wholeCell(cell: FlatCell, kind: 'insert' | 'delete', stats: SectionStats | null): RedlineCell {
  const out: RedlineCell = { status: STATUS[kind], ops: wholeBlockOps(kind, cell.block) };
  if (cell.header) out.header = true;
  if (stats) {
    if (kind === 'insert') stats.wordsInserted += countWords(cell.block.text);
    else stats.wordsDeleted += countWords(cell.block.text);
  }
  return out;
}

function pairCell(c: CellPair, stats: SectionStats): RedlineCell {
  const { o, n } = c;
  const cell: RedlineCell = { status: 'unchanged', ops: [] };
  if (c.nHeader) cell.header = true;
  if (!c.segs && o.marksKey === n.marksKey) {
    if (n.text) cell.ops = [n.segments ? { op: 'equal', text: n.text, runs: n.segments.map((s) => ({ text: n.text.slice(s.start, s.end), marks: s.marks })) } : { op: 'equal', text: n.text }];
    stats.wordsUnchanged += countWords(n.text);
  } else {
    const words = wordsOf(n).count;
    const segs = c.segs ?? (words ? [{ eq: true, o0: 0, o1: words, n0: 0, n1: words }] : []);
    const result = segmentsToOps(o, n, segs);
    cell.ops = result.ops;
    if (result.formatChanges) cell.formatChanges = result.formatChanges;
    for (const s of segs) {
      if (s.eq) stats.wordsUnchanged += s.o1 - s.o0;
      else {
        stats.wordsInserted += s.n1 - s.n0;
        stats.wordsDeleted += s.o1 - s.o0;
      }
    }
    if (cell.ops.some((op) => op.op !== 'equal') || result.formatChanges) cell.status = 'changed';
  }
  if (c.oHeader !== c.nHeader) {
    cell.fromHeader = c.oHeader;
    cell.formatChanges = (cell.formatChanges ?? 0) + 1;
    cell.status = 'changed';
  }
  return cell;
}
