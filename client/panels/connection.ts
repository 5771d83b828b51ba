// The connection pill: online, reconnecting or offline. Edits made while not
// online stay in the local Y.Doc (and, where the browser allows, in the copy
// kept on this device) and merge when the socket syncs again; the pill says
// so in words: which sections hold unsent changes. Read-only roles are only
// told that the text updates when the connection returns.
import type { WebsocketProvider } from 'y-websocket';
import { h, type Cleanup } from '../dom';
import type { LocalCopy } from '../local-copy';
import type { UnsentChanges } from '../unsent';
import { listInWords, t } from '../i18n';

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

export function mountConnectionStatus(container: HTMLElement, provider: WebsocketProvider, options: ConnectionOptions): Cleanup {
  const label = h('span', { class: 'status-label' });
  const pill = h('div', { id: 'connection-status', class: 'status-pill', role: 'status', 'data-status': 'reconnecting' }, h('span', { class: 'status-dot', 'aria-hidden': 'true' }), label);
  const detail = h('p', { class: 'status-detail', id: 'connection-detail', 'aria-live': 'polite' });
  const retry = h('button', { type: 'button', class: 'button subtle small', hidden: true, onclick: () => provider.connect() }, t('connection.reconnectNow'));
  container.replaceChildren(h('section', { class: 'panel connection-panel', 'aria-label': t('connection.label') }, pill, detail, retry));

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
    label.textContent = status === 'online' ? t('connection.online') : status === 'reconnecting' ? (everSynced ? t('connection.reconnecting') : t('connection.connecting')) : t('connection.offline');
    const local = options.localCopy?.available() ?? false;
    const pending = options.canEdit ? offlineWords(unsentTitles(), local, options.unsent?.fromEarlierVisit() ?? false) : t('connection.readerWaits');
    let text: string;
    if (status === 'online') text = merged ?? t('connection.sharing');
    else if (refusal) text = `${t('connection.closedByServer', { reason: refusal })} ${pending}`;
    else if (!everSynced && !unsentTitles().length) text = t('document.loadingText');
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
      merged = titles.length ? t('connection.merged', { sections: listInWords(titles) }) : null;
      options.unsent?.clear();
    } else {
      downSince = Date.now();
    }
    render();
  };
  const onStatus = (): void => render();
  const onClosed = (event: { code: number; reason: string }): void => {
    refusal = event.reason || t('connection.closeCode', { code: event.code });
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
