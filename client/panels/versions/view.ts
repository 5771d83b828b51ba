// The Versions panel as a function of its state: the frozen versions with
// their exports, the freeze form (for those who may freeze), the comparison
// form, the timeslider and the check of the signed history with its
// witnesses (blocks with state of their own, included as they are).
import { meetingDate } from '../../../core/meeting-date';
import { shortHash } from '../../../core/short-hash';
import type { Version } from '../../api';
import { formatDate, t } from '../../i18n';
import { html, live, nothing, ref, repeat, type TemplateResult } from '../../view';
import { compareFrom, listStatus, versionName, type VersionsState } from './state';

export interface VersionsViewActions {
  compare(event: Event): void;
  choose(end: 'from' | 'to', value: string): void;
  type(field: 'label' | 'meeting', value: string): void;
  freeze(event: Event): void;
  verify(): void;
  labelRef(element: Element | undefined): void;
}

export interface VersionsViewContext {
  docId: string;
  canFreeze: boolean;
  actions: VersionsViewActions;
  /** Blocks with their own state: the timeslider and the witnesses. */
  timeline: HTMLElement;
  witnesses: HTMLElement;
}

/** A meeting package (zip: clean text, redline against the previous meeting version, bundle) and the clean text alone. */
const EXPORTS = [
  { format: 'zip', label: () => t('history.meetingPackage') },
  { format: 'docx', label: () => t('format.word') },
  { format: 'pdf', label: () => 'PDF' },
  { format: 'html', label: () => 'HTML' },
  { format: 'md', label: () => 'Markdown' },
] as const;

const exportUrl = (docId: string, version: number, format: string): string => `/api/documents/${encodeURIComponent(docId)}/export?version=${version}&format=${format}`;

