// The witnesses block of the Versions panel: which organisations' witnesses
// cosigned the log's current checkpoint, and for chairs each witness's health
// (a witness that is down or refuses is shown, with its last error).
// State in one place (the last answer); the view is a function of it.
import { api } from '../../api';
import { h } from '../../dom';
import type { PublicWitnessStatus, WitnessesResponse, WitnessStatus } from '../../../core/witnesses';
import { formatDate, t, type ClientKey } from '../../i18n';
import { createStore, html, mountView, nothing, type TemplateResult } from '../../view';

const STATE_KEYS: Record<PublicWitnessStatus['state'], ClientKey> = {
  cosigned: 'witnesses.cosigned',
  pending: 'witnesses.pending',
  failing: 'witnesses.failing',
  refused: 'witnesses.refused',
};

interface WitnessesState {
  data: WitnessesResponse | null;
  error: string | null;
}

export interface WitnessBlock {
  element: HTMLElement;
  refresh(): Promise<void>;
}

function health(w: PublicWitnessStatus | WitnessStatus): string {
  const parts = [`${w.name}: ${t(STATE_KEYS[w.state])}`];
  if (w.cosignedAt) parts.push(formatDate(w.cosignedAt));
  if ('lastError' in w && w.lastError && w.state !== 'cosigned') parts.push(w.lastError);
  if ('nextAttemptAt' in w && w.nextAttemptAt) parts.push(t('witnesses.nextTry', { when: formatDate(w.nextAttemptAt) }));
  return parts.join(' · ');
}

function witnessesView({ data, error }: WitnessesState, showHealth: boolean): TemplateResult {
  if (error !== null) return html`<p class="muted small">${t('witnesses.loadFailed', { reason: error })}</p>`;
  if (!data || data.witnesses.length === 0) return html`<p class="muted small">${t('witnesses.none')}</p>`;
  const cosigned = data.witnesses.filter((w) => w.state === 'cosigned');
  const line =
    cosigned.length > 0
      ? t('witnesses.witnessedBy', { names: cosigned.map((w) => w.name).join(', '), count: cosigned.length, total: data.witnesses.length, size: data.treeSize })
      : t('witnesses.notYet', { size: data.treeSize });
  const list = html`<ul class="witness-list small" aria-label=${t('witnesses.status')}>${data.witnesses.map((w) => html`<li data-state=${w.state} data-witness=${w.name}>${health(w)}</li>`)}</ul>`;
  return html`<p class="small" id="witnessed-by">${line}</p>${showHealth ? list : nothing}`;
}

export function witnessBlock(showHealth: boolean): WitnessBlock {
  const element = h('div', { id: 'witnesses', class: 'witnesses', 'aria-live': 'polite' });
  const store = createStore<WitnessesState>({ data: null, error: null });
  mountView(element, store, (state) => witnessesView(state, showHealth));
  return {
    element,
    async refresh() {
      try {
        store.update({ data: await api.witnesses(), error: null });
      } catch (error) {
        store.update({ data: null, error: error instanceof Error ? error.message : String(error) });
      }
    },
  };
}
