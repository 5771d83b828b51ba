// Who wrote what: the text of each section of a Y.XmlFragment as runs, each
// run written by one Yjs client, and those clients resolved to the accounts
// the server recorded as their owners. Works on a live Y.Doc or on one built
// from a version's stored Yjs state. Pure and isomorphic: never writes to the
// Y.Doc, no I/O.
import * as Y from 'yjs';
import type { StakeholderGroup } from './api';
import type { PMJSON } from './schema';

/** A stretch of one section's text written by one client in one go (null: no client, the separator between blocks). */
export interface ClientRun {
  text: string;
  client: number | null;
  /** The Yjs clock of its first character (the run's clocks are consecutive); -1 for a separator. */
  clock: number;
}

export interface ClientSection {
  id: string;
  /** The text of the section's heading. */
  title: string;
  runs: ClientRun[];
}

/** What the attribution shows of an author (the contract's `author`). */
export interface AttributionAuthor {
  id: string;
  name: string;
  organization: string;
  stakeholderGroup: StakeholderGroup;
}

/** An account owning a client id, and when it was claimed (the first update of that client). */
export interface ClientAuthorship {
  author: AttributionAuthor;
  at: string;
  /** Why the server wrote under this client (an accepted amendment), if it did. */
  note?: string | null;
}

export interface AttributedRun {
  text: string;
  author: AttributionAuthor | null;
  /** When the author's client first wrote in the document (the nearest time known for this text). */
  at?: string;
  note?: string;
}

export interface AttributedSection {
  id: string;
  title: string;
  runs: AttributedRun[];
}

export interface ContributionShares {
  byGroup: Record<string, number>;
  byOrganization: Record<string, number>;
}

export interface Attribution {
  sections: AttributedSection[];
  shares: ContributionShares;
}

/** The separator between two blocks of a section, in a section's text. */
export const BLOCK_SEPARATOR = '\n';

/** Each section's text as client runs, in document order. Sections without an id are left out. */
export function clientRuns(fragment: Y.XmlFragment): ClientSection[] {
  const out: ClientSection[] = [];
  for (const child of fragment.toArray()) {
    if (!(child instanceof Y.XmlElement) || child.nodeName !== 'section') continue;
    const id = child.getAttribute('id');
    if (typeof id !== 'string') continue;
    const blocks: ClientRun[][] = [];
    collectBlocks(child, blocks);
    const runs: ClientRun[] = [];
    // A block whose text is all deleted is an empty paragraph: no text, no separator (as `unattributed` reads it).
    const written = blocks.filter((block) => block.length > 0);
    written.forEach((block, i) => {
      if (i > 0) runs.push({ text: BLOCK_SEPARATOR, client: null, clock: -1 });
      for (const r of block) pushRun(runs, r.text, r.client, r.clock);
    });
    out.push({ id, title: written[0]?.map((r) => r.text).join('') ?? '', runs });
  }
  return out;
}

/** Every element that directly holds text is a block; its texts (one or more Y.XmlText) become one block's runs. */
function collectBlocks(element: Y.XmlElement, blocks: ClientRun[][]): void {
  let current: ClientRun[] | null = null;
  for (const child of element.toArray()) {
    if (child instanceof Y.XmlText) {
      if (current === null) blocks.push((current = []));
      textRuns(child, current);
    } else if (child instanceof Y.XmlElement) {
      if (current !== null && child.length === 0) continue; // an inline leaf (image, hard break): no text of its own
      current = null;
      collectBlocks(child, blocks);
    }
  }
}

/** The visible strings of a Y.XmlText item by item: each item was written by one client. */
function textRuns(text: Y.XmlText, out: ClientRun[]): void {
  let item = text._start;
  while (item !== null) {
    if (!item.deleted && item.content instanceof Y.ContentString) pushRun(out, item.content.str, item.id.client, item.id.clock);
    item = item.right;
  }
}

