// Short-lived messages ("Version 3 frozen", "The server refused a change")
// announced to screen readers through one polite live region.
import { h } from './dom';

let region: HTMLElement | null = null;

export function notify(message: string, kind: 'info' | 'error' | 'success' = 'info'): void {
  if (!region || !region.isConnected) {
    region = h('div', { id: 'notices', class: 'notices', 'aria-live': 'polite', role: 'status' });
    document.body.append(region);
  }
  const notice = h('div', { class: `notice notice-${kind}` }, message);
  region.append(notice);
  window.setTimeout(() => notice.remove(), kind === 'error' ? 10_000 : 5_000);
}
