// The Amendments panel: every proposal of the document grouped by section,
// filtered by status and stakeholder group, with support, comments and
// withdrawal for stakeholders and accept/reject (with a reason) for chairs
// and editors. It reads the shared feed, so a proposal, a support or a
// decision by anyone appears here without a reload, and re-renders around
// whatever is being typed. It never edits the text.
// state.ts holds its state, view.ts draws it, actions.ts changes it.
import '../../amendments/amendments.css';
import { sectionsOf } from '../../../core/schema';
import { canDecideAmendment, canProposeAmendment } from '../../api';
import { amendmentFeed } from '../../amendments/feed';
import { liveStatus } from '../../amendments/live-status';
import { onRevealRequest } from '../../amendments/reveal';
import type { Cleanup } from '../../dom';
import { t } from '../../i18n';
import { createStore, mountView } from '../../view';
import type { DocumentContext, PanelDefinition } from '../types';
import { amendmentsActions } from './actions';
import { initialAmendmentsState, tabCountText, type AmendmentsState } from './state';
import { amendmentsView } from './view';

/** How long typing may go on before open amendments are checked against the text again. */
const RECHECK_MS = 400;

function mountAmendments(container: HTMLElement, context: DocumentContext): Cleanup {
  const { docId, user, ydoc } = context;
  const feed = amendmentFeed(docId, ydoc);
  const sections = () => {
    const view = context.view();
    return view ? sectionsOf(view.state.doc) : context.document.sections;
  };
  const store = createStore<AmendmentsState>(initialAmendmentsState(sections()));
  // The feed's list as this screen sees it: statuses checked against the local text.
  const fromFeed = (): Partial<AmendmentsState> => ({
    amendments: feed.list().map((a) => ({ ...a, ...liveStatus(a, ydoc) })),
    sections: sections(),
    loaded: feed.loaded(),
    failure: feed.error(),
  });
  const actions = amendmentsActions(store, feed, context);
  const viewContext = { docId, userId: user.id, language: context.document.language, canPropose: canProposeAmendment(user.role), canDecide: canDecideAmendment(user.role), actions };

  const stopCount = store.subscribe((state) => context.setTabCount(tabCountText(state)));
  const unmount = mountView(container, store, (state) => amendmentsView(state, viewContext));
  const unsubscribe = feed.subscribe(() => store.update(fromFeed()));
  store.update(fromFeed());

  // Typing moves the text between fetches: re-check open amendments now and then, changing the state only when a status changed.
  let recheck = 0;
  const statuses = (list: AmendmentsState['amendments']): string => list.map((a) => a.status).join();
  const onTextChange = (): void => {
    if (recheck) return;
    recheck = window.setTimeout(() => {
      recheck = 0;
      const next = fromFeed();
      if (statuses(next.amendments ?? []) !== statuses(store.get().amendments)) store.update(next);
    }, RECHECK_MS);
  };
  ydoc.on('update', onTextChange);
  const stopReveal = onRevealRequest(ydoc, actions.reveal);

  return () => {
    unsubscribe();
    stopReveal();
    stopCount();
    unmount();
    ydoc.off('update', onTextChange);
    window.clearTimeout(recheck);
  };
}

export const amendmentsPanel: PanelDefinition = { id: 'amendments', title: () => t('amendments.title'), mount: mountAmendments };