function pushRun(runs: ClientRun[], text: string, client: number | null, clock: number): void {
  if (text.length === 0) return;
  const last = runs[runs.length - 1];
  if (last !== undefined && client !== null && last.client === client && last.clock + last.text.length === clock) last.text += text;
  else runs.push({ text, client, clock });
}

/**
 * Resolves client runs to authors; runs of one author next to each other are
 * merged. A client with no recorded owner (text imported before attribution
 * existed) has no author.
 */
export function attribute(sections: readonly ClientSection[], owners: ReadonlyMap<number, ClientAuthorship>): Attribution {
  const out: AttributedSection[] = [];
  for (const s of sections) {
    const runs: AttributedRun[] = [];
    let lastKey: string | null = null;
    for (const r of s.runs) {
      const who = r.client === null ? undefined : owners.get(r.client);
      // Separators join the run around them when both sides are one author: runs follow authors, not blocks.
      const key = r.client === null ? null : who ? `${who.author.id}\u0000${who.note ?? ''}` : '';
      const last = runs[runs.length - 1];
      if (last !== undefined && (key === null || key === lastKey)) {
        last.text += r.text;
        continue;
      }
      const run: AttributedRun = { text: r.text, author: who?.author ?? null };
      if (who) run.at = who.at;
      if (who?.note) run.note = who.note;
      runs.push(run);
      lastKey = key;
    }
    out.push({ id: s.id, title: s.title, runs });
  }
  return { sections: out, shares: sharesOf(out) };
}

/** Words by stakeholder group and by organisation; a word counts for the author of its first character. */
export function sharesOf(sections: readonly AttributedSection[]): ContributionShares {
  const byGroup: Record<string, number> = {};
  const byOrganization: Record<string, number> = {};
  for (const s of sections) {
    for (const [author, words] of wordsByAuthor(s.runs)) {
      if (author === null) continue;
      byGroup[author.stakeholderGroup] = (byGroup[author.stakeholderGroup] ?? 0) + words;
      byOrganization[author.organization] = (byOrganization[author.organization] ?? 0) + words;
    }
  }
  return { byGroup, byOrganization };
}

/** How many words each author (null: unattributed) began in these runs. */
export function wordsByAuthor(runs: readonly AttributedRun[]): Map<AttributionAuthor | null, number> {
  const counts = new Map<AttributionAuthor | null, number>();
  let inWord = false;
  for (const r of runs) {
    let n = 0;
    const t = r.text;
    for (let i = 0; i < t.length; i++) {
      const space = isSpace(t.charCodeAt(i));
      if (!space && !inWord) n++;
      inWord = !space;
    }
    if (n > 0) counts.set(r.author, (counts.get(r.author) ?? 0) + n);
  }
  return counts;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13 || c === 12 || c === 0xa0 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x3000 || c === 0x202f || c === 0x205f || c === 0x1680;
}

/** Attribution of a Yjs state (a version's, or any other), on a throwaway Y.Doc. */
export function attributeState(state: Uint8Array, owners: ReadonlyMap<number, ClientAuthorship>, field = 'content'): Attribution {
  const doc = new Y.Doc({ gc: false });
  try {
    Y.applyUpdate(doc, state);
    return attribute(clientRuns(doc.getXmlFragment(field)), owners);
  } finally {
    doc.destroy();
  }
}

/** The same attribution with names left out: each run keeps its text, authors are hidden; shares by group only. */
export function withoutNames(a: Attribution): Attribution {
  return {
    sections: a.sections.map((s) => ({ id: s.id, title: s.title, runs: mergeAll(s.runs) })),
    shares: { byGroup: a.shares.byGroup, byOrganization: {} },
  };
}

function mergeAll(runs: readonly AttributedRun[]): AttributedRun[] {
  const text = runs.map((r) => r.text).join('');
  return text.length === 0 ? [] : [{ text, author: null }];
}

