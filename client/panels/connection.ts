// The connection pill: online, reconnecting or offline. Edits made while not
// online stay in the local Y.Doc and merge when the socket syncs again; the
// pill says so, and counts them.
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { h, type Cleanup } from '../dom';

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

export function mountConnectionStatus(container: HTMLElement, provider: WebsocketProvider, ydoc: Y.Doc): Cleanup {
  const label = h('span', { class: 'status-label' });
  const pill = h('div', { id: 'connection-status', class: 'status-pill', role: 'status', 'data-status': 'reconnecting' }, h('span', { class: 'status-dot', 'aria-hidden': 'true' }), label);
  const detail = h('p', { class: 'status-detail', id: 'connection-detail' });
  const retry = h('button', { type: 'button', class: 'button subtle small', hidden: true, onclick: () => provider.connect() }, 'Reconnect now');
  container.replaceChildren(h('section', { class: 'panel connection-panel', 'aria-label': 'Connection' }, pill, detail, retry));

  let everSynced = false;
  let downSince = Date.now();
  let refusal: string | null = null;
  let unsent = 0;

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
    const pending = unsent > 0 ? ` ${unsent} local ${unsent === 1 ? 'change' : 'changes'} will merge when the connection returns.` : '';
    if (status === 'online') detail.textContent = 'Changes are shared as you type.';
    else if (refusal) detail.textContent = `The server closed the connection: ${refusal}.${pending}`;
    else detail.textContent = everSynced ? `Your edits are kept on this device.${pending || ' They merge when the connection returns.'}` : 'Loading the live text…';
    retry.hidden = status !== 'offline' || !navigator.onLine;
  };

  const onSync = (synced: boolean): void => {
    if (synced) {
      everSynced = true;
      refusal = null;
      unsent = 0;
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
  const onUpdate = (_update: Uint8Array, origin: unknown): void => {
    if (origin !== provider && !(provider.wsconnected && provider.synced)) {
      unsent++;
      render();
    }
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

  provider.on('sync', onSync);
  provider.on('status', onStatus);
  provider.on('closed', onClosed);
  ydoc.on('update', onUpdate);
  window.addEventListener('offline', onOffline);
  window.addEventListener('online', onOnline);
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
    ydoc.off('update', onUpdate);
    window.removeEventListener('offline', onOffline);
    window.removeEventListener('online', onOnline);
  };
}
