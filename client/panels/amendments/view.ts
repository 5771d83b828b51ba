// The Amendments panel as a function of its state: the filters, the cards
// grouped by section (keyed by id, so a card keeps its DOM, and with it the
// focus and what is being typed, while others come and go), and the
// compilation downloads. Every word comes from the catalogue.
import { redlineParts } from '../../../core/amendment-text';
import { STAKEHOLDER_GROUPS } from '../../../core/people';
import { amendmentsExportUrl, type Amendment } from '../../api';
import { formatDate, formatNumber, listInWords, stakeholderGroupLabel, t } from '../../i18n';
import { AMENDMENT_STATUSES, kindLabel, statusLabel } from '../../amendments/status';
import { PROPOSE_SHORTCUT } from '../../editor/propose-amendment';
import { html, live, nothing, ref, repeat, type TemplateResult } from '../../view';
import { bySection, countText, draftKey, isOpen, statusText, type AmendmentsState, type DraftField, type OpenForm } from './state';

/** What the view may do: every handler changes state through the panel's actions. */
export interface AmendmentsViewActions {
  setFilter(kind: 'status' | 'group', value: string): void;
  toggle(a: Amendment, form: OpenForm): void;
  support(a: Amendment): void;
  withdraw(a: Amendment): void;
  decide(a: Amendment, decision: 'accept' | 'reject'): void;
  comment(a: Amendment): void;
  draft(a: Amendment, field: DraftField, text: string): void;
  showInText(a: Amendment): void;
  /** Called with each card element as it is rendered (and undefined as it goes). */
  cardRef(element: Element | undefined): void;
}

export interface AmendmentsViewContext {
  docId: string;
  userId: string;
  /** The document's language, for its section titles. */
  language: string;
  canPropose: boolean;
  canDecide: boolean;
  actions: AmendmentsViewActions;
}

function supportSummary(a: Amendment): string {
  if (a.supporters.length === 0) return t('amendments.noSupporters');
  const byGroup = new Map<string, number>();
  for (const s of a.supporters) byGroup.set(s.stakeholderGroup, (byGroup.get(s.stakeholderGroup) ?? 0) + 1);
  const groups = listInWords([...byGroup.entries()].map(([g, n]) => `${stakeholderGroupLabel(g)} ${formatNumber(n)}`));
  return t('amendments.supportedBy', { count: a.supporters.length, groups });
}

// No white space between the parts: the redline reads as one run of text.
function redline(a: Amendment): TemplateResult {
  const parts = redlineParts(a.quote, a.proposed);
  return html`<p class="amendment-redline" dir="auto">${parts.before}${parts.removed ? html`<del>${parts.removed}</del>` : nothing}${parts.inserted ? html`<ins>${parts.inserted}</ins>` : nothing}${parts.after}</p>`;
}

function outcome(a: Amendment): TemplateResult | typeof nothing {
  if (a.decision) {
    const { decision, decidedBy, reason, decidedAt, logIndex } = a.decision;
    const who = decision === 'accept' ? t('amendments.acceptedBy', { name: decidedBy.name }) : t('amendments.rejectedBy', { name: decidedBy.name });
    return html`<div class="amendment-outcome">
      <p><strong>${who}</strong>${` (${decidedBy.organization})`}</p>
      ${reason ? html`<p class="amendment-reason">${t('amendments.quoted', { text: reason })}</p>` : nothing}
      <p class="amendment-when">${formatDate(decidedAt)} · <span class="amendment-log" title=${t('amendments.logIndexTitle')}>${t('amendments.logIndex', { index: String(logIndex) })}</span></p>
    </div>`;
  }
  if (a.withdrawal) {
    return html`<div class="amendment-outcome">
      <p><strong>${t('amendments.withdrawnByProposer')}</strong></p>
      <p class="amendment-when">${formatDate(a.withdrawal.withdrawnAt)} · <span class="amendment-log">${t('amendments.logIndex', { index: String(a.withdrawal.logIndex) })}</span></p>
    </div>`;
  }
  return nothing;
}

interface ButtonOptions {
  primary?: boolean;
  disabled?: boolean;
  pressed?: boolean;
}

function actionButton(action: string, label: string, onClick: () => void, options: ButtonOptions = {}): TemplateResult {
  const pressed = options.pressed === undefined ? nothing : String(options.pressed);
  return html`<button type="button" class="button small${options.primary ? ' primary' : ''}" data-action=${action} ?disabled=${options.disabled ?? false} aria-pressed=${pressed} @click=${onClick}>${label}</button>`;
}

