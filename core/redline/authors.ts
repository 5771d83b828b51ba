// Authors on a redline: an annotation layer over the engine's result, never
// part of the comparison. Each inserted op names who wrote its words in the
// new text, each deleted op who wrote them in the old one and, where the
// server recorded it, who deleted them. The redline's
// word property (equal+insert words of a section are the new text's words,
// equal+delete the old one's) lets the op words be aligned with the words of
// the attribution of the same section (core/attribution.ts), word by word.
// Pure: no I/O.
import type { AttributionAuthor, SectionWords, WordOrigin } from '../attribution';
import { sliceRuns } from './joins';
import { myers } from './myers';
import type { Redline, RedlineAuthor, RedlineOp, RedlineRun } from './types';

/** What the annotation needs of a side: each section's words with who wrote them (core/attribution.ts sectionWords). */
export interface AuthoredText {
  sections: readonly SectionWords[];
}

/**
 * Adds `authors` to the insert ops (from `to`) and the delete ops (from
 * `from`) of `r`, in place; returns `r`. A side without attribution (null)
 * leaves its ops as they are.
 */
export function annotateAuthors(r: Redline, from: AuthoredText | null, to: AuthoredText | null): Redline {
  const fromById = new Map(from?.sections.map((s) => [s.id, s.words]) ?? []);
  const toById = new Map(to?.sections.map((s) => [s.id, s.words]) ?? []);
  for (const section of r.sections) {
    // The section's ops in order, as one list; split ops are put back block by block.
    const ops = section.blocks.flatMap((b) => b.ops);
    const blockOf = new Map<RedlineOp, number>();
    section.blocks.forEach((b, i) => b.ops.forEach((op) => blockOf.set(op, i)));
    const toRuns = toById.get(section.id);
    if (toRuns) annotateSide(ops, 'insert', toRuns, blockOf);
    const fromRuns = fromById.get(section.id);
    if (fromRuns) annotateSide(ops, 'delete', fromRuns, blockOf);
    section.blocks.forEach((b) => (b.ops = []));
    for (const op of ops) section.blocks[blockOf.get(op)!]!.ops.push(op);
  }
  return r;
}

/** Aligns the words of one side of a section's ops (`kind` and equal ops) with the attributed words of that side. */
function annotateSide(ops: RedlineOp[], kind: 'insert' | 'delete', authored: readonly WordOrigin[], blockOf: Map<RedlineOp, number>): void {
  if (!ops.some((op) => op.op === kind)) return;
  const opWords: { word: string; op: RedlineOp; start: number }[] = [];
  for (const op of ops) {
    if (op.op !== 'equal' && op.op !== kind) continue;
    for (const m of op.text.matchAll(/\S+/g)) opWords.push({ word: m[0], op, start: m.index });
  }
  const segs = myers(opWords.length, authored.length, (i, j) => opWords[i]!.word === authored[j]!.word);
  if (!segs) return;
  // Each word of a `kind` op with its origin (null: unknown).
  const wordRuns = new Map<RedlineOp, { start: number; run: WordOrigin | null }[]>();
  const matched = new Map<number, WordOrigin>();
  for (const seg of segs) if (seg.eq) for (let k = 0; k < seg.o1 - seg.o0; k++) matched.set(seg.o0 + k, authored[seg.n0 + k]!);
  opWords.forEach((w, i) => {
    if (w.op.op !== kind) return;
    let list = wordRuns.get(w.op);
    if (!list) wordRuns.set(w.op, (list = []));
    list.push({ start: w.start, run: matched.get(i) ?? null });
  });
  for (const [op, words] of wordRuns) {
    const pieces = splitByAuthor(op, words, kind);
    if (pieces.length === 1) continue;
    // The op becomes one op per author in a row (cut before a word, so no word is split).
    const at = ops.indexOf(op);
    for (const piece of pieces) blockOf.set(piece, blockOf.get(op)!);
    ops.splice(at, 1, ...pieces);
  }
}

/** Inserted words are cut by who wrote them; deleted ones by who wrote and who deleted them. */
const keyOf = (w: WordOrigin | null, kind: 'insert' | 'delete'): string => `${w?.author?.id ?? ''}${kind === 'delete' ? `\u0000${w?.deletedBy?.id ?? ''}` : ''}`;

/** `op` cut where the author changes from one word to the next, each piece naming its author; `op` itself when one author wrote it all. */
function splitByAuthor(op: RedlineOp, words: readonly { start: number; run: WordOrigin | null }[], kind: 'insert' | 'delete'): RedlineOp[] {
  const cuts: { from: number; runs: (WordOrigin | null)[] }[] = [];
  for (const w of words) {
    const last = cuts[cuts.length - 1];
    if (last && keyOf(last.runs[0]!, kind) === keyOf(w.run, kind)) last.runs.push(w.run);
    else cuts.push({ from: cuts.length === 0 ? 0 : w.start, runs: [w.run] });
  }
  const name = (piece: RedlineOp, runs: readonly (WordOrigin | null)[]): RedlineOp => {
    const authors = peopleOf(runs.map((r) => (r?.author ? { who: r.author, at: r.at } : null)));
    if (authors.length > 0) piece.authors = authors;
    if (kind === 'delete') {
      const deleters = peopleOf(runs.map((r) => (r?.deletedBy ? { who: r.deletedBy, at: r.deletedAt } : null)));
      if (deleters.length > 0) piece.deletedBy = deleters;
    }
    return piece;
  };
  if (cuts.length <= 1) return [name(op, words.map((w) => w.run))];
  return cuts.map((cut, i) => {
    const end = i + 1 < cuts.length ? cuts[i + 1]!.from : op.text.length;
    const piece: RedlineOp = { op: op.op, text: op.text.slice(cut.from, end) };
    const runs = sliceRuns(op.runs, cut.from, end);
    if (runs) piece.runs = runs;
    if (op.moveId) piece.moveId = op.moveId;
    return name(piece, cut.runs);
  });
}

/** The distinct people, each with the latest time known among their words. */
function peopleOf(entries: readonly ({ who: AttributionAuthor; at: string | undefined } | null)[]): RedlineAuthor[] {
  const out = new Map<string, RedlineAuthor>();
  for (const e of entries) {
    if (!e) continue;
    const known = out.get(e.who.id);
    if (!known) out.set(e.who.id, { ...e.who, ...(e.at ? { at: e.at } : {}) });
    else if (e.at && (!known.at || e.at > known.at)) known.at = e.at;
  }
  return [...out.values()];
}


/** How an op's authors read in a document: "Name (Organisation)", joined. */
export function authorsLabel(authors: readonly RedlineAuthor[] | undefined): string | undefined {
  if (!authors || authors.length === 0) return undefined;
  return authors.map((a) => `${a.name} (${a.organization})`).join(', ');
}

/** The latest time known for an op's change. */
export function authorsTime(authors: readonly RedlineAuthor[] | undefined): string | undefined {
  let latest: string | undefined;
  for (const a of authors ?? []) if (a.at && (!latest || a.at > latest)) latest = a.at;
  return latest;
}
