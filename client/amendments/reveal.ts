// "Show me this amendment": asked by the inline redline (a click on it) and
// by the propose dialog (the amendment just made), answered by the
// Amendments panel (its tab to the front, the card in view, a flash). A typed
// request per open document, so neither side needs the other's DOM.
import type * as Y from 'yjs';

type Listener = (amendmentId: string) => void;

const listeners = new WeakMap<Y.Doc, Set<Listener>>();

export function onRevealRequest(ydoc: Y.Doc, listener: Listener): () => void {
  let set = listeners.get(ydoc);
  if (!set) listeners.set(ydoc, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

export function requestReveal(ydoc: Y.Doc, amendmentId: string): void {
  for (const listener of [...(listeners.get(ydoc) ?? [])]) listener(amendmentId);
}
