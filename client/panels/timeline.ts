// The timeslider of the History panel: a range over the history points the
// server recorded while people edited (core/history.ts), each named by its
// time, who was active and the version frozen there. "Show text" opens the
// text as it was at that point, read-only, over the text column (the live
// editor underneath stays connected); while it is open, moving the slider
// moves the text. "Compare with current" shows the redline from that point to
// the live text.
import { DOMSerializer, Node as PMNode } from 'prosemirror-model';
import { schema } from '../../core/schema';
import { ApiError, historyApi, historyRedlineUrl, type HistoryPointSummary } from '../api';
import { formatDate, h, type Cleanup } from '../dom';
import { showRedlineView } from './redline-view';
import type { DocumentContext } from './types';

const DOWNLOADS = [
  { format: 'html', label: 'HTML' },
  { format: 'md', label: 'Markdown' },
  { format: 'json', label: 'JSON' },
] as const;

function errorText(error: unknown): string {
  return error instanceof ApiError || error instanceof Error ? error.message : String(error);
}

/** Who was active since the point before, in a few words. */
export function activeText(point: HistoryPointSummary): string {
  const names = point.accounts.map((a) => a.name);
  if (names.length === 0) return 'no recorded editors';
  if (names.length <= 3) return names.join(', ');
  return `${names.slice(0, 2).join(', ')} and ${names.length - 2} others`;
}

/** What the slider announces for a point: its time, who was active, and the version frozen there. */
export function pointText(point: HistoryPointSummary): string {
  return [formatDate(point.at), point.number === 1 ? 'first recorded point' : `edited by ${activeText(point)}`, point.version !== null ? `version ${point.version} frozen` : '']
    .filter(Boolean)
    .join(' · ');
}

/** The text of a point as static, read-only HTML (the schema's own rendering, without the live text's ids). */
function renderText(content: unknown): HTMLElement {
  const node = PMNode.fromJSON(schema, content);
  const container = h('div', { class: 'history-content' });
  container.append(DOMSerializer.fromSchema(schema).serializeFragment(node.content));
  for (const el of container.querySelectorAll('[id]')) el.removeAttribute('id');
  return container;
}

export interface Timeline {
  element: HTMLElement;
  refresh(): Promise<void>;
  cleanup: Cleanup;
}

