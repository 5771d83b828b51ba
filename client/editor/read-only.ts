// Read-only mode for roles that may not change the text (stakeholders,
// observers). The server refuses their edits anyway; this plugin makes that
// visible: local changes are filtered out, input is cancelled before it
// reaches the DOM, and a banner says why. The text stays focusable with a
// caret, so a keyboard alone can move through it and select a passage
// (Shift+arrows) to propose an amendment on.
import { Plugin, PluginKey } from 'prosemirror-state';
import { h } from '../dom';
import { isRemoteOrSyncTransaction } from './section-guard';
import { roleLabel, t } from '../i18n';

export const readOnlyKey = new PluginKey('read-only');

export function readOnlyMessage(role: string): string {
  return role === 'stakeholder' ? t('readOnly.stakeholder', { role: roleLabel(role) }) : t('readOnly.reader', { role: roleLabel(role) });
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
      const banner = h('div', { id: 'read-only-banner', class: 'read-only-banner', role: 'status' }, h('strong', {}, t('readOnly.title')), ' ', message);
      const host = options.bannerHost;
      if (host) host.prepend(banner);
      else view.dom.parentElement?.insertBefore(banner, view.dom);
      return { destroy: () => banner.remove() };
    },
  });
}
