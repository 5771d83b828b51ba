// What each contributor to a batch receives: everything the batch brought
// except what it sent itself. Pure; the room does the sending.
//
// The direct way (for each of k contributors, merge the other k - 1 updates)
// costs O(k²) update merges, about 13 ms a batch at k = 50 and 50 ms at
// k = 100: too much when a thousand people type. So beyond a few
// contributors they are split into about √k groups. Each group's updates are
// merged once; each group gets the merge of every other group (shared by its
// members); each contributor gets that plus the merge of its own group's
// other members. Two updates instead of one for a contributor, O(k√k) work.
import * as Y from 'yjs';

/** One update of a batch and where it came from (a connection, or anything else for server changes). */
export interface BatchPart {
  readonly update: Uint8Array;
  readonly origin: unknown;
}

/** Up to this many contributors, each gets one update merged directly from the others'. */
const DIRECT_LIMIT = 8;

/** Updates as one: none, the one as it is, or their merge. */
export const mergeOrNull = (updates: Uint8Array[]): Uint8Array | null =>
  updates.length === 0 ? null : updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);

/**
 * For each of `contributors`, the updates (one or two) that together hold
 * every part of the batch not sent by it; none when it alone sent everything.
 * Parts whose origin is not a contributor (server changes, a connection that
 * left) go to every contributor. The same Uint8Array may be shared by several
 * contributors, so a caller can encode it once.
 */
export function updatesForContributors(parts: readonly BatchPart[], contributors: ReadonlySet<unknown>): Map<unknown, Uint8Array[]> {
  const own = new Map<unknown, Uint8Array[]>();
  const rest: Uint8Array[] = [];
  for (const part of parts) {
    if (!contributors.has(part.origin)) {
      rest.push(part.update);
      continue;
    }
    const list = own.get(part.origin);
    if (list) list.push(part.update);
    else own.set(part.origin, [part.update]);
  }
  const result = new Map<unknown, Uint8Array[]>();
  const members = [...own.keys()];
  if (members.length <= DIRECT_LIMIT) {
    for (const member of members) {
      const others = [...rest];
      for (const [origin, updates] of own) if (origin !== member) others.push(...updates);
      const update = mergeOrNull(others);
      result.set(member, update ? [update] : []);
    }
    return result;
  }
  const groupCount = Math.ceil(Math.sqrt(members.length));
  const groups: unknown[][] = Array.from({ length: groupCount }, () => []);
  members.forEach((member, i) => groups[i % groupCount]!.push(member));
  const groupUpdates = groups.map((group) => mergeOrNull(group.flatMap((member) => own.get(member)!))!);
  groups.forEach((group, g) => {
    const outside = mergeOrNull([...rest, ...groupUpdates.filter((_, h) => h !== g)]);
    for (const member of group) {
      const inside = mergeOrNull(group.filter((m) => m !== member).flatMap((m) => own.get(m)!));
      const updates: Uint8Array[] = [];
      if (outside) updates.push(outside);
      if (inside) updates.push(inside);
      result.set(member, updates);
    }
  });
  return result;
}
