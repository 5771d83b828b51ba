// The timeslider of the History panel: a range over the history points the
// server recorded while people edited (core/history.ts), each named by its
// time, who was active and the version frozen there. "Show text" opens the
// text as it was at that point, read-only, over the text column (the live
// editor underneath stays connected); while it is open, moving the slider
// moves the text. "Compare with current" shows the redline from that point to
// the live text.
import { DOMSerializer, Node as PMNode } from 'prosemirror-model';
import { schema } from '../../core/schema';
import { historyApi, historyRedlineUrl, type HistoryPointSummary, errorText } from '../api';
import { h, type Cleanup } from '../dom';
import { formatDate, listInWords, t } from '../i18n';
import { showRedlineView } from './redline-view';
import type { DocumentContext } from './types';

const DOWNLOADS = [
  { format: 'html', label: 'HTML' },
  { format: 'md', label: 'Markdown' },
  { format: 'json', label: 'JSON' },
] as const;

/** Who was active since the point before, in a few words. */
export function activeText(point: HistoryPointSummary): string {
  const names = point.accounts.map((a) => a.name);
  if (names.length === 0) return t('timeline.noEditors');
  if (names.length <= 3) return listInWords(names);
  return t('timeline.namesAndOthers', { names: names.slice(0, 2).join(', '), count: names.length - 2 });
}

/** What the slider announces for a point: its time, who was active, and the version frozen there. */
export function pointText(point: HistoryPointSummary): string {
  const who = point.number === 1 ? t('timeline.firstPoint') : point.namesHidden ? '' : t('timeline.editedBy', { names: activeText(point) });
  return [formatDate(point.at), who, point.version !== null ? t('timeline.versionFrozen', { version: point.version }) : '']
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
  const status = h('p', { class: 'muted small', role: 'status' }, t('timeline.loading'));
  const showButton = h('button', { type: 'button', id: 'history-show', class: 'button', disabled: true }, t('timeline.show'));
  const compareButton = h('button', { type: 'button', id: 'history-compare', class: 'button subtle', disabled: true }, t('timeline.compare'));
  const element = h(
    'section',
    { class: 'stack timeline', 'aria-labelledby': 'timeline-title' },
    h('h3', { id: 'timeline-title' }, t('timeline.title')),
    h('p', { class: 'muted small' }, t('timeline.intro')),
    h('label', { for: 'history-slider' }, t('timeline.slider')),
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
    const described = t('timeline.pointOf', { point: point.number, total: points.length, text });
    slider.setAttribute('aria-valuetext', described);
    info.textContent = described;
  };

  const loadShown = (): void => {
    const point = selected();
    if (!shown || !point || shown.number === point.number) return;
    const target = shown;
    target.number = point.number;
    target.heading.textContent = t('timeline.textAtPoint', { point: point.number, when: formatDate(point.at) });
    target.status.textContent = t('common.loading');
    historyApi
      .point(docId, point.number)
      .then((view) => {
        if (shown !== target || target.number !== view.number) return;
        target.text.replaceChildren(renderText(view.content));
        target.text.setAttribute('aria-label', t('timeline.textAria', { point: view.number }));
        target.status.textContent = t('timeline.readOnlyNote', { text: pointText(point) });
      })
      .catch((error: unknown) => {
        if (shown === target) target.status.textContent = t('timeline.textFailed', { reason: errorText(error) });
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
    const heading = h('h2', { id: 'history-view-title' }, t('timeline.viewTitle'));
    const pointStatus = h('p', { class: 'small muted', id: 'history-view-status', role: 'status' });
    const text = h('article', { id: 'history-text', class: 'paper history-text', tabindex: 0, 'aria-label': t('timeline.viewAria') });
    const view = h(
      'section',
      { id: 'history-view', class: 'redline-view history-view', 'aria-labelledby': 'history-view-title' },
      h(
        'header',
        { class: 'redline-header' },
        heading,
        h('button', { type: 'button', class: 'button', id: 'history-view-close', onclick: () => closePointView() }, t('timeline.backToLive')),
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
      { title: t('timeline.compareTitle', { point: point.number, when: formatDate(point.at) }), urlFor: (format) => historyRedlineUrl(docId, from, 'live', format as 'html'), downloads: DOWNLOADS },
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
      status.textContent = none ? t('timeline.empty') : '';
      status.hidden = !none;
      if (none) info.textContent = '';
      else describe();
    } catch (error) {
      status.hidden = false;
      status.textContent = t('timeline.failed', { reason: errorText(error) });
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