/** Support, comment, withdraw, and for chairs and editors accept and reject. */
function cardActions(a: Amendment, state: AmendmentsState, view: AmendmentsViewContext): TemplateResult | typeof nothing {
  const { actions, canPropose, canDecide } = view;
  const working = state.busy.has(a.id);
  const form = state.forms.get(a.id);
  const mine = a.proposer.id === view.userId;
  const supporting = a.supporters.some((s) => s.id === view.userId);
  const buttons: TemplateResult[] = [];
  if (canPropose && isOpen(a) && !mine) {
    buttons.push(actionButton('support', supporting ? t('amendments.supported') : t('amendments.support'), () => actions.support(a), { disabled: working || supporting, pressed: supporting }));
  }
  if (canPropose) buttons.push(actionButton('comment', t('amendments.comment'), () => actions.toggle(a, 'comment'), { pressed: form === 'comment' }));
  if (mine && isOpen(a)) buttons.push(actionButton('withdraw', t('amendments.withdraw'), () => actions.withdraw(a), { disabled: working }));
  if (canDecide && isOpen(a)) {
    buttons.push(actionButton('accept', t('amendments.acceptOpen'), () => actions.toggle(a, 'accept'), { disabled: working || a.status === 'outdated', pressed: form === 'accept' }));
    buttons.push(actionButton('reject', t('amendments.rejectOpen'), () => actions.toggle(a, 'reject'), { disabled: working, pressed: form === 'reject' }));
  }
  return buttons.length ? html`<div class="button-row amendment-actions">${buttons}</div>` : nothing;
}

/** A text box bound to the card's draft: the renderer writes it only when the state differs from what is typed. */
function draftArea(a: Amendment, field: DraftField, placeholder: string, state: AmendmentsState, view: AmendmentsViewContext): TemplateResult {
  const text = state.drafts.get(draftKey(a.id, field)) ?? '';
  const onInput = (event: Event): void => view.actions.draft(a, field, (event.target as HTMLTextAreaElement).value);
  return html`<textarea data-field=${field} rows="2" maxlength="10000" placeholder=${placeholder} aria-label=${placeholder} .value=${live(text)} @input=${onInput}></textarea>`;
}

function decisionForm(a: Amendment, state: AmendmentsState, view: AmendmentsViewContext): TemplateResult | typeof nothing {
  const form = state.forms.get(a.id);
  if ((form !== 'accept' && form !== 'reject') || !view.canDecide || !isOpen(a)) return nothing;
  const accept = form === 'accept';
  return html`<div class="amendment-form" data-form="decision">
    ${draftArea(a, 'reason', accept ? t('amendments.acceptReason') : t('amendments.rejectReason'), state, view)}
    <div class="button-row">
      ${actionButton('confirm-decision', accept ? t('amendments.accept') : t('amendments.reject'), () => view.actions.decide(a, form), { primary: true, disabled: state.busy.has(a.id) })}
      ${actionButton('cancel', t('dialog.cancel'), () => view.actions.toggle(a, form))}
    </div>
  </div>`;
}

function commentForm(a: Amendment, state: AmendmentsState, view: AmendmentsViewContext): TemplateResult | typeof nothing {
  if (state.forms.get(a.id) !== 'comment' || !view.canPropose) return nothing;
  return html`<div class="amendment-form" data-form="comment">
    ${draftArea(a, 'comment', t('amendments.yourComment'), state, view)}
    <div class="button-row">
      ${actionButton('post-comment', t('amendments.postComment'), () => view.actions.comment(a), { primary: true, disabled: state.busy.has(a.id) })}
      ${actionButton('cancel', t('dialog.cancel'), () => view.actions.toggle(a, 'comment'))}
    </div>
  </div>`;
}

function comments(a: Amendment): TemplateResult | typeof nothing {
  if (a.comments.length === 0) return nothing;
  return html`<ol class="amendment-comments">
    ${repeat(
      a.comments,
      (c) => c.id,
      (c) => html`<li data-comment-id=${c.id}>
        <span class="amendment-comment-author">${`${c.author.name} (${c.author.organization}, ${stakeholderGroupLabel(c.author.stakeholderGroup)})`}</span>
        <span class="amendment-comment-time">${formatDate(c.createdAt)}</span>
        <p>${c.text}</p>
      </li>`,
    )}
  </ol>`;
}

