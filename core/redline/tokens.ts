// Tokens as the redline compares them: words (maximal runs of non-whitespace,
// exactly JavaScript's `\s`) with the punctuation at their edges split off as
// tokens of their own, so a changed comma is marked alone. Equal + delete ops
// still rebuild the old text exactly, and equal + insert the new. The tokenizer records where each word is
// and a hash of it, without making a string per word: the diff compares
// hashes and confirms equal ones on the characters.
import { compareBy, type Compare } from './myers';

/**
 * The words of a text: `count` words whose hash, start and end offsets are
 * `data[base + 3i]`, `data[base + 3i + 1]` and `data[base + 3i + 2]`.
 * Many blocks share one `data` array (see `tokenizeWords`).
 */
export interface WordTokens {
  count: number;
  data: Int32Array;
  base: number;
}

export function wordStart(t: WordTokens, i: number): number {
  return t.data[t.base + 3 * i + 1]!;
}

export function wordEnd(t: WordTokens, i: number): number {
  return t.data[t.base + 3 * i + 2]!;
}

export function wordHash(t: WordTokens, i: number): number {
  return t.data[t.base + 3 * i]!;
}

/** The characters of JavaScript's `\s`. */
export function isSpaceCode(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && (c <= 0x200a || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff));
}

// Tokens are packed into a few large chunks instead of typed arrays per
// paragraph, and the chunks are reused by the next redline: a 100,000-word
// comparison would otherwise leave megabytes of buffers behind on every call.
// So tokens live only until `resetTokens`, which `redline()` calls first.
const CHUNK = 1 << 18;
const KEEP = 8;
const chunks: Int32Array[] = [new Int32Array(CHUNK)];
let chunkIndex = 0;
let chunk = chunks[0]!;
let chunkUsed = 0;

/** Start over: every WordTokens made before is invalid from now on. */
export function resetTokens(): void {
  chunks.length = Math.min(chunks.length, KEEP);
  chunkIndex = 0;
  chunk = chunks[0]!;
  chunkUsed = 0;
}

function nextChunk(size: number): void {
  chunkIndex++;
  if (chunkIndex >= chunks.length || chunks[chunkIndex]!.length < size) chunks[chunkIndex] = new Int32Array(Math.max(CHUNK, size));
  chunk = chunks[chunkIndex]!;
  chunkUsed = 0;
}

/** Whether a character is punctuation or a symbol that stands as its own token at the edge of a word. */
function isEdgePunct(c: number): boolean {
  if (c < 0x80) return !((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122));
  // Surrogates (astral letters, emoji) stay inside their word; an image (a private-use character) is a token of its own.
  if (c >= 0xd800 && c <= 0xdfff) return false;
  if (c >= 0xe000 && c <= 0xf8ff) return true;
  let known = edgePunctCache[c]!;
  if (known === 0) edgePunctCache[c] = known = EDGE_PUNCT.test(String.fromCharCode(c)) ? 2 : 1;
  return known === 2;
}

const EDGE_PUNCT = /[\p{P}\p{S}]/u;
/** Per UTF-16 unit above ASCII: 0 not looked at yet, 1 part of a word, 2 punctuation or symbol. */
const edgePunctCache = new Uint8Array(0x10000);

// Scripts written without spaces between words: a run of them is cut into
// words by Intl.Segmenter (ICU's dictionaries), so a one-word edit in a
// Chinese, Japanese or Thai sentence marks that word, not the sentence.
const NO_SPACES = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
/** Below U+0E00 (Thai) no character is of those scripts: most text never reaches the pattern. */
const FIRST_NO_SPACE = 0x0e00;
let wordSegmenter: Intl.Segmenter | null | undefined;

function segmenter(): Intl.Segmenter | null {
  if (wordSegmenter === undefined) {
    wordSegmenter = typeof Intl === 'object' && typeof Intl.Segmenter === 'function' ? new Intl.Segmenter('und', { granularity: 'word' }) : null;
  }
  return wordSegmenter;
}

