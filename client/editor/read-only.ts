// Read-only mode for roles that may not change the text (stakeholders,
// observers). The server refuses their edits anyway; this plugin makes that
// visible: local changes are filtered out, input is cancelled before it
// reaches the DOM, and a banner says why. The text stays focusable with a
// caret, so a keyboard alone can move through it and select a passage
// (Shift+arrows) to propose an amendment on.
import { Plugin, PluginKey } from 'prosemirror-state';
import { h } from '../dom';
import { isRemoteOrSyncTransaction } from './section-guard';

export const readOnlyKey = new PluginKey('read-only');

export function readOnlyMessage(role: string): string {
  if (role === 'stakeholder') return `Read-only: your role (${role}) can propose amendments but not edit.`;
  return `Read-only: your role (${role}) can follow the text and its history but not edit.`;
}

export function readOnlyPlugin(options: { role: string; bannerHost?: HTMLElement }): Plugin {
  return new Plugin({
    key: readOnlyKey,
    props: {
      attributes: { 'aria-readonly': 'true', class: 'is-read-only', inputmode: 'none', spellcheck: 'false' },
      handleDOMEvents: {
        beforeinput: (_view, event) => {
          event.preventDefault();
          return true;
        },
        cut: (_view, event) => {
          event.preventDefault();
          return true;
        },
        drop: (_view, event) => {
          event.preventDefault();
          return true;
        },
      },
      handlePaste: () => true,
      handleTextInput: () => true,
    },
    filterTransaction: (tr) => !tr.docChanged || isRemoteOrSyncTransaction(tr),
    view(view) {
      const message = readOnlyMessage(options.role);
      const banner = h('div', { id: 'read-only-banner', class: 'read-only-banner', role: 'status' }, h('strong', {}, 'Read-only:'), message.slice('Read-only:'.length));
      const host = options.bannerHost;
      if (host) host.prepend(banner);
      else view.dom.parentElement?.insertBefore(banner, view.dom);
      return { destroy: () => banner.remove() };
    },
  });
}
