// Documents: creation from Markdown and the live view of their text.
import * as Y from 'yjs';
import type { Node as PMNode } from 'prosemirror-model';
import type { DocumentSummary } from '../../core/api';
import { MarkdownError } from '../../core/markdown';
import { readContent, type ContentReading } from '../../core/read-content';
import { CONTENT_FIELD, schema } from '../../core/schema';
import type { Rooms } from '../collab/rooms';
import type { Store } from '../store/types';
import { storedParts, storedState } from '../store/stored-state';
import { msg, NotFoundError } from '../errors';
import { createHash } from 'node:crypto';
import { RenderCache } from '../export/cache';
import { runTask } from '../workers/tasks';
import type { TaskRunner } from '../workers/pool';
import { splitView, type RenderedView } from './view';
import type { ViewFiles } from './view-files';

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

/** How many documents keep their latest rendering at hand (each about 15 times its Markdown in size). */
const LAST_VIEWS = 8;

export class DocumentService {
  /** Rendered views by content (the hash of the Yjs state they were read from). */
  private readonly views = new RenderCache<string>(16, 128 * 1024 * 1024);
  /** The latest rendering of each document, encoded, for the reads that follow an unchanged text. */
  private readonly lastViews = new Map<string, { key: string; view: LiveRendering }>();
  private readonly roomCounters = new WeakMap<Y.Doc, { serial: number; updates: number }>();
  private roomSerial = 0;

  constructor(
    private readonly store: Store,
    private readonly rooms: Rooms,
    private readonly log: (message: string) => void = () => {},
    /** Where views are rendered: the worker pool in the server, this thread by default. */
    private readonly render: TaskRunner = runTask,
    /** Where the views of stored texts are kept across restarts (DATA_DIR/views), if anywhere. */
    private readonly files: ViewFiles | null = null,
  ) {}

  list(): Promise<DocumentSummary[]> {
    return this.store.documents.list();
  }

  async require(id: string): Promise<DocumentSummary> {
    const doc = await this.store.documents.get(id);
    if (!doc) throw new NotFoundError(msg('document.notFound', { id }));
    return doc;
  }

  /**
   * Creates a document from Markdown; the title argument wins over a `# Title`
   * line. Parsing, building the Yjs state and rendering the first view run
   * where `render` runs (a 1 MB document takes seconds), and the view is kept,
   * so the first read of a new document is a cache hit.
   */
  async create(id: string, title: string, markdown: string, language?: string): Promise<DocumentSummary> {
    const made = await this.render({ kind: 'import', id, title, language, markdown });
    if (!made.ok) throw new MarkdownError(made.reason, made.line);
    const summary: DocumentSummary = { id, title: made.title, language: made.language };
    await this.store.documents.create(summary, made.state);
    if (this.rooms.stateOf(id) === 'none') {
      const key = viewKey(summary, `stored:${await this.store.updates.head(id)}`);
      this.views.put(`view:${key}`, made.view);
      this.save(id, key, made.view);
    }
    return summary;
  }

  /**
   * The live text rendered (documents/view.ts): the body of the document's
   * view and the content for a live redline. The state is taken from the
   * open room, or straight from the store when no room is open (a read loads
   * no room); rendering runs where `render` runs and is cached by the text's
   * version (the stored head, or the open room's update count), so repeated
   * reads of an unchanged text cost one small query, never a render on the
   * event loop.
   */
  async rendered(id: string): Promise<LiveRendering> {
    return this.render1(id, null);
  }

  /**
   * The live text rendered, with the Yjs state it was rendered from (exactly
   * that state: a freeze keeps it for the version's attribution) and the
   * text's version key. When that key is `unchangedSince` (the text is the
   * one a previous call saw), the state is not encoded again: null.
   */
  async renderedWithState(id: string, unchangedSince?: string): Promise<{ view: LiveRendering; state: Uint8Array | null; key: string }> {
    const capture: Capture = { unchangedSince };
    const view = await this.render1(id, capture);
    return { view, state: capture.state ?? null, key: capture.key! };
  }