function hasNoSpaceScript(text: string, start: number, end: number): boolean {
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c >= FIRST_NO_SPACE && NO_SPACES.test(text.slice(k, k + 2))) return true;
  }
  return false;
}

/**
 * The words of text[start, end) (no whitespace inside) as offsets: the whole
 * run, or, when it holds a script written without spaces, the segmenter's
 * words. Adjacent pieces join back into the run exactly.
 */
function piecesOf(text: string, start: number, end: number, piece: (s: number, e: number) => void): void {
  if (hasNoSpaceScript(text, start, end)) segmentInto(text, start, end, piece);
  else piece(start, end);
}

/** The segmenter's words of text[start, end) (the whole run where there is no segmenter). */
function segmentInto(text: string, start: number, end: number, piece: (s: number, e: number) => void): void {
  const words = segmenter();
  if (!words) return piece(start, end);
  for (const { index, segment } of words.segment(text.slice(start, end))) piece(start + index, start + index + segment.length);
}

/** Per ASCII code: 1 whitespace (every code up to 32, as the tokenizer reads them), 2 punctuation or symbol, 0 letter or digit. */
const ASCII_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_CLASS[c] = c <= 32 ? 1 : (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 0 : 2;

/** `isEdgePunct` with the ASCII case read from the table. */
function edgePunctAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c < 128 ? ASCII_CLASS[c] === 2 : isEdgePunct(c);
}

/**
 * The tokens of a text: every run of non-whitespace is a word; punctuation at
 * its edges (`outset.` → `outset` `.`, `(a)` → `(` `a` `)`) is a token of its
 * own, so changing only a comma marks only the comma. Punctuation inside a word
 * (`1.3`, `e.g`, `multi-stakeholder`, `https://…`) stays in it, and a run made
 * only of punctuation (`—`, `...`) is one token.
 */
export function tokenizeWords(text: string): WordTokens {
  const len = text.length;
  const most = 3 * (len + 1);
  if (chunkUsed + most > chunk.length) nextChunk(most);
  const data = chunk;
  const base = chunkUsed;
  chunkUsed = tokenizeInto(text, data, base);
  return { count: (chunkUsed - base) / 3, data, base };
}

const encoder = new TextEncoder();
/** The UTF-8 of the text being tokenised (reused; UTF-8 takes at most three bytes per UTF-16 unit). */
let utf8 = new Uint8Array(1 << 14);

/**
 * Writes the tokens of `text` into `data` from `w` on (hash, start, end per
 * token); returns where they end. Words are cut only at whitespace, so
 * [from, to) must begin and end at a word's edge (or whitespace).
 *
 * ASCII is read from the text's UTF-8 bytes: a typed array reads faster than
 * a string, character by character. Up to the first character beyond ASCII a
 * byte's offset is that character's, so the bytes are read until then (most
 * Latin text is ASCII throughout), and the rest from the string.
 */
export function tokenizeInto(text: string, data: Int32Array, w: number, from = 0, to = text.length): number {
  const n = to - from;
  if (n <= 0) return w;
  if (utf8.length < 3 * n) utf8 = new Uint8Array(3 * n);
  encoder.encodeInto(from === 0 && to === text.length ? text : text.slice(from, to), utf8);
  const b = utf8;
  let i = 0;
  bytes: while (i < n) {
    let c = b[i]!;
    if (((c - 33) & 0xff) >= 95) {
      // Whitespace (up to 32), or beyond ASCII (from 128): the string takes over.
      if (c >= 128) break;
      i++;
      continue;
    }
    const start = i;
    const first = c;
    // Hashed as it is read (FNV-1a; the constants are literals: a module binding would be
    // loaded and checked on every character). `before` is the hash without the last character,
    // the word's own when a mark ends it.
    let h = 0x811c9dc5 | 0;
    let before = h;
    for (;;) {
      before = h;
      h = Math.imul(h ^ c, 16777619);
      if (++i >= n) break;
      c = b[i]!;
      if (((c - 33) & 0xff) >= 95) {
        if (c < 128) break;
        // A word with a character beyond ASCII: read from the string, from its start.
        i = start;
        break bytes;
      }
    }
    if (ASCII_CLASS[first] !== 2) {
      const last = b[i - 1]!;
      if (ASCII_CLASS[last] !== 2) {
        data[w] = h;
        data[w + 1] = from + start;
        data[w + 2] = from + i;
        w += 3;
        continue;
      }
      if (i - start >= 2 && ASCII_CLASS[b[i - 2]!] !== 2) {
        // One mark after the word (`outset,`): the word, then the mark.
        data[w] = before;
        data[w + 1] = from + start;
        data[w + 2] = from + i - 1;
        data[w + 3] = Math.imul((0x811c9dc5 | 0) ^ last, 16777619);
        data[w + 4] = from + i - 1;
        data[w + 5] = from + i;
        w += 6;
        continue;
      }
    }
    w = edgeTokens(text, from + start, from + i, false, h, data, w);
  }
  return i < n ? tokenizeText(text, data, w, from + i, to) : w;
}

