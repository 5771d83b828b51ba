// The timeslider of the Versions panel: a range over the history points the
// server recorded while people edited (core/history.ts), each named by its
// time, who was active and the version frozen there. "Show text" opens the
// text as it was at that point, read-only, over the text column (the live
// editor underneath stays connected); while it is open, moving the slider
// moves the text. "Compare with current" shows the redline from that point to
// the live text. State in one place; timeline-view.ts draws it.
import { historyApi, historyRedlineUrl, errorText } from '../../api';
import { h, type Cleanup } from '../../dom';
import { formatDate, t } from '../../i18n';
import { createStore, mountView, type Store } from '../../view';
import { showRedlineView } from '../redline-view';
import type { DocumentContext } from '../types';
import { pointView, selectedPoint, timelineView, type TimelineState, type TimelineViewActions } from './timeline-view';


const DOWNLOADS = [
  { format: 'html', label: 'HTML' },
  { format: 'md', label: 'Markdown' },
  { format: 'json', label: 'JSON' },
] as const;

/** How long the slider must rest before the shown text follows it. */
const FOLLOW_MS = 150;

export interface Timeline {
  element: HTMLElement;
  refresh(): Promise<void>;
  cleanup: Cleanup;
}

/** Fetches the shown point's text, unless it is the one already there. */
function loadShown(store: Store<TimelineState>, docId: string): void {
  const { shown } = store.get();
  const point = selectedPoint(store.get());
  if (!shown || !point || shown.number === point.number) return;
  store.update({ shown: { ...shown, number: point.number, error: null } });
  const stillShown = (): boolean => store.get().shown?.number === point.number;
  historyApi
    .point(docId, point.number)
    .then((view) => stillShown() && store.update((s) => ({ shown: s.shown && { ...s.shown, view } })))
    .catch((error: unknown) => stillShown() && store.update((s) => ({ shown: s.shown && { ...s.shown, error: errorText(error) } })));
}

function timelineActions(store: Store<TimelineState>, context: DocumentContext, overlay: HTMLElement): TimelineViewActions & { cleanup: Cleanup } {
  const { docId } = context;
  let showButton: HTMLElement | null = null;
  let closeView: Cleanup | null = null;
  let closeRedline: Cleanup | null = null;
  let follow: ReturnType<typeof setTimeout> | null = null;
  const closePoint = (): void => closeView?.();
  return {
    slide(value) {
      store.update({ selected: value });
      if (follow !== null) clearTimeout(follow);
      follow = setTimeout(() => {
        follow = null;
        loadShown(store, docId);
      }, FOLLOW_MS);
    },
    show() {
      closeRedline?.();
      closePoint();
      store.update({ shown: { number: 0, view: null, error: null } });
      closeView = context.overlays.open('history-point', overlay, () => {
        closeView = null;
        store.update({ shown: null });
        showButton?.focus();
      });
      loadShown(store, docId);
    },
    compare() {
      const point = selectedPoint(store.get());
      if (!point) return;
      closePoint();
      const from = `p${point.number}`;
      const title = t('timeline.compareTitle', { point: point.number, when: formatDate(point.at) });
      closeRedline = showRedlineView(context.overlays, { title, urlFor: (format) => historyRedlineUrl(docId, from, 'live', format as 'html'), downloads: DOWNLOADS }, () => historyApi.redlineHtml(docId, from, 'live'));
    },
    close: closePoint,
    showButtonRef(element) {
      if (element instanceof HTMLElement) showButton = element;
    },
    cleanup() {
      if (follow !== null) clearTimeout(follow);
      closePoint();
      closeRedline?.();
    },
  };
}

export function timelineBlock(context: DocumentContext): Timeline {
  const store = createStore<TimelineState>({ points: null, selected: 1, failure: null, shown: null });
  const element = h('section', { class: 'stack timeline', 'aria-labelledby': 'timeline-title' });
  const overlay = h('section', { id: 'history-view', class: 'redline-view history-view', 'aria-labelledby': 'history-view-title' });
  const actions = timelineActions(store, context, overlay);
  const unmount = mountView(element, store, (state) => timelineView(state, actions));
  const unmountOverlay = mountView(overlay, store, (state) => pointView(state, actions));
  const refresh = async (): Promise<void> => {
    try {
      const points = await historyApi.points(context.docId);
      // At the newest point, the slider stays at the newest as points are added.
      store.update((s) => {
        const atEnd = !s.points?.length || s.selected === s.points.length;
        return { points, failure: null, selected: atEnd ? Math.max(1, points.length) : s.selected };
      });
    } catch (error) {
      store.update({ failure: errorText(error) });
    }
  };
  return {
    element,
    refresh,
    cleanup: () => {
      actions.cleanup();
      unmount();
      unmountOverlay();
    },
  };
}
