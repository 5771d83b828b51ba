// The connection pill: online, reconnecting or offline. Edits made while not
// online stay in the local Y.Doc (and, where the browser allows, in the copy
// kept on this device) and merge when the socket syncs again; the pill says
// so in words: which sections hold unsent changes. Read-only roles are only
// told that the text updates when the connection returns. The facts are read
// into one state at each event; the pill is a view of it.
import type { WebsocketProvider } from 'y-websocket';
import type { Cleanup } from '../dom';
import type { LocalCopy } from '../local-copy';
import type { UnsentChanges } from '../unsent';
import { listInWords, t } from '../i18n';
import { createStore, html, mountView, type Store } from '../view';

export type ConnectionStatus = 'online' | 'reconnecting' | 'offline';

/** After this long without a synced connection, "reconnecting" becomes "offline". */
export const OFFLINE_AFTER_MS = 8000;

export interface ConnectionFacts {
  browserOnline: boolean;
  connected: boolean;
  synced: boolean;
  /** ms since the connection was last synced (or since we started trying). */
  downFor: number;
  /** The server closed the socket for good (4400–4499). */
  refused: boolean;
}

export function connectionStatus(facts: ConnectionFacts): ConnectionStatus {
  if (facts.connected && facts.synced) return 'online';
  if (!facts.browserOnline || facts.refused || facts.downFor >= OFFLINE_AFTER_MS) return 'offline';
  return 'reconnecting';
}

export interface ConnectionOptions {
  /** May this person change the text? Only then is anything said about their changes. */
  canEdit: boolean;
  unsent: UnsentChanges | null;
  localCopy: LocalCopy | null;
  /** A section's title for the words "unsent changes in …". */
  titleOf(id: string): string;
}

/** What the detail line says when not online, for someone who may edit. */
export function offlineWords(sections: string[], kept: boolean, earlier: boolean): string {
  const keptWords = kept ? t('connection.keptHere') : t('connection.notKept');
  if (sections.length) {
    const where = listInWords(sections);
    return `${earlier ? t('connection.unsentEarlier', { sections: where }) : t('connection.unsent', { sections: where })} ${keptWords}`;
  }
  return kept ? t('connection.changesKept') : t('connection.changesNotKept');
}

/** What the pill shows, read from the connection, this device and the unsent changes at one moment. */
interface ConnectionState {
  status: ConnectionStatus;
  everSynced: boolean;
  /** Set when the server closed the socket for good. */
  refusal: string | null;
  /** Said once synced again: which sections' changes were merged. */
  merged: string | null;
  unsent: string[];
  /** What is said about this person's changes when not online. */
  pending: string;
  retry: boolean;
}

function connectionView(state: ConnectionState, retry: () => void) {
  const { status } = state;
  const label = status === 'online' ? t('connection.online') : status === 'reconnecting' ? (state.everSynced ? t('connection.reconnecting') : t('connection.connecting')) : t('connection.offline');
  let detail: string;
  if (status === 'online') detail = state.merged ?? t('connection.sharing');
  else if (state.refusal) detail = `${t('connection.closedByServer', { reason: state.refusal })} ${state.pending}`;
  else if (!state.everSynced && !state.unsent.length) detail = t('document.loadingText');
  else detail = state.pending;
  // No white space inside the pill: its text is exactly the status word.
  return html`<section class="panel connection-panel" aria-label=${t('connection.label')}>
    <div id="connection-status" class="status-pill" role="status" data-status=${status}><span class="status-dot" aria-hidden="true"></span><span class="status-label">${label}</span></div>
    <p class="status-detail" id="connection-detail" aria-live="polite" data-unsent=${String(state.unsent.length)}>${detail}</p>
    <button type="button" class="button subtle small" ?hidden=${!state.retry} @click=${retry}>${t('connection.reconnectNow')}</button>
  </section>`;
}

/** Listens to the connection, the browser and the unsent changes; each event reads the facts again into the state. */
function watchConnection(provider: WebsocketProvider, options: ConnectionOptions, store: Store<ConnectionState>): Cleanup {
  let downSince = Date.now();
  const unsentTitles = (): string[] => (options.unsent?.sections() ?? []).map(options.titleOf);
  const observe = (change: Partial<ConnectionState> = {}): void => {
    const next = { ...store.get(), ...change };
    const status = connectionStatus({ browserOnline: navigator.onLine, connected: provider.wsconnected, synced: provider.synced, downFor: Date.now() - downSince, refused: next.refusal !== null });
    const unsent = unsentTitles();
    const pending = options.canEdit ? offlineWords(unsent, options.localCopy?.available() ?? false, options.unsent?.fromEarlierVisit() ?? false) : t('connection.readerWaits');
    store.update({ ...change, status, unsent, pending, retry: status === 'offline' && navigator.onLine });
  };
  const onSync = (synced: boolean): void => {
    if (!synced) {
      downSince = Date.now();
      return observe();
    }
    const titles = unsentTitles();
    observe({ everSynced: true, refusal: null, merged: titles.length ? t('connection.merged', { sections: listInWords(titles) }) : null });
    options.unsent?.clear();
  };
  const onStatus = (): void => observe();
  const onClosed = (event: { code: number; reason: string }): void => observe({ refusal: event.reason || t('connection.closeCode', { code: event.code }) });
  // Browsers notice a lost network before a socket does: act on it at once.
  const onOffline = (): void => {
    provider.disconnect();
    downSince = Math.min(downSince, Date.now());
    observe();
  };
  const onOnline = (): void => {
    if (store.get().refusal === null) provider.connect();
    observe();
  };
  // Closing the tab would lose changes only when this device cannot keep them.
  const onBeforeUnload = (event: BeforeUnloadEvent): void => {
    if (!options.canEdit || options.localCopy?.available() || !options.unsent?.sections().length) return;
    if (provider.wsconnected && provider.synced) return;
    event.preventDefault();
    event.returnValue = '';
  };
  provider.on('sync', onSync);
  provider.on('status', onStatus);
  provider.on('closed', onClosed);
  const unsubscribe = options.unsent?.subscribe(() => observe());
  void options.localCopy?.ready.then(() => observe());
  window.addEventListener('offline', onOffline);
  window.addEventListener('online', onOnline);
  window.addEventListener('beforeunload', onBeforeUnload);
  const tick = window.setInterval(() => {
    if (!(provider.wsconnected && provider.synced)) observe();
  }, 1000);
  if (provider.synced) onSync(true);
  else observe();
  return () => {
    window.clearInterval(tick);
    provider.off('sync', onSync);
    provider.off('status', onStatus);
    provider.off('closed', onClosed);
    unsubscribe?.();
    window.removeEventListener('offline', onOffline);
    window.removeEventListener('online', onOnline);
    window.removeEventListener('beforeunload', onBeforeUnload);
  };
}

export function mountConnectionStatus(container: HTMLElement, provider: WebsocketProvider, options: ConnectionOptions): Cleanup {
  const store = createStore<ConnectionState>({ status: 'reconnecting', everSynced: false, refusal: null, merged: null, unsent: [], pending: '', retry: false });
  const unmount = mountView(container, store, (state) => connectionView(state, () => provider.connect()));
  const stop = watchConnection(provider, options, store);
  return () => {
    stop();
    unmount();
  };
}
