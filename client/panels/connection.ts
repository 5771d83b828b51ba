// The connection pill: online, reconnecting or offline. Edits made while not
// online stay in the local Y.Doc (and, where the browser allows, in the copy
// kept on this device) and merge when the socket syncs again; the pill says
// so in words: which sections hold unsent changes. Read-only roles are only
// told that the text updates when the connection returns.
import type { WebsocketProvider } from 'y-websocket';
import { h, type Cleanup } from '../dom';
import type { LocalCopy } from '../local-copy';
import { listInWords, type UnsentChanges } from '../unsent';

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
  const keptWords = kept ? 'They are kept on this device, even if you close this tab.' : 'This browser cannot keep them: leave this tab open until they are shared.';
  if (sections.length) return `Unsent changes in ${listInWords(sections)}${earlier ? ' from your last visit' : ''} will merge when the connection returns. ${keptWords}`;
  return kept ? 'Changes you make are kept on this device and merge when the connection returns.' : 'Changes you make merge when the connection returns; leave this tab open until then.';
}

export function mountConnectionStatus(container: HTMLElement, provider: WebsocketProvider, options: ConnectionOptions): Cleanup {
  const label = h('span', { class: 'status-label' });
  const pill = h('div', { id: 'connection-status', class: 'status-pill', role: 'status', 'data-status': 'reconnecting' }, h('span', { class: 'status-dot', 'aria-hidden': 'true' }), label);
  const detail = h('p', { class: 'status-detail', id: 'connection-detail', 'aria-live': 'polite' });
  const retry = h('button', { type: 'button', class: 'button subtle small', hidden: true, onclick: () => provider.connect() }, 'Reconnect now');
  container.replaceChildren(h('section', { class: 'panel connection-panel', 'aria-label': 'Connection' }, pill, detail, retry));

  let everSynced = false;
  let downSince = Date.now();
  let refusal: string | null = null;
  let merged: string | null = null;
  const unsentTitles = (): string[] => (options.unsent?.sections() ?? []).map(options.titleOf);

  const render = (): void => {
    const status = connectionStatus({
      browserOnline: navigator.onLine,
      connected: provider.wsconnected,
      synced: provider.synced,
      downFor: Date.now() - downSince,
      refused: refusal !== null,
    });
    pill.dataset.status = status;
    label.textContent = status === 'online' ? 'Online' : status === 'reconnecting' ? (everSynced ? 'Reconnecting…' : 'Connecting…') : 'Offline';
    const local = options.localCopy?.available() ?? false;
    const pending = options.canEdit ? offlineWords(unsentTitles(), local, options.unsent?.fromEarlierVisit() ?? false) : 'The text updates when the connection returns.';
    let text: string;
    if (status === 'online') text = merged ?? 'Changes are shared as you type.';
    else if (refusal) text = `The server closed the connection: ${refusal}. ${pending}`;
    else if (!everSynced && !unsentTitles().length) text = 'Loading the live text…';
    else text = pending;
    if (detail.textContent !== text) detail.textContent = text;
    detail.dataset.unsent = String(unsentTitles().length);
    retry.hidden = status !== 'offline' || !navigator.onLine;
  };

  const onSync = (synced: boolean): void => {
    if (synced) {
      everSynced = true;
      refusal = null;
      const titles = unsentTitles();
      merged = titles.length ? `Your changes in ${listInWords(titles)} have been shared.` : null;
      options.unsent?.clear();
    } else {
      downSince = Date.now();
    }
    render();
  };
  const onStatus = (): void => render();
  const onClosed = (event: { code: number; reason: string }): void => {
    refusal = event.reason || `code ${event.code}`;
    render();
  };
  // Browsers notice a lost network before a socket does: act on it at once.
  const onOffline = (): void => {
    provider.disconnect();
    downSince = Math.min(downSince, Date.now());
    render();
  };
  const onOnline = (): void => {
    if (refusal === null) provider.connect();
    render();
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
  const unsubscribe = options.unsent?.subscribe(render);
  void options.localCopy?.ready.then(render);
  window.addEventListener('offline', onOffline);
  window.addEventListener('online', onOnline);
  window.addEventListener('beforeunload', onBeforeUnload);
  const tick = window.setInterval(() => {
    if (!(provider.wsconnected && provider.synced)) render();
  }, 1000);
  if (provider.synced) onSync(true);
  render();

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
