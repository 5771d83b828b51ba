// Rooms and stores for lifecycle tests: a real SQLite store in a temporary
// directory, wrapped so that every call has real latency (as PostgreSQL will)
// and appends can be made to fail on demand; peers that record what they get.
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { openSqliteStore, type SqliteStore } from '../../server/store/sqlite';
import type { UpdateRepository } from '../../server/store/types';
import type { Peer } from '../../server/collab/room';
import { initialState } from '../../server/documents/state';
import { parseMarkdown } from '../../core/markdown';
import { CONTENT_FIELD } from '../../core/schema';
import type { Role } from '../../core/api';
import { ROOT } from './process';
import { updateFrame } from './y-frames';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface SlowUpdates extends UpdateRepository {
  /** Delay of every call, in milliseconds (changeable mid-test). */
  delay: { append: number; load: number; compact: number };
  /** Appends fail while this is true. */
  failAppends: boolean;
  calls: { append: number; load: number; compact: number };
}

/** Wraps a repository so that every call waits `delay` before it reaches the store. */
export function slowUpdates(inner: UpdateRepository, delay = { append: 5, load: 20, compact: 50 }): SlowUpdates {
  const slow: SlowUpdates = {
    delay: { ...delay },
    failAppends: false,
    calls: { append: 0, load: 0, compact: 0 },
    async append(docId, update) {
      slow.calls.append++;
      const failing = slow.failAppends;
      await sleep(slow.delay.append);
      if (failing) throw new Error('disk full');
      return inner.append(docId, update);
    },
    async load(docId) {
      slow.calls.load++;
      await sleep(slow.delay.load);
      return inner.load(docId);
    },
    since(docId, after) {
      return inner.since(docId, after);
    },
    head(docId) {
      return inner.head(docId);
    },
    async compact(docId, upto) {
      slow.calls.compact++;
      await sleep(slow.delay.compact);
      return inner.compact(docId, upto);
    },
  };
  return slow;
}

export interface TempStore {
  store: SqliteStore;
  close(): Promise<void>;
}

/** A real SQLite store holding the Good Practice Paper as document `gpp`. */
export async function gppStore(): Promise<TempStore> {
  const dir = mkdtempSync(join(tmpdir(), 'accord-rooms-'));
  const store = openSqliteStore(join(dir, 'accord.sqlite'), (size) => `test\n${size}\n`);
  const md = readFileSync(join(ROOT, 'documents', 'gpp.md'), 'utf8');
  await store.documents.create({ id: 'gpp', title: 'GPP' }, initialState(parseMarkdown(md).doc));
  return {
    store,
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TestPeer extends Peer {
  received: Uint8Array[];
  closed: number | null;
}

export function testPeer(role: Role, id: string = role): TestPeer {
  const peer: TestPeer = {
    user: { id, name: id, email: `${id}@x.org`, organization: 'O', stakeholderGroup: 'academia', role },
    received: [],
    closed: null,
    send(m) {
      peer.received.push(m);
    },
    close(code) {
      peer.closed = code;
    },
    bufferedAmount: () => 0,
  };
  return peer;
}

/** An editor's copy of a document: edits produce y-protocols update frames. */
export class EditorDoc {
  readonly doc = new Y.Doc();

  constructor(state: Uint8Array) {
    Y.applyUpdate(this.doc, state);
  }

  /** Types `text` at the start of the first paragraph of the section at `sectionIndex`; returns the frame. */
  type(text: string, sectionIndex = 0): Uint8Array {
    return updateFrame(this.typedUpdate(text, sectionIndex));
  }

  /** As `type`, but the Yjs update itself (what the store and the bus carry), not a frame. */
  typedUpdate(text: string, sectionIndex = 0): Uint8Array {
    return this.update(() => firstParagraphText(this.doc, sectionIndex).insert(0, text));
  }

  /** Runs `change` on the doc and returns the update it made as a sync-update frame. */
  frame(change: (doc: Y.Doc) => void): Uint8Array {
    return updateFrame(this.update(change));
  }

  /** Runs `change` on the doc and returns the update it made. */
  update(change: (doc: Y.Doc) => void): Uint8Array {
    const before = Y.encodeStateVector(this.doc);
    change(this.doc);
    return Y.encodeStateAsUpdate(this.doc, before);
  }
}

export { updateFrame };

export function firstParagraphText(doc: Y.Doc, sectionIndex = 0): Y.XmlText {
  const section = doc.getXmlFragment(CONTENT_FIELD).get(sectionIndex) as Y.XmlElement;
  const paragraph = section.toArray().find((n) => n instanceof Y.XmlElement && n.nodeName === 'paragraph') as Y.XmlElement;
  return paragraph.get(0) as Y.XmlText;
}

/** The text content of a stored document, rebuilt from snapshot + tail. */
export async function storedXml(updates: UpdateRepository, docId: string): Promise<string> {
  const stored = await updates.load(docId);
  const doc = new Y.Doc();
  for (const u of stored.snapshot ? [stored.snapshot, ...stored.tail] : stored.tail) Y.applyUpdate(doc, u);
  const xml = doc.getXmlFragment(CONTENT_FIELD).toString();
  doc.destroy();
  return xml;
}
