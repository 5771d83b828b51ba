// The first Yjs state of a document: pure, so that both the service and a
// worker thread (workers/tasks.ts, importing a large document) can build it.
import * as Y from 'yjs';
import { prosemirrorToYXmlFragment } from 'y-prosemirror';
import type { Node as PMNode } from 'prosemirror-model';
import { CONTENT_FIELD } from '../../core/schema';

/** The Y.Doc state of a fresh document holding `doc`. */
export function initialState(doc: PMNode): Uint8Array {
  const ydoc = new Y.Doc();
  prosemirrorToYXmlFragment(doc, ydoc.getXmlFragment(CONTENT_FIELD));
  const update = Y.encodeStateAsUpdate(ydoc);
  ydoc.destroy();
  return update;
}
