// Key bindings: marks, links, lists, section-aware Enter, and the Yjs-aware
// undo/redo (each person undoes only their own changes).
import { keymap } from 'prosemirror-keymap';
import { baseKeymap, chainCommands } from 'prosemirror-commands';
import { liftListItem, sinkListItem, splitListItem } from 'prosemirror-schema-list';
import type { Command, Plugin } from 'prosemirror-state';
import { redoCommand, undoCommand } from 'y-prosemirror';
import { schema } from '../../core/schema';
import { splitSectionHeading, toggleEm, toggleList, toggleStrong, toggleSubheading } from './commands';

export function accordKeymaps(linkCommand: Command): Plugin[] {
  const item = schema.nodes.list_item;
  const bindings: Record<string, Command> = {
    'Mod-z': undoCommand,
    'Mod-y': redoCommand,
    'Mod-Shift-z': redoCommand,
    'Mod-b': toggleStrong,
    'Mod-B': toggleStrong,
    'Mod-i': toggleEm,
    'Mod-I': toggleEm,
    'Mod-k': linkCommand,
    'Shift-Mod-8': toggleList(schema.nodes.bullet_list),
    'Shift-Mod-7': toggleList(schema.nodes.ordered_list),
    'Shift-Mod-3': toggleSubheading,
    Enter: chainCommands(splitSectionHeading, splitListItem(item)),
    Tab: sinkListItem(item),
    'Shift-Tab': liftListItem(item),
  };
  return [keymap(bindings), keymap(baseKeymap)];
}
