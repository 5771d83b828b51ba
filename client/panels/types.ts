// What a side panel gets from the document page, and what it must give back.
// Panels are independent: each mounts into its own container and returns a
// cleanup; they reach the page only through this context (typed calls, never
// another module's DOM). New panels are added to `sidePanels`.
import type { EditorView } from 'prosemirror-view';
import type * as Y from 'yjs';
import type { DocumentDetail, User } from '../api';
import type { Cleanup } from '../dom';
import type { StageOverlays } from './stage';

export interface DocumentContext {
  docId: string;
  document: DocumentDetail;
  user: User;
  ydoc: Y.Doc;
  /** The editor, once the live text has loaded (null before). */
  view(): EditorView | null;
  /** The wide area over the text, for content too large for a sidebar (redlines, the text at a history point). */
  overlays: StageOverlays;
  notify(message: string, kind?: 'info' | 'error' | 'success'): void;
  /** The short count on this panel's tab ("2 open", "1 pending"); empty for none. */
  setTabCount(text: string): void;
  /** Brings this panel's tab to the front (and, on a narrow screen, opens the sheet). */
  showPanel(): void;
}

export interface PanelDefinition {
  /** The id of the panel's element (its tab's is `tab-<id>`). */
  id: string;
  /** The tab's name, in the interface language of the moment. */
  title(): string;
  mount(container: HTMLElement, context: DocumentContext): Cleanup;
}