export function timelineBlock(context: DocumentContext): Timeline {
  const { docId } = context;
  let points: HistoryPointSummary[] = [];
  let closeView: Cleanup | null = null;
  let closeRedline: Cleanup | null = null;
  let shown: { number: number; text: HTMLElement; heading: HTMLElement; status: HTMLElement } | null = null;
  let loadTimer: ReturnType<typeof setTimeout> | null = null;

  const slider = h('input', { type: 'range', id: 'history-slider', min: 1, max: 1, step: 1, value: 1, disabled: true });
  const info = h('p', { id: 'history-point-info', class: 'small timeline-info' });
  const status = h('p', { class: 'muted small', role: 'status' }, 'Loading the timeline…');
  const showButton = h('button', { type: 'button', id: 'history-show', class: 'button', disabled: true }, 'Show text at this point');
  const compareButton = h('button', { type: 'button', id: 'history-compare', class: 'button subtle', disabled: true }, 'Compare with current');
  const element = h(
    'section',
    { class: 'stack timeline', 'aria-labelledby': 'timeline-title' },
    h('h3', { id: 'timeline-title' }, 'Timeline'),
    h('p', { class: 'muted small' }, 'The text is recorded while people edit: after a pause, every few minutes of work, and at each frozen version.'),
    h('label', { for: 'history-slider' }, 'History point'),
    slider,
    info,
    h('div', { class: 'button-row' }, showButton, compareButton),
    status,
  );

  const selected = (): HistoryPointSummary | undefined => points[Number(slider.value) - 1];

  const describe = (): void => {
    const point = selected();
    if (!point) return;
    const text = pointText(point);
    slider.setAttribute('aria-valuetext', `Point ${point.number} of ${points.length}: ${text}`);
    info.textContent = `Point ${point.number} of ${points.length}: ${text}`;
  };

  const loadShown = (): void => {
    const point = selected();
    if (!shown || !point || shown.number === point.number) return;
    const target = shown;
    target.number = point.number;
    target.heading.textContent = `The text at point ${point.number}: ${formatDate(point.at)}`;
    target.status.textContent = 'Loading…';
    historyApi
      .point(docId, point.number)
      .then((view) => {
        if (shown !== target || target.number !== view.number) return;
        target.text.replaceChildren(renderText(view.content));
        target.text.setAttribute('aria-label', `Text at point ${view.number}, read-only`);
        target.status.textContent = `${pointText(point)}. Read-only: the live text is unchanged.`;
      })
      .catch((error: unknown) => {
        if (shown === target) target.status.textContent = `The text could not be loaded: ${errorText(error)}`;
      });
  };

  slider.addEventListener('input', () => {
    describe();
    if (loadTimer !== null) clearTimeout(loadTimer);
    loadTimer = setTimeout(() => {
      loadTimer = null;
      loadShown();
    }, 150);
  });

  const closePointView = (): void => {
    closeView?.();
  };

  showButton.addEventListener('click', () => {
    closeRedline?.();
    closePointView();
    const heading = h('h2', { id: 'history-view-title' }, 'The text at this point');
    const pointStatus = h('p', { class: 'small muted', id: 'history-view-status', role: 'status' });
    const text = h('article', { id: 'history-text', class: 'paper history-text', tabindex: 0, 'aria-label': 'Text at this point, read-only' });
    const view = h(
      'section',
      { id: 'history-view', class: 'redline-view history-view', 'aria-labelledby': 'history-view-title' },
      h(
        'header',
        { class: 'redline-header' },
        heading,
        h('button', { type: 'button', class: 'button', id: 'history-view-close', onclick: () => closePointView() }, 'Back to the live text'),
        h('div', { class: 'redline-downloads' }, pointStatus),
      ),
      h('div', { class: 'history-scroller' }, h('div', { class: 'editor-column' }, text)),
    );
    context.stage.querySelector('#history-view')?.remove();
    context.stage.classList.add('has-overlay');
    context.stage.append(view);
    shown = { number: 0, text, heading, status: pointStatus };
    closeView = () => {
      view.remove();
      shown = null;
      closeView = null;
      if (!context.stage.querySelector('.redline-view')) context.stage.classList.remove('has-overlay');
      showButton.focus();
    };
    loadShown();
  });

  compareButton.addEventListener('click', () => {
    const point = selected();
    if (!point) return;
    closePointView();
    const from = `p${point.number}`;
    closeRedline = showRedlineView(
      context,
      { title: `Changes from point ${point.number} (${formatDate(point.at)}) to the live text`, urlFor: (format) => historyRedlineUrl(docId, from, 'live', format as 'html'), downloads: DOWNLOADS },
      () => historyApi.redlineHtml(docId, from, 'live'),
    );
  });

  const refresh = async (): Promise<void> => {
    try {
      const loaded = await historyApi.points(docId);
      const atEnd = points.length === 0 || Number(slider.value) === points.length;
      points = loaded;
      const none = points.length === 0;
      slider.max = String(Math.max(1, points.length));
      if (atEnd) slider.value = String(Math.max(1, points.length));
      slider.disabled = none;
      showButton.disabled = none;
      compareButton.disabled = none;
      status.textContent = none ? 'Nothing has been recorded yet: points appear once the text is opened and edited.' : '';
      status.hidden = !none;
      if (none) info.textContent = '';
      else describe();
    } catch (error) {
      status.hidden = false;
      status.textContent = `The timeline could not be loaded: ${errorText(error)}`;
    }
  };

  return {
    element,
    refresh,
    cleanup: () => {
      if (loadTimer !== null) clearTimeout(loadTimer);
      closePointView();
      closeRedline?.();
    },
  };
}