function versionItem(docId: string, version: Version): TemplateResult {
  const author = version.createdBy ? [version.createdBy.name, version.createdBy.organization].filter(Boolean).join(', ') : '';
  const meeting = meetingDate(version.meeting);
  const when = version.createdAt ? (meeting ? t('history.recorded', { when: formatDate(version.createdAt) }) : formatDate(version.createdAt)) : '';
  return html`<li class="version" data-version=${version.number}>
    <div class="version-head"><span class="version-number">${t('version.short', { number: version.number })}</span><span class="version-label" dir="auto">${version.label || t('history.untitledVersion')}</span></div>
    ${version.meeting ? html`<div class="version-meeting">${version.meeting}</div>` : nothing}
    ${meeting ? html`<div class="version-meeting-date">${t('history.meetingOf', { date: formatDate(meeting, { dateStyle: 'long', timeZone: 'UTC' }) })}</div>` : nothing}
    <div class="version-meta">${[author, when].filter(Boolean).join(' · ')}</div>
    ${version.contentHash ? html`<div class="version-hash" title=${t('history.contentHash', { hash: version.contentHash })}>#${shortHash(version.contentHash)}</div>` : nothing}
    <div class="version-exports" aria-label=${t('history.exportVersion', { number: version.number })}>
      ${EXPORTS.map(({ format, label }) => html`<a href=${exportUrl(docId, version.number, format)} download="" data-export=${format} class="button subtle small">${label()}</a>`)}
    </div>
  </li>`;
}

function freezeForm(state: VersionsState, view: VersionsViewContext): TemplateResult | typeof nothing {
  if (!view.canFreeze) return nothing;
  const { actions } = view;
  const onInput = (field: 'label' | 'meeting') => (event: Event) => actions.type(field, (event.target as HTMLInputElement).value);
  return html`<form id="freeze-form" class="stack" @submit=${actions.freeze}>
    <h3>${t('history.freezeTitle')}</h3>
    <p class="muted small">${t('history.freezeHelp')}</p>
    <div class="field"><label for="freeze-label">${t('history.label')}</label><input id="freeze-label" name="label" type="text" required maxlength="200" autocomplete="off" placeholder=${t('history.labelPlaceholder')} .value=${live(state.label)} @input=${onInput('label')} ${ref(actions.labelRef)}></div>
    <div class="field"><label for="freeze-meeting">${t('history.meeting')}</label><input id="freeze-meeting" name="meeting" type="text" maxlength="200" autocomplete="off" placeholder=${t('history.meetingPlaceholder')} .value=${live(state.meeting)} @input=${onInput('meeting')}></div>
    <button type="submit" id="freeze-submit" class="button primary" ?disabled=${state.freezing}>${state.freezing ? t('history.freezing') : t('history.freeze')}</button>
    <p class="form-error" role="alert" id="freeze-error">${state.freezeError}</p>
  </form>`;
}

function compareForm(state: VersionsState, view: VersionsViewContext): TemplateResult {
  const versions = state.versions ?? [];
  const none = versions.length === 0;
  const from = compareFrom(state);
  const option = (value: string, text: string, chosen: boolean) => html`<option value=${value} .selected=${chosen}>${text}</option>`;
  const onChange = (end: 'from' | 'to') => (event: Event) => view.actions.choose(end, (event.target as HTMLSelectElement).value);
  return html`<form id="redline-form" class="stack" @submit=${view.actions.compare}>
    <h3>${t('history.compare')}</h3>
    <div class="field-row">
      <div class="field"><label for="redline-from">${t('history.from')}</label><select id="redline-from" name="from" ?disabled=${none} @change=${onChange('from')}>${repeat(versions, (v) => v.number, (v) => option(String(v.number), versionName(v), from === String(v.number)))}</select></div>
      <div class="field"><label for="redline-to">${t('history.to')}</label><select id="redline-to" name="to" ?disabled=${none} @change=${onChange('to')}>${option('live', t('history.liveText'), state.compareTo === 'live')}${repeat(versions, (v) => v.number, (v) => option(String(v.number), versionName(v), state.compareTo === String(v.number)))}</select></div>
    </div>
    <button type="submit" id="redline-show" class="button primary" ?disabled=${none}>${t('history.showChanges')}</button>
    <p class="form-error" role="alert">${state.versions?.length === 0 ? t('history.nothingToCompare') : state.compareError}</p>
  </form>`;
}

function verifySection(state: VersionsState, view: VersionsViewContext): TemplateResult {
  const { docId } = view;
  const check = state.verify;
  const outcome = check.phase === 'done' ? check.outcome : null;
  const message = check.phase === 'checking' ? t('verify.checking') : (outcome?.message ?? '');
  return html`<section class="stack verify" aria-labelledby="verify-title">
    <h3 id="verify-title">${t('verify.title')}</h3>
    <p class="muted small">${t('verify.help')}</p>
    <div class="button-row">
      <button type="button" id="verify-history" class="button" ?disabled=${check.phase === 'checking'} @click=${view.actions.verify}>${t('verify.button')}</button>
      <a href=${`/api/documents/${encodeURIComponent(docId)}/bundle`} download=${`${docId}-bundle.json`} class="button subtle">${t('verify.downloadBundle')}</a>
      <a href=${`/api/documents/${encodeURIComponent(docId)}/verify.html`} download=${`${docId}-verify.html`} id="download-verifier" class="button subtle">${t('verify.offlineVerifier')}</a>
    </div>
    <p id="verify-result" class="verify-result" role="status" data-result=${outcome ? (outcome.ok ? 'ok' : 'fail') : nothing}>${message}</p>
    <details class="verify-details" ?hidden=${!outcome?.technical}><summary>${t('verify.technical')}</summary><code id="verify-technical" class="small">${outcome?.technical ?? ''}</code></details>
    <h4 class="small-heading">${t('witnesses.title')}</h4>
    ${view.witnesses}
  </section>`;
}

export function versionsView(state: VersionsState, view: VersionsViewContext): TemplateResult {
  const status = listStatus(state);
  const newestFirst = [...(state.versions ?? [])].reverse();
  return html`<h2 class="panel-title">${t('history.versions')}</h2>
    <p class="muted" role="status" ?hidden=${!status}>${status}</p>
    <ol id="versions" class="versions" reversed>${repeat(newestFirst, (v) => v.number, (v) => versionItem(view.docId, v))}</ol>
    ${freezeForm(state, view)}
    ${compareForm(state, view)}
    ${view.timeline}
    ${verifySection(state, view)}`;
}
