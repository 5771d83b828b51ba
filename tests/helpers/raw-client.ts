// A raw y-protocols client: it syncs its own copy of the document from the
// server, then sends whatever frames a test crafts, and collects the
// server's permission denials. No provider logic between the test and the wire.
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import { waitFor } from './ws';

const SYNC = 0;
const AUTH = 2;

export interface RawClient {
  ws: WebSocket;
  /** The client's own copy of the document, synced from the server. */
  doc: Y.Doc;
  denials: string[];
  closed: Promise<{ code: number; reason: string }>;
  isOpen(): boolean;
  send(frame: Uint8Array | Buffer | string): void;
}

export async function rawClient(url: string): Promise<RawClient> {
  const ws = new WebSocket(url);
  ws.binaryType = 'nodebuffer';
  const doc = new Y.Doc();
  const denials: string[] = [];
  let synced = false;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  ws.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    const type = decoding.readVarUint(decoder);
    if (type === SYNC) {
      const sub = decoding.readVarUint(decoder);
      if (sub === syncProtocol.messageYjsSyncStep1) {
        decoding.readVarUint8Array(decoder); // we answer nothing: this client only sends crafted updates
      } else {
        Y.applyUpdate(doc, decoding.readVarUint8Array(decoder), 'server');
        if (sub === syncProtocol.messageYjsSyncStep2) synced = true;
      }
    } else if (type === AUTH) {
      decoding.readVarUint(decoder);
      denials.push(decoding.readVarString(decoder));
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve());
    ws.on('error', reject);
  });
  const hello = encoding.createEncoder();
  encoding.writeVarUint(hello, SYNC);
  syncProtocol.writeSyncStep1(hello, doc);
  ws.send(encoding.toUint8Array(hello));
  await waitFor(() => synced, 5000, 'raw client sync');
  return { ws, doc, denials, closed, isOpen: () => ws.readyState === WebSocket.OPEN, send: (frame) => ws.send(frame) };
}
