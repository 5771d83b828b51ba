// The live text of a document rendered from its Yjs state alone, so it can
// run in a worker thread (server/workers/tasks.ts) and be cached by content:
// a 1 MB document takes seconds to load, read and serialise, which must never
// happen on the loop that answers everyone else. One rendering serves both
// `GET /api/documents/:id` and the live side of redlines.
import * as Y from 'yjs';
import type { DocumentSummary } from '../../core/api';
import { contentHash } from '../../core/canonical';
import { serializeMarkdown } from '../../core/markdown';
import { readContent } from '../../core/read-content';
import { CONTENT_FIELD, schema, sectionsOf, type PMJSON } from '../../core/schema';

/** What the schema could not hold (left out of the reading), whether the reading checks as a document, and its content hash. */
interface ViewHead {
  problems: string[];
  /** Why the text read is not a valid document structure (ProseMirror's check), or null. */
  invalid: string | null;
  contentHash: string;
}

/**
 * Four JSON texts, one a line (JSON.stringify never writes a raw newline):
 * the head, the sections, the Markdown and the ProseMirror content. They
 * cross the thread boundary as one string, and the HTTP body is assembled
 * from them by concatenation, never parsed on the event loop.
 */
export function renderView(summary: DocumentSummary, parts: readonly Uint8Array[]): string {
  const ydoc = new Y.Doc();
  try {
    if (parts.length > 0) Y.applyUpdate(ydoc, parts.length === 1 ? parts[0]! : Y.mergeUpdates([...parts]));
    const { doc, problems } = readContent(ydoc.getXmlFragment(CONTENT_FIELD), schema);
    const content = doc.toJSON() as PMJSON;
    let invalid: string | null = null;
    try {
      doc.check();
    } catch (err) {
      invalid = err instanceof Error ? err.message : String(err);
    }
    const head: ViewHead = { problems, invalid, contentHash: contentHash(summary.title, content) };
    return [JSON.stringify(head), JSON.stringify(sectionsOf(doc)), JSON.stringify(serializeMarkdown(summary.title, doc, summary.language)), JSON.stringify(content)].join('\n');
  } finally {
    ydoc.destroy();
  }
}

export interface RenderedView extends ViewHead {
  /** The body of `GET /api/documents/:id` (a DocumentView). */
  body: string;
  /** The ProseMirror JSON of the text, as JSON text. */
  contentJson: string;
  /** Its sections (SectionSummary[]), as JSON text. */
  sectionsJson: string;
  /** Its Markdown, as a JSON string literal. */
  markdownJson: string;
}

export function splitView(summary: DocumentSummary, rendered: string): RenderedView {
  const a = rendered.indexOf('\n');
  const b = rendered.indexOf('\n', a + 1);
  const c = rendered.indexOf('\n', b + 1);
  const head = JSON.parse(rendered.slice(0, a)) as ViewHead;
  const contentJson = rendered.slice(c + 1);
  const summaryJson = JSON.stringify(summary);
  const body = `${summaryJson.slice(0, -1)},"sections":${rendered.slice(a + 1, b)},"markdown":${rendered.slice(b + 1, c)},"content":${contentJson}}`;
  return { ...head, body, contentJson, sectionsJson: rendered.slice(a + 1, b), markdownJson: rendered.slice(b + 1, c) };
}
