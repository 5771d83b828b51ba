// Markdown in and out for Accord documents (contract: "Markdown in and out").
// `# Title` is the title; each `## Heading {#id}` opens a section; the body of
// a section is CommonMark parsed by prosemirror-markdown into the shared schema.
// Pure: no I/O. Never silently drops text: what cannot be placed is an error.
import MarkdownIt from 'markdown-it';
import { canonicalLanguage, DEFAULT_LANGUAGE, languageFrontMatter } from './language';
import { MarkdownParser, MarkdownSerializer, MarkdownSerializerState, defaultMarkdownSerializer } from 'prosemirror-markdown';
import { Schema, type Node as PMNode } from 'prosemirror-model';
import { isSafeImageSrc, schema, slugify, SECTION_HEADING_LEVEL, SECTION_ID_PATTERN, type PMJSON } from './schema';

/** Same nodes and marks, but a top node that holds plain blocks: the body of one section. */
const bodySchema = new Schema({
  nodes: schema.spec.nodes.update('doc', { content: 'block*' }),
  marks: schema.spec.marks,
});

type Token = { hidden: boolean; type: string; attrGet(name: string): string | null; tag: string };

function listIsTight(tokens: Token[], i: number): boolean {
  while (++i < tokens.length) if (tokens[i]!.type !== 'list_item_open') return tokens[i]!.hidden;
  return false;
}

const markdownIt = MarkdownIt('commonmark', { html: false }).enable('table');

type MarkdownItToken = ReturnType<typeof markdownIt.parse>[number];

/** A body row with more cells than the header row (line counted from 0 in the parsed text). */
class TableRowError extends Error {
  constructor(
    readonly line: number,
    readonly cells: number,
    readonly columns: number,
  ) {
    super(`a table row has ${cells} cells but the header row ${columns}; escape a "|" in a cell as "\\|"`);
  }
}

/** The cells of a GFM table line, split as markdown-it splits it: at each pipe not right after a backslash; empty outer cells dropped. */
function cellCount(line: string): number {
  const text = line.trim();
  let cells = 1;
  let first = -1;
  let last = -1;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '|' && text[i - 1] !== '\\') {
      cells++;
      if (first < 0) first = i;
      last = i;
    }
  }
  if (first === 0) cells--;
  if (last === text.length - 1 && last > 0) cells--;
  return cells;
}

/**
 * A GFM cell holds one line of inline text; in the schema a cell holds a
 * paragraph. This core rule wraps each cell's inline token in a paragraph,
 * so prosemirror-markdown's ordinary paragraph handler builds it.
 */
markdownIt.core.ruler.push('table_cell_paragraphs', (state) => {
  const out: MarkdownItToken[] = [];
  const tokens = state.tokens;
  const lines = state.src.split('\n');
  let columns = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    out.push(token);
    if (token.type === 'tr_open' && token.map) {
      // GFM ignores the cells of a row beyond the header's: refuse rather than lose their text.
      const cells = cellCount(lines[token.map[0]] ?? '');
      if (tokens[i - 1]?.type === 'thead_open') columns = cells;
      else if (cells > columns) throw new TableRowError(token.map[0], cells, columns);
    }
    if ((token.type === 'th_open' || token.type === 'td_open') && tokens[i + 1]?.type === 'inline') {
      const open = new state.Token('paragraph_open', 'p', 1);
      const close = new state.Token('paragraph_close', 'p', -1);
      open.block = close.block = true;
      out.push(open, tokens[i + 1]!, close);
      i++;
    }
  }
  state.tokens = out;
});

