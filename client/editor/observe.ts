// A plugin that reports every view update to a listener: how panels (outline,
// toolbar state, current section) follow the editor without reaching into it.
import { Plugin, type EditorState } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';

export type ViewListener = (view: EditorView, previous: EditorState | null) => void;

export function observeView(listener: ViewListener): Plugin {
  return new Plugin({
    view(view) {
      listener(view, null);
      return { update: (updated, previous) => listener(updated, previous) };
    },
  });
}
