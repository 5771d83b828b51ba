// Documents: creation from Markdown and the live view of their text.
import * as Y from 'yjs';
import { prosemirrorToYXmlFragment } from 'y-prosemirror';
import type { Node as PMNode } from 'prosemirror-model';
import type { DocumentSummary, DocumentView } from '../../core/api';
import { parseMarkdown, serializeMarkdown } from '../../core/markdown';
import { readContent, type ContentReading } from '../../core/read-content';
import { CONTENT_FIELD, schema, sectionsOf, type PMJSON } from '../../core/schema';
import type { Rooms } from '../collab/rooms';
import type { Store, StoredUpdates } from '../store/types';
import { notFound } from '../http/errors';
import { createHash } from 'node:crypto';
import { RenderCache } from '../export/cache';
import { runTask } from '../workers/tasks';
import type { TaskRunner } from '../workers/pool';
import { splitViewBody } from './view';

/** The Y.Doc state of a fresh document holding `doc`. */
export function initialState(doc: PMNode): Uint8Array {
  const ydoc = new Y.Doc();
  prosemirrorToYXmlFragment(doc, ydoc.getXmlFragment(CONTENT_FIELD));
  const update = Y.encodeStateAsUpdate(ydoc);
  ydoc.destroy();
  return update;
}

/**
 * The live text of a Y.Doc as a valid document, with what had to be left out
 * or repaired to read it. Never writes to the Y.Doc; logs nothing (the caller
 * decides what to do with `problems`).
 */
export function liveReading(ydoc: Y.Doc): ContentReading {
  return readContent(ydoc.getXmlFragment(CONTENT_FIELD), schema);
}

/** The live text of a Y.Doc as a valid ProseMirror document (what the schema cannot hold is left out). */
export function liveNode(ydoc: Y.Doc): PMNode {
  return liveReading(ydoc).doc;
}

export class DocumentService {
  /** Rendered views by content (the hash of the Yjs state they were read from). */
  private readonly views = new RenderCache(16, 128 * 1024 * 1024);

  constructor(
    private readonly store: Store,
    private readonly rooms: Rooms,
    private readonly log: (message: string) => void = () => {},
    /** Where views are rendered: the worker pool in the server, this thread by default. */
    private readonly render: TaskRunner = runTask,
  ) {}

  list(): Promise<DocumentSummary[]> {
    return this.store.documents.list();
  }

  async require(id: string): Promise<DocumentSummary> {
    const doc = await this.store.documents.get(id);
    if (!doc) throw notFound(`no document ${id}`);
    return doc;
  }

  /** Creates a document from Markdown; the title argument wins over a `# Title` line. */
  async create(id: string, title: string, markdown: string): Promise<DocumentSummary> {
    const parsed = parseMarkdown(markdown);
    const summary = { id, title: title || parsed.title };
    await this.store.documents.create(summary, initialState(parsed.doc));
    return summary;
  }

  /**
   * The live text, read from the open room (or loaded for the occasion).
   * Structure the schema cannot hold (stored before the gate existed) is left
   * out of the reading with a logged warning and reported in `problems`; it
   * is never deleted by a read.
   */
  async live(id: string): Promise<{ summary: DocumentSummary; doc: PMNode; problems: string[] }> {
    const summary = await this.require(id);
    const { doc, problems } = await this.rooms.with(id, (room) => liveReading(room.doc));
    if (problems.length > 0) this.log(`document ${id} holds structure the schema cannot hold; left out of this read: ${problems.join('; ')}`);
    return { summary, doc, problems };
  }

  /**
   * The JSON body of the document's view (a `DocumentView`). The state is
   * taken from the open room, or straight from the store when no room is
   * open (a read loads nothing); rendering runs where `render` runs and is
   * cached by the state's hash, so repeated reads of an unchanged text cost a
   * hash, never a render on the event loop.
   */
  async viewBody(id: string): Promise<string> {
    const summary = await this.require(id);
    const parts =
      this.rooms.stateOf(id) === 'none'
        ? storedParts(await this.store.updates.load(id))
        : [await this.rooms.with(id, (room) => Y.encodeStateAsUpdate(room.doc))];
    const hash = createHash('sha256').update(JSON.stringify(summary));
    for (const part of parts) hash.update(String(part.byteLength)).update(part);
    const key = `view:${hash.digest('hex')}`;
    const rendered = await this.views.get(key, () => this.render({ kind: 'view', summary, parts }));
    if (typeof rendered !== 'string') throw new Error('view render returned bytes');
    const { problems, body } = splitViewBody(rendered);
    if (problems.length > 0) this.log(`document ${id} holds structure the schema cannot hold; left out of this read: ${problems.join('; ')}`);
    return body;
  }

  async view(id: string): Promise<DocumentView> {
    return JSON.parse(await this.viewBody(id)) as DocumentView;
  }
}

function storedParts(stored: StoredUpdates): Uint8Array[] {
  return stored.snapshot ? [stored.snapshot, ...stored.tail] : [...stored.tail];
}
