// The outline: one entry per section, kept in step with the live text, with
// the section being read (scroll) or edited (cursor) marked as current.
import type { EditorView } from 'prosemirror-view';
import type { EditorState } from 'prosemirror-state';
import { sectionsOf, type SectionSummary } from '../../core/schema';
import { h, type Cleanup } from '../dom';
import { t } from '../i18n';

export interface OutlineHandle {
  /** Feed this from an observeView plugin. */
  onView(view: EditorView, previous: EditorState | null): void;
  jumpTo(id: string, behavior?: ScrollBehavior): void;
  cleanup: Cleanup;
}

const READING_LINE = 96; // px below the top of the scroller that counts as "being read"

/** `language`: the document's (its section titles are its text, whatever the interface language). */
export function mountOutline(container: HTMLElement, initial: SectionSummary[], scroller: HTMLElement, language: string): OutlineHandle {
  const list = h('ol', { class: 'outline', id: 'outline-list' });
  container.replaceChildren(h('nav', { class: 'panel outline-panel', 'aria-labelledby': 'outline-title' }, h('h2', { class: 'panel-title', id: 'outline-title' }, t('outline.title')), list));
  let sections: SectionSummary[] = [];
  let current: string | null = null;

  const markCurrent = (id: string | null): void => {
    current = id;
    for (const button of list.querySelectorAll<HTMLButtonElement>('button[data-outline-id]')) {
      if (button.dataset.outlineId === id) button.setAttribute('aria-current', 'location');
      else button.removeAttribute('aria-current');
    }
  };

  // A section chosen in the outline stays current while the scroll animates,
  // and at the end of the text, where a short last section cannot reach the top.
  let pinned: { id: string; until: number } | null = null;

  const jumpTo = (id: string, behavior: ScrollBehavior = 'smooth'): void => {
    const target = document.getElementById(`s-${id}`);
    if (!target) return;
    const top = target.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop - 16;
    scroller.scrollTo({ top: Math.max(0, top), behavior });
    pinned = { id, until: Date.now() + 1000 };
    markCurrent(id);
  };

  const keepPinned = (): boolean => {
    if (!pinned) return false;
    if (Date.now() < pinned.until) return true;
    const atEnd = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 4;
    const target = document.getElementById(`s-${pinned.id}`);
    const box = scroller.getBoundingClientRect();
    const visible = !!target && target.getBoundingClientRect().top < box.bottom && target.getBoundingClientRect().top >= box.top - 4;
    if (atEnd && visible) return true;
    pinned = null;
    return false;
  };

  const render = (next: SectionSummary[]): void => {
    sections = next;
    list.replaceChildren(
      ...next.map((section, index) =>
        h(
          'li',
          {},
          h(
            'button',
            { type: 'button', class: 'outline-item', 'data-outline-id': section.id, onclick: () => jumpTo(section.id) },
            h('span', { class: 'outline-number', 'aria-hidden': 'true' }, t('outline.number', { number: index + 1 })),
            section.title.trim() ? h('span', { class: 'outline-text', lang: language, dir: 'auto' }, section.title.trim()) : h('span', { class: 'outline-text' }, t('outline.untitled')),
          ),
        ),
      ),
    );
    markCurrent(current ?? next[0]?.id ?? null);
  };

  const sameSections = (a: SectionSummary[], b: SectionSummary[]): boolean => a.length === b.length && a.every((s, i) => s.id === b[i]!.id && s.title === b[i]!.title);

  let frame = 0;
  const onScroll = (): void => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      if (keepPinned()) return;
      const top = scroller.getBoundingClientRect().top + READING_LINE;
      let reading: string | null = sections[0]?.id ?? null;
      for (const element of scroller.querySelectorAll<HTMLElement>('section[data-section-id]')) {
        if (element.getBoundingClientRect().top <= top) reading = element.dataset.sectionId ?? reading;
        else break;
      }
      if (reading !== current) markCurrent(reading);
    });
  };
  scroller.addEventListener('scroll', onScroll, { passive: true });
  render(initial);

  return {
    onView(view, previous) {
      if (!previous || previous.doc !== view.state.doc) {
        const next = sectionsOf(view.state.doc);
        if (!sameSections(next, sections)) render(next);
      }
      if (view.hasFocus() && (!previous || !previous.selection.eq(view.state.selection))) {
        const id = view.state.selection.$from.node(1)?.attrs.id as string | undefined;
        if (id && id !== current) markCurrent(id);
      }
    },
    jumpTo,
    cleanup: () => {
      scroller.removeEventListener('scroll', onScroll);
      if (frame) cancelAnimationFrame(frame);
    },
  };
}
