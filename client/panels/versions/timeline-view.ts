// The timeslider as a function of its state: the range over the history
// points with its value in words, "Show text" and "Compare with current";
// and the text at a point, read-only, over the text column.
import { DOMSerializer, Node as PMNode } from 'prosemirror-model';
import { schema } from '../../../core/schema';
import type { HistoryPointSummary, HistoryPointView } from '../../api';
import { h } from '../../dom';
import { formatDate, listInWords, t } from '../../i18n';
import { html, ifDefined, live, nothing, ref, type TemplateResult } from '../../view';

export interface TimelineState {
  /** null until the first answer. */
  points: readonly HistoryPointSummary[] | null;
  /** The point on the slider (1-based). */
  selected: number;
  failure: string | null;
  /** The text shown over the column, while it is open: which point, and its text once fetched. */
  shown: { number: number; view: HistoryPointView | null; error: string | null } | null;
}

export interface TimelineViewActions {
  slide(value: number): void;
  show(): void;
  compare(): void;
  close(): void;
  /** The "Show text" button, to return the focus to when the text closes. */
  showButtonRef(element: Element | undefined): void;
}

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

export const selectedPoint = (state: TimelineState): HistoryPointSummary | undefined => state.points?.[state.selected - 1];

export function timelineView(state: TimelineState, actions: TimelineViewActions): TemplateResult {
  const points = state.points ?? [];
  const none = points.length === 0;
  const point = selectedPoint(state);
  const described = point ? t('timeline.pointOf', { point: point.number, total: points.length, text: pointText(point) }) : '';
  const status = state.failure !== null ? t('timeline.failed', { reason: state.failure }) : state.points === null ? t('timeline.loading') : none ? t('timeline.empty') : '';
  const onInput = (event: Event): void => actions.slide(Number((event.target as HTMLInputElement).value));
  return html`<h3 id="timeline-title">${t('timeline.title')}</h3>
    <p class="muted small">${t('timeline.intro')}</p>
    <label for="history-slider">${t('timeline.slider')}</label>
    <input type="range" id="history-slider" min="1" max=${Math.max(1, points.length)} step="1" .value=${live(String(state.selected))} ?disabled=${none} aria-valuetext=${described || nothing} @input=${onInput}>
    <p id="history-point-info" class="small timeline-info">${none ? '' : described}</p>
    <div class="button-row">
      <button type="button" id="history-show" class="button" ?disabled=${none} @click=${actions.show} ${ref(actions.showButtonRef)}>${t('timeline.show')}</button>
      <button type="button" id="history-compare" class="button subtle" ?disabled=${none} @click=${actions.compare}>${t('timeline.compare')}</button>
    </div>
    <p class="muted small" role="status" ?hidden=${!status}>${status}</p>`;
}

const rendered = new WeakMap<HistoryPointView, HTMLElement>();

/** The text of a point as static, read-only HTML (the schema's own rendering, without the live text's ids); made once per answer. */
function pointContent(view: HistoryPointView): HTMLElement {
  let container = rendered.get(view);
  if (!container) {
    container = h('div', { class: 'history-content' });
    container.append(DOMSerializer.fromSchema(schema).serializeFragment(PMNode.fromJSON(schema, view.content).content));
    for (const el of container.querySelectorAll('[id]')) el.removeAttribute('id');
    rendered.set(view, container);
  }
  return container;
}

/** The text at the shown point, over the text column. */
export function pointView(state: TimelineState, actions: TimelineViewActions): TemplateResult | typeof nothing {
  const shown = state.shown;
  if (!shown) return nothing;
  const point = state.points?.find((p) => p.number === shown.number);
  // The text of the point before stays in view until the next one arrives.
  const loaded = shown.view;
  const heading = point ? t('timeline.textAtPoint', { point: point.number, when: formatDate(point.at) }) : t('timeline.viewTitle');
  const status = shown.error !== null ? t('timeline.textFailed', { reason: shown.error }) : loaded?.number === shown.number && point ? t('timeline.readOnlyNote', { text: pointText(point) }) : t('common.loading');
  return html`<header class="redline-header">
      <h2 id="history-view-title">${heading}</h2>
      <button type="button" class="button" id="history-view-close" @click=${actions.close}>${t('timeline.backToLive')}</button>
      <div class="redline-downloads"><p class="small muted" id="history-view-status" role="status">${status}</p></div>
    </header>
    <div class="history-scroller"><div class="editor-column">
      <article id="history-text" class="paper history-text" tabindex="0" aria-label=${ifDefined(loaded ? t('timeline.textAria', { point: loaded.number }) : t('timeline.viewAria'))}>${loaded ? pointContent(loaded) : nothing}</article>
    </div></div>`;
}
