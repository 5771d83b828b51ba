// The server's hand on the text for amendments: finding a quote to anchor a
// proposal, and writing an accepted proposal into the live Y.Doc. Callers run
// `applyReplacement` on a copy of the live document, so the change is one update,
// attributed to the server, stored and relayed like any other.
import * as Y from 'yjs';
import { findSection, plainText, sectionRuns } from '../../core/amendment-anchors';
import { findOccurrences, replacementPlan } from '../../core/amendment-text';

export type QuoteSearch =
  | { found: true; text: Y.XmlText; index: number }
  | { found: false; reason: 'no-section' | 'not-found' | 'too-few'; occurrences: number };

/** The `occurrence`-th place of `quote` in the section's text runs (core/amendment-text.ts). */
export function searchQuote(doc: Y.Doc, sectionId: string, quote: string, occurrence = 1): QuoteSearch {
  const section = findSection(doc, sectionId);
  if (!section) return { found: false, reason: 'no-section', occurrences: 0 };
  const runs = sectionRuns(section);
  const all = findOccurrences(runs.map(plainText), quote);
  const hit = all[occurrence - 1];
  if (!hit) return { found: false, reason: all.length === 0 ? 'not-found' : 'too-few', occurrences: all.length };
  return { found: true, text: runs[hit.run]!, index: hit.offset };
}

/** Formatting in force at character `offset` (marks become Y.XmlText attributes in y-prosemirror). */
function attributesAt(text: Y.XmlText, offset: number): Record<string, unknown> {
  let position = 0;
  for (const op of text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
    const length = typeof op.insert === 'string' ? op.insert.length : 1;
    if (offset < position + length) return { ...(op.attributes ?? {}) };
    position += length;
  }
  return {};
}

/**
 * Replaces the quote at `index` by `proposed`, changing only what differs and
 * inserting from inside the quote (see replacementPlan), so text typed at its
 * edges by others, before or concurrently, stays where its author put it.
 */
export function applyReplacement(text: Y.XmlText, index: number, quote: string, proposed: string): void {
  const plan = replacementPlan(quote, proposed);
  const at = index + plan.at;
  if (plan.insert) text.insert(at, plan.insert, attributesAt(text, index + plan.styleFrom));
  if (plan.deleteBefore) text.delete(at - plan.deleteBefore, plan.deleteBefore);
  if (plan.deleteAfter) text.delete(at - plan.deleteBefore + plan.insert.length, plan.deleteAfter);
}