function card(a: Amendment, state: AmendmentsState, view: AmendmentsViewContext): TemplateResult {
  const error = state.errors.get(a.id);
  const meta = `${a.proposer.name} · ${a.proposer.organization} · ${stakeholderGroupLabel(a.proposer.stakeholderGroup)} · ${formatDate(a.createdAt)}`;
  const note = a.currentText === null ? t('amendments.quoteDeleted') : t('amendments.quoteNowReads', { text: a.currentText });
  return html`<article class="amendment-card${state.flashing === a.id ? ' is-flashing' : ''}" data-amendment-id=${a.id} data-status=${a.status} aria-label=${t('amendments.cardLabel', { number: a.number })} ${ref(view.actions.cardRef)}>
    <header class="amendment-head">
      <button type="button" class="amendment-number" title=${t('amendments.showInText')} @click=${() => view.actions.showInText(a)}>${t('amendments.number', { number: a.number })}</button>
      <span class="amendment-status" data-status=${a.status}>${statusLabel(a.status)}</span>
      <span class="amendment-kind">${kindLabel(a.kind)}</span>
    </header>
    ${redline(a)}
    ${a.status === 'outdated' ? html`<p class="amendment-note">${note}</p>` : nothing}
    <p class="amendment-justification" dir="auto">${a.justification}</p>
    <p class="amendment-meta">${meta}</p>
    <p class="amendment-support" data-supporters=${a.supporters.length}>${supportSummary(a)}</p>
    ${outcome(a)}
    ${cardActions(a, state, view)}
    ${error ? html`<p class="form-error" role="alert">${error}</p>` : nothing}
    ${decisionForm(a, state, view)}
    ${comments(a)}
    ${commentForm(a, state, view)}
  </article>`;
}

function filters(state: AmendmentsState, view: AmendmentsViewContext): TemplateResult {
  const option = (value: string, text: string, chosen: string) => html`<option value=${value} .selected=${value === chosen}>${text}</option>`;
  const onChange = (kind: 'status' | 'group') => (event: Event) => view.actions.setFilter(kind, (event.target as HTMLSelectElement).value);
  return html`<div class="field-row amendment-filters">
    <div class="field"><select id="amendment-filter-status" aria-label=${t('amendments.filterStatus')} @change=${onChange('status')}>
      ${option('', t('amendments.allStatuses'), state.statusFilter)}${AMENDMENT_STATUSES.map((v) => option(v, statusLabel(v), state.statusFilter))}
    </select></div>
    <div class="field"><select id="amendment-filter-group" aria-label=${t('amendments.filterGroup')} @change=${onChange('group')}>
      ${option('', t('amendments.allGroups'), state.groupFilter)}${STAKEHOLDER_GROUPS.map((g) => option(g, stakeholderGroupLabel(g), state.groupFilter))}
    </select></div>
  </div>`;
}

function exports(docId: string): TemplateResult {
  return html`<div class="amendment-export" id="amendments-export">
    <span class="muted small">${t('amendments.compilation')}</span>
    <a class="button subtle small" href=${amendmentsExportUrl(docId, 'html')} target="_blank" rel="noopener" data-format="html">HTML</a>
    <a class="button subtle small" href=${amendmentsExportUrl(docId, 'docx')} download="" data-format="docx">${t('format.word')}</a>
    <a class="button subtle small" href=${amendmentsExportUrl(docId, 'csv')} download="" data-format="csv">CSV</a>
  </div>`;
}

export function amendmentsView(state: AmendmentsState, view: AmendmentsViewContext): TemplateResult {
  const status = statusText(state);
  const help = view.canPropose ? t('amendments.help', { keys: PROPOSE_SHORTCUT.label }) : t('amendments.helpReader');
  return html`<h2 class="panel-title">${t('amendments.title')} <span class="panel-count">${countText(state)}</span></h2>
    <p class="muted small amendment-help">${help}</p>
    ${filters(state, view)}
    <p class="muted${state.failure ? ' is-error' : ''}" role="status" ?hidden=${!status}>${status}</p>
    <div id="amendment-list" class="amendment-list">
      ${repeat(
        bySection(state),
        (group) => group.section,
        (group) => html`<section class="amendment-section" data-section=${group.section}>
          <h3 lang=${view.language} dir="auto">${group.title}</h3>
          ${repeat(group.amendments, (a) => a.id, (a) => card(a, state, view))}
        </section>`,
      )}
    </div>
    ${exports(view.docId)}`;
}
