// The JSON body of `GET /api/documents/:id`, rendered from the document's
// Yjs state alone, so it can run in a worker thread (server/workers/tasks.ts)
// and be cached by content: a 1 MB document takes seconds to load, read and
// serialise, which must never happen on the loop that answers everyone else.
import * as Y from 'yjs';
import type { DocumentSummary, DocumentView } from '../../core/api';
import { serializeMarkdown } from '../../core/markdown';
import { readContent } from '../../core/read-content';
import { CONTENT_FIELD, schema, sectionsOf, type PMJSON } from '../../core/schema';

/**
 * `problems` (what the schema cannot hold, left out of the reading) as JSON on
 * the first line, the view's JSON after it. JSON.stringify never writes a raw
 * newline, so the first one separates them.
 */
export function renderViewBody(summary: DocumentSummary, parts: readonly Uint8Array[]): string {
  const ydoc = new Y.Doc();
  try {
    if (parts.length > 0) Y.applyUpdate(ydoc, parts.length === 1 ? parts[0]! : Y.mergeUpdates([...parts]));
    const { doc, problems } = readContent(ydoc.getXmlFragment(CONTENT_FIELD), schema);
    const view: DocumentView = { ...summary, sections: sectionsOf(doc), markdown: serializeMarkdown(summary.title, doc), content: doc.toJSON() as PMJSON };
    return `${JSON.stringify(problems)}\n${JSON.stringify(view)}`;
  } finally {
    ydoc.destroy();
  }
}

export function splitViewBody(rendered: string): { problems: string[]; body: string } {
  const newline = rendered.indexOf('\n');
  return { problems: JSON.parse(rendered.slice(0, newline)) as string[], body: rendered.slice(newline + 1) };
}
