// The Endorsements panel: the version open for endorsement (chairs publish a
// newer one here), the endorsements awaiting a chair's decision with Confirm
// and Reject, the confirmed supporters, and links to the public page and the
// exports. Contact details are shown to chairs only (the server sends them to
// no one else). It talks to the API only.
// state.ts holds its state, view.ts draws it; the actions are below.
import { api, ApiError, canDecideEndorsements, endorsementsApi, errorText, type ChairEndorsement } from '../../api';
import { confirmAction } from '../../confirm-dialog';
import type { Cleanup } from '../../dom';
import { stakeholderGroupLabel, t } from '../../i18n';
import { createStore, mountView, withEntry, withMember, type Store } from '../../view';
import type { DocumentContext, PanelDefinition } from '../types';
import { chosenVersion, endorsementsTabCount, fromAnswers, initialEndorsementsState, type EndorsementsState } from './state';
import { endorsementsView, type EndorsementsViewActions } from './view';

/** The question before a decision: confirming publishes the organisation's name in the signed log for good. */
function decisionQuestion(e: ChairEndorsement, decision: 'confirm' | 'reject') {
  return decision === 'confirm'
    ? {
        title: t('endorsements.confirmTitle', { organization: e.organization }),
        body: t('endorsements.confirmBody', { organization: e.organization, group: stakeholderGroupLabel(e.stakeholderGroup), country: e.countryName, version: e.version }),
        confirmLabel: t('endorsements.confirmAction'),
      }
    : { title: t('endorsements.rejectTitle', { organization: e.organization }), body: t('endorsements.rejectBody'), confirmLabel: t('endorsements.rejectAction') };
}

function endorsementsActions(store: Store<EndorsementsState>, context: DocumentContext, alive: () => boolean): EndorsementsViewActions {
  const { docId } = context;
  const refresh = async (): Promise<void> => {
    try {
      const notOpen = (error: unknown) => (error instanceof ApiError && error.status === 404 ? null : Promise.reject(error));
      const [list, versions, open] = await Promise.all([endorsementsApi.list(docId), api.versions(docId), endorsementsApi.openVersion(docId).catch(notOpen)]);
      if (alive()) store.update({ loaded: fromAnswers(list, versions, open), failure: null });
    } catch (error) {
      if (alive()) store.update({ failure: errorText(error) });
    }
  };
  const decide = async (e: ChairEndorsement, decision: 'confirm' | 'reject'): Promise<void> => {
    if (!(await confirmAction(decisionQuestion(e, decision)))) return;
    store.update((s) => ({ deciding: withMember(s.deciding, e.id, true), decisionErrors: withEntry(s.decisionErrors, e.id, undefined) }));
    try {
      await endorsementsApi.decide(docId, e.id, decision, store.get().reasons.get(e.id)?.trim() || undefined);
      context.notify(decision === 'confirm' ? t('endorsements.confirmedNotice', { organization: e.organization }) : t('endorsements.rejectedNotice', { organization: e.organization }), 'success');
      await refresh();
    } catch (error) {
      store.update((s) => ({ decisionErrors: withEntry(s.decisionErrors, e.id, errorText(error)) }));
    } finally {
      store.update((s) => ({ deciding: withMember(s.deciding, e.id, false) }));
    }
  };
  const publish = async (version: number): Promise<void> => {
    store.update({ publishing: true });
    try {
      const open = await endorsementsApi.setOpenVersion(docId, version);
      context.notify(t('endorsements.openedNotice', { version: open.version }), 'success');
      await refresh();
    } catch (error) {
      store.update({ publishError: errorText(error) });
    } finally {
      store.update({ publishing: false });
    }
  };
  return {
    refresh: () => void refresh(),
    chooseVersion: (value) => store.update({ chosenVersion: value }),
    publish(event) {
      event.preventDefault();
      const version = Number(chosenVersion(store.get()));
      if (!Number.isInteger(version) || version < 1) return store.update({ publishError: t('endorsements.chooseVersion') });
      store.update({ publishError: '' });
      void confirmAction({ title: t('endorsements.openConfirmTitle', { version }), body: t('endorsements.openConfirmBody', { version }), confirmLabel: t('endorsements.openAction') }).then((yes) => {
        if (yes) void publish(version);
      });
    },
    typeReason: (id, text) => store.update((s) => ({ reasons: withEntry(s.reasons, id, text) })),
    decide: (e, decision) => void decide(e, decision),
  };
}

function mountEndorsements(container: HTMLElement, context: DocumentContext): Cleanup {
  const chair = canDecideEndorsements(context.user.role);
  let alive = true;
  const store = createStore<EndorsementsState>(initialEndorsementsState);
  const actions = endorsementsActions(store, context, () => alive);
  const stopCount = store.subscribe((state) => {
    const text = endorsementsTabCount(state, chair);
    if (text !== null) context.setTabCount(text);
  });
  const unmount = mountView(container, store, (state) => endorsementsView(state, { docId: context.docId, chair, actions }));
  actions.refresh();
  return () => {
    alive = false;
    stopCount();
    unmount();
  };
}

export const endorsementsPanel: PanelDefinition = { id: 'endorsements', title: () => t('endorsements.title'), mount: mountEndorsements };
