// Stock y-websocket clients in Node, for collaboration tests.
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import { yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror';
import { CONTENT_FIELD, schema } from '../../core/schema';

export interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  text(): string;
  destroy(): void;
}

export async function connect(wsUrl: string, docId: string, token: string, opts: { waitSync?: boolean } = {}): Promise<Client> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${wsUrl}/collab`, docId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token },
    disableBc: true,
  });
  if (opts.waitSync !== false) await waitFor(() => provider.synced, 10_000, 'initial sync');
  return {
    doc,
    provider,
    text: () => textOf(doc),
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

export function textOf(doc: Y.Doc): string {
  return yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(CONTENT_FIELD), schema).textContent;
}

/** The Y.XmlText of the first paragraph of section `id`. */
export function paragraphText(doc: Y.Doc, sectionId: string, paragraphIndex = 0): Y.XmlText {
  const section = doc
    .getXmlFragment(CONTENT_FIELD)
    .toArray()
    .find((s) => s instanceof Y.XmlElement && s.getAttribute('id') === sectionId) as Y.XmlElement | undefined;
  if (!section) throw new Error(`no section ${sectionId}`);
  const paragraphs = section.toArray().filter((n) => n instanceof Y.XmlElement && n.nodeName === 'paragraph') as Y.XmlElement[];
  const p = paragraphs[paragraphIndex];
  if (!p) throw new Error(`section ${sectionId} has no paragraph ${paragraphIndex}`);
  const text = p.toArray().find((n) => n instanceof Y.XmlText) as Y.XmlText | undefined;
  if (!text) throw new Error('paragraph without text');
  return text;
}

export async function waitFor(check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
