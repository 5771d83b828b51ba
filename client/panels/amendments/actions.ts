// What the Amendments panel's controls do: each changes the panel's state
// and, for support, comments, withdrawal and decisions, asks the API, then
// refetches the shared feed. The view never changes anything itself.
import { amendmentsApi, errorText, type Amendment } from '../../api';
import { scrollToAmendment } from '../../editor/amendment-decorations';
import { t } from '../../i18n';
import { withEntry, withMember, type Store } from '../../view';
import type { AmendmentFeed } from '../../amendments/feed';
import type { DocumentContext } from '../types';
import { draftKey, type AmendmentsState, type DraftField, type OpenForm } from './state';
import type { AmendmentsViewActions } from './view';

export interface AmendmentsActions extends AmendmentsViewActions {
  /** Brings the panel and the card to the front, and flashes it. */
  reveal(id: string): void;
}

export function amendmentsActions(store: Store<AmendmentsState>, feed: AmendmentFeed, context: DocumentContext): AmendmentsActions {
  const { docId } = context;
  const cards = new Map<string, HTMLElement>();
  const draftOf = (a: Amendment, field: DraftField): string => (store.get().drafts.get(draftKey(a.id, field)) ?? '').trim();

  /** One request for a card: busy meanwhile; on success its form closes and its drafts go. */
  const run = (a: Amendment, request: () => Promise<unknown>, done?: string): void => {
    store.update((s) => ({ busy: withMember(s.busy, a.id, true), errors: withEntry(s.errors, a.id, undefined) }));
    request()
      .then(() => {
        store.update((s) => ({
          forms: withEntry(s.forms, a.id, undefined),
          drafts: withEntry(withEntry(s.drafts, draftKey(a.id, 'reason'), undefined), draftKey(a.id, 'comment'), undefined),
        }));
        if (done) context.notify(done, 'success');
      })
      .catch((error: unknown) => store.update((s) => ({ errors: withEntry(s.errors, a.id, errorText(error)) })))
      .finally(() => {
        store.update((s) => ({ busy: withMember(s.busy, a.id, false) }));
        void feed.refresh();
      });
  };

  const toggle = (a: Amendment, form: OpenForm): void => {
    const opening = store.get().forms.get(a.id) !== form;
    store.update((s) => ({ forms: withEntry(s.forms, a.id, opening ? form : undefined), errors: withEntry(s.errors, a.id, undefined) }));
    // The form was opened to be written in.
    if (opening && cards.get(a.id)?.isConnected) cards.get(a.id)?.querySelector<HTMLTextAreaElement>('.amendment-form textarea')?.focus();
  };

  const decide = (a: Amendment, decision: 'accept' | 'reject'): void => {
    const reason = draftOf(a, 'reason');
    if (decision === 'reject' && !reason) {
      store.update((s) => ({ errors: withEntry(s.errors, a.id, t('amendments.reasonRequired')) }));
      return;
    }
    const done = decision === 'accept' ? t('amendments.acceptedNotice', { number: a.number }) : t('amendments.rejectedNotice', { number: a.number });
    run(a, () => amendmentsApi.decide(docId, a.id, decision, reason), done);
  };

  const reveal = (id: string): void => {
    context.showPanel();
    const card = cards.get(id);
    if (!card?.isConnected) return;
    card.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    // The flash is a CSS animation: off, a style flush, on again restarts it.
    store.update({ flashing: null });
    void card.offsetWidth;
    store.update({ flashing: id });
  };

  return {
    setFilter: (kind, value) => store.update(kind === 'status' ? { statusFilter: value } : { groupFilter: value }),
    toggle,
    support: (a) => run(a, () => amendmentsApi.support(docId, a.id)),
    withdraw: (a) => run(a, () => amendmentsApi.withdraw(docId, a.id), t('amendments.withdrawnNotice', { number: a.number })),
    decide,
    comment(a) {
      const text = draftOf(a, 'comment');
      if (text) run(a, () => amendmentsApi.comment(docId, a.id, text));
    },
    draft: (a, field, text) => store.update((s) => ({ drafts: withEntry(s.drafts, draftKey(a.id, field), text) })),
    showInText(a) {
      const view = context.view();
      if (view) scrollToAmendment(view, a.id);
    },
    // A card rendered again for the same amendment replaces its entry; one gone stays until then, unused (not connected).
    cardRef(element) {
      if (element instanceof HTMLElement && element.dataset.amendmentId) cards.set(element.dataset.amendmentId, element);
    },
    reveal,
  };
}
