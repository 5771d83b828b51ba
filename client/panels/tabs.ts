// The tab bar of the document tools (history, amendments, endorsements): one
// tab per panel, each with a short count ("2 open", "1 pending") the panel
// reports. The bar never scrolls away: panels scroll inside themselves. On
// narrow screens the panels open as a bottom sheet over the text, which a
// second press on the selected tab, Escape or "Close" puts away.
// State in one place (which tab, sheet open, the counts); the bar is a view of it.
import type { Cleanup } from '../dom';
import type { DocumentContext, PanelDefinition } from './types';
import { direction, t } from '../i18n';
import { createStore, html, mountView, ref, type Store } from '../view';

/** Matches the CSS breakpoint below which the tools are a bottom sheet. */
export const NARROW_QUERY = '(max-width: 960px)';

interface TabsState {
  selected: number;
  sheetOpen: boolean;
  counts: Readonly<Record<string, string>>;
}

export interface SidePanels {
  /** The id of the panel on the front tab. */
  selected(): string | null;
  cleanup: Cleanup;
}

/** What the bar does when used: the state changes, and the focus goes where the person moved it. */
function tabActions(store: Store<TabsState>, panels: PanelDefinition[], tabs: HTMLElement[], narrow: MediaQueryList) {
  const select = (index: number, sheetOpen = store.get().sheetOpen): void => store.update({ selected: index, sheetOpen });
  return {
    select,
    // On a narrow screen the selected tab toggles the sheet; elsewhere the panel is always shown.
    choose(index: number): void {
      const { selected, sheetOpen } = store.get();
      if (narrow.matches && index === selected && sheetOpen) store.update({ sheetOpen: false });
      else select(index, true);
    },
    show(id: string): void {
      const index = panels.findIndex((panel) => panel.id === id);
      if (index >= 0) select(index, true);
    },
    closeSheet(): void {
      store.update({ sheetOpen: false });
      tabs[store.get().selected]?.focus();
    },
    // Right to left, the next tab is the one to the left.
    onKeydown(event: KeyboardEvent): void {
      const forward = direction() === 'rtl' ? 'ArrowLeft' : 'ArrowRight';
      const backward = direction() === 'rtl' ? 'ArrowRight' : 'ArrowLeft';
      const step = event.key === forward ? 1 : event.key === backward ? -1 : 0;
      if (event.key !== 'Home' && event.key !== 'End' && !step) return;
      event.preventDefault();
      const count = panels.length;
      const next = event.key === 'Home' ? 0 : event.key === 'End' ? count - 1 : (store.get().selected + step + count) % count;
      select(next);
      tabs[next]?.focus();
    },
  };
}

type TabActions = ReturnType<typeof tabActions>;

function tabsView(state: TabsState, panels: PanelDefinition[], actions: TabActions, tabs: HTMLElement[], bodies: HTMLElement[]) {
  const keep = (list: HTMLElement[], index: number) => ref((element) => {
    if (element instanceof HTMLElement) list[index] = element;
  });
  // A leading space keeps the accessible name readable: "Amendments 2 open". No other white space: the tab's text is exactly that.
  const tab = (panel: PanelDefinition, index: number) => {
    const count = state.counts[panel.id] ?? '';
    const selected = index === state.selected;
    return html`<button type="button" role="tab" id=${`tab-${panel.id}`} aria-controls=${panel.id} class="tab" aria-selected=${String(selected)} tabindex=${selected ? 0 : -1} aria-expanded=${String(state.sheetOpen && selected)} @click=${() => actions.choose(index)} ${keep(tabs, index)}><span class="tab-title">${panel.title()}</span><span class="tab-count" id=${`tab-${panel.id}-count`}>${count ? ` ${count}` : ''}</span></button>`;
  };
  return html`<div class="tabs-bar">
      <div class="tabs" role="tablist" aria-label=${t('document.tools')} @keydown=${actions.onKeydown}>${panels.map(tab)}</div>
      <button type="button" class="button subtle small sheet-close" id="tools-close" aria-label=${t('tabs.closeLabel')} @click=${actions.closeSheet}>${t('tabs.close')}</button>
    </div>
    ${panels.map(
      (panel, index) =>
        html`<section id=${panel.id} role="tabpanel" aria-labelledby=${`tab-${panel.id}`} class="tab-panel panel" tabindex="0" ?hidden=${index !== state.selected} ${keep(bodies, index)}></section>`,
    )}`;
}

export function mountSidePanels(host: HTMLElement, panels: PanelDefinition[], context: Omit<DocumentContext, 'setTabCount' | 'showPanel'>, initialPanel: string | null = null): SidePanels {
  const narrow = window.matchMedia(NARROW_QUERY);
  const store = createStore<TabsState>({ selected: Math.max(0, panels.findIndex((panel) => panel.id === initialPanel)), sheetOpen: !narrow.matches, counts: {} });
  const tabs: HTMLElement[] = [];
  const bodies: HTMLElement[] = [];
  const actions = tabActions(store, panels, tabs, narrow);
  // The sheet's state is the sidebar's own attribute: the layout (styles.css) follows it.
  const showSheet = (state: TabsState): void => void (host.dataset.sheet = state.sheetOpen ? 'open' : 'closed');
  const unfollow = store.subscribe(showSheet);
  showSheet(store.get());
  const unmount = mountView(host, store, (state) => tabsView(state, panels, actions, tabs, bodies));
  const onKey = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || !narrow.matches || !store.get().sheetOpen || !host.contains(document.activeElement)) return;
    if (document.querySelector('dialog[open]')) return;
    actions.closeSheet();
  };
  host.addEventListener('keydown', onKey);
  const cleanups = panels.map((panel, index) =>
    panel.mount(bodies[index]!, {
      ...context,
      // Panels report their count on every change of their state: the tabs redraw only when it changed.
      setTabCount: (text) => {
        if (store.get().counts[panel.id] !== text) store.update((state) => ({ counts: { ...state.counts, [panel.id]: text } }));
      },
      showPanel: () => actions.show(panel.id),
    }),
  );
  return {
    selected: () => panels[store.get().selected]?.id ?? null,
    cleanup: () => {
      host.removeEventListener('keydown', onKey);
      unfollow();
      unmount();
      cleanups.forEach((cleanup) => cleanup());
    },
  };
}
