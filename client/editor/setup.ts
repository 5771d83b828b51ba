// Builds the collaborative editor: a ProseMirror view bound to the Y.Doc's
// `content` fragment. The core is fixed (sync, undo, keys, rules, schema
// guards); everything optional (presence, read-only, toolbar, observers) comes
// in as plugins chosen by the caller, not as flags here.
import { EditorState, type Command, type Plugin } from 'prosemirror-state';
import { DEFAULT_LANGUAGE, directionOf } from '../../core/language';
import { EditorView } from 'prosemirror-view';
import { initProseMirrorDoc, ySyncPlugin, yUndoPlugin } from 'y-prosemirror';
import type * as Y from 'yjs';
import { schema } from '../../core/schema';
import { askForLink } from './link-dialog';
import { canToggleLink, currentHref, linkActive, removeLink, setLink } from './commands';
import { accordInputRules } from './input-rules';
import { accordKeymaps } from './keymap';
import { pasteSafety } from './paste';
import { sectionGuard } from './section-guard';
import { tablePlugins } from './tables';
import { t } from '../i18n';

/** Opens the link dialog; applies or removes the link when the person confirms. */
export const linkCommand: Command = (state, dispatch, view) => {
  if (!canToggleLink(state)) return false;
  if (!dispatch || !view) return true;
  void askForLink(currentHref(state), { canRemove: linkActive(state) }).then((choice) => {
    if (choice?.action === 'set') setLink(choice.href)(view.state, view.dispatch);
    else if (choice?.action === 'remove') removeLink(view.state, view.dispatch);
    view.focus();
  });
  return true;
};

export interface EditorOptions {
  /** The shared text: `ydoc.getXmlFragment('content')`, already synced. */
  fragment: Y.XmlFragment;
  /** Presence, read-only mode, toolbar, observers… */
  plugins?: Plugin[];
  /** The document's language (BCP 47): the editor's lang and base direction. */
  language?: string;
  /** Let the browser translate the text (readers who cannot edit); ProseMirror says translate="no" otherwise. */
  translatable?: boolean;
}

export function createEditor(mount: HTMLElement, { fragment, plugins = [], language = DEFAULT_LANGUAGE, translatable = false }: EditorOptions): EditorView {
  // Start from the fragment's current content so the first render needs no re-sync.
  const { doc, mapping } = initProseMirrorDoc(fragment, schema);
  const state = EditorState.create({
    schema,
    doc,
    plugins: [
      ySyncPlugin(fragment, { mapping }),
      // Undo never removes a section or a non-empty paragraph someone else wrote into.
      yUndoPlugin({ protectedNodes: new Set(['paragraph', 'heading', 'section']) }),
      // Tab moves between table cells before the list keymap's Tab indents.
      ...tablePlugins(),
      ...accordKeymaps(linkCommand),
      accordInputRules(),
      sectionGuard(),
      pasteSafety(),
      ...plugins,
    ],
  });
  return new EditorView(mount, {
    state,
    // Each paragraph still finds its own direction (dir="auto" in the schema's toDOM).
    attributes: {
      role: 'textbox',
      'aria-multiline': 'true',
      'aria-label': t('editor.label'),
      spellcheck: 'true',
      lang: language,
      dir: directionOf(language),
      ...(translatable ? { translate: 'yes' } : {}),
    },
  });
}
