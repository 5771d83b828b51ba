// The witnesses block of the History panel: which organisations' witnesses
// cosigned the log's current checkpoint, and for chairs each witness's health
// (a witness that is down or refuses is shown, with its last error).
// State in one place (the last answer); the view is a function of it.
import { api } from '../api';
import { formatDate, h, replaceChildren } from '../dom';
import type { PublicWitnessStatus, WitnessesResponse, WitnessStatus } from '../../core/witnesses';
import { t, type ClientKey } from '../i18n';

const STATE_KEYS: Record<PublicWitnessStatus['state'], ClientKey> = {
  cosigned: 'witnesses.cosigned',
  pending: 'witnesses.pending',
  failing: 'witnesses.failing',
  refused: 'witnesses.refused',
};

export interface WitnessBlock {
  element: HTMLElement;
  refresh(): Promise<void>;
}

export function witnessBlock(showHealth: boolean): WitnessBlock {
  const element = h('div', { id: 'witnesses', class: 'witnesses', 'aria-live': 'polite' });
  const render = (data: WitnessesResponse | null, error: string | null): void => {
    if (error !== null) return replaceChildren(element, h('p', { class: 'muted small' }, t('witnesses.loadFailed', { reason: error })));
    if (!data || data.witnesses.length === 0) {
      return replaceChildren(element, h('p', { class: 'muted small' }, t('witnesses.none')));
    }
    const cosigned = data.witnesses.filter((w) => w.state === 'cosigned');
    replaceChildren(
      element,
      h(
        'p',
        { class: 'small', id: 'witnessed-by' },
        cosigned.length > 0
          ? t('witnesses.witnessedBy', { names: cosigned.map((w) => w.name).join(', '), count: cosigned.length, total: data.witnesses.length, size: data.treeSize })
          : t('witnesses.notYet', { size: data.treeSize }),
      ),
      showHealth
        ? h(
            'ul',
            { class: 'witness-list small', 'aria-label': t('witnesses.status') },
            data.witnesses.map((w) => h('li', { 'data-state': w.state, 'data-witness': w.name }, health(w))),
          )
        : null,
    );
  };
  render(null, null);
  return {
    element,
    async refresh() {
      try {
        render(await api.witnesses(), null);
      } catch (error) {
        render(null, error instanceof Error ? error.message : String(error));
      }
    },
  };
}

function health(w: PublicWitnessStatus | WitnessStatus): string {
  const parts = [`${w.name}: ${t(STATE_KEYS[w.state])}`];
  if (w.cosignedAt) parts.push(formatDate(w.cosignedAt));
  if ('lastError' in w && w.lastError && w.state !== 'cosigned') parts.push(w.lastError);
  if ('nextAttemptAt' in w && w.nextAttemptAt) parts.push(t('witnesses.nextTry', { when: formatDate(w.nextAttemptAt) }));
  return parts.join(' · ');
}
