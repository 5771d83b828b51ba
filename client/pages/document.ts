// The document page: outline, presence and connection on the left, the live
// text in the middle, tool panels (history, later amendments) on the right.
// It wires the pieces together; each piece lives in its own module.
import type { EditorView } from 'prosemirror-view';
import { api, canEditText, type User } from '../api';
import { openCollabSession } from '../collab';
import { keepLocalCopy, localCopyName, type LocalCopy } from '../local-copy';
import { trackUnsent } from '../unsent';
import { sectionsOf } from '../../core/schema';
import { h, type Cleanup } from '../dom';
import { observeView } from '../editor/observe';
import { presencePlugin } from '../editor/presence';
import { readOnlyPlugin } from '../editor/read-only';
import { createEditor, linkCommand } from '../editor/setup';
import { defaultToolbarItems, toolbarPlugin } from '../editor/toolbar';
import { notify } from '../notice';
import { mountConnectionStatus } from '../panels/connection';
import { sidePanels, type DocumentContext } from '../panels/index';
import { mountSidePanels } from '../panels/tabs';
import { mountOutline } from '../panels/outline';
import { mountPresence } from '../panels/presence';
import { appHeader } from './header';
import { amendmentPlugins } from '../amendments/index';
import { mountLastVisit } from '../last-visit';

