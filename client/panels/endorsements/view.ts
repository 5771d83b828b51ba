// The Endorsements panel as a function of its state: the version open for
// endorsement, the chair's form to publish another, the endorsements
// awaiting a decision (contact details: chairs only) and the supporters.
import { endorsePageUrl, supportersExportUrl, type ChairEndorsement, type Version } from '../../api';
import { shortHash } from '../../../core/short-hash';
import { formatDate, stakeholderGroupLabel, t } from '../../i18n';
import { html, live, nothing, repeat, type TemplateResult } from '../../view';
import { chosenVersion, type EndorsementsState, type Listed } from './state';

export interface EndorsementsViewActions {
  refresh(): void;
  chooseVersion(value: string): void;
  publish(event: Event): void;
  typeReason(id: string, text: string): void;
  decide(e: ChairEndorsement, decision: 'confirm' | 'reject'): void;
}

export interface EndorsementsViewContext {
  docId: string;
  chair: boolean;
  actions: EndorsementsViewActions;
}


function openVersion(state: EndorsementsState): TemplateResult {
  if (state.failure !== null) return html`<p class="form-error">${t('endorsements.loadFailed', { reason: state.failure })}</p>`;
  if (!state.loaded) return html`<p class="muted" role="status">${t('common.loading')}</p>`;
  const { open, versions } = state.loaded;
  if (!open) return html`<p class="muted">${versions.length ? t('endorsements.noneOpen') : t('endorsements.noneFrozen')}</p>`;
  const opened = open.setAt ? (open.setBy ? t('endorsements.openedBy', { when: formatDate(open.setAt), name: open.setBy.name }) : t('endorsements.opened', { when: formatDate(open.setAt) })) : t('endorsements.openTitle');
  return html`<div class="version" data-version=${open.version}>
    <div class="version-head"><span class="version-number">${t('version.short', { number: open.version })}</span><span class="version-label">${open.label}</span></div>
    <div class="version-meta">${opened}</div>
    <div class="version-hash" title=${open.contentHash}>#${shortHash(open.contentHash)}</div>
  </div>`;
}

function publishForm(state: EndorsementsState, view: EndorsementsViewContext): TemplateResult {
  const versions: readonly Version[] = state.loaded?.versions ?? [];
  const choice = chosenVersion(state);
  const chosen = (v: Version): boolean => choice === String(v.number);
  return html`<form id="endorsement-version-form" class="stack" @submit=${view.actions.publish}>
    <h3>${t('endorsements.publishTitle')}</h3>
    <p class="muted small">${t('endorsements.publishHelp')}</p>
    <div class="field">
      <label for="endorsement-version-select">${t('endorsements.version')}</label>
      <select id="endorsement-version-select" name="version" @change=${(event: Event) => view.actions.chooseVersion((event.target as HTMLSelectElement).value)}>
        ${repeat([...versions].reverse(), (v) => v.number, (v) => html`<option value=${String(v.number)} .selected=${chosen(v)}>${t('version.named', { number: v.number, label: v.label })}</option>`)}
      </select>
    </div>
    <button type="submit" id="endorsement-version-publish" class="button primary" ?disabled=${versions.length === 0 || state.publishing}>${t('endorsements.publish')}</button>
    <p class="form-error" role="alert">${state.publishError}</p>
  </form>`;
}

function addressState(e: ChairEndorsement): TemplateResult {
  if (e.emailConfirmed) return html`<span class="endorsement-flag is-ok">${t('endorsements.addressConfirmed')}</span>`;
  if (e.linkExpired) return html`<span class="endorsement-flag is-warn">${t('endorsements.linkExpired')}</span>`;
  return html`<span class="endorsement-flag">${t('endorsements.awaitingAddress')}</span>`;
}