const bodyParser = new MarkdownParser(bodySchema, markdownIt, {
  blockquote: { block: 'blockquote' },
  paragraph: { block: 'paragraph' },
  list_item: { block: 'list_item' },
  bullet_list: { block: 'bullet_list', getAttrs: (_t, tokens, i) => ({ tight: listIsTight(tokens as unknown as Token[], i) }) },
  ordered_list: {
    block: 'ordered_list',
    getAttrs: (tok, tokens, i) => ({ order: Number(tok.attrGet('start')) || 1, tight: listIsTight(tokens as unknown as Token[], i) }),
  },
  // Inside a section, headings are subheadings: level 3 and deeper.
  heading: { block: 'heading', getAttrs: (tok) => ({ level: Math.max(3, Number(tok.tag.slice(1))) }) },
  // Code is kept as text so nothing typed is lost; the schema has no code nodes.
  code_block: { block: 'paragraph', noCloseToken: true },
  fence: { block: 'paragraph', noCloseToken: true },
  hardbreak: { node: 'hard_break' },
  image: {
    node: 'image',
    getAttrs: (tok) => {
      const src = tok.attrGet('src') ?? '';
      const alt = (tok as unknown as { children: { content: string }[] | null }).children?.map((c) => c.content).join('') ?? '';
      return { src: isSafeImageSrc(src) ? src : '#', alt: alt || null, title: tok.attrGet('title') || null };
    },
  },
  // GFM tables: the header row's cells are table_header, the body's table_cell (alignment is not kept).
  table: { block: 'table' },
  thead: { ignore: true },
  tbody: { ignore: true },
  tr: { block: 'table_row' },
  th: { block: 'table_header' },
  td: { block: 'table_cell' },
  em: { mark: 'em' },
  strong: { mark: 'strong' },
  link: { mark: 'link', getAttrs: (tok) => ({ href: tok.attrGet('href'), title: tok.attrGet('title') || null }) },
  code_inline: { mark: 'code', noCloseToken: true },
});

export class MarkdownError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'MarkdownError';
  }
}

export interface ParsedDocument {
  title: string;
  doc: PMNode;
  /** From a front matter `lang:` line (canonical BCP 47), when there is one. */
  language?: string;
}

/**
 * Front matter: an optional block between two `---` lines at the very top,
 * holding `lang: <BCP 47>` (the document's language; serializeMarkdown writes
 * it for any language but English). Its lines are blanked, so that error line
 * numbers still count from the top of the file.
 */
function frontMatter(lines: string[]): string | undefined {
  if (lines[0] !== '---') return undefined;
  const end = lines.indexOf('---', 1);
  if (end < 0 || end > 20) throw new MarkdownError('front matter opened with "---" is not closed by a "---" line', 1);
  let language: string | undefined;
  for (let i = 1; i < end; i++) {
    const line = lines[i]!;
    const m = /^(\w+):\s*(.*?)\s*$/.exec(line);
    if (line.trim() === '') continue;
    if (!m || (m[1] !== 'lang' && m[1] !== 'language')) throw new MarkdownError(`front matter may only hold "lang: <language>", not "${line}"`, i + 1);
    const canonical = canonicalLanguage(m[2]!);
    if (canonical === null) throw new MarkdownError(`"${m[2]}" is not a BCP 47 language tag (e.g. en, fr, ar, zh-Hans)`, i + 1);
    language = canonical;
  }
  for (let i = 0; i <= end; i++) lines[i] = '';
  return language;
}

