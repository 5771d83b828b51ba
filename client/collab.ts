// The live connection for one document: a Y.Doc, the stock y-websocket
// provider on /collab/:id (the session cookie authenticates), and this
// person's presence. Nothing here knows about ProseMirror.
import * as Y from 'yjs';
import { WebsocketProvider, messageAuth } from 'y-websocket';
import { readAuthMessage } from 'y-protocols/auth';
import { CONTENT_FIELD } from '../core/schema';
import type { User } from './api';
import { presenceUser } from './editor/presence';
import { MESSAGE_SIGNAL, readSignal } from '../core/signals';
import { emitSignal } from './signals';

export interface CollabSession {
  ydoc: Y.Doc;
  provider: WebsocketProvider;
  fragment: Y.XmlFragment;
  destroy(): void;
}

export function collabBaseUrl(): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/collab`;
}

export function openCollabSession(docId: string, user: User, onPermissionDenied: (reason: string) => void): CollabSession {
  const ydoc = new Y.Doc();
  // No BroadcastChannel: every change goes through the server, which checks the sender's role.
  const provider = new WebsocketProvider(collabBaseUrl(), docId, ydoc, { disableBc: true });
  provider.messageHandlers[messageAuth] = (_encoder, decoder) => {
    readAuthMessage(decoder, ydoc, (_doc, reason) => onPermissionDenied(reason));
  };
  provider.messageHandlers[MESSAGE_SIGNAL] = (_encoder, decoder) => {
    const signal = readSignal(decoder);
    if (signal) emitSignal(ydoc, signal);
  };
  let wasSynced = false;
  provider.on('sync', (synced: boolean) => {
    if (synced && wasSynced) emitSignal(ydoc, { kind: 'resync' });
    wasSynced ||= synced;
  });
  provider.awareness.setLocalStateField('user', presenceUser(user));
  return {
    ydoc,
    provider,
    fragment: ydoc.getXmlFragment(CONTENT_FIELD),
    destroy: () => {
      provider.awareness.setLocalState(null);
      provider.destroy();
      ydoc.destroy();
    },
  };
}
