// The local copy of a document on this device (IndexedDB, y-indexeddb), for
// those who may change the text: what they type while offline survives
// closing the tab and merges with the shared text on their next visit. It is
// kept per server, document and account, so nobody else's next sign-in on the
// same browser sends it. It never decides what the text is: the server does.
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';

export interface LocalCopy {
  /** Resolves once the stored copy (if any) is in the Y.Doc: true when this device can keep changes. */
  ready: Promise<boolean>;
  /** Whether changes are being kept on this device (known once `ready` resolved). */
  available(): boolean;
  /** Drops the stored copy (when the server has refused it, so it cannot be sent again). */
  forget(): Promise<void>;
  destroy(): void;
}

export function localCopyName(docId: string, userId: string): string {
  return `accord:${location.host}:${docId}:${userId}`;
}

/**
 * Deletes every local copy this account keeps on this device for this server
 * (signing out on a shared computer leaves none of its text behind). Returns
 * how many were deleted; where the browser cannot list its databases, none.
 */
export async function forgetLocalCopies(userId: string): Promise<number> {
  if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return 0;
  const prefix = `accord:${location.host}:`;
  const suffix = `:${userId}`;
  const names = (await indexedDB.databases().catch(() => [])).map((d) => d.name ?? '').filter((name) => name.startsWith(prefix) && name.endsWith(suffix));
  await Promise.all(
    names.map(
      (name) =>
        new Promise<void>((resolve) => {
          const request = indexedDB.deleteDatabase(name);
          request.onsuccess = request.onerror = request.onblocked = () => resolve();
        }),
    ),
  );
  return names.length;
}

export function keepLocalCopy(ydoc: Y.Doc, docId: string, userId: string): LocalCopy {
  let persistence: IndexeddbPersistence | null = null;
  let available = false;
  const ready = new Promise<boolean>((resolve) => {
    try {
      if (typeof indexedDB === 'undefined') return resolve(false);
      persistence = new IndexeddbPersistence(localCopyName(docId, userId), ydoc);
      // A private window or a full disk can refuse IndexedDB; then changes live only in this tab.
      const timer = window.setTimeout(() => resolve(false), 5000);
      persistence.whenSynced.then(
        () => {
          window.clearTimeout(timer);
          available = true;
          resolve(true);
        },
        () => resolve(false),
      );
      (persistence as unknown as { _db: Promise<unknown> })._db.catch(() => resolve(false));
    } catch {
      resolve(false);
    }
  });
  return {
    ready,
    available: () => available,
    forget: async () => {
      available = false;
      await persistence?.clearData().catch(() => {});
      persistence = null;
    },
    destroy: () => {
      void persistence?.destroy();
    },
  };
}
