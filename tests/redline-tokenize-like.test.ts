// The tokens of a paragraph read from the other side of its edit
// (tokenizeLike: shared start and end copied, only the middle read) are
// exactly the tokens of the paragraph read alone, for every script, spacing
// and punctuation, and wherever the edit falls.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resetTokens, tokenizeLike, tokenizeWords, type WordTokens } from '../core/redline/tokens';

const triples = (t: WordTokens) => Array.from(t.data.subarray(t.base, t.base + 3 * t.count));

const PIECES = ['the', 'data', 'outset.', '(a)', 'e.g.', '—', '...', ' ', '  ', '\n', '\u00a0', '\u3000', '物联网', '设备', '，', '。', 'プライバシー', 'Łódź', 'über', '10%', '😀', '\t', 'x'];
const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((parts) => parts.join(''));

describe('tokenizeLike', () => {
  it('gives the tokens of the text alone, whatever the other text', () => {
    fc.assert(
      fc.property(text, text, text, text, (start, oldMiddle, newMiddle, end) => {
        resetTokens();
        const oldText = start + oldMiddle + end;
        const newText = start + newMiddle + end;
        const like = triples(tokenizeLike(newText, oldText, tokenizeWords(oldText)));
        expect(like).toEqual(triples(tokenizeWords(newText)));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the tokens of unrelated and identical texts too', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        resetTokens();
        expect(triples(tokenizeLike(b, a, tokenizeWords(a)))).toEqual(triples(tokenizeWords(b)));
        expect(triples(tokenizeLike(a, a, tokenizeWords(a)))).toEqual(triples(tokenizeWords(a)));
      }),
      { numRuns: 500 },
    );
  });
});