/** `tokenizeInto` read from the string: any script. The hot loop keeps everything in locals (no closure shares them). */
function tokenizeText(text: string, data: Int32Array, w: number, from: number, to: number): number {
  const len = to;
  let i = from;
  while (i < len) {
    let c = text.charCodeAt(i);
    if (c <= 32 || (c >= 0xa0 && isSpaceCode(c))) {
      i++;
      continue;
    }
    const start = i;
    const first = c;
    // The usual word has no punctuation at its edges: hash it as it is read (FNV-1a; the
    // constants are literals: a module binding would be loaded and checked on every character).
    // `before` is the hash without the last character, the word's own when a mark ends it.
    let h = 0x811c9dc5 | 0;
    let before = h;
    let wide = c >= 0x0e00;
    for (;;) {
      before = h;
      h = Math.imul(h ^ c, 16777619);
      if (++i >= len) break;
      c = text.charCodeAt(i);
      if (c <= 32) break;
      if (c >= 0xa0) {
        if (isSpaceCode(c)) break;
        if (c >= 0x0e00) wide = true;
      }
    }
    const segmented = wide && hasNoSpaceScript(text, start, i);
    if (!segmented && !(first < 128 ? ASCII_CLASS[first] === 2 : isEdgePunct(first))) {
      if (!edgePunctAt(text, i - 1)) {
        data[w] = h;
        data[w + 1] = start;
        data[w + 2] = i;
        w += 3;
        continue;
      }
      if (i - start >= 2 && !edgePunctAt(text, i - 2)) {
        // One mark after the word (`outset,`): the word, then the mark.
        data[w] = before;
        data[w + 1] = start;
        data[w + 2] = i - 1;
        data[w + 3] = Math.imul((0x811c9dc5 | 0) ^ text.charCodeAt(i - 1), 16777619);
        data[w + 4] = i - 1;
        data[w + 5] = i;
        w += 6;
        continue;
      }
    }
    w = edgeTokens(text, start, i, segmented, h, data, w);
  }
  return w;
}

/** The tokens of a word with punctuation at an edge, or of a script without spaces (the rare path). */
function edgeTokens(text: string, start: number, end: number, segmented: boolean, whole: number, data: Int32Array, w: number): number {
  let coreStart = start;
  while (coreStart < end && edgePunctAt(text, coreStart)) coreStart++;
  if (coreStart === end) {
    data[w] = whole;
    data[w + 1] = start;
    data[w + 2] = end;
    return w + 3;
  }
  let coreEnd = end;
  while (edgePunctAt(text, coreEnd - 1)) coreEnd--;
  // One token per edge character; the core one token, or the segmenter's words.
  // (No closure here but for the segmenter: this runs for every word with a comma.)
  for (let k = start; k < coreStart; k++) w = hashedToken(text, k, k + 1, data, w);
  if (segmented) {
    segmentInto(text, coreStart, coreEnd, (s, e) => {
      w = hashedToken(text, s, e, data, w);
    });
  } else {
    w = hashedToken(text, coreStart, coreEnd, data, w);
  }
  for (let k = coreEnd; k < end; k++) w = hashedToken(text, k, k + 1, data, w);
  return w;
}

