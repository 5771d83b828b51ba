// Words as the redline counts them: maximal runs of non-whitespace (exactly
// JavaScript's `\s`), so punctuation stays with its word and "words = split on
// whitespace" holds by construction. The tokenizer records where each word is
// and a hash of it, without making a string per word: the diff compares
// hashes and confirms equal ones on the characters.
import { compareBy, type Compare } from './myers';

/**
 * The words of a text: `count` words whose hash, start and end offsets are
 * `data[base + i]`, `data[base + count + i]` and `data[base + 2 * count + i]`.
 * Many blocks share one `data` array (see `tokenizeWords`).
 */
export interface WordTokens {
  count: number;
  data: Int32Array;
  base: number;
}

export function wordStart(t: WordTokens, i: number): number {
  return t.data[t.base + t.count + i]!;
}

export function wordEnd(t: WordTokens, i: number): number {
  return t.data[t.base + 2 * t.count + i]!;
}

export function wordHash(t: WordTokens, i: number): number {
  return t.data[t.base + i]!;
}

/** The characters of JavaScript's `\s`. */
export function isSpaceCode(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && (c <= 0x200a || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff));
}

let scratch = new Int32Array(3 * 512);
// Tokens of many blocks are packed into shared chunks: one allocation per
// chunk instead of three typed arrays per paragraph. Chunks are only ever
// appended to, so every block keeps its own slice for as long as it lives.
const CHUNK = 1 << 16;
let chunk = new Int32Array(CHUNK);
let chunkUsed = 0;

export function tokenizeWords(text: string): WordTokens {
  const len = text.length;
  const most = (len >> 1) + 1;
  if (scratch.length < 3 * most) scratch = new Int32Array(6 * most);
  const sc = scratch;
  let count = 0;
  let h = 0;
  let inWord = false;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    // Printable ASCII and most of Unicode below U+1680 are never whitespace: the fast path.
    if ((c > 32 && c < 0xa0) || (c > 0xa0 && c < 0x1680) ? true : !isSpaceCode(c)) {
      if (!inWord) {
        inWord = true;
        h = 0x811c9dc5 | 0;
        sc[3 * count + 1] = i;
      }
      h = Math.imul(h ^ c, 16777619);
    } else if (inWord) {
      inWord = false;
      sc[3 * count] = h;
      sc[3 * count++ + 2] = i;
    }
  }
  if (inWord) {
    sc[3 * count] = h;
    sc[3 * count++ + 2] = len;
  }
  const size = 3 * count;
  if (chunkUsed + size > chunk.length) {
    chunk = new Int32Array(Math.max(CHUNK, size));
    chunkUsed = 0;
  }
  const data = chunk;
  const base = chunkUsed;
  chunkUsed += size;
  for (let k = 0; k < count; k++) {
    data[base + k] = sc[3 * k]!;
    data[base + count + k] = sc[3 * k + 1]!;
    data[base + 2 * count + k] = sc[3 * k + 2]!;
  }
  return { count, data, base };
}

/**
 * Words compared by hash only: the fast first pass of the word diff. Equal
 * hashes are confirmed afterwards on the text (`confirmEqualWords`).
 */
export function hashCompare(a: WordTokens, b: WordTokens): Compare {
  const ad = a.data;
  const bd = b.data;
  const ab = a.base;
  const bb = b.base;
  return {
    eq: (i, j) => ad[ab + i] === bd[bb + j],
    forward(i, j, iEnd, jEnd) {
      let k = 0;
      while (i + k < iEnd && j + k < jEnd && ad[ab + i + k] === bd[bb + j + k]) k++;
      return k;
    },
    backward(i, j, iStart, jStart) {
      let k = 0;
      while (i - k > iStart && j - k > jStart && ad[ab + i - k - 1] === bd[bb + j - k - 1]) k++;
      return k;
    },
  };
}

/** Words compared on their characters. */
export function exactCompare(at: string, a: WordTokens, bt: string, b: WordTokens): Compare {
  return compareBy((i, j) => at.slice(wordStart(a, i), wordEnd(a, i)) === bt.slice(wordStart(b, j), wordEnd(b, j)));
}

/** Whether words a[i..i+n) and b[j..j+n) are the same words (a whole run at once when the spacing matches too). */
export function sameWords(at: string, a: WordTokens, i: number, bt: string, b: WordTokens, j: number, n: number): boolean {
  if (n === 0) return true;
  if (at.slice(wordStart(a, i), wordEnd(a, i + n - 1)) === bt.slice(wordStart(b, j), wordEnd(b, j + n - 1))) return true;
  for (let k = 0; k < n; k++) {
    if (at.slice(wordStart(a, i + k), wordEnd(a, i + k)) !== bt.slice(wordStart(b, j + k), wordEnd(b, j + k))) return false;
  }
  return true;
}

/** The words of a text, as `text.split(/\s+/)` without empty strings. */
export function splitWords(text: string): string[] {
  return text.match(/\S+/g) ?? [];
}

export function countWords(text: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const space = isSpaceCode(text.charCodeAt(i));
    if (!space && !inWord) n++;
    inWord = !space;
  }
  return n;
}

/** Words that may be swallowed into a surrounding change without a reader missing them. */
const MINOR = new Set(
  (
    'a an the and or but nor of to in on at by for from with as into onto than that this these those ' +
    'is are was were be been it its their his her our your we they he she i you not no so if then ' +
    'which who whom whose what when where while also such all any each both either neither'
  ).split(' '),
);

/** A stop word, a number-like or punctuation-only token, or a very short word. */
export function isMinorWord(word: string): boolean {
  const bare = word.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
  return bare.length <= 2 || MINOR.has(bare);
}
