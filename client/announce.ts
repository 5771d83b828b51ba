// A visually hidden, polite live region for what others do that a screen
// reader user would otherwise miss (an amendment proposed or decided while
// they read). Short sentences, never the text itself; at most one at a time.
import { h } from './dom';

let region: HTMLElement | null = null;

export function announce(message: string): void {
  if (!region || !region.isConnected) {
    region = h('div', { id: 'announcements', class: 'visually-hidden', 'aria-live': 'polite', 'aria-atomic': 'true' });
    document.body.append(region);
  }
  // Replacing the text (after a tick) makes the same sentence heard twice if it happens twice.
  const target = region;
  target.textContent = '';
  window.setTimeout(() => (target.textContent = message), 50);
}