function hashedToken(text: string, s: number, e: number, data: Int32Array, w: number): number {
  let t = 0x811c9dc5 | 0;
  for (let x = s; x < e; x++) t = Math.imul(t ^ text.charCodeAt(x), 16777619);
  data[w] = t;
  data[w + 1] = s;
  data[w + 2] = e;
  return w + 3;
}

/** Whitespace as the tokeniser reads it (every code up to 32, and JavaScript's other `\s`). */
function isTokenSpace(c: number): boolean {
  return c <= 32 || (c >= 0xa0 && isSpaceCode(c));
}

/**
 * The tokens of `text`, given the tokens of a similar text (the other side of
 * a changed paragraph): words in the stretch both share at their start and at
 * their end are the same tokens, so they are copied (shifted, at the end) and
 * only the middle is read. Exactly `tokenizeWords(text)`: the shared stretches
 * are cut at whitespace, and a word's tokens depend only on its characters.
 */
export function tokenizeLike(text: string, other: string, ot: WordTokens): WordTokens {
  const len = text.length;
  const olen = other.length;
  if (text === other) return ot;
  const short = len < olen ? len : olen;
  const p = sharedStart(text, other, short);
  // Back to just after a whitespace both share: every word before it is whole on both sides.
  let head = p;
  while (head > 0 && !isTokenSpace(text.charCodeAt(head - 1))) head--;
  const q = sharedEnd(text, other, short - head);
  // Forward to a whitespace both share: every word after it is whole on both sides.
  let tail = len - q;
  while (tail < len && !isTokenSpace(text.charCodeAt(tail))) tail++;
  const shift = len - olen;
  const most = 3 * (len + 1);
  if (chunkUsed + most > chunk.length) nextChunk(most);
  const data = chunk;
  const base = chunkUsed;
  let w = base;
  const od = ot.data;
  let k = 0;
  // Tokens of the shared start: those of the other text that begin before `head`.
  for (; k < ot.count && od[ot.base + 3 * k + 1]! < head; k++) {
    const x = ot.base + 3 * k;
    data[w] = od[x]!;
    data[w + 1] = od[x + 1]!;
    data[w + 2] = od[x + 2]!;
    w += 3;
  }
  w = tokenizeInto(text, data, w, head, tail);
  // Tokens of the shared end: those of the other text that begin after `tail`, moved by the difference in length.
  let j = ot.count;
  while (j > k && od[ot.base + 3 * (j - 1) + 1]! > tail - shift) j--;
  for (; j < ot.count; j++) {
    const x = ot.base + 3 * j;
    data[w] = od[x]!;
    data[w + 1] = od[x + 1]! + shift;
    data[w + 2] = od[x + 2]! + shift;
    w += 3;
  }
  chunkUsed = w;
  return { count: (w - base) / 3, data, base };
}

/** Below this many characters the shared start and end are compared one character at a time. */
const STRIDE = 32;

/**
 * How many characters `a` and `b` share at their start, at most `most`.
 * Compared in doubling stretches as strings (one native comparison each,
 * much faster than a loop over character codes), then narrowed down.
 */
