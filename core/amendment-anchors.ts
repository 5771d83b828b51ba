// Where an amendment sits in the live Y.Doc: its quote is anchored by two Yjs
// relative positions, so it follows every concurrent edit around it. Reading
// only (server and client resolve the same way); the server alone writes the
// text (server/amendments/anchors.ts). Pure: no I/O, no DOM.
//
// The start is tied to the first quoted character (assoc 0) and the end to the
// last one (assoc -1): text typed right before or right after the quote stays
// outside it, and once the quote is replaced the anchors span the replacement.
import * as Y from 'yjs';
import { CONTENT_FIELD } from './schema';

/** The `section` element with that id, or null. */
export function findSection(doc: Y.Doc, sectionId: string): Y.XmlElement | null {
  for (const child of doc.getXmlFragment(CONTENT_FIELD).toArray()) {
    if (child instanceof Y.XmlElement && child.nodeName === 'section' && child.getAttribute('id') === sectionId) return child;
  }
  return null;
}

/** The section's text runs in document order (see core/amendment-text.ts): every Y.XmlText inside it. */
export function sectionRuns(section: Y.XmlElement): Y.XmlText[] {
  const out: Y.XmlText[] = [];
  const visit = (element: Y.XmlElement): void => {
    for (const child of element.toArray()) {
      if (child instanceof Y.XmlText) out.push(child);
      else if (child instanceof Y.XmlElement) visit(child);
    }
  };
  visit(section);
  return out;
}

/** The characters of a Y.XmlText without its formatting (embeds read as U+FFFC). */
export function plainText(text: Y.XmlText): string {
  let out = '';
  for (let item = text._start; item !== null; item = item.right) {
    if (item.deleted || !item.countable) continue;
    out += item.content instanceof Y.ContentString ? item.content.str : '\ufffc'.repeat(item.length);
  }
  return out;
}

/** True when the type or any element around it has been deleted. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function isRemoved(type: Y.AbstractType<any>): boolean {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  for (let item = type._item; item !== null; item = (item.parent as Y.AbstractType<any>)._item) {
    if (item.deleted) return true;
  }
  return false;
}

export interface QuoteAnchor {
  start: Y.RelativePosition;
  end: Y.RelativePosition;
}

/** Anchors the `length` characters at `index` of `text`. */
export function anchorQuote(text: Y.XmlText, index: number, length: number): QuoteAnchor {
  return {
    start: Y.createRelativePositionFromTypeIndex(text, index, 0),
    end: Y.createRelativePositionFromTypeIndex(text, index + length, -1),
  };
}

export function encodeAnchor(anchor: QuoteAnchor): { start: Uint8Array; end: Uint8Array } {
  return { start: Y.encodeRelativePosition(anchor.start), end: Y.encodeRelativePosition(anchor.end) };
}

export function decodeAnchor(encoded: { start: Uint8Array; end: Uint8Array }): QuoteAnchor {
  return { start: Y.decodeRelativePosition(encoded.start), end: Y.decodeRelativePosition(encoded.end) };
}

export type AnchorReading =
  /** The anchored passage: `current` is what it reads now, at `index` in `text`. */
  | { present: true; text: Y.XmlText; index: number; length: number; current: string }
  /** Its paragraph was deleted, or its two ends no longer lie in one run of text. */
  | { present: false };

/** Resolves an anchor against the live document. */
export function readAnchor(doc: Y.Doc, anchor: QuoteAnchor): AnchorReading {
  const start = Y.createAbsolutePositionFromRelativePosition(anchor.start, doc);
  const end = Y.createAbsolutePositionFromRelativePosition(anchor.end, doc);
  if (!start || !end || start.type !== end.type || !(start.type instanceof Y.XmlText) || isRemoved(start.type)) return { present: false };
  const text = start.type;
  const length = Math.max(0, end.index - start.index);
  const current = length === 0 ? '' : plainText(text).slice(start.index, start.index + length);
  return { present: true, text, index: start.index, length, current };
}

/** Human words for a quote that no longer reads as proposed (the 409 message and the panel). */
export function describeChange(quote: string, reading: AnchorReading): string | null {
  if (reading.present && reading.current === quote) return null;
  if (!reading.present || reading.current === '') return `the quoted text "${clip(quote)}" was deleted`;
  return `the quoted text "${clip(quote)}" now reads "${clip(reading.current)}"`;
}

function clip(text: string, max = 200): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
