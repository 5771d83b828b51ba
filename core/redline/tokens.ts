// Words as the redline counts them: maximal runs of non-whitespace (JavaScript
// `\s`), so punctuation stays with its word and "words = split on whitespace"
// holds by construction. Never allocates more than the word list itself.

export interface WordTokens {
  words: string[];
  /** Character offset where each word starts and ends in the text. */
  starts: number[];
  ends: number[];
}

const WORD = /\S+/g;

export function tokenizeWords(text: string): WordTokens {
  const words: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m; m = WORD.exec(text)) {
    words.push(m[0]);
    starts.push(m.index);
    ends.push(m.index + m[0].length);
  }
  return { words, starts, ends };
}

/** The words of a text, as `text.split(/\s+/)` without empty strings. */
export function splitWords(text: string): string[] {
  return text.match(WORD) ?? [];
}

export function countWords(text: string): number {
  let n = 0;
  WORD.lastIndex = 0;
  while (WORD.exec(text)) n++;
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