function sharedStart(a: string, b: string, most: number): number {
  let p = 0;
  let step = STRIDE;
  while (p + step <= most && a.slice(p, p + step) === b.slice(p, p + step)) {
    p += step;
    step *= 2;
  }
  while (step > STRIDE) {
    step >>= 1;
    if (p + step <= most && a.slice(p, p + step) === b.slice(p, p + step)) p += step;
  }
  while (p < most && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  return p;
}

/** How many characters `a` and `b` share at their end, at most `most` (as `sharedStart`). */
function sharedEnd(a: string, b: string, most: number): number {
  const al = a.length;
  const bl = b.length;
  let q = 0;
  let step = STRIDE;
  while (q + step <= most && a.slice(al - q - step, al - q) === b.slice(bl - q - step, bl - q)) {
    q += step;
    step *= 2;
  }
  while (step > STRIDE) {
    step >>= 1;
    if (q + step <= most && a.slice(al - q - step, al - q) === b.slice(bl - q - step, bl - q)) q += step;
  }
  while (q < most && a.charCodeAt(al - 1 - q) === b.charCodeAt(bl - 1 - q)) q++;
  return q;
}

/**
 * Words compared by hash only: the fast first pass of the word diff. Equal
 * hashes are confirmed afterwards on the text (`sameWords`).
 */
export function hashCompare(a: WordTokens, b: WordTokens): Compare {
  return new HashCompare(a.data, a.base, b.data, b.base);
}

class HashCompare implements Compare {
  readonly ints: { a: Int32Array; ab: number; b: Int32Array; bb: number };

  constructor(
    private readonly ad: Int32Array,
    private readonly ab: number,
    private readonly bd: Int32Array,
    private readonly bb: number,
  ) {
    this.ints = { a: ad, ab, b: bd, bb };
  }

  eq(i: number, j: number): boolean {
    return this.ad[this.ab + 3 * i] === this.bd[this.bb + 3 * j];
  }

  forward(i: number, j: number, iEnd: number, jEnd: number): number {
    const { ad, bd } = this;
    let x = this.ab + 3 * i;
    let y = this.bb + 3 * j;
    const n = Math.min(iEnd - i, jEnd - j);
    let k = 0;
    while (k < n && ad[x] === bd[y]) {
      k++;
      x += 3;
      y += 3;
    }
    return k;
  }

  backward(i: number, j: number, iStart: number, jStart: number): number {
    const { ad, bd } = this;
    let x = this.ab + 3 * (i - 1);
    let y = this.bb + 3 * (j - 1);
    const n = Math.min(i - iStart, j - jStart);
    let k = 0;
    while (k < n && ad[x] === bd[y]) {
      k++;
      x -= 3;
      y -= 3;
    }
    return k;
  }
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

/** The tokens of a text as strings, exactly as `tokenizeWords` cuts it (for tests and measures). */
export function splitTokens(text: string): string[] {
  const out: string[] = [];
  for (const word of splitWords(text)) {
    let s = 0;
    while (s < word.length && isEdgePunct(word.charCodeAt(s))) s++;
    if (s === word.length) {
      out.push(word);
      continue;
    }
    let e = word.length;
    while (isEdgePunct(word.charCodeAt(e - 1))) e--;
    for (let k = 0; k < s; k++) out.push(word[k]!);
    piecesOf(word, s, e, (ps, pe) => out.push(word.slice(ps, pe)));
    for (let k = e; k < word.length; k++) out.push(word[k]!);
  }
  return out;
}

/** The words of a text, as `text.split(/\s+/)` without empty strings. */
export function splitWords(text: string): string[] {
  return text.match(/\S+/g) ?? [];
}

/** Runs of non-whitespace, each run of a script written without spaces counting the segmenter's words. */
export function countWords(text: string): number {
  const len = text.length;
  let n = 0;
  let i = 0;
  while (i < len) {
    let c = text.charCodeAt(i);
    if (isSpaceCode(c)) {
      i++;
      continue;
    }
    const start = i;
    let wide = c >= 0x0e00;
    while (++i < len) {
      c = text.charCodeAt(i);
      if (c === 32 || (c <= 13 && c >= 9)) break;
      if (c >= 0xa0) {
        if (isSpaceCode(c)) break;
        if (c >= 0x0e00) wide = true;
      }
    }
    if (!wide || !hasNoSpaceScript(text, start, i)) n++;
    else n += segmentedWords(text, start, i);
  }
  return n;
}

/** The segmenter's words of a run, punctuation between them (，。) not counted. */
function segmentedWords(text: string, start: number, end: number): number {
  let n = 0;
  piecesOf(text, start, end, (s, e) => {
    if (!(e - s === 1 && isEdgePunct(text.charCodeAt(s)))) n++;
  });
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
