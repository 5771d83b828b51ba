// The tokens of a paragraph read from the other side of its edit
// (tokenizeLike: shared start and end copied, only the middle read) are
// exactly the tokens of the paragraph read alone, for every script, spacing
// and punctuation, and wherever the edit falls.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resetTokens, splitTokens, tokenizeLike, tokenizeWords, type WordTokens } from '../core/redline/tokens';

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

/** FNV-1a over UTF-16 units, as the tokeniser hashes a token. */
function fnv(s: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h;
}

describe('tokenizeWords', () => {
  // Read from UTF-8 bytes up to the first character beyond ASCII, from the string after it.
  const ascii = ['the', 'data', 'outset,', 'outset.', '(a)', 'e.g.', ',', '"x"', '...', ' ', '  ', '\n', '\t', '\u0001', 'x', '10%'];
  const any = [...ascii, ...PIECES];
  const mixed = fc.array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ascii) }, { weight: 1, arbitrary: fc.constantFrom(...any) }), { maxLength: 60 }).map((parts) => parts.join(''));

  it('cuts every text as splitTokens does, each token hashed as a string', () => {
    fc.assert(
      fc.property(mixed, (s) => {
        resetTokens();
        // Control characters are whitespace to the tokeniser (not to \s, which splitTokens uses).
        const spaced = s.replace(/[\u0000-\u0008\u000e-\u001f]/g, ' ');
        expect(triples(tokenizeWords(s))).toEqual(triples(tokenizeWords(spaced)));
        const t = tokenizeWords(s);
        const words: string[] = [];
        for (let i = 0; i < t.count; i++) {
          const word = s.slice(t.data[t.base + 3 * i + 1], t.data[t.base + 3 * i + 2]);
          expect(t.data[t.base + 3 * i]).toBe(fnv(word));
          words.push(word);
        }
        expect(words).toEqual(splitTokens(spaced));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives the same tokens from the other side of a long shared start and end', () => {
    const long = fc.array(fc.constantFrom(...any), { minLength: 20, maxLength: 300 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(long, mixed, mixed, long, (start, oldMiddle, newMiddle, end) => {
        resetTokens();
        const oldText = start + oldMiddle + end;
        const newText = start + newMiddle + end;
        expect(triples(tokenizeLike(newText, oldText, tokenizeWords(oldText)))).toEqual(triples(tokenizeWords(newText)));
      }),
      { numRuns: 1000 },
    );
  });
});
