// The redline viewer, shown over the text column so it has room to breathe:
// one comparison (two versions, a history point and the live text, the point
// of a last visit and now), its downloads, and a button to close it. The live
// editor underneath stays connected.
import { errorText } from '../api';
import { h, type Cleanup } from '../dom';
import { t } from '../i18n';
import type { DocumentContext } from './types';

export interface Comparison {
  /** The heading and the accessible name of the view. */
  title: string;
  /** Where the comparison is rendered in each format. */
  urlFor(format: string): string;
  /** The downloads offered (format and label). */
  downloads: readonly { format: string; label: string | (() => string) }[];
}

export function showRedlineView(context: DocumentContext, comparison: Comparison, fetchHtml: () => Promise<string>): Cleanup {
  const { title } = comparison;
  const frame = h('iframe', { id: 'redline-frame', class: 'redline-frame', title, sandbox: 'allow-same-origin allow-popups allow-popups-to-escape-sandbox' });
  const status = h('p', { class: 'redline-status', role: 'status' }, t('redline.preparing'));
  const close = (): void => {
    view.remove();
    if (!context.stage.querySelector('.redline-view')) context.stage.classList.remove('has-overlay');
  };
  const view = h(
    'section',
    { id: 'redline-view', class: 'redline-view', 'aria-label': title },
    h(
      'header',
      { class: 'redline-header' },
      h('h2', {}, title),
      h(
        'div',
        { class: 'redline-downloads', id: 'redline-downloads' },
        h('span', {}, t('redline.download')),
        comparison.downloads.map(({ format, label }) => h('a', { href: comparison.urlFor(format), download: '', 'data-format': format, class: 'button subtle small' }, typeof label === 'function' ? label() : label)),
        h('a', { href: comparison.urlFor('html'), target: '_blank', rel: 'noopener', class: 'button subtle small' }, t('redline.openInTab')),
      ),
      h('button', { type: 'button', class: 'button', id: 'redline-close', onclick: close }, t('redline.close')),
    ),
    status,
    frame,
  );
  context.stage.querySelector('#redline-view')?.remove();
  context.stage.classList.add('has-overlay');
  context.stage.append(view);
  // Fetch first so an error is shown as a message, not as raw JSON in the frame.
  fetchHtml()
    .then((html) => {
      frame.srcdoc = html;
      frame.dataset.src = comparison.urlFor('html');
      status.textContent = '';
      status.hidden = true;
    })
    .catch((error: unknown) => {
      status.textContent = t('redline.failed', { reason: errorText(error) });
      status.classList.add('is-error');
      frame.hidden = true;
    });
  return close;
}