const TITLE_LINE = /^#[ \t]+(.+?)[ \t#]*$/;
const SECTION_LINE = /^##[ \t]+(.*?)(?:[ \t]+\{#([^}\s]+)\})?[ \t]*$/;
const FENCE_LINE = /^\s{0,3}(```|~~~)/;

/** Parse a whole document. Throws MarkdownError for text that has no section to live in. */
export function parseMarkdown(markdown: string): ParsedDocument {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const language = frontMatter(lines);
  let title = '';
  const sections: { title: string; id: string; line: number; body: string[] }[] = [];
  let inFence = false;
  lines.forEach((line, index) => {
    if (FENCE_LINE.test(line)) inFence = !inFence;
    const section = inFence ? null : SECTION_LINE.exec(line);
    if (section) {
      const headingText = section[1] ?? '';
      sections.push({ title: headingText, id: section[2] ?? '', line: index + 1, body: [] });
      return;
    }
    const current = sections[sections.length - 1];
    if (current) {
      current.body.push(line);
      return;
    }
    if (line.trim() === '') return;
    const titleMatch = inFence ? null : TITLE_LINE.exec(line);
    if (titleMatch && !title) {
      title = titleMatch[1]!.trim();
      return;
    }
    throw new MarkdownError('text before the first section; start each section with "## Heading {#id}"', index + 1);
  });
  if (sections.length === 0) throw new MarkdownError('the document has no section ("## Heading {#id}")', lines.length);

  const seen = new Set<string>();
  const sectionJSON: PMJSON[] = sections.map((s) => {
    const id = s.id || uniqueSlug(slugify(stripInlineMarkdown(s.title)), seen);
    if (!SECTION_ID_PATTERN.test(id)) throw new MarkdownError(`section id "${id}" must be lowercase letters, digits, - or _`, s.line);
    if (seen.has(id) && s.id) throw new MarkdownError(`section id "${id}" is used twice`, s.line);
    seen.add(id);
    const heading: PMJSON = { type: 'heading', attrs: { level: SECTION_HEADING_LEVEL }, content: inlineContent(s.title) };
    const body = parseBody(s.body.join('\n'), s.line);
    return { type: 'section', attrs: { id }, content: [heading, ...(body.content ?? [])] };
  });
  const doc = schema.nodeFromJSON({ type: 'doc', content: sectionJSON });
  doc.check();
  return language === undefined ? { title, doc } : { title, doc, language };
}

/** A section's body (the lines after its heading, which is on line `headingLine`). */
function parseBody(text: string, headingLine: number): PMJSON {
  try {
    return bodyParser.parse(text).toJSON() as PMJSON;
  } catch (error) {
    if (error instanceof TableRowError) throw new MarkdownError(error.message, headingLine + 1 + error.line);
    throw error;
  }
}

function uniqueSlug(base: string, seen: Set<string>): string {
  let id = base.slice(0, 60);
  for (let n = 2; seen.has(id); n++) id = `${base.slice(0, 56)}-${n}`;
  return id;
}

function stripInlineMarkdown(text: string): string {
  return text.replace(/[*_`[\]]|\]\([^)]*\)/g, '');
}

/** The inline content of a one-line Markdown fragment (a heading's text). */
function inlineContent(text: string): PMJSON[] {
  if (!text.trim()) return [];
  const parsed = bodyParser.parse(text).toJSON() as PMJSON;
  const first = parsed.content?.[0];
  if (first?.type === 'paragraph') return first.content ?? [];
  // A heading text that Markdown reads as a block (e.g. "1. Scope") stays literal.
  return [{ type: 'text', text }];
}

const nodes = defaultMarkdownSerializer.nodes;

const serializer = new MarkdownSerializer(
  {
    section(state: MarkdownSerializerState, node: PMNode) {
      node.forEach((child, _offset, index) => {
        if (index === 0) {
          state.write('## ');
          state.renderInline(child);
          state.write(` {#${node.attrs.id as string}}`);
          state.closeBlock(child);
        } else {
          state.render(child, node, index);
        }
      });
    },
    heading: nodes.heading!,
    paragraph: nodes.paragraph!,
    blockquote: nodes.blockquote!,
    bullet_list(state: MarkdownSerializerState, node: PMNode) {
      state.renderList(node, '  ', () => '- ');
    },
    ordered_list: nodes.ordered_list!,
    list_item: nodes.list_item!,
    hard_break: nodes.hard_break!,
    image: nodes.image!,
    text: nodes.text!,
    table: serializeTable,
    // Rows and cells are written by their table.
    table_row: () => undefined,
    table_cell: () => undefined,
    table_header: () => undefined,
  },
  defaultMarkdownSerializer.marks,
);

/** One cell's inline text as GFM needs it: on one line, its pipes escaped (also inside code, as GFM reads them). */
function cellMarkdown(cell: PMNode | undefined): string {
  const paragraph = cell?.firstChild;
  if (!paragraph || paragraph.content.size === 0) return '';
  const state = new NewLinearState(serializer.nodes, serializer.marks, {});
  state.renderInline(paragraph);
  // A hard break cannot live in a GFM cell: it becomes a space.
  return state.output().replace(/\\\n/g, ' ').replace(/\n/g, ' ').replace(/\|/g, '\\|').trim();
}