export async function renderDocument(root: HTMLElement, user: User, docId: string, section: string | null): Promise<Cleanup> {
  root.replaceChildren(appHeader(user), h('main', { id: 'main-content', tabindex: -1, class: 'page-message' }, h('p', { role: 'status' }, 'Opening the document…')));
  let detail;
  try {
    detail = await api.document(docId);
  } catch (error) {
    root.replaceChildren(
      appHeader(user),
      h(
        'main',
        { class: 'page-message' },
        h('h1', {}, 'This document cannot be opened'),
        h('p', { role: 'alert' }, error instanceof Error ? error.message : String(error)),
        h('p', {}, h('a', { href: '#/' }, 'Back to all documents')),
      ),
    );
    return () => {};
  }

  const connectionSlot = h('div');
  const outlineSlot = h('div');
  const presenceSlot = h('div');
  const toolbarHost = h('div', { class: 'toolbar-host' });
  const bannerHost = h('div', { class: 'banner-slot' });
  const editorHost = h('article', { id: 'editor', class: 'editor paper', 'aria-label': 'Live text', 'aria-busy': 'true' }, h('p', { class: 'editor-loading' }, 'Loading the live text…'));
  const scroller = h('div', { class: 'doc-scroller', id: 'doc-scroller' }, h('div', { class: 'editor-column' }, editorHost));
  // The banner sits outside the scroller so it stays in view while reading.
  // The toolbar and the text are the page's main content; the sidebars are asides.
  const stage = h('main', { id: 'main-content', tabindex: -1, class: 'doc-center' }, toolbarHost, bannerHost, scroller);
  const rightSidebar = h('aside', { class: 'sidebar sidebar-right', id: 'document-tools', 'aria-label': 'Document tools' });
  // On narrow screens the sections and who is here fold into a drawer behind "Contents".
  const drawer = h('div', { class: 'nav-drawer', id: 'doc-navigation' }, outlineSlot, presenceSlot);
  const drawerToggle = h('button', { type: 'button', class: 'button small nav-toggle', id: 'nav-toggle', 'aria-expanded': 'false', 'aria-controls': 'doc-navigation' }, 'Contents');
  const leftSidebar = h('aside', { class: 'sidebar sidebar-left', 'aria-label': 'Document navigation', 'data-drawer': 'closed' }, h('div', { class: 'nav-strip' }, connectionSlot, drawerToggle), drawer);
  drawerToggle.addEventListener('click', () => {
    const open = leftSidebar.dataset.drawer !== 'open';
    leftSidebar.dataset.drawer = open ? 'open' : 'closed';
    drawerToggle.setAttribute('aria-expanded', String(open));
  });
  // Choosing a section in the drawer puts the drawer away, so the text is in view.
  drawer.addEventListener('click', (event) => {
    if ((event.target as HTMLElement).closest('button[data-outline-id]') && leftSidebar.dataset.drawer === 'open') drawerToggle.click();
  });

  if (detail.title) document.title = `${detail.title} — Accord`;
  root.replaceChildren(
    h(
      'div',
      { class: 'doc-page' },
      appHeader(user, detail.title || detail.id),
      h('div', { class: 'doc-layout' }, leftSidebar, stage, rightSidebar),
    ),
  );

  const canEdit = canEditText(user.role);
  let localCopy: LocalCopy | null = null;
  const session = openCollabSession(docId, user, (reason) => {
    // A refused change must not come back from this device's copy on the next visit.
    if (reason.startsWith('update refused')) void localCopy?.forget();
    notify(
      reason.startsWith('update refused')
        ? `The server refused a change (${reason.slice('update refused: '.length)}). Your copy no longer matches the shared text: reload the page to continue.`
        : `The server refused a change: ${reason}`,
      'error',
    );
  });
  // Only those who may change the text keep a copy on this device: nothing of a reader's is ever sent.
  localCopy = canEdit ? keepLocalCopy(session.ydoc, docId, user.id) : null;
  const unsent = canEdit ? trackUnsent(session.ydoc, session.fragment, () => session.provider.wsconnected && session.provider.synced, localCopyName(docId, user.id)) : null;
  let view: EditorView | null = null;
  let destroyed = false;
  const titleOf = (id: string): string => (view ? sectionsOf(view.state.doc) : detail.sections).find((s) => s.id === id)?.title || id;

  const context: DocumentContext = { docId, document: detail, user, ydoc: session.ydoc, view: () => view, stage, notify, setTabCount: () => {} };
  const outline = mountOutline(outlineSlot, detail.sections, scroller);
  const cleanups: Cleanup[] = [
    mountConnectionStatus(connectionSlot, session.provider, { canEdit, unsent, localCopy, titleOf }),
    outline.cleanup,
    mountPresence(presenceSlot, session.provider.awareness),
    mountSidePanels(rightSidebar, sidePanels, context),
    mountLastVisit(bannerHost, context),
  ];

  // The editor starts from the server's state, never from an empty local doc:
  // typing into an unsynced doc would create a stray section on merge.
  const startEditor = (): void => {
    if (view || destroyed) return;
    editorHost.removeAttribute('aria-busy');
    if (session.fragment.length === 0) {
      editorHost.replaceChildren(h('p', { class: 'editor-loading' }, 'This document has no sections yet.'));
      return;
    }
    editorHost.replaceChildren();
    const plugins = [presencePlugin(session.provider.awareness), observeView((v, prev) => outline.onView(v, prev))];
    // Formatting tools only for those who may change the text.
    if (canEdit) plugins.push(toolbarPlugin(toolbarHost, defaultToolbarItems(linkCommand)));
    else plugins.push(readOnlyPlugin({ role: user.role, bannerHost }));
    plugins.push(...amendmentPlugins({ docId, user, ydoc: session.ydoc, notify }));
    view = createEditor(editorHost, { fragment: session.fragment, plugins, language: detail.language, translatable: !canEdit });
    if (section) requestAnimationFrame(() => outline.jumpTo(section, 'auto'));
  };
  const onSync = (synced: boolean): void => {
    if (synced) startEditor();
  };
  session.provider.on('sync', onSync);
  if (session.provider.synced) startEditor();

  return () => {
    destroyed = true;
    session.provider.off('sync', onSync);
    cleanups.forEach((cleanup) => cleanup());
    view?.destroy();
    unsent?.destroy();
    localCopy?.destroy();
    session.destroy();
    document.title = 'Accord';
  };
}