/**
 * A text known only as ProseMirror JSON (a version frozen before its Yjs
 * state was kept, an imported draft): the same sections and text as
 * `clientRuns` reads from Yjs, written by nobody known.
 */
export function unattributed(doc: PMJSON): Attribution {
  const sections: AttributedSection[] = [];
  for (const section of doc.content ?? []) {
    if (section.type !== 'section' || typeof section.attrs?.id !== 'string') continue;
    const blocks: string[] = [];
    collectTextblocks(section, blocks);
    const text = blocks.join(BLOCK_SEPARATOR);
    sections.push({ id: section.attrs.id, title: blocks[0] ?? '', runs: text.length > 0 ? [{ text, author: null }] : [] });
  }
  return { sections, shares: { byGroup: {}, byOrganization: {} } };
}

function collectTextblocks(node: PMJSON, out: string[]): void {
  const children = node.content ?? [];
  if (children.some((c) => c.type === 'text')) {
    const text = children.map((c) => (c.type === 'text' ? (c.text ?? '') : '')).join('');
    if (text.length > 0) out.push(text);
    return;
  }
  for (const c of children) collectTextblocks(c, out);
}

/** Items `client`:[clock, clock + len) deleted by `by` at `at` (recorded by the server as the deletion arrived). */
export interface DeletedRange {
  client: number;
  clock: number;
  len: number;
  by: AttributionAuthor;
  at: string;
}

/** A word of a text, who wrote it (its first character) and, when it was later deleted, who deleted it. */
export interface WordOrigin {
  word: string;
  author: AttributionAuthor | null;
  /** When its author's client began writing. */
  at?: string;
  deletedBy?: AttributionAuthor;
  deletedAt?: string;
}

export interface SectionWords {
  id: string;
  words: WordOrigin[];
}

/** Each section's words with their authors and, where recorded, who deleted them since. */
export function sectionWords(sections: readonly ClientSection[], owners: ReadonlyMap<number, ClientAuthorship>, deletions: readonly DeletedRange[] = []): SectionWords[] {
  const byClient = new Map<number, DeletedRange[]>();
  for (const d of deletions) {
    let list = byClient.get(d.client);
    if (!list) byClient.set(d.client, (list = []));
    list.push(d);
  }
  // Sorted by clock for a binary search; the first recorded deleter of an item wins (a stable sort keeps record order).
  for (const list of byClient.values()) list.sort((a, b) => a.clock - b.clock);
  const deleterOf = (client: number, clock: number): DeletedRange | undefined => {
    const list = byClient.get(client);
    if (!list) return undefined;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.clock <= clock) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0 && i >= lo - 8; i--) if (list[i]!.clock <= clock && clock < list[i]!.clock + list[i]!.len) return list[i];
    return undefined;
  };
  return sections.map((s) => {
    const words: WordOrigin[] = [];
    let current: WordOrigin | null = null;
    for (const r of s.runs) {
      const t = r.text;
      for (let i = 0; i < t.length; i++) {
        if (isSpace(t.charCodeAt(i))) {
          current = null;
          continue;
        }
        if (current === null) {
          const who = r.client === null ? undefined : owners.get(r.client);
          current = { word: '', author: who?.author ?? null };
          if (who) current.at = who.at;
          const gone = r.client === null ? undefined : deleterOf(r.client, r.clock + i);
          if (gone) {
            current.deletedBy = gone.by;
            current.deletedAt = gone.at;
          }
          words.push(current);
        }
        current.word += t[i];
      }
    }
    return { id: s.id, words };
  });
}

/** `sectionWords` of a Yjs state. */
export function wordsOfState(state: Uint8Array, owners: ReadonlyMap<number, ClientAuthorship>, deletions: readonly DeletedRange[] = [], field = 'content'): SectionWords[] {
  const doc = new Y.Doc({ gc: false });
  try {
    Y.applyUpdate(doc, state);
    return sectionWords(clientRuns(doc.getXmlFragment(field)), owners, deletions);
  } finally {
    doc.destroy();
  }
}
