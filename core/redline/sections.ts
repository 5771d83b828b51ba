// Section matching: sections are the same section when their ids are equal,
// or, when ids are only heading slugs (no `{#id}`), when their bodies match.
// Common sections keep the order of the `to` side; those outside the longest
// run in common order are `moved`. A removed section is listed right after the
// section that preceded it in the `from` version, so the redline reads in order.
import { diffArrays } from 'diff';
import { slugify } from '../schema';
import { sharedWords } from './align';
import type { FlatSection } from './blocks';
import { tokenizeWords, type WordTokens } from './tokens';

export interface SectionMatch {
  id: string;
  from: FlatSection | null;
  to: FlatSection | null;
  fromIndex: number | null;
  toIndex: number | null;
  moved: boolean;
}

/** Ids made unique per side (a repeated id gets `#2`, `#3`...), so a malformed document still diffs. */
function keysOf(sections: readonly FlatSection[]): string[] {
  const count = new Map<string, number>();
  return sections.map((s) => {
    const n = (count.get(s.id) ?? 0) + 1;
    count.set(s.id, n);
    return n === 1 ? s.id : `${s.id}#${n}`;
  });
}

/** Two sections whose bodies share this much of their words (bag of words) are one section renamed. */
const RENAME_SIMILARITY = 0.5;

/** Whether a section's id is only its heading's slug (the Markdown gave no `{#id}`), so a new title gives a new id. */
function idFromTitle(s: FlatSection): boolean {
  const slug = slugify(s.title);
  return s.id === slug.slice(0, 60) || (s.id.startsWith(slug.slice(0, 56)) && /-\d+$/.test(s.id));
}

function bodyTokens(s: FlatSection): WordTokens {
  return tokenizeWords(s.blocks.filter((b) => !b.sectionHeading).map((b) => b.text).join('\n'));
}

/**
 * Sections renamed without a `{#id}`: each section on one side only whose id
 * is its heading's slug is matched to the most similar such section on the
 * other side (by the words of their bodies), which then takes its key.
 */
function matchRenamed(from: readonly FlatSection[], to: readonly FlatSection[], fromKeys: string[], toKeys: string[]): void {
  const toSet = new Set(toKeys);
  const fromSet = new Set(fromKeys);
  const olds = from.map((s, i) => i).filter((i) => !toSet.has(fromKeys[i]!) && idFromTitle(from[i]!));
  const news = to.map((s, j) => j).filter((j) => !fromSet.has(toKeys[j]!) && idFromTitle(to[j]!));
  if (!olds.length || !news.length || olds.length * news.length > 10_000) return;
  const oldTokens = olds.map((i) => bodyTokens(from[i]!));
  const newTokens = news.map((j) => bodyTokens(to[j]!));
  const candidates: { i: number; j: number; score: number }[] = [];
  olds.forEach((i, a) =>
    news.forEach((j, b) => {
      const total = oldTokens[a]!.count + newTokens[b]!.count;
      const score = total === 0 ? 0 : (2 * sharedWords(oldTokens[a]!, newTokens[b]!)) / total;
      if (score >= RENAME_SIMILARITY) candidates.push({ i, j, score });
    }),
  );
  candidates.sort((x, y) => y.score - x.score);
  const usedFrom = new Set<number>();
  const usedTo = new Set<number>();
  for (const c of candidates) {
    if (usedFrom.has(c.i) || usedTo.has(c.j)) continue;
    usedFrom.add(c.i);
    usedTo.add(c.j);
    fromKeys[c.i] = toKeys[c.j]!;
  }
}

export function matchSections(from: readonly FlatSection[], to: readonly FlatSection[]): SectionMatch[] {
  const fromKeys = keysOf(from);
  const toKeys = keysOf(to);
  if (from !== to) matchRenamed(from, to, fromKeys, toKeys);
  const fromPos = new Map(fromKeys.map((k, i) => [k, i]));
  const toPos = new Map(toKeys.map((k, i) => [k, i]));

  // Common sections in each order; those off the longest common order moved.
  const commonFrom = fromKeys.filter((k) => toPos.has(k));
  const commonTo = toKeys.filter((k) => fromPos.has(k));
  const moved = new Set<string>();
  const sameOrder = commonFrom.length === commonTo.length && commonFrom.every((k, i) => k === commonTo[i]);
  if (!sameOrder) for (const c of diffArrays(commonFrom, commonTo)) if (c.added) for (const k of c.value) moved.add(k);

  // Removed sections follow the nearest earlier section of `from` that survives.
  const after = new Map<string, number[]>();
  const leading: number[] = [];
  let anchor: string | null = null;
  fromKeys.forEach((k, idx) => {
    if (toPos.has(k)) {
      anchor = k;
      return;
    }
    if (anchor === null) leading.push(idx);
    else {
      const list = after.get(anchor);
      if (list) list.push(idx);
      else after.set(anchor, [idx]);
    }
  });

  const removed = (idx: number): SectionMatch => ({ id: from[idx]!.id, from: from[idx]!, to: null, fromIndex: idx, toIndex: null, moved: false });
  const out: SectionMatch[] = leading.map(removed);
  toKeys.forEach((k, idx) => {
    const f = fromPos.get(k);
    out.push({
      id: to[idx]!.id,
      from: f === undefined ? null : from[f]!,
      to: to[idx]!,
      fromIndex: f ?? null,
      toIndex: idx,
      moved: moved.has(k),
    });
    for (const r of after.get(k) ?? []) out.push(removed(r));
  });
  return out;
}
