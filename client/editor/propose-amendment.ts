// "Propose amendment": a button that appears beside a text selection for
// stakeholders and up. It hands the selection (section, exact quote, which
// occurrence of it in the section) to `onPropose`; it never writes to the
// document. Works in read-only editors too, from the browser's own selection.
import { Plugin, PluginKey, TextSelection, type EditorState } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import { absolutePositionToRelativePosition, ySyncPluginKey } from 'y-prosemirror';
import * as Y from 'yjs';
import { findSection, plainText, sectionRuns } from '../../core/amendment-anchors';
import { occurrenceAt } from '../../core/amendment-text';
import { h } from '../dom';
import type { SyncState } from './amendment-decorations';
import { direction, t } from '../i18n';

export interface QuoteSelection {
  section: string;
  sectionTitle: string;
  quote: string;
  occurrence: number;
}

export const proposeAmendmentKey = new PluginKey('propose-amendment');


/** The selected range: ProseMirror's own, or (read-only editors) the browser's. */
function selectedRange(view: EditorView): { from: number; to: number } | null {
  const { from, to } = view.state.selection;
  if (from < to) return { from, to };
  const dom = window.getSelection();
  if (!dom || dom.rangeCount === 0 || dom.isCollapsed) return null;
  const range = dom.getRangeAt(0);
  if (!view.dom.contains(range.startContainer) || !view.dom.contains(range.endContainer)) return null;
  try {
    const a = view.posAtDOM(range.startContainer, range.startOffset);
    const b = view.posAtDOM(range.endContainer, range.endOffset);
    return a < b ? { from: a, to: b } : null;
  } catch {
    return null;
  }
}

/** Why a selection cannot be proposed on, or the quote it makes. */
export function quoteAt(state: EditorState, from: number, to: number): QuoteSelection | string {
  const $from = state.doc.resolve(from);
  const $to = state.doc.resolve(to);
  if (!$from.sameParent($to) || !$from.parent.isTextblock) return t('propose.oneParagraph');
  const quote = state.doc.textBetween(from, to, '\n', '\ufffc');
  if (/[\n\ufffc]/.test(quote)) return t('propose.oneLine');
  if (!quote.trim()) return t('propose.someWords');
  const section = $from.node(1);
  const sectionId = section?.attrs.id as string | undefined;
  if (!sectionId) return t('propose.inSection');
  // The occurrence is counted exactly as the server counts it: over the section's Y.XmlText runs.
  const sync = ySyncPluginKey.getState(state) as SyncState | undefined;
  if (!sync?.binding) return t('propose.loading');
  const relative = absolutePositionToRelativePosition(from, sync.type, sync.binding.mapping);
  const absolute = Y.createAbsolutePositionFromRelativePosition(relative, sync.doc);
  const ySection = findSection(sync.doc, sectionId);
  if (!absolute || !(absolute.type instanceof Y.XmlText) || !ySection) return t('propose.notLocated');
  const runs = sectionRuns(ySection);
  const occurrence = occurrenceAt(runs.map(plainText), quote, runs.indexOf(absolute.type), absolute.index);
  if (occurrence === null) return t('propose.notLocatedInSection');
  return { section: sectionId, sectionTitle: section.firstChild?.textContent ?? sectionId, quote, occurrence };
}

/** The keyboard shortcut for "Propose amendment" on the current selection (as Google Docs' "comment"). */
export const PROPOSE_SHORTCUT = { label: 'Ctrl+Alt+M', aria: 'Control+Alt+M' };

function isProposeShortcut(event: KeyboardEvent): boolean {
  return (event.ctrlKey || event.metaKey) && event.altKey && !event.shiftKey && event.code === 'KeyM';
}

interface ProposeOptions {
  onPropose: (selection: QuoteSelection) => void;
  onRefused?: (why: string) => void;
}

/** The floating button beside a selection: placed after each gesture, hidden when the selection cannot be proposed on. */
function proposeButton(view: EditorView, options: ProposeOptions) {
  const button = h('button', { type: 'button', id: 'propose-amendment', class: 'propose-amendment button primary small', hidden: true, 'aria-keyshortcuts': PROPOSE_SHORTCUT.aria }, t('propose.button'));
  document.body.append(button);
  let current: QuoteSelection | null = null;
  // Only a selection the person makes (mouse or keyboard) shows the button;
  // everything else (someone else typing, the selection restored after a
  // remote change) just moves or hides it.
  let wanted = false;
  const place = (): void => {
    if (wanted && !view.isDestroyed && !view.dom.contains(window.getSelection()?.anchorNode ?? null) && view.state.selection.empty) wanted = false;
    const range = view.isDestroyed || !wanted ? null : selectedRange(view);
    const quote = range ? quoteAt(view.state, range.from, range.to) : null;
    current = quote && typeof quote !== 'string' ? quote : null;
    button.hidden = current === null;
    button.title = typeof quote === 'string' ? quote : '';
    if (!current || !range) return;
    const end = view.coordsAtPos(range.to);
    const box = view.dom.getBoundingClientRect();
    button.style.top = `${Math.round(end.bottom + 6)}px`;
    // Beside the end of the selection, on the side the interface reads from.
    const width = button.offsetWidth || 170;
    const x = direction() === 'rtl' ? end.left - width + 60 : end.left - 60;
    button.style.left = `${Math.round(Math.min(Math.max(x, box.left), box.right - width))}px`;
  };
  // Keep the selection: the button takes the click, not the focus.
  button.addEventListener('mousedown', (event) => event.preventDefault());
  button.addEventListener('click', () => {
    if (!current) return;
    const chosen = current;
    button.hidden = true;
    wanted = false;
    const end = view.state.selection.to;
    view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, end)));
    window.getSelection()?.collapseToEnd();
    options.onPropose(chosen);
  });
  return { button, place, want: () => void (wanted = true) };
}

export function proposeAmendmentPlugin(options: ProposeOptions): Plugin {
  return new Plugin({
    key: proposeAmendmentKey,
    props: {
      handleKeyDown(view, event) {
        if (!isProposeShortcut(event)) return false;
        const range = selectedRange(view);
        const quote = range ? quoteAt(view.state, range.from, range.to) : t('propose.selectFirst', { keys: PROPOSE_SHORTCUT.label });
        if (typeof quote === 'string') {
          options.onRefused?.(quote);
          return true;
        }
        const end = view.state.selection.to;
        view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, end)));
        options.onPropose(quote);
        return true;
      },
    },
    view(view) {
      const { button, place, want } = proposeButton(view, options);
      let frame = 0;
      const schedule = (): void => {
        if (frame) return;
        frame = requestAnimationFrame(() => {
          frame = 0;
          place();
        });
      };
      const onGesture = (event: Event): void => {
        const anchor = window.getSelection()?.anchorNode ?? null;
        if ((event.target instanceof Node && view.dom.contains(event.target)) || (anchor !== null && view.dom.contains(anchor))) {
          want();
          schedule();
        }
      };
      document.addEventListener('selectionchange', schedule);
      document.addEventListener('mouseup', onGesture);
      document.addEventListener('keyup', onGesture);
      window.addEventListener('scroll', schedule, true);
      window.addEventListener('resize', schedule);
      return {
        update: schedule,
        destroy() {
          if (frame) cancelAnimationFrame(frame);
          document.removeEventListener('selectionchange', schedule);
          document.removeEventListener('mouseup', onGesture);
          document.removeEventListener('keyup', onGesture);
          window.removeEventListener('scroll', schedule, true);
          window.removeEventListener('resize', schedule);
          button.remove();
        },
      };
    },
  });
}
