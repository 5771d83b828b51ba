// The Amendments panel: every proposal of the document grouped by section,
// filtered by status and stakeholder group, with support, comments and
// withdrawal for stakeholders and accept/reject (with a reason) for chairs
// and editors. It reads the shared feed, so a proposal, a support or a
// decision by anyone appears here without a reload. It never edits the text.
import '../amendments/amendments.css';
import { sectionsOf } from '../../core/schema';
import { redlineParts } from '../../core/amendment-text';
import { amendmentsApi, amendmentsExportUrl, canDecideAmendment, canProposeAmendment, type Amendment, errorText } from '../api';
import { amendmentFeed, type AmendmentFeed } from '../amendments/feed';
import { revealAmendment } from '../amendments/index';
import { liveStatus } from '../amendments/live-status';
import { PROPOSE_SHORTCUT } from '../editor/propose-amendment';
import { formatDate, h, stakeholderGroupLabel, type Cleanup } from '../dom';
import type { DocumentContext, PanelDefinition } from './types';
import { formatNumber, listInWords, t } from '../i18n';
import { AMENDMENT_STATUSES, kindLabel, statusLabel } from '../amendments/status';

const GROUPS = ['government', 'private-sector', 'civil-society', 'technical-community', 'academia', 'intergovernmental'];

type OpenForm = 'accept' | 'reject' | 'comment';

const isOpen = (a: Amendment): boolean => a.status === 'open' || a.status === 'outdated';

function option(value: string, text: string): HTMLOptionElement {
  return h('option', { value }, text);
}

function supportSummary(a: Amendment): string {
  if (a.supporters.length === 0) return t('amendments.noSupporters');
  const byGroup = new Map<string, number>();
  for (const s of a.supporters) byGroup.set(s.stakeholderGroup, (byGroup.get(s.stakeholderGroup) ?? 0) + 1);
  const groups = listInWords([...byGroup.entries()].map(([g, n]) => `${stakeholderGroupLabel(g)} ${formatNumber(n)}`));
  return t('amendments.supportedBy', { count: a.supporters.length, groups });
}

function redline(a: Amendment): HTMLElement {
  const parts = redlineParts(a.quote, a.proposed);
  return h(
    'p',
    { class: 'amendment-redline', dir: 'auto' },
    parts.before,
    parts.removed ? h('del', {}, parts.removed) : null,
    parts.inserted ? h('ins', {}, parts.inserted) : null,
    parts.after,
  );
}

function outcome(a: Amendment): HTMLElement | null {
  if (a.decision) {
    const name = a.decision.decidedBy.name;
    return h(
      'div',
      { class: 'amendment-outcome' },
      h('p', {}, h('strong', {}, a.decision.decision === 'accept' ? t('amendments.acceptedBy', { name }) : t('amendments.rejectedBy', { name })), ` (${a.decision.decidedBy.organization})`),
      a.decision.reason ? h('p', { class: 'amendment-reason' }, t('amendments.quoted', { text: a.decision.reason })) : null,
      h('p', { class: 'amendment-when' }, formatDate(a.decision.decidedAt), ' · ', h('span', { class: 'amendment-log', title: t('amendments.logIndexTitle') }, t('amendments.logIndex', { index: String(a.decision.logIndex) }))),
    );
  }
  if (a.withdrawal) {
    return h(
      'div',
      { class: 'amendment-outcome' },
      h('p', {}, h('strong', {}, t('amendments.withdrawnByProposer'))),
      h('p', { class: 'amendment-when' }, formatDate(a.withdrawal.withdrawnAt), ' · ', h('span', { class: 'amendment-log' }, t('amendments.logIndex', { index: String(a.withdrawal.logIndex) }))),
    );
  }
  return null;
}

