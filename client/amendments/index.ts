// What the document page needs for amendments in the editor: the inline
// redline for everyone, and the "Propose amendment" action for stakeholders
// and up. The side panel (client/panels/amendments.ts) shares the same feed.
import type { Plugin } from 'prosemirror-state';
import type * as Y from 'yjs';
import { canProposeAmendment, type User } from '../api';
import { amendmentDecorations } from '../editor/amendment-decorations';
import { proposeAmendmentPlugin } from '../editor/propose-amendment';
import { amendmentFeed } from './feed';
import { openProposeDialog } from './propose-dialog';

/** Shows the amendments tab and brings one amendment's card into view. */
export function revealAmendment(id: string): void {
  const tab = document.getElementById('tab-amendments');
  if (tab?.getAttribute('aria-selected') !== 'true') tab?.click();
  const card = document.querySelector<HTMLElement>(`.amendment-card[data-amendment-id="${CSS.escape(id)}"]`);
  if (!card) return;
  card.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  card.classList.remove('is-flashing');
  void card.offsetWidth; // restart the animation
  card.classList.add('is-flashing');
}

export function amendmentPlugins(options: { docId: string; user: User; ydoc: Y.Doc; notify: (message: string, kind?: 'info' | 'error' | 'success') => void }): Plugin[] {
  const feed = amendmentFeed(options.docId, options.ydoc);
  const plugins: Plugin[] = [amendmentDecorations(feed)];
  if (canProposeAmendment(options.user.role)) {
    plugins.push(
      proposeAmendmentPlugin({
        onRefused: (why) => options.notify(why, 'error'),
        onPropose: (selection) => {
          void openProposeDialog(options.docId, selection).then(async (amendment) => {
            if (!amendment) return;
            options.notify(`Amendment ${amendment.number} proposed`, 'success');
            await feed.refresh();
            revealAmendment(amendment.id);
          });
        },
      }),
    );
  }
  return plugins;
}
