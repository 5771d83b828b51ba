// The tab bar of the document tools (history, amendments, endorsements): one
// tab per panel, each with a short count ("2 open", "1 pending") the panel
// reports. The bar never scrolls away: panels scroll inside themselves. On
// narrow screens the panels open as a bottom sheet over the text, which a
// second press on the selected tab, Escape or "Close" puts away.
import { h, type Cleanup } from '../dom';
import type { DocumentContext, PanelDefinition } from './types';
import { direction, t } from '../i18n';

/** Matches the CSS breakpoint below which the tools are a bottom sheet. */
export const NARROW_QUERY = '(max-width: 960px)';

export function mountSidePanels(host: HTMLElement, panels: PanelDefinition[], context: DocumentContext, initialPanel: string | null = null): Cleanup {
  const tablist = h('div', { class: 'tabs', role: 'tablist', 'aria-label': t('document.tools') });
  const closeButton = h('button', { type: 'button', class: 'button subtle small sheet-close', id: 'tools-close', 'aria-label': t('tabs.closeLabel') }, t('tabs.close'));
  const cleanups: Cleanup[] = [];
  const tabs: HTMLButtonElement[] = [];
  const bodies: HTMLElement[] = [];
  const narrow = window.matchMedia(NARROW_QUERY);
  let selected = 0;

  const setSheet = (open: boolean): void => {
    host.dataset.sheet = open ? 'open' : 'closed';
    tabs.forEach((tab, i) => tab.setAttribute('aria-expanded', String(open && i === selected)));
  };
  const select = (index: number): void => {
    selected = index;
    tabs.forEach((tab, i) => {
      tab.setAttribute('aria-selected', String(i === index));
      tab.tabIndex = i === index ? 0 : -1;
      bodies[i]!.hidden = i !== index;
    });
    setSheet(host.dataset.sheet === 'open');
  };
  const choose = (index: number): void => {
    // On a narrow screen the selected tab toggles the sheet; elsewhere the panel is always shown.
    if (narrow.matches && index === selected && host.dataset.sheet === 'open') {
      setSheet(false);
      return;
    }
    select(index);
    setSheet(true);
  };

  panels.forEach((panel, index) => {
    const count = h('span', { class: 'tab-count', id: `tab-${panel.id}-count` });
    const tab = h('button', { type: 'button', role: 'tab', id: `tab-${panel.id}`, 'aria-controls': panel.id, class: 'tab', onclick: () => choose(index) }, h('span', { class: 'tab-title' }, panel.title()), count);
    const body = h('section', { id: panel.id, role: 'tabpanel', 'aria-labelledby': `tab-${panel.id}`, class: 'tab-panel panel', tabindex: 0 });
    tabs.push(tab);
    bodies.push(body);
    tablist.append(tab);
    const setTabCount = (text: string): void => {
      // A leading space keeps the accessible name readable: "Amendments 2 open".
      count.textContent = text ? ` ${text}` : '';
    };
    cleanups.push(panel.mount(body, { ...context, setTabCount }));
  });
  tablist.addEventListener('keydown', (event) => {
    // Right to left, the next tab is the one to the left.
    const forward = direction() === 'rtl' ? 'ArrowLeft' : 'ArrowRight';
    const backward = direction() === 'rtl' ? 'ArrowRight' : 'ArrowLeft';
    const step = event.key === forward ? 1 : event.key === backward ? -1 : 0;
    if (event.key === 'Home' || event.key === 'End' || step) {
      event.preventDefault();
      const next = event.key === 'Home' ? 0 : event.key === 'End' ? tabs.length - 1 : (selected + step + tabs.length) % tabs.length;
      select(next);
      tabs[next]!.focus();
    }
  });
  const onKey = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || !narrow.matches || host.dataset.sheet !== 'open' || !host.contains(document.activeElement)) return;
    if (document.querySelector('dialog[open]')) return;
    setSheet(false);
    tabs[selected]!.focus();
  };
  closeButton.addEventListener('click', () => {
    setSheet(false);
    tabs[selected]!.focus();
  });
  host.addEventListener('keydown', onKey);
  host.replaceChildren(h('div', { class: 'tabs-bar' }, tablist, closeButton), ...bodies);
  host.dataset.sheet = narrow.matches ? 'closed' : 'open';
  select(Math.max(0, panels.findIndex((panel) => panel.id === initialPanel)));
  return () => {
    host.removeEventListener('keydown', onKey);
    cleanups.forEach((cleanup) => cleanup());
  };
}
