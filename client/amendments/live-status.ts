// An amendment's status as of the text on this screen: the server computes
// `outdated` when the list is fetched, but the text keeps moving between
// fetches, so open amendments are re-checked against the local Y.Doc.
import * as Y from 'yjs';
import { decodeAnchor, readAnchor, type QuoteAnchor } from '../../core/amendment-anchors';
import { decodeBase64 } from '../../core/tlog/base64';
import { CONTENT_FIELD } from '../../core/schema';
import type { Amendment } from '../api';

const anchors = new Map<string, QuoteAnchor>();

/** The decoded anchor of an amendment (decoded once, then cached). */
export function anchorOf(a: Amendment): QuoteAnchor {
  const key = `${a.anchor.start}|${a.anchor.end}`;
  let anchor = anchors.get(key);
  if (!anchor) {
    anchor = decodeAnchor({ start: decodeBase64(a.anchor.start), end: decodeBase64(a.anchor.end) });
    anchors.set(key, anchor);
  }
  return anchor;
}

/** `status` and `currentText` against the local text; closed amendments are as the server says. */
export function liveStatus(a: Amendment, ydoc: Y.Doc): Pick<Amendment, 'status' | 'currentText'> {
  if (a.status !== 'open' && a.status !== 'outdated') return a;
  if (ydoc.getXmlFragment(CONTENT_FIELD).length === 0) return a; // not synced yet
  const reading = readAnchor(ydoc, anchorOf(a));
  const currentText = reading.present && reading.current !== '' ? reading.current : null;
  return { status: currentText === a.quote ? 'open' : 'outdated', currentText };
}
