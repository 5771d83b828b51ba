// Messages within one open document between client modules that must not
// know each other's DOM: listeners per Y.Doc (so two open documents never
// hear each other), told in the order they subscribed.
import type * as Y from 'yjs';

export interface DocChannel<E> {
  /** Listens for `ydoc`'s messages; the returned function stops. */
  on(ydoc: Y.Doc, listener: (event: E) => void): () => void;
  emit(ydoc: Y.Doc, event: E): void;
}

export function docChannel<E>(): DocChannel<E> {
  const listeners = new WeakMap<Y.Doc, Set<(event: E) => void>>();
  return {
    on(ydoc, listener) {
      let set = listeners.get(ydoc);
      if (!set) listeners.set(ydoc, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
    emit(ydoc, event) {
      for (const listener of [...(listeners.get(ydoc) ?? [])]) listener(event);
    },
  };
}
