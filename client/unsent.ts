// Which sections hold changes this device has made and not yet shared: named
// in words ("unsent changes in Privacy and Security"), never as a count of
// keystrokes. Remembered in localStorage beside the local copy, so the next
// visit can say what is still waiting to merge.
import * as Y from 'yjs';

export interface UnsentChanges {
  /** Section ids with unsent changes, in document order where known. */
  sections(): string[];
  /** True when the sections were remembered from an earlier visit. */
  fromEarlierVisit(): boolean;
  subscribe(listener: () => void): () => void;
  /** The connection has synced: everything local has been offered to the server. */
  clear(): void;
  destroy(): void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function sectionIdOf(type: Y.AbstractType<any>, fragment: Y.XmlFragment): string | null {
  let current: Y.AbstractType<any> | null = type; // eslint-disable-line @typescript-eslint/no-explicit-any
  while (current && current._item) {
    const parent = current._item.parent as Y.AbstractType<any> | null; // eslint-disable-line @typescript-eslint/no-explicit-any
    if (parent === fragment) return current instanceof Y.XmlElement ? (current.getAttribute('id') as string | undefined) ?? null : null;
    current = parent;
  }
  return null;
}

export function trackUnsent(ydoc: Y.Doc, fragment: Y.XmlFragment, shared: () => boolean, storageKey: string | null): UnsentChanges {
  const key = storageKey ? `${storageKey}:unsent` : null;
  const remembered = (): string[] => {
    try {
      const value = key ? JSON.parse(localStorage.getItem(key) ?? '[]') : [];
      return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
    } catch {
      return [];
    }
  };
  const ids = new Set<string>(remembered());
  let earlier = ids.size > 0;
  const listeners = new Set<() => void>();
  const save = (): void => {
    try {
      if (!key) return;
      if (ids.size) localStorage.setItem(key, JSON.stringify([...ids]));
      else localStorage.removeItem(key);
    } catch {
      // Storage full or refused: the words are lost, the changes are not.
    }
    listeners.forEach((listener) => listener());
  };
  const onTransaction = (tr: Y.Transaction): void => {
    if (!tr.local || shared()) return;
    let added = false;
    for (const type of tr.changed.keys()) {
      const id = sectionIdOf(type, fragment);
      if (id && !ids.has(id)) {
        ids.add(id);
        added = true;
      }
    }
    if (added) {
      earlier = false;
      save();
    }
  };
  ydoc.on('afterTransaction', onTransaction);
  return {
    sections: () => {
      const order = fragment.toArray().map((node) => (node instanceof Y.XmlElement ? node.getAttribute('id') : null));
      return [...ids].sort((a, b) => order.indexOf(a) - order.indexOf(b));
    },
    fromEarlierVisit: () => earlier,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    clear: () => {
      if (!ids.size) return;
      ids.clear();
      earlier = false;
      save();
    },
    destroy: () => ydoc.off('afterTransaction', onTransaction),
  };
}
