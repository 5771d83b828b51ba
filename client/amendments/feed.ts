// The amendments of the open document, kept current: fetched once, then again
// whenever the server signals that amendments changed (after any proposal,
// support, comment, decision or withdrawal) and after a reconnect. One feed
// per Y.Doc, shared by the side panel and the inline decorations.
import type * as Y from 'yjs';
import { amendmentsApi, ApiError, type Amendment } from '../api';
import { onSignal } from '../signals';

export interface AmendmentFeed {
  readonly docId: string;
  list(): readonly Amendment[];
  /** The last load error, or null. */
  error(): string | null;
  loaded(): boolean;
  subscribe(listener: () => void): () => void;
  /** Refetches now (also after one's own action, without waiting for the revision). */
  refresh(): Promise<void>;
}

const feeds = new WeakMap<Y.Doc, AmendmentFeed>();

export function amendmentFeed(docId: string, ydoc: Y.Doc): AmendmentFeed {
  const existing = feeds.get(ydoc);
  if (existing) return existing;
  let amendments: readonly Amendment[] = [];
  let failure: string | null = null;
  let hasLoaded = false;
  const listeners = new Set<() => void>();
  let inFlight: Promise<void> | null = null;
  let again = false;

  const load = async (): Promise<void> => {
    try {
      amendments = await amendmentsApi.list(docId);
      failure = null;
      hasLoaded = true;
    } catch (error) {
      failure = error instanceof ApiError || error instanceof Error ? error.message : String(error);
    }
    for (const listener of [...listeners]) listener();
  };

  // One request at a time; bursts of revisions collapse into one more fetch.
  const refresh = (): Promise<void> => {
    if (inFlight) {
      again = true;
      return inFlight;
    }
    inFlight = load().finally(() => {
      inFlight = null;
      if (again) {
        again = false;
        void refresh();
      }
    });
    return inFlight;
  };

  const feed: AmendmentFeed = {
    docId,
    list: () => amendments,
    error: () => failure,
    loaded: () => hasLoaded,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    refresh,
  };
  feeds.set(ydoc, feed);
  onSignal(ydoc, (event) => {
    if (event.kind === 'amendments' || event.kind === 'resync') void refresh();
  });
  void refresh();
  return feed;
}
