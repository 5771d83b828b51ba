// What the document page needs for amendments in the editor: the inline
// redline for everyone (a click on it shows its card), and the "Propose
// amendment" action for stakeholders and up. The side panel
// (client/panels/amendments/) shares the same feed and answers the requests
// to show a card (reveal.ts).
import { Plugin } from 'prosemirror-state';
import type { AmendmentChange } from '../../core/signals';
import { announce } from '../announce';
import { onSignal } from '../signals';
import type * as Y from 'yjs';
import { canProposeAmendment, type User } from '../api';
import { amendmentDecorations } from '../editor/amendment-decorations';
import { proposeAmendmentPlugin } from '../editor/propose-amendment';
import { amendmentFeed, type AmendmentFeed } from './feed';
import { openProposeDialog } from './propose-dialog';
import { requestReveal } from './reveal';
import { t, type ClientKey } from '../i18n';

/** A click on an amendment in the text asks for its card. */
function revealOnClick(ydoc: Y.Doc): Plugin {
  return new Plugin({
    props: {
      handleDOMEvents: {
        click(_view, event) {
          const target = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-amendment-id]') : null;
          if (target?.dataset.amendmentId) requestReveal(ydoc, target.dataset.amendmentId);
          return false;
        },
      },
    },
  });
}

const ANNOUNCED: Partial<Record<AmendmentChange, ClientKey>> = {
  proposed: 'announce.proposed',
  withdrawn: 'announce.withdrawn',
  accepted: 'announce.accepted',
  rejected: 'announce.rejected',
};

/** Announces what others do with amendments (proposed, withdrawn, decided) to screen readers, while the editor is open. */
function announceAmendments(feed: AmendmentFeed, ydoc: Y.Doc, user: User): Plugin {
  return new Plugin({
    view() {
      const stop = onSignal(ydoc, (event) => {
        const key = event.kind === 'amendments' ? ANNOUNCED[event.change] : undefined;
        if (event.kind !== 'amendments' || !key) return;
        void feed.refresh().then(() => {
          const a = feed.list().find((x) => x.id === event.amendment);
          if (!a || (event.change === 'proposed' && a.proposer.id === user.id)) return;
          announce(t(key, { number: a.number, name: a.proposer.name, organization: a.proposer.organization }));
        });
      });
      return { destroy: stop };
    },
  });
}

export function amendmentPlugins(options: { docId: string; user: User; ydoc: Y.Doc; notify: (message: string, kind?: 'info' | 'error' | 'success') => void }): Plugin[] {
  const feed = amendmentFeed(options.docId, options.ydoc);
  const plugins: Plugin[] = [amendmentDecorations(feed), announceAmendments(feed, options.ydoc, options.user), revealOnClick(options.ydoc)];
  if (canProposeAmendment(options.user.role)) {
    plugins.push(
      proposeAmendmentPlugin({
        onRefused: (why) => options.notify(why, 'error'),
        onPropose: (selection) => {
          void openProposeDialog(options.docId, selection).then(async (amendment) => {
            if (!amendment) return;
            options.notify(t('amendments.proposedNotice', { number: amendment.number }), 'success');
            await feed.refresh();
            requestReveal(options.ydoc, amendment.id);
          });
        },
      }),
    );
  }
  return plugins;
}
