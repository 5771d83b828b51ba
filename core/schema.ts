// The one ProseMirror schema of Accord, shared by server (Markdown, redline,
// validation), client (editor) and CLI. A document is a list of sections;
// a section has a stable `id` and starts with its level-2 heading; its blocks
// are paragraphs, subheadings, lists, quotes and tables.
// This module must stay pure: no DOM access at import time, no Node APIs.
import { Schema, type DOMOutputSpec, type Node as PMNode, type Mark, type NodeSpec } from 'prosemirror-model';

/** The Y.XmlFragment in every Y.Doc that holds the text (contract). */
export const CONTENT_FIELD = 'content';

/** The level of a section's own heading; subheadings inside a section are deeper. */
export const SECTION_HEADING_LEVEL = 2;

const SAFE_HREF = /^(https?:|mailto:|#)/i;

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** Images may come from the web or a path relative to the document (never javascript:, data: or file:). */
export function isSafeImageSrc(src: string): boolean {
  const s = src.trim();
  return s.length <= 2048 && (/^https?:/i.test(s) || (s !== '' && !SCHEME.test(s) && !s.startsWith('//')));
}

/** Links may only point to the web, to mail, or inside the page. */
export function isSafeHref(href: string): boolean {
  return SAFE_HREF.test(href.trim());
}

/** A span is always 1: Accord's tables are GFM tables, which cannot merge cells. */
function validateSpan(value: unknown): void {
  if (value !== 1) throw new RangeError('table cells span exactly one row and one column');
}

/** prosemirror-tables' column widths: null or a list of positive pixel widths. */
export function isColumnWidths(value: unknown): boolean {
  return value === null || (Array.isArray(value) && value.length <= 1 && value.every((w) => typeof w === 'number' && Number.isInteger(w) && w > 0 && w <= 10_000));
}

/** A header or body cell, with prosemirror-tables' attrs (colspan, rowspan, colwidth) so its commands work unchanged. */
function cellSpec(tag: 'td' | 'th', tableRole: 'cell' | 'header_cell'): NodeSpec {
  return {
    content: 'paragraph',
    tableRole,
    isolating: true,
    attrs: {
      colspan: { default: 1, validate: validateSpan },
      rowspan: { default: 1, validate: validateSpan },
      colwidth: {
        default: null,
        validate: (value: unknown) => {
          if (!isColumnWidths(value)) throw new RangeError('colwidth must be null or one positive width');
        },
      },
    },
    // Pasted cells lose their spans and widths, never their text.
    parseDOM: [{ tag, getAttrs: () => ({ colspan: 1, rowspan: 1, colwidth: null }) }],
    toDOM: (): DOMOutputSpec => [tag, { dir: 'auto' }, 0],
  };
}

export const schema = new Schema({
  nodes: {
    doc: { content: 'section+' },
    section: {
      content: 'heading block*',
      attrs: { id: { default: '' } },
      defining: true,
      isolating: true,
      parseDOM: [
        {
          tag: 'section[data-section-id]',
          getAttrs: (dom) => ({ id: (dom as HTMLElement).getAttribute('data-section-id') ?? '' }),
        },
      ],
      toDOM: (node): DOMOutputSpec => ['section', { 'data-section-id': node.attrs.id as string, id: `s-${node.attrs.id as string}` }, 0],
    },
    paragraph: {
      content: 'inline*',
      group: 'block',
      parseDOM: [{ tag: 'p' }],
      // dir="auto": a paragraph in another script than the document's runs its own way.
      toDOM: (): DOMOutputSpec => ['p', { dir: 'auto' }, 0],
    },
    heading: {
      attrs: { level: { default: 3 } },
      content: 'inline*',
      group: 'block',
      defining: true,
      parseDOM: [1, 2, 3, 4, 5, 6].map((level) => ({ tag: `h${level}`, attrs: { level: Math.max(3, level) } })),
      toDOM: (node): DOMOutputSpec => [`h${node.attrs.level as number}`, { dir: 'auto' }, 0],
    },
    blockquote: {
      content: 'block+',
      group: 'block',
      defining: true,
      parseDOM: [{ tag: 'blockquote' }],
      toDOM: (): DOMOutputSpec => ['blockquote', 0],
    },
    bullet_list: {
      content: 'list_item+',
      group: 'block',
      attrs: { tight: { default: true } },
      parseDOM: [{ tag: 'ul' }],
      toDOM: (): DOMOutputSpec => ['ul', 0],
    },
    ordered_list: {
      content: 'list_item+',
      group: 'block',
      attrs: { order: { default: 1 }, tight: { default: true } },
      parseDOM: [
        {
          tag: 'ol',
          getAttrs: (dom) => {
            const start = (dom as HTMLElement).getAttribute('start');
            return { order: start ? Number.parseInt(start, 10) || 1 : 1 };
          },
        },
      ],
      toDOM: (node): DOMOutputSpec =>
        (node.attrs.order as number) === 1 ? ['ol', 0] : ['ol', { start: node.attrs.order as number }, 0],
    },
    list_item: {
      content: 'paragraph block*',
      defining: true,
      parseDOM: [{ tag: 'li' }],
      toDOM: (): DOMOutputSpec => ['li', { dir: 'auto' }, 0],
    },
    // Tables (GFM): rows of header or body cells, each holding one paragraph (a GFM cell is one line).
    // The node names, roles and cell attrs are prosemirror-tables' own (its editing commands read them);
    // spans are always 1, since Markdown cannot hold a merged cell.
    table: {
      content: 'table_row+',
      group: 'block',
      tableRole: 'table',
      isolating: true,
      parseDOM: [{ tag: 'table' }],
      toDOM: (): DOMOutputSpec => ['table', ['tbody', 0]],
    },
    table_row: {
      content: '(table_cell | table_header)*',
      tableRole: 'row',
      parseDOM: [{ tag: 'tr' }],
      toDOM: (): DOMOutputSpec => ['tr', 0],
    },
    table_cell: cellSpec('td', 'cell'),
    table_header: cellSpec('th', 'header_cell'),
    text: { group: 'inline' },
    // An image is an atom inside a paragraph (Markdown `![alt](src "title")`); the redline compares it as one token.
    image: {
      inline: true,
      group: 'inline',
      atom: true,
      draggable: true,
      attrs: { src: {}, alt: { default: null }, title: { default: null } },
      parseDOM: [
        {
          tag: 'img[src]',
          getAttrs: (dom) => {
            const src = (dom as HTMLElement).getAttribute('src') ?? '';
            return isSafeImageSrc(src) ? { src, alt: (dom as HTMLElement).getAttribute('alt'), title: (dom as HTMLElement).getAttribute('title') } : false;
          },
        },
      ],
      toDOM: (node): DOMOutputSpec => ['img', { src: isSafeImageSrc(node.attrs.src as string) ? (node.attrs.src as string) : '', alt: (node.attrs.alt as string | null) ?? '', title: node.attrs.title as string | null }],
    },
    hard_break: {
      inline: true,
      group: 'inline',
      selectable: false,
      parseDOM: [{ tag: 'br' }],
      toDOM: (): DOMOutputSpec => ['br'],
    },
  },
  marks: {
    link: {
      attrs: { href: {}, title: { default: null } },
      inclusive: false,
      parseDOM: [
        {
          tag: 'a[href]',
          getAttrs: (dom) => {
            const href = (dom as HTMLElement).getAttribute('href') ?? '';
            // Pasted javascript: and data: links are dropped, keeping the text.
            return isSafeHref(href) ? { href, title: (dom as HTMLElement).getAttribute('title') } : false;
          },
        },
      ],
      toDOM: (mark: Mark): DOMOutputSpec => [
        'a',
        { href: isSafeHref(mark.attrs.href as string) ? (mark.attrs.href as string) : '#', title: mark.attrs.title as string | null, rel: 'noopener noreferrer nofollow' },
        0,
      ],
    },
    em: {
      parseDOM: [{ tag: 'i' }, { tag: 'em' }, { style: 'font-style=italic' }],
      toDOM: (): DOMOutputSpec => ['em', 0],
    },
    strong: {
      parseDOM: [
        { tag: 'strong' },
        { tag: 'b', getAttrs: (node) => (node as HTMLElement).style.fontWeight !== 'normal' && null },
        { style: 'font-weight', getAttrs: (value) => /^(bold(er)?|[5-9]\d{2,})$/.test(value as string) && null },
      ],
      toDOM: (): DOMOutputSpec => ['strong', 0],
    },
    // Inline code (`TLS 1.3`): kept as text in every format, shown monospace.
    code: {
      code: true,
      parseDOM: [{ tag: 'code' }],
      toDOM: (): DOMOutputSpec => ['code', 0],
    },
  },
});

export type SectionId = string;

export interface SectionSummary {
  id: SectionId;
  title: string;
}

/** Sections of a document node, in order. */
export function sectionsOf(doc: PMNode): SectionSummary[] {
  const out: SectionSummary[] = [];
  doc.forEach((section) => {
    out.push({ id: section.attrs.id as string, title: section.firstChild?.textContent ?? '' });
  });
  return out;
}

/** The slug a heading gets when the Markdown gives no explicit `{#id}`. */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'section';
}

export const SECTION_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** ProseMirror JSON as stored and exchanged (validated at the edges). */
export interface PMJSON {
  type: string;
  attrs?: Record<string, unknown>;
  content?: PMJSON[];
  marks?: { type: string; attrs?: Record<string, unknown> }[];
  text?: string;
}

/** Parse and check stored or received JSON against the schema; throws on invalid content. */
export function docFromJSON(json: PMJSON): PMNode {
  const node = schema.nodeFromJSON(json);
  node.check();
  return node;
}