function mountAmendments(container: HTMLElement, context: DocumentContext): Cleanup {
  const { docId, user } = context;
  const feed: AmendmentFeed = amendmentFeed(docId, context.ydoc);
  const canPropose = canProposeAmendment(user.role);
  const canDecide = canDecideAmendment(user.role);

  const statusFilter = h('select', { id: 'amendment-filter-status', 'aria-label': t('amendments.filterStatus') }, option('', t('amendments.allStatuses')), ...AMENDMENT_STATUSES.map((v) => option(v, statusLabel(v))));
  const groupFilter = h('select', { id: 'amendment-filter-group', 'aria-label': t('amendments.filterGroup') }, option('', t('amendments.allGroups')), ...GROUPS.map((g) => option(g, stakeholderGroupLabel(g))));
  const count = h('span', { class: 'panel-count' });
  const status = h('p', { class: 'muted', role: 'status' }, t('amendments.loading'));
  const list = h('div', { id: 'amendment-list', class: 'amendment-list' });

  const openForms = new Map<string, OpenForm>();
  const drafts = new Map<string, string>();
  const busy = new Set<string>();
  const errors = new Map<string, string>();

  container.replaceChildren(
    h('h2', { class: 'panel-title' }, t('amendments.title'), ' ', count),
    h(
      'p',
      { class: 'muted small amendment-help' },
      canPropose ? t('amendments.help', { keys: PROPOSE_SHORTCUT.label }) : t('amendments.helpReader'),
    ),
    h('div', { class: 'field-row amendment-filters' }, h('div', { class: 'field' }, statusFilter), h('div', { class: 'field' }, groupFilter)),
    status,
    list,
    h(
      'div',
      { class: 'amendment-export', id: 'amendments-export' },
      h('span', { class: 'muted small' }, t('amendments.compilation')),
      h('a', { class: 'button subtle small', href: amendmentsExportUrl(docId, 'html'), target: '_blank', rel: 'noopener', 'data-format': 'html' }, 'HTML'),
      h('a', { class: 'button subtle small', href: amendmentsExportUrl(docId, 'docx'), download: '', 'data-format': 'docx' }, t('format.word')),
      h('a', { class: 'button subtle small', href: amendmentsExportUrl(docId, 'csv'), download: '', 'data-format': 'csv' }, 'CSV'),
    ),
  );

  const run = (a: Amendment, action: () => Promise<unknown>, done?: string): void => {
    busy.add(a.id);
    errors.delete(a.id);
    render();
    action()
      .then(() => {
        openForms.delete(a.id);
        drafts.delete(`${a.id}:reason`);
        drafts.delete(`${a.id}:comment`);
        if (done) context.notify(done, 'success');
      })
      .catch((error: unknown) => errors.set(a.id, errorText(error)))
      .finally(() => {
        busy.delete(a.id);
        void feed.refresh().then(render);
        render();
      });
  };

  const draftArea = (a: Amendment, field: 'reason' | 'comment', placeholder: string): HTMLTextAreaElement => {
    const area = h('textarea', { 'data-field': field, rows: 2, maxlength: 10000, placeholder, 'aria-label': placeholder });
    area.value = drafts.get(`${a.id}:${field}`) ?? '';
    area.addEventListener('input', () => drafts.set(`${a.id}:${field}`, area.value));
    return area;
  };

  const actionButton = (action: string, label: string, onclick: () => void, options: { primary?: boolean; disabled?: boolean; pressed?: boolean } = {}): HTMLButtonElement =>
    h(
      'button',
      {
        type: 'button',
        class: `button small${options.primary ? ' primary' : ''}`,
        'data-action': action,
        disabled: options.disabled,
        'aria-pressed': options.pressed === undefined ? undefined : String(options.pressed),
        onclick,
      },
      label,
    );

  const card = (a: Amendment): HTMLElement => {
    const working = busy.has(a.id);
    const form = openForms.get(a.id);
    const mine = a.proposer.id === user.id;
    const supporting = a.supporters.some((s) => s.id === user.id);
    const actions: HTMLElement[] = [];
    if (canPropose && isOpen(a) && !mine) {
      actions.push(actionButton('support', supporting ? t('amendments.supported') : t('amendments.support'), () => run(a, () => amendmentsApi.support(docId, a.id)), { disabled: working || supporting, pressed: supporting }));
    }
    if (canPropose) actions.push(actionButton('comment', t('amendments.comment'), () => toggle(a, 'comment'), { pressed: form === 'comment' }));
    if (mine && isOpen(a)) actions.push(actionButton('withdraw', t('amendments.withdraw'), () => run(a, () => amendmentsApi.withdraw(docId, a.id), t('amendments.withdrawnNotice', { number: a.number })), { disabled: working }));
    if (canDecide && isOpen(a)) {
      actions.push(actionButton('accept', t('amendments.acceptOpen'), () => toggle(a, 'accept'), { disabled: working || a.status === 'outdated', pressed: form === 'accept' }));
      actions.push(actionButton('reject', t('amendments.rejectOpen'), () => toggle(a, 'reject'), { disabled: working, pressed: form === 'reject' }));
    }

    let decisionForm: HTMLElement | null = null;
    if ((form === 'accept' || form === 'reject') && canDecide && isOpen(a)) {
      const reason = draftArea(a, 'reason', form === 'accept' ? t('amendments.acceptReason') : t('amendments.rejectReason'));
      decisionForm = h(
        'div',
        { class: 'amendment-form', 'data-form': 'decision' },
        reason,
        h(
          'div',
          { class: 'button-row' },
          actionButton('confirm-decision', form === 'accept' ? t('amendments.accept') : t('amendments.reject'), () => {
            const text = reason.value.trim();
            if (form === 'reject' && !text) {
              errors.set(a.id, t('amendments.reasonRequired'));
              render();
              return;
            }
            run(a, () => amendmentsApi.decide(docId, a.id, form, text), form === 'accept' ? t('amendments.acceptedNotice', { number: a.number }) : t('amendments.rejectedNotice', { number: a.number }));
          }, { primary: true, disabled: working }),
          actionButton('cancel', t('dialog.cancel'), () => toggle(a, form)),
        ),
      );
    }

    let commentForm: HTMLElement | null = null;
    if (form === 'comment' && canPropose) {
      const text = draftArea(a, 'comment', t('amendments.yourComment'));
      commentForm = h(
        'div',
        { class: 'amendment-form', 'data-form': 'comment' },
        text,
        h(
          'div',
          { class: 'button-row' },
          actionButton('post-comment', t('amendments.postComment'), () => {
            if (!text.value.trim()) return;
            run(a, () => amendmentsApi.comment(docId, a.id, text.value.trim()));
          }, { primary: true, disabled: working }),
          actionButton('cancel', t('dialog.cancel'), () => toggle(a, 'comment')),
        ),
      );
    }

    const comments = a.comments.length
      ? h(
          'ol',
          { class: 'amendment-comments' },
          a.comments.map((c) =>
            h(
              'li',
              { 'data-comment-id': c.id },
              h('span', { class: 'amendment-comment-author' }, `${c.author.name} (${c.author.organization}, ${stakeholderGroupLabel(c.author.stakeholderGroup)})`),
              h('span', { class: 'amendment-comment-time' }, formatDate(c.createdAt)),
              h('p', {}, c.text),
            ),
          ),
        )
      : null;

    return h(
      'article',
      { class: 'amendment-card', 'data-amendment-id': a.id, 'data-status': a.status, 'aria-label': t('amendments.cardLabel', { number: a.number }) },
      h(
        'header',
        { class: 'amendment-head' },
        h('button', { type: 'button', class: 'amendment-number', title: t('amendments.showInText'), onclick: () => showInText(a) }, t('amendments.number', { number: a.number })),
        h('span', { class: 'amendment-status', 'data-status': a.status }, statusLabel(a.status)),
        h('span', { class: 'amendment-kind' }, kindLabel(a.kind)),
      ),
      redline(a),
      a.status === 'outdated'
        ? h('p', { class: 'amendment-note' }, a.currentText === null ? t('amendments.quoteDeleted') : t('amendments.quoteNowReads', { text: a.currentText }))
        : null,
      h('p', { class: 'amendment-justification', dir: 'auto' }, a.justification),
      h(
        'p',
        { class: 'amendment-meta' },
        `${a.proposer.name} · ${a.proposer.organization} · ${stakeholderGroupLabel(a.proposer.stakeholderGroup)} · ${formatDate(a.createdAt)}`,
      ),
      h('p', { class: 'amendment-support', 'data-supporters': a.supporters.length }, supportSummary(a)),
      outcome(a),
      actions.length ? h('div', { class: 'button-row amendment-actions' }, actions) : null,
      errors.has(a.id) ? h('p', { class: 'form-error', role: 'alert' }, errors.get(a.id)!) : null,
      decisionForm,
      comments,
      commentForm,
    );
  };

  const toggle = (a: Amendment, form: OpenForm): void => {
    if (openForms.get(a.id) === form) openForms.delete(a.id);
    else openForms.set(a.id, form);
    errors.delete(a.id);
    render();
    container.querySelector<HTMLTextAreaElement>(`.amendment-card[data-amendment-id="${CSS.escape(a.id)}"] textarea`)?.focus();
  };

  const showInText = (a: Amendment): void => {
    const inline = context.stage.querySelector<HTMLElement>(`.amendment-inline[data-amendment-id="${CSS.escape(a.id)}"]`);
    inline?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  };

  const sectionOrder = (): { id: string; title: string }[] => {
    const view = context.view();
    return view ? sectionsOf(view.state.doc) : context.document.sections;
  };

  function render(): void {
    // Keep the focus (and caret) of a textarea being typed in across re-renders.
    const active = document.activeElement as HTMLElement | null;
    const focusKey = active && container.contains(active) ? `${active.closest<HTMLElement>('[data-amendment-id]')?.dataset.amendmentId}:${active.dataset.field ?? active.dataset.action ?? ''}` : null;
    const caret = active instanceof HTMLTextAreaElement ? active.selectionStart : null;

    const all = feed.list().map((a) => ({ ...a, ...liveStatus(a, context.ydoc) }));
    renderedStatuses = all.map((a) => a.status).join();
    const shown = all.filter((a) => (!statusFilter.value || a.status === statusFilter.value) && (!groupFilter.value || a.proposer.stakeholderGroup === groupFilter.value));
    count.textContent = `(${shown.length === all.length ? formatNumber(all.length) : t('amendments.shownOf', { shown: shown.length, total: all.length })})`;
    const open = all.filter(isOpen).length;
    context.setTabCount(feed.loaded() ? t('amendments.openCount', { count: open }) : '');
    const failure = feed.error();
    status.hidden = false;
    status.classList.toggle('is-error', failure !== null);
    if (failure) status.textContent = t('amendments.loadFailed', { reason: failure });
    else if (!feed.loaded()) status.textContent = t('amendments.loading');
    else if (all.length === 0) status.textContent = t('amendments.none');
    else if (shown.length === 0) status.textContent = t('amendments.noneMatch');
    else status.hidden = true;

    const sections = sectionOrder();
    const titles = new Map(sections.map((s) => [s.id, s.title]));
    const order = new Map(sections.map((s, i) => [s.id, i]));
    const bySection = new Map<string, Amendment[]>();
    for (const a of [...shown].sort((x, y) => (order.get(x.section) ?? 1e9) - (order.get(y.section) ?? 1e9) || x.number - y.number)) {
      bySection.set(a.section, [...(bySection.get(a.section) ?? []), a]);
    }
    list.replaceChildren(
      ...[...bySection.entries()].map(([section, items]) =>
        h('section', { class: 'amendment-section', 'data-section': section }, h('h3', { lang: context.document.language, dir: 'auto' }, titles.get(section) || section), ...items.map(card)),
      ),
    );

    if (focusKey) {
      const [id, key] = focusKey.split(':');
      const card = list.querySelector<HTMLElement>(`.amendment-card[data-amendment-id="${CSS.escape(id ?? '')}"]`);
      const target = card?.querySelector<HTMLElement>(`[data-field="${key}"], [data-action="${key}"]`);
      if (target) {
        target.focus();
        if (target instanceof HTMLTextAreaElement && caret !== null) target.setSelectionRange(caret, caret);
      }
    }
  }

  // Typing moves the text between fetches: re-check open amendments now and then, re-rendering only on a change.
  let renderedStatuses = '';
  let recheck = 0;
  const onTextChange = (): void => {
    if (recheck) return;
    recheck = window.setTimeout(() => {
      recheck = 0;
      if (feed.list().map((a) => liveStatus(a, context.ydoc).status).join() !== renderedStatuses) render();
    }, 400);
  };
  context.ydoc.on('update', onTextChange);

  statusFilter.addEventListener('change', render);
  groupFilter.addEventListener('change', render);
  const unsubscribe = feed.subscribe(render);

  // Clicking an amendment in the text opens its card here.
  const onTextClick = (event: MouseEvent): void => {
    const target = (event.target as HTMLElement | null)?.closest<HTMLElement>('.ProseMirror [data-amendment-id]');
    if (target?.dataset.amendmentId) revealAmendment(target.dataset.amendmentId);
  };
  context.stage.addEventListener('click', onTextClick);
  render();

  return () => {
    unsubscribe();
    context.ydoc.off('update', onTextChange);
    window.clearTimeout(recheck);
    context.stage.removeEventListener('click', onTextClick);
  };
}

export const amendmentsPanel: PanelDefinition = { id: 'amendments', title: () => t('amendments.title'), mount: mountAmendments };
