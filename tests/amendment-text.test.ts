// The pure side of amendments (core/amendment-text.ts, core/amendment-anchors.ts)
// and the server's Yjs replacement (server/amendments/anchors.ts), as
// properties: the plan always produces the proposal, always inserts from
// inside the quote, and text typed concurrently at the quote's edges stays
// outside the replacement.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import { anchorQuote, describeChange, plainText, readAnchor } from '../core/amendment-anchors';
import { amendmentKind, applyPlan, findOccurrences, locateQuote, occurrenceAt, redlineParts, replacementPlan, textEdges } from '../core/amendment-text';
import { applyReplacement } from '../server/amendments/anchors';

const text = fc.string({ unit: fc.constantFrom('a', 'b', ' ', 'é', '.', 'x', '😀'), maxLength: 12 });
const quoteText = fc.string({ unit: fc.constantFrom('a', 'b', ' ', 'é', '.', '😀'), minLength: 1, maxLength: 12 });

describe('replacementPlan', () => {
  it('turns the quote into the proposal, in any surrounding text', () => {
    fc.assert(
      fc.property(text, quoteText, text, text, (before, quote, proposed, after) => {
        const plan = replacementPlan(quote, proposed);
        expect(applyPlan(before + quote + after, before.length, plan)).toBe(before + proposed + after);
      }),
      { numRuns: 2000 },
    );
  });

  it('inserts strictly inside a quote of two characters or more, deleting only quoted characters', () => {
    fc.assert(
      fc.property(quoteText.filter((q) => [...q].length >= 2), text, (quote, proposed) => {
        const plan = replacementPlan(quote, proposed);
        expect(plan.at).toBeGreaterThanOrEqual(1);
        expect(plan.at).toBeLessThanOrEqual(quote.length - 1);
        expect(plan.deleteBefore).toBeLessThanOrEqual(plan.at);
        expect(plan.at + plan.deleteAfter).toBeLessThanOrEqual(quote.length);
        expect(plan.styleFrom).toBeGreaterThanOrEqual(0);
        expect(plan.styleFrom).toBeLessThan(quote.length);
        expect(quote.charCodeAt(plan.at)).not.toSatisfy((c: number) => c >= 0xdc00 && c <= 0xdfff);
      }),
      { numRuns: 2000 },
    );
  });

  it('changes only what differs, at word boundaries', () => {
    expect(redlineParts('shall collect data', 'shall not collect data')).toEqual({ before: 'shall ', removed: '', inserted: 'not ', after: 'collect data' });
    expect(redlineParts('collect', 'collects')).toEqual({ before: '', removed: 'collect', inserted: 'collects', after: '' });
    expect(textEdges('the data they need', 'the data it needs')).toEqual({ prefix: 9, suffix: 0, changed: 9 });
    fc.assert(
      fc.property(quoteText, text, (quote, proposed) => {
        const p = redlineParts(quote, proposed);
        expect(p.before + p.removed + p.after).toBe(quote);
        expect(p.before + p.inserted + p.after).toBe(proposed);
      }),
    );
  });

  it('names the kind: deletion, insertion (keeps the quote), replacement', () => {
    expect(amendmentKind('data', '')).toBe('delete');
    expect(amendmentKind('data', 'personal data')).toBe('insert');
    expect(amendmentKind('data', 'information')).toBe('replace');
  });
});

describe('quote search', () => {
  const runs = ['the data and the data', 'no match', 'data'];
  it('counts every occurrence in order, overlapping ones included', () => {
    expect(findOccurrences(runs, 'data')).toEqual([
      { run: 0, offset: 4 },
      { run: 0, offset: 17 },
      { run: 2, offset: 0 },
    ]);
    expect(findOccurrences(['aaa'], 'aa')).toEqual([
      { run: 0, offset: 0 },
      { run: 0, offset: 1 },
    ]);
    expect(locateQuote(runs, 'data', 3)).toEqual({ run: 2, offset: 0 });
    expect(locateQuote(runs, 'data', 4)).toBeNull();
    expect(findOccurrences(runs, '')).toEqual([]);
  });
  it('occurrenceAt is the inverse of locateQuote', () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 4 }), quoteText, (rs, q) => {
        findOccurrences(rs, q).forEach((o, i) => expect(occurrenceAt(rs, q, o.run, o.offset)).toBe(i + 1));
      }),
    );
  });
});

/** A Y.Doc holding one paragraph of text, and its Y.XmlText. */
function paragraphDoc(content: string): { doc: Y.Doc; text: Y.XmlText } {
  const doc = new Y.Doc();
  const paragraph = new Y.XmlElement('paragraph');
  const t = new Y.XmlText();
  paragraph.insert(0, [t]);
  doc.getXmlFragment('content').insert(0, [paragraph]);
  t.insert(0, content);
  return { doc, text: t };
}

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
}

describe('applyReplacement on a Y.XmlText', () => {
  it('keeps the formatting of the text it replaces', () => {
    const { text } = paragraphDoc('');
    text.insert(0, 'plain ');
    text.insert(6, 'bold words', { strong: {} });
    text.insert(16, ' tail', {});
    applyReplacement(text, 6, 'bold words', 'strong phrase');
    expect(text.toDelta()).toEqual([{ insert: 'plain ' }, { insert: 'strong phrase', attributes: { strong: {} } }, { insert: ' tail' }]);
  });

  it('edits typed concurrently right before and right after the quote stay outside the replacement', () => {
    fc.assert(
      fc.property(text, quoteText.filter((q) => [...q].length >= 2), text, text, fc.string({ minLength: 1, maxLength: 4 }), fc.string({ minLength: 1, maxLength: 4 }), (pre, quote, proposed, post, left, right) => {
        const server = paragraphDoc(pre + quote + post);
        const editor = new Y.Doc();
        sync(editor, server.doc);
        const editorText = (editor.getXmlFragment('content').get(0) as Y.XmlElement).get(0) as Y.XmlText;
        // Concurrently: the server accepts; an editor types at both edges of the quote.
        applyReplacement(server.text, pre.length, quote, proposed);
        editorText.insert(pre.length + quote.length, right);
        editorText.insert(pre.length, left);
        sync(editor, server.doc);
        const expected = pre + left + proposed + right + post;
        expect(plainText(server.text)).toBe(expected);
        expect(plainText(editorText)).toBe(expected);
      }),
      { numRuns: 1500 },
    );
  });

  it('anchors follow edits around the quote and report a changed or deleted quote', () => {
    const { doc, text } = paragraphDoc('Devices collect only the data they need.');
    const anchor = anchorQuote(text, 'Devices collect '.length, 'only the data'.length);
    text.insert(0, 'New start. ');
    text.insert(plainText(text).indexOf('only'), '[');
    text.insert(plainText(text).indexOf(' they'), ']');
    let reading = readAnchor(doc, anchor);
    expect(reading.present && reading.current).toBe('only the data');
    expect(describeChange('only the data', reading)).toBeNull();
    text.delete(plainText(text).indexOf('the data'), 4);
    reading = readAnchor(doc, anchor);
    expect(describeChange('only the data', reading)).toBe('the quoted text "only the data" now reads "only data"');
    text.delete(plainText(text).indexOf('only data'), 'only data'.length);
    expect(describeChange('only the data', readAnchor(doc, anchor))).toBe('the quoted text "only the data" was deleted');
    doc.getXmlFragment('content').delete(0, 1);
    expect(readAnchor(doc, anchor)).toEqual({ present: false });
  });
});
