// The outline: one entry per section, kept in step with the live text, with
// the section being read (scroll) or edited (cursor) marked as current.
// State in one place (the sections and the current one); the list is a view
// of it. Sections are found on screen through the editor (section-dom.ts).
import type { EditorView } from 'prosemirror-view';
import type { EditorState } from 'prosemirror-state';
import { sectionsOf, type SectionSummary } from '../../core/schema';
import type { Cleanup } from '../dom';
import type { SectionElement } from '../editor/section-dom';
import { t } from '../i18n';
import { createStore, html, mountView, nothing, repeat, type Store, type TemplateResult } from '../view';

export interface OutlineHandle {
  /** Feed this from an observeView plugin. */
  onView(view: EditorView, previous: EditorState | null): void;
  jumpTo(id: string, behavior?: ScrollBehavior): void;
  cleanup: Cleanup;
}

export interface OutlineOptions {
  /** The document's language (its section titles are its text, whatever the interface language). */
  language: string;
  /** The text's scrolling column. */
  scroller: HTMLElement;
  /** The sections on screen, in order. */
  sections(): SectionElement[];
  /** Someone chose a section in the outline (the page puts a drawer away). */
  onChoose?(id: string): void;
}

interface OutlineState {
  sections: readonly SectionSummary[];
  current: string | null;
}

const READING_LINE = 96; // px below the top of the scroller that counts as "being read"

function outlineView(state: OutlineState, language: string, choose: (id: string) => void): TemplateResult {
  const entry = (section: SectionSummary, index: number) => {
    const title = section.title.trim();
    return html`<li><button type="button" class="outline-item" data-outline-id=${section.id} aria-current=${section.id === state.current ? 'location' : nothing} @click=${() => choose(section.id)}><span class="outline-number" aria-hidden="true">${t('outline.number', { number: index + 1 })}</span>${title ? html`<span class="outline-text" lang=${language} dir="auto">${title}</span>` : html`<span class="outline-text">${t('outline.untitled')}</span>`}</button></li>`;
  };
  return html`<nav class="panel outline-panel" aria-labelledby="outline-title">
    <h2 class="panel-title" id="outline-title">${t('outline.title')}</h2>
    <ol class="outline" id="outline-list">${repeat(state.sections, (s) => s.id, entry)}</ol>
  </nav>`;
}

/** Scrolling: the section under the reading line is current, except right after a jump (see `pinned`). */
function followScroll(store: Store<OutlineState>, options: OutlineOptions, keepPinned: () => boolean): Cleanup {
  let frame = 0;
  const onScroll = (): void => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      if (keepPinned()) return;
      const top = options.scroller.getBoundingClientRect().top + READING_LINE;
      let reading: string | null = store.get().sections[0]?.id ?? null;
      for (const { id, element } of options.sections()) {
        if (element.getBoundingClientRect().top <= top) reading = id;
        else break;
      }
      if (reading !== store.get().current) store.update({ current: reading });
    });
  };
  options.scroller.addEventListener('scroll', onScroll, { passive: true });
  return () => {
    options.scroller.removeEventListener('scroll', onScroll);
    if (frame) cancelAnimationFrame(frame);
  };
}

const sameSections = (a: readonly SectionSummary[], b: readonly SectionSummary[]): boolean => a.length === b.length && a.every((s, i) => s.id === b[i]!.id && s.title === b[i]!.title);

export function mountOutline(container: HTMLElement, initial: SectionSummary[], options: OutlineOptions): OutlineHandle {
  const { scroller } = options;
  const store = createStore<OutlineState>({ sections: initial, current: initial[0]?.id ?? null });
  const locate = (id: string): HTMLElement | null => options.sections().find((s) => s.id === id)?.element ?? null;
  // A section chosen in the outline stays current while the scroll animates,
  // and at the end of the text, where a short last section cannot reach the top.
  let pinned: { id: string; until: number } | null = null;
  const keepPinned = (): boolean => {
    if (!pinned) return false;
    if (Date.now() < pinned.until) return true;
    const atEnd = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 4;
    const top = locate(pinned.id)?.getBoundingClientRect().top;
    const box = scroller.getBoundingClientRect();
    if (atEnd && top !== undefined && top < box.bottom && top >= box.top - 4) return true;
    pinned = null;
    return false;
  };
  const jumpTo = (id: string, behavior: ScrollBehavior = 'smooth'): void => {
    const target = locate(id);
    if (!target) return;
    const top = target.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop - 16;
    scroller.scrollTo({ top: Math.max(0, top), behavior });
    pinned = { id, until: Date.now() + 1000 };
    store.update({ current: id });
  };
  const choose = (id: string): void => {
    jumpTo(id);
    options.onChoose?.(id);
  };
  const unmount = mountView(container, store, (state) => outlineView(state, options.language, choose));
  const stopScroll = followScroll(store, options, keepPinned);
  return {
    onView(view, previous) {
      if (!previous || previous.doc !== view.state.doc) {
        const next = sectionsOf(view.state.doc);
        if (!sameSections(next, store.get().sections)) store.update((s) => ({ sections: next, current: s.current ?? next[0]?.id ?? null }));
      }
      if (view.hasFocus() && (!previous || !previous.selection.eq(view.state.selection))) {
        const id = view.state.selection.$from.node(1)?.attrs.id as string | undefined;
        if (id && id !== store.get().current) store.update({ current: id });
      }
    },
    jumpTo,
    cleanup: () => {
      stopScroll();
      unmount();
    },
  };
}