/**
 * A table as a GFM table: the first row is the header row (GFM has one; a
 * table without header cells gets its first row read back as headers), every
 * row as wide as the widest.
 */
function serializeTable(state: MarkdownSerializerState, node: PMNode): void {
  const rows: string[][] = [];
  node.forEach((row) => {
    const cells: string[] = [];
    row.forEach((cell) => void cells.push(cellMarkdown(cell)));
    rows.push(cells);
  });
  const width = Math.max(1, ...rows.map((r) => r.length));
  const line = (cells: string[]) => `| ${Array.from({ length: width }, (_, i) => cells[i] ?? '').join(' | ')} |`;
  rows.forEach((cells, i) => {
    state.write(line(cells).replace(/ {2,}\|/g, ' |'));
    state.ensureNewLine();
    if (i === 0) {
      state.write(`|${' --- |'.repeat(width)}`);
      state.ensureNewLine();
    }
  });
  state.closeBlock(node);
}

/** A letter or digit: a "_" between two of them is intraword, never emphasis. */
const WORD = /^[\p{L}\p{N}]$/u;

/** prosemirror-markdown's internal output buffer, which its .d.ts does not name. */
interface StateOutput {
  out: string;
}

/**
 * prosemirror-markdown appends to one string and reads its last characters
 * before every write; V8 then flattens the whole rope each time, which made a
 * 1 MB document take minutes. This state keeps `out` short (its last two
 * characters are all the base class ever looks back at) and parks the rest in
 * chunks, so serialisation is linear in the size of the document. It also
 * escapes text so that it reads back as the same text (`esc`).
 */
class LinearState extends MarkdownSerializerState {
  readonly done: string[] = [];

  /**
   * prosemirror-markdown's escaping, except for "_": it leaves one bare
   * between two word characters, but "_" is a word character itself, so
   * "__a__" was written "\__a_\_" and read back as "_" + emphasis + "_". Here
   * "_" stays bare only between two letters or digits, where CommonMark
   * never reads it as emphasis.
   */
  override esc(str: string, startOfLine = false): string {
    let out = str.replace(/[`*\\~[\]_]/g, (m: string, i: number) => (m === '_' && WORD.test(str[i - 1] ?? '') && WORD.test(str[i + 1] ?? '') ? m : `\\${m}`));
    if (startOfLine) {
      // As prosemirror-markdown does, and also a "+" or a number's "." or ")" that ends the line (a list item too).
      out = out
        .replace(/^(\+(?=[ ]|$)|[-*>])/, '\\$&')
        .replace(/^(\s*)(#{1,6})(\s|$)/, '$1\\$2$3')
        .replace(/^(\s*\d+)([.)])(?=\s|$)/, '$1\\$2');
    }
    return out;
  }

  override write(content?: string): void {
    const self = this as unknown as StateOutput;
    if (self.out.length > 4096) {
      this.done.push(self.out.slice(0, -2));
      self.out = self.out.slice(-2);
    }
    super.write(content);
  }

  output(): string {
    return this.done.join('') + (this as unknown as StateOutput).out;
  }
}

// The state's constructor is internal to prosemirror-markdown (what `serialize` calls).
const NewLinearState = LinearState as unknown as new (nodes: MarkdownSerializer['nodes'], marks: MarkdownSerializer['marks'], options: MarkdownSerializer['options']) => LinearState;

function serializeBody(doc: PMNode): string {
  const state = new NewLinearState(serializer.nodes, serializer.marks, {});
  state.renderContent(doc);
  return state.output();
}

/** Markdown of a whole document, in the canonical form `parseMarkdown` reads back. */
export function serializeMarkdown(title: string, doc: PMNode, language: string = DEFAULT_LANGUAGE): string {
  const body = serializeBody(doc);
  return `${languageFrontMatter(language)}${title ? `# ${title}\n\n` : ''}${body.trimEnd()}\n`;
}



/** prosemirror-markdown's own `serialize`, quadratic on large documents: kept as the benchmark's baseline only. */
export function serializeMarkdownNaive(title: string, doc: PMNode): string {
  return `${title ? `# ${title}\n\n` : ''}${serializer.serialize(doc).trimEnd()}\n`;
}
