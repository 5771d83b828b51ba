// The formatting toolbar, as a plugin: it renders into a host element and
// re-evaluates every button (enabled, pressed) after each view update.
// Buttons carry visible words, not only icons.
import { Plugin, PluginKey, type Command, type EditorState } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import { redoCommand, undoCommand } from 'y-prosemirror';
import { schema } from '../../core/schema';
import { h } from '../dom';
import { canToggleLink, linkActive, listActive, markActive, subheadingActive, toggleEm, toggleList, toggleStrong, toggleSubheading } from './commands';
import { addRowBelow, deleteTableRow, insertTable } from './tables';
import { t } from '../i18n';

export const toolbarKey = new PluginKey('toolbar');

export interface ToolbarItem {
  id: string;
  label: string;
  /** The accessible name and tooltip; it contains the visible label (WCAG 2.5.3, label in name). */
  title: string;
  className?: string;
  /** Dry-run (no dispatch) decides whether the button is enabled. */
  enabled: Command;
  run: (view: EditorView) => void;
  active?: (state: EditorState) => boolean;
  groupEnd?: boolean;
  /** Shown only while it can act (the row tools, inside a table): a phone's toolbar stays short. */
  contextual?: boolean;
}

const isMac = typeof navigator !== 'undefined' && /Mac|iP(hone|ad)/.test(navigator.platform);
const mod = isMac ? '⌘' : 'Ctrl+';

function commandItem(id: string, label: string, title: string, command: Command, extra: Partial<ToolbarItem> = {}): ToolbarItem {
  return {
    id,
    label,
    title,
    enabled: command,
    run: (view) => {
      command(view.state, view.dispatch, view);
      view.focus();
    },
    ...extra,
  };
}

export function defaultToolbarItems(linkCommand: Command): ToolbarItem[] {
  return [
    commandItem('tool-bold', t('toolbar.bold'), t('toolbar.withKeys', { name: t('toolbar.bold'), keys: `${mod}B` }), toggleStrong, { active: (s) => markActive(s, schema.marks.strong), className: 'tool-bold' }),
    commandItem('tool-italic', t('toolbar.italic'), t('toolbar.withKeys', { name: t('toolbar.italic'), keys: `${mod}I` }), toggleEm, { active: (s) => markActive(s, schema.marks.em), className: 'tool-italic' }),
    { ...commandItem('tool-link', t('toolbar.link'), t('toolbar.withKeys', { name: t('toolbar.link'), keys: `${mod}K` }), linkCommand, { active: linkActive, groupEnd: true }), enabled: canToggleLink },
    commandItem('tool-bullet-list', t('toolbar.list'), t('toolbar.bulletList'), toggleList(schema.nodes.bullet_list), { active: (s) => listActive(s, schema.nodes.bullet_list), className: 'tool-bullet-list' }),
    commandItem('tool-ordered-list', t('toolbar.list'), t('toolbar.orderedList'), toggleList(schema.nodes.ordered_list), { active: (s) => listActive(s, schema.nodes.ordered_list), className: 'tool-ordered-list' }),
    commandItem('tool-subheading', t('toolbar.subheading'), t('toolbar.subheading'), toggleSubheading, { active: subheadingActive, groupEnd: true }),
    commandItem('tool-table', t('toolbar.table'), t('toolbar.insertTable'), insertTable),
    commandItem('tool-row-below', t('toolbar.rowBelow'), t('toolbar.addRowBelow'), addRowBelow, { contextual: true }),
    commandItem('tool-delete-row', t('toolbar.deleteRow'), t('toolbar.deleteRow'), deleteTableRow, { contextual: true, groupEnd: true }),
    commandItem('tool-undo', t('toolbar.undo'), t('toolbar.withKeys', { name: t('toolbar.undoTitle'), keys: `${mod}Z` }), undoCommand),
    commandItem('tool-redo', t('toolbar.redo'), t('toolbar.withKeys', { name: t('toolbar.redo'), keys: isMac ? '⇧⌘Z' : 'Ctrl+Y' }), redoCommand),
  ];
}

export function toolbarPlugin(host: HTMLElement, items: ToolbarItem[]): Plugin {
  return new Plugin({
    key: toolbarKey,
    view(view) {
      const bar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': t('toolbar.label'), 'aria-controls': 'editor' });
      const buttons = items.map((item) => {
        const button = h('button', { type: 'button', id: item.id, class: `tool ${item.className ?? ''}`.trim(), title: item.title, 'aria-label': item.title }, item.label);
        // Keep the editor's selection: act on mousedown-free click without stealing focus.
        button.addEventListener('mousedown', (event) => event.preventDefault());
        button.addEventListener('click', () => {
          if (!button.disabled) item.run(view);
        });
        bar.append(button);
        if (item.groupEnd) bar.append(h('span', { class: 'toolbar-separator', 'aria-hidden': 'true' }));
        return button;
      });
      host.replaceChildren(bar);
      const update = (current: EditorView): void => {
        const editable = current.editable;
        items.forEach((item, index) => {
          const button = buttons[index]!;
          button.disabled = !editable || !item.enabled(current.state, undefined, current);
          if (item.contextual) button.hidden = button.disabled;
          if (item.active) button.setAttribute('aria-pressed', String(editable && item.active(current.state)));
        });
      };
      update(view);
      return { update, destroy: () => bar.remove() };
    },
  });
}
