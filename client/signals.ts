// The server's signals for an open document (core/signals.ts), delivered to
// whoever listens for that Y.Doc. After a reconnect, listeners hear
// 'resync': signals sent while the connection was down are lost, so state
// fetched from the API should be fetched again.
import type * as Y from 'yjs';
import type { AccordSignal } from '../core/signals';

export type SignalEvent = AccordSignal | { kind: 'resync' };
type Listener = (event: SignalEvent) => void;

const listeners = new WeakMap<Y.Doc, Set<Listener>>();

export function onSignal(ydoc: Y.Doc, listener: Listener): () => void {
  let set = listeners.get(ydoc);
  if (!set) listeners.set(ydoc, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

export function emitSignal(ydoc: Y.Doc, event: SignalEvent): void {
  for (const listener of [...(listeners.get(ydoc) ?? [])]) listener(event);
}
