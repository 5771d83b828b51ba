// Section matching: sections are the same section when their ids are equal.
// Common sections keep the order of the `to` side; those outside the longest
// run in common order are `moved`. A removed section is listed right after the
// section that preceded it in the `from` version, so the redline reads in order.
import { diffArrays } from 'diff';
import type { FlatSection } from './blocks';

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

export function matchSections(from: readonly FlatSection[], to: readonly FlatSection[]): SectionMatch[] {
  const fromKeys = keysOf(from);
  const toKeys = keysOf(to);
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
