// The redline viewer, shown over the text column so it has room to breathe:
// one comparison (two versions, a history point and the live text, the point
// of a last visit and now), its downloads, and a button to close it. The live
// editor underneath stays connected. Its state is the fetch's progress; the
// view is a function of it.
import { errorText } from '../api';
import { h, type Cleanup } from '../dom';
import { t } from '../i18n';
import { createStore, html, ifDefined, mountView } from '../view';
import type { StageOverlays } from './stage';

export interface Comparison {
  /** The heading and the accessible name of the view. */
  title: string;
  /** Where the comparison is rendered in each format. */
  urlFor(format: string): string;
  /** The downloads offered (format and label). */
  downloads: readonly { format: string; label: string | (() => string) }[];
}

type RedlineState = { phase: 'loading' } | { phase: 'ready'; html: string } | { phase: 'failed'; reason: string };

function redlineView(state: RedlineState, comparison: Comparison, close: () => void) {
  const { title } = comparison;
  const ready = state.phase === 'ready';
  const status = state.phase === 'loading' ? t('redline.preparing') : state.phase === 'failed' ? t('redline.failed', { reason: state.reason }) : '';
  return html`<header class="redline-header">
      <h2>${title}</h2>
      <div class="redline-downloads" id="redline-downloads">
        <span>${t('redline.download')}</span>
        ${comparison.downloads.map(({ format, label }) => html`<a href=${comparison.urlFor(format)} download="" data-format=${format} class="button subtle small">${typeof label === 'function' ? label() : label}</a>`)}
        <a href=${comparison.urlFor('html')} target="_blank" rel="noopener" class="button subtle small">${t('redline.openInTab')}</a>
      </div>
      <button type="button" class="button" id="redline-close" @click=${close}>${t('redline.close')}</button>
    </header>
    <p class="redline-status ${state.phase === 'failed' ? 'is-error' : ''}" role="status" ?hidden=${ready}>${status}</p>
    <iframe id="redline-frame" class="redline-frame" title=${title} sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox" srcdoc=${ifDefined(ready ? state.html : undefined)} data-src=${ifDefined(ready ? comparison.urlFor('html') : undefined)} ?hidden=${state.phase === 'failed'}></iframe>`;
}

/** Opens the comparison over the text (replacing any other redline there); returns its close. */
export function showRedlineView(overlays: StageOverlays, comparison: Comparison, fetchHtml: () => Promise<string>): Cleanup {
  const store = createStore<{ redline: RedlineState }>({ redline: { phase: 'loading' } });
  const element = h('section', { id: 'redline-view', class: 'redline-view', 'aria-label': comparison.title });
  let open = true;
  const close = overlays.open('redline', element, () => {
    open = false;
    unmount();
  });
  const unmount = mountView(element, store, (state) => redlineView(state.redline, comparison, close));
  // Fetch first so an error is shown as a message, not as raw JSON in the frame.
  fetchHtml()
    .then((text) => open && store.update({ redline: { phase: 'ready', html: text } }))
    .catch((error: unknown) => open && store.update({ redline: { phase: 'failed', reason: errorText(error) } }));
  return close;
}
