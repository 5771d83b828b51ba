// The text side of amendments, as pure string functions shared by server and
// client: where a quote occurs in a section, what part of it a proposal really
// changes, and how to apply that change so edits typed right next to the quote
// stay outside it. Knows nothing of Yjs, ProseMirror or storage.
//
// A section's text is a list of runs: the text of each paragraph or heading
// (list items and quotes included), split at hard line breaks, in document
// order. A quote lies within one run; `occurrence` counts every match in the
// section, overlapping ones included, in that order.

export interface QuoteLocation {
  run: number;
  offset: number;
}

/** Every place `quote` occurs, in document order (overlapping matches count). */
export function findOccurrences(runs: readonly string[], quote: string): QuoteLocation[] {
  const out: QuoteLocation[] = [];
  if (quote === '') return out;
  runs.forEach((text, run) => {
    for (let i = text.indexOf(quote); i !== -1; i = text.indexOf(quote, i + 1)) out.push({ run, offset: i });
  });
  return out;
}

/** The `occurrence`-th (1-based) place of `quote`, or null when there are fewer. */
export function locateQuote(runs: readonly string[], quote: string, occurrence = 1): QuoteLocation | null {
  return findOccurrences(runs, quote)[occurrence - 1] ?? null;
}

/** Which occurrence (1-based) of `quote` starts at `run`/`offset`; null when none starts there. */
export function occurrenceAt(runs: readonly string[], quote: string, run: number, offset: number): number | null {
  const index = findOccurrences(runs, quote).findIndex((o) => o.run === run && o.offset === offset);
  return index === -1 ? null : index + 1;
}

export function amendmentKind(quote: string, proposed: string): 'replace' | 'delete' | 'insert' {
  if (proposed === '') return 'delete';
  if (proposed.length > quote.length && proposed.includes(quote)) return 'insert';
  return 'replace';
}

const WORD = /[\p{L}\p{N}_]/u;
const isWordChar = (ch: string | undefined): boolean => ch !== undefined && WORD.test(ch);
function isLowSurrogate(s: string, i: number): boolean {
  const code = s.charCodeAt(i);
  return i > 0 && code >= 0xdc00 && code <= 0xdfff;
}
/** A cut between two word characters (or inside a surrogate pair) would split a word. */
function isBoundary(s: string, i: number): boolean {
  if (i <= 0 || i >= s.length) return true;
  if (isLowSurrogate(s, i)) return false;
  return !(isWordChar(s[i - 1]) && isWordChar(s[i]));
}

export interface TextEdges {
  /** Length of the unchanged start (cut at a word boundary). */
  prefix: number;
  /** Length of the unchanged end (cut at a word boundary). */
  suffix: number;
  /** Characters of the quote the proposal removes (quote.length - prefix - suffix). */
  changed: number;
}

/** The unchanged start and end of a proposal, widened to whole words so redlines read naturally. */
export function textEdges(quote: string, proposed: string): TextEdges {
  const max = Math.min(quote.length, proposed.length);
  let prefix = 0;
  while (prefix < max && quote[prefix] === proposed[prefix]) prefix++;
  while (prefix > 0 && !(isBoundary(quote, prefix) && isBoundary(proposed, prefix))) prefix--;
  let suffix = 0;
  while (suffix < max - prefix && quote[quote.length - 1 - suffix] === proposed[proposed.length - 1 - suffix]) suffix++;
  while (suffix > 0 && !(isBoundary(quote, quote.length - suffix) && isBoundary(proposed, proposed.length - suffix))) suffix--;
  return { prefix, suffix, changed: quote.length - prefix - suffix };
}

/** The redline of one proposal: unchanged start, removed middle, inserted middle, unchanged end. */
export function redlineParts(quote: string, proposed: string): { before: string; removed: string; inserted: string; after: string } {
  const { prefix, suffix } = textEdges(quote, proposed);
  return {
    before: quote.slice(0, prefix),
    removed: quote.slice(prefix, quote.length - suffix),
    inserted: proposed.slice(prefix, proposed.length - suffix),
    after: quote.slice(quote.length - suffix),
  };
}

/**
 * How to turn the quote into the proposal in place, as offsets from the quote's
 * start: insert `insert` at `at`, then delete `deleteBefore` characters just
 * before it and `deleteAfter` just after it. `at` lies strictly inside the
 * quote whenever the quote has two characters (code points) or more, so the inserted text is
 * anchored to quoted characters: text others type concurrently just before or
 * just after the quote can never end up inside the replacement, nor the
 * replacement outside the quote's place. `styleFrom` is the quote offset whose
 * formatting the inserted text takes (the first character it replaces).
 */
export interface ReplacementPlan {
  at: number;
  insert: string;
  deleteBefore: number;
  deleteAfter: number;
  styleFrom: number;
}

export function replacementPlan(quote: string, proposed: string): ReplacementPlan {
  const n = quote.length;
  const { prefix, suffix } = textEdges(quote, proposed);
  let start = prefix;
  let end = n - suffix;
  let insert = proposed.slice(prefix, proposed.length - suffix);
  let at = n >= 2 ? Math.min(Math.max(start, 1), n - 1) : start;
  // Never between the two halves of a surrogate pair (an emoji, say).
  if (isLowSurrogate(quote, at)) at = at + 1 <= n - 1 ? at + 1 : at - 1;
  // Widen the replaced span to reach `at`, re-typing the quoted characters it takes in.
  if (at < start) {
    insert = quote.slice(at, start) + insert;
    start = at;
  }
  if (at > end) {
    insert = insert + quote.slice(end, at);
    end = at;
  }
  return { at, insert, deleteBefore: at - start, deleteAfter: end - at, styleFrom: start < end ? start : Math.max(0, at - 1) };
}

/** Applies a plan to a plain string holding the quote at `index` (the reference for the Yjs version). */
export function applyPlan(text: string, index: number, plan: ReplacementPlan): string {
  const at = index + plan.at;
  return text.slice(0, at - plan.deleteBefore) + plan.insert + text.slice(at + plan.deleteAfter);
}