function pendingItem(e: ChairEndorsement, state: EndorsementsState, view: EndorsementsViewContext): TemplateResult {
  const { actions } = view;
  const locked = !e.emailConfirmed || state.deciding.has(e.id);
  const facts = [stakeholderGroupLabel(e.stakeholderGroup), e.countryName, t('version.short', { number: e.version }), e.reaffirms ? t('endorsements.reaffirmation') : ''].filter(Boolean).join(' · ');
  const onInput = (event: Event): void => actions.typeReason(e.id, (event.target as HTMLInputElement).value);
  return html`<li class="endorsement" data-endorsement=${e.id} data-status=${e.status}>
    <div class="endorsement-org">${e.organization}</div>
    <div class="version-meta">${facts}</div>
    <div class="version-meta">${t('endorsements.contact', { name: e.contactName, email: e.email, when: formatDate(e.submittedAt) })}</div>
    ${e.statement ? html`<p class="endorsement-statement">${t('amendments.quoted', { text: e.statement })}</p>` : nothing}
    ${addressState(e)}
    <input type="text" class="endorsement-reason" placeholder=${t('endorsements.reasonOptional')} maxlength="2000" aria-label=${t('endorsements.reasonLabel', { organization: e.organization })} .value=${live(state.reasons.get(e.id) ?? '')} @input=${onInput}>
    <div class="button-row">
      <button type="button" class="button primary small" data-action="confirm" ?disabled=${locked} @click=${() => actions.decide(e, 'confirm')}>${t('endorsements.confirm')}</button>
      <button type="button" class="button small" data-action="reject" ?disabled=${locked} @click=${() => actions.decide(e, 'reject')}>${t('endorsements.reject')}</button>
    </div>
    <p class="form-error" role="alert">${state.decisionErrors.get(e.id) ?? ''}</p>
  </li>`;
}

function supporterItem(e: Listed): TemplateResult {
  const facts = [stakeholderGroupLabel(e.stakeholderGroup), e.countryName, t('version.short', { number: e.version }), e.logIndex !== null ? t('endorsements.logEntry', { index: String(e.logIndex) }) : ''].filter(Boolean).join(' · ');
  return html`<li class="endorsement" data-endorsement=${e.id}>
    <div class="endorsement-org">${e.organization}</div>
    <div class="version-meta">${facts}</div>
    ${e.confirmedAt ? html`<div class="version-meta">${t('endorsements.confirmedAt', { when: formatDate(e.confirmedAt) })}</div>` : nothing}
  </li>`;
}

function pendingSection(state: EndorsementsState, view: EndorsementsViewContext): TemplateResult {
  const pending = state.loaded?.pending ?? [];
  const status = state.loaded ? (pending.length ? t('endorsements.pendingCount', { count: pending.length }) : t('endorsements.nothingPending')) : '';
  return html`<section class="stack endorsements-section" aria-labelledby="endorsements-pending-title">
    <div class="button-row"><h3 id="endorsements-pending-title">${t('endorsements.awaitingDecision')}</h3><button type="button" class="button subtle small" id="endorsements-refresh" @click=${view.actions.refresh}>${t('endorsements.refresh')}</button></div>
    <p class="muted small">${t('endorsements.chairHelp')}</p>
    <p class="muted small" role="status">${status}</p>
    <ul id="endorsements-pending" class="endorsements">${repeat(pending, (e) => e.id, (e) => pendingItem(e, state, view))}</ul>
  </section>`;
}

function supportersSection(state: EndorsementsState): TemplateResult {
  const confirmed = [...(state.loaded?.confirmed ?? [])].reverse();
  const status = state.loaded ? (confirmed.length ? t('endorsements.confirmedEndorsements', { count: confirmed.length }) : t('endorsements.noneConfirmed')) : '';
  return html`<section class="stack endorsements-section" aria-labelledby="endorsements-confirmed-title">
    <h3 id="endorsements-confirmed-title">${t('endorsements.supporters')}</h3>
    <p class="muted small" role="status">${status}</p>
    <ul id="endorsements-confirmed" class="endorsements">${repeat(confirmed, (e) => e.id, supporterItem)}</ul>
  </section>`;
}

export function endorsementsView(state: EndorsementsState, view: EndorsementsViewContext): TemplateResult {
  return html`<h2 class="panel-title">${t('endorsements.callTitle')}</h2>
    <section class="stack" aria-labelledby="endorsement-open-title">
      <h3 id="endorsement-open-title">${t('endorsements.openTitle')}</h3>
      <div id="endorsement-open" class="endorsement-open">${openVersion(state)}</div>
      <div class="button-row">
        <a href=${endorsePageUrl(view.docId)} target="_blank" rel="noopener" class="button" id="endorse-page-link">${t('endorsements.publicPage')}</a>
        <a href=${supportersExportUrl(view.docId, 'csv')} download="" class="button subtle small">CSV</a>
        <a href=${supportersExportUrl(view.docId, 'html')} target="_blank" rel="noopener" class="button subtle small">${t('endorsements.printable')}</a>
      </div>
    </section>
    ${view.chair ? publishForm(state, view) : nothing}
    ${view.chair ? pendingSection(state, view) : nothing}
    ${supportersSection(state)}`;
}