  private async render1(id: string, capture: Capture | null): Promise<LiveRendering> {
    const summary = await this.require(id);
    // The text's version, cheaply: the stored head when no room is open, else the open room's update count.
    const fromStore = this.rooms.stateOf(id) === 'none';
    let version: string;
    if (!fromStore) {
      // The version key and the captured state are read in one turn: they name the same text.
      version = await this.rooms.with(id, (room) => {
        const key = this.roomVersion(room.doc);
        if (capture && key !== capture.unchangedSince) capture.state = Y.encodeStateAsUpdate(room.doc);
        return key;
      });
    } else if (capture) {
      version = `stored:${await this.store.updates.head(id)}`;
      if (version !== capture.unchangedSince) {
        const stored = await this.store.updates.load(id);
        // Nothing stored (never so for a created document) still captures a state: the empty update.
        capture.state = storedState(stored) ?? Y.mergeUpdates([]);
        version = `stored:${stored.upto}`;
      }
    } else {
      version = `stored:${await this.store.updates.head(id)}`;
    }
    const key = viewKey(summary, version);
    if (capture) capture.key = version;
    const last = this.lastViews.get(id);
    if (last?.key === key) return last.view;
    const rendered = await this.views.get(`view:${key}`, async () => {
      if (capture?.state) return this.render({ kind: 'view', summary, parts: [capture.state] });
      if (!fromStore) return this.render({ kind: 'view', summary, parts: [await this.rooms.with(id, (room) => Y.encodeStateAsUpdate(room.doc))] });
      // A stored text's view outlives the process: the first read after a restart is a file read.
      const saved = (await this.files?.read(id, key)) ?? null;
      if (saved !== null) return saved;
      const text = await this.render({ kind: 'view', summary, parts: storedParts(await this.store.updates.load(id)) });
      this.save(id, key, text);
      return text;
    });
    const split = splitView(summary, rendered);
    if (split.problems.length > 0) this.log(`document ${id} holds structure the schema cannot hold; left out of this read: ${split.problems.join('; ')}`);
    // Encoded once; the ETag names the text's version, so Express never hashes the body per request either.
    const view = { summary, ...split, bytes: Buffer.from(split.body, 'utf8'), etag: `"${key}"` };
    this.lastViews.delete(id);
    this.lastViews.set(id, { key, view });
    for (const oldest of this.lastViews.keys()) {
      if (this.lastViews.size <= LAST_VIEWS) break;
      this.lastViews.delete(oldest);
    }
    return view;
  }

  private save(id: string, key: string, rendered: string): void {
    this.files?.write(id, key, rendered).catch((err: unknown) => this.log(`could not keep the rendered view of ${id}: ${String(err)}`));
  }

  /** `room<serial>.<updates applied>`: changes with every update the open Y.Doc applies, from any origin. */
  private roomVersion(doc: Y.Doc): string {
    let counter = this.roomCounters.get(doc);
    if (!counter) {
      const created = { serial: ++this.roomSerial, updates: 0 };
      doc.on('update', () => created.updates++);
      this.roomCounters.set(doc, created);
      counter = created;
    }
    return `room${counter.serial}.${counter.updates}`;
  }

  /** The JSON body of `GET /api/documents/:id` (a DocumentView) and its ETag, rendered off the event loop. */
  async viewBody(id: string): Promise<{ bytes: Buffer; etag: string }> {
    return this.rendered(id);
  }
}

/** What a render that keeps its Yjs state captures: the state (unless unchanged since a known key) and the text's version key. */
interface Capture {
  unchangedSince?: string;
  state?: Uint8Array;
  key?: string;
}

export interface LiveRendering extends RenderedView {
  summary: DocumentSummary;
  bytes: Buffer;
  etag: string;
}


/** The cache key of a rendering: the summary and the text's version (see `rendered`). */
function viewKey(summary: DocumentSummary, version: string): string {
  return createHash('sha256').update(JSON.stringify(summary)).update(version).digest('hex');
}
