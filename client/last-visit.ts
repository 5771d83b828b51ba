// "Changes since my last visit": the server remembers the history point each
// account saw when its last connection to the document closed; when the text
// changed since, a banner over the text offers the redline from that point
// to the live text. Asked once, when the document opens.
import { historyApi, historyRedlineUrl } from './api';
import { h, type Cleanup } from './dom';
import { formatDate, t } from './i18n';
import { showRedlineView } from './panels/redline-view';
import type { DocumentContext } from './panels/types';

const DOWNLOADS = [
  { format: 'html', label: 'HTML' },
  { format: 'md', label: 'Markdown' },
  { format: 'json', label: 'JSON' },
] as const;

export function mountLastVisit(bannerHost: HTMLElement, context: Pick<DocumentContext, 'docId' | 'overlays'>): Cleanup {
  let alive = true;
  let banner: HTMLElement | null = null;
  let closeRedline: Cleanup | null = null;
  historyApi
    .lastVisit(context.docId)
    .then((visit) => {
      if (!alive || !visit?.changed) return;
      const from = `p${visit.point}`;
      const when = formatDate(visit.at);
      const show = h('button', { type: 'button', id: 'last-visit-changes', class: 'button small' }, t('lastVisit.show'));
      const dismiss = h('button', { type: 'button', class: 'button subtle small', 'aria-label': t('lastVisit.dismissAria') }, t('lastVisit.dismiss'));
      banner = h('div', { id: 'last-visit-banner', class: 'last-visit-banner', role: 'status' }, h('span', {}, t('lastVisit.changed', { when })), show, dismiss);
      show.addEventListener('click', () => {
        closeRedline?.();
        closeRedline = showRedlineView(
          context.overlays,
          { title: t('lastVisit.title', { when }), urlFor: (format) => historyRedlineUrl(context.docId, from, 'live', format as 'html'), downloads: DOWNLOADS },
          () => historyApi.redlineHtml(context.docId, from, 'live'),
        );
      });
      dismiss.addEventListener('click', () => banner?.remove());
      bannerHost.append(banner);
    })
    .catch(() => {
      // Not offered when it cannot be asked (an old server, a network error): nothing else depends on it.
    });
  return () => {
    alive = false;
    banner?.remove();
    closeRedline?.();
  };
}
