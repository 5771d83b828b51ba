// The document page: outline, presence and connection on the left, the live
// text in the middle, tool panels (history, later amendments) on the right.
// It wires the pieces together; each piece lives in its own module.
// When the interface language changes, the page is rendered again around the
// same live connection (Y.Doc, WebSocket, presence, local copy): only the
// words change, never the connection or the text.
import type { EditorView } from 'prosemirror-view';
import { api, canEditText, type DocumentDetail, type User } from '../api';
import { openCollabSession, type CollabSession } from '../collab';
import { keepLocalCopy, localCopyName, type LocalCopy } from '../local-copy';
import { trackUnsent, type UnsentChanges } from '../unsent';
import { t } from '../i18n';
import { navigate } from '../router';
import { forgetSignedInUser } from '../session';
import { CLOSE_SIGNED_OUT } from '../../core/signals';
import { sectionsOf } from '../../core/schema';
import { h, type Cleanup } from '../dom';
import { observeView } from '../editor/observe';
import { presencePlugin } from '../editor/presence';
import { readOnlyPlugin } from '../editor/read-only';
import { createEditor, linkCommand } from '../editor/setup';
import { defaultToolbarItems, toolbarPlugin } from '../editor/toolbar';
import { notify } from '../notice';
import { mountConnectionStatus } from '../panels/connection';
import { sidePanels } from '../panels/index';
import { mountSidePanels } from '../panels/tabs';
import { mountOutline, type OutlineHandle } from '../panels/outline';
import { stageOverlays } from '../panels/stage';
import { sectionElements } from '../editor/section-dom';
import { mountPresence } from '../panels/presence';
import { appHeader } from './header';
import { amendmentPlugins } from '../amendments/index';
import { mountLastVisit } from '../last-visit';
import { authorsPlugin } from '../editor/authors';

/** The live connection to one document, with this device's copy and its unsent changes. */
interface Connection {
  docId: string;
  userId: string;
  detail: DocumentDetail;
  session: CollabSession;
  localCopy: LocalCopy | null;
  unsent: UnsentChanges | null;
  /** What the page showed when it was last rendered, restored on the next render. */
  view: { scrollTop: number; panel: string | null } | null;
}

let kept: Connection | null = null;
let keepNext = false;

/**
 * The next cleanup of the document page hands its connection to the next
 * render instead of closing it. Call the returned function once that render
 * is done: a connection nobody took (the page was not a document) closes.
 */
export function keepConnectionForRerender(): () => void {
  keepNext = true;
  return () => {
    keepNext = false;
    if (kept) disconnect(kept);
    kept = null;
  };
}

function connect(docId: string, user: User, detail: DocumentDetail, canEdit: boolean): Connection {
  let localCopy: LocalCopy | null = null;
  const session = openCollabSession(docId, user, (reason) => {
    // A refused change must not come back from this device's copy on the next visit.
    const refusedUpdate = reason.startsWith('update refused');
    if (refusedUpdate) void localCopy?.forget();
    notify(refusedUpdate ? t('document.updateRefused', { reason: reason.slice('update refused: '.length) }) : t('document.refused', { reason }), 'error');
  });
  // Signed out elsewhere, credential revoked, account disabled: the server closes
  // with CLOSE_SIGNED_OUT and y-websocket stops reconnecting; the person signs in
  // again and comes back here (the local copy keeps what was not sent).
  session.provider.on('closed', (event) => {
    if (event.code !== CLOSE_SIGNED_OUT) return;
    forgetSignedInUser();
    notify(t('document.sessionEnded'), 'error');
    navigate({ name: 'login', next: `/doc/${encodeURIComponent(docId)}` }, { replace: true });
  });
  // Only those who may change the text keep a copy on this device: nothing of a reader's is ever sent.
  localCopy = canEdit ? keepLocalCopy(session.ydoc, docId, user.id) : null;
  const unsent = canEdit ? trackUnsent(session.ydoc, session.fragment, () => session.provider.wsconnected && session.provider.synced, localCopyName(docId, user.id)) : null;
  return { docId, userId: user.id, detail, session, localCopy, unsent, view: null };
}

function disconnect(connection: Connection): void {
  connection.unsent?.destroy();
  connection.localCopy?.destroy();
  connection.session.destroy();
}

/** The document's details: the kept connection's, or fetched (the page says so meanwhile); null when it cannot be opened. */
async function loadDetail(root: HTMLElement, user: User, docId: string, reuse: Connection | null): Promise<DocumentDetail | null> {
  if (reuse) return reuse.detail;
  root.replaceChildren(appHeader(user), h('main', { id: 'main-content', tabindex: -1, class: 'page-message' }, h('p', { role: 'status' }, t('document.opening'))));
  try {
    return await api.document(docId);
  } catch (error) {
    root.replaceChildren(
      appHeader(user),
      h(
        'main',
        { class: 'page-message' },
        h('h1', {}, t('document.cannotOpen')),
        h('p', { role: 'alert' }, error instanceof Error ? error.message : String(error)),
        h('p', {}, h('a', { href: '#/' }, t('app.backToDocuments'))),
      ),
    );
    return null;
  }
}

/** The page's frame: navigation, presence and connection on the left, the text in the middle, the tools on the right. */
function documentLayout(root: HTMLElement, user: User, detail: DocumentDetail, editor: () => HTMLElement | null) {
  const slots = { connection: h('div'), outline: h('div'), presence: h('div'), toolbar: h('div', { class: 'toolbar-host' }), banner: h('div', { class: 'banner-slot' }) };
  const editorHost = h('article', { id: 'editor', class: 'editor paper', 'aria-label': t('document.liveText'), 'aria-busy': 'true' }, h('p', { class: 'editor-loading' }, t('document.loadingText')));
  const scroller = h('div', { class: 'doc-scroller', id: 'doc-scroller' }, h('div', { class: 'editor-column' }, editorHost));
  // The banner sits outside the scroller so it stays in view while reading.
  // The toolbar and the text are the page's main content; the sidebars are asides.
  const stage = h('main', { id: 'main-content', tabindex: -1, class: 'doc-center' }, slots.toolbar, slots.banner, scroller);
  const rightSidebar = h('aside', { class: 'sidebar sidebar-right', id: 'document-tools', 'aria-label': t('document.tools') });
  // On narrow screens the sections and who is here fold into a drawer behind "Contents".
  const drawer = h('div', { class: 'nav-drawer', id: 'doc-navigation' }, slots.outline, slots.presence);
  const drawerToggle = h('button', { type: 'button', class: 'button small nav-toggle', id: 'nav-toggle', 'aria-expanded': 'false', 'aria-controls': 'doc-navigation' }, t('document.contents'));
  const leftSidebar = h('aside', { class: 'sidebar sidebar-left', 'aria-label': t('document.navigation'), 'data-drawer': 'closed' }, h('div', { class: 'nav-strip' }, slots.connection, drawerToggle), drawer);
  const setDrawer = (open: boolean): void => {
    leftSidebar.dataset.drawer = open ? 'open' : 'closed';
    drawerToggle.setAttribute('aria-expanded', String(open));
  };
  drawerToggle.addEventListener('click', () => setDrawer(leftSidebar.dataset.drawer !== 'open'));
  if (detail.title) document.title = `${detail.title} — Accord`;
  root.replaceChildren(h('div', { class: 'doc-page' }, appHeader(user, detail.title || detail.id, detail.language, editor), h('div', { class: 'doc-layout' }, leftSidebar, stage, rightSidebar)));
  // Choosing a section in the drawer puts the drawer away, so the text is in view.
  return { slots, editorHost, scroller, stage, rightSidebar, closeDrawer: () => setDrawer(false) };
}

type Layout = ReturnType<typeof documentLayout>;

/** The editor with its plugins, on the server's state (never from an empty local doc: typing into an unsynced doc would create a stray section on merge). */
function startEditor(layout: Layout, connection: Connection, user: User, outline: OutlineHandle): EditorView | null {
  const { session } = connection;
  const canEdit = canEditText(user.role);
  layout.editorHost.removeAttribute('aria-busy');
  if (session.fragment.length === 0) {
    layout.editorHost.replaceChildren(h('p', { class: 'editor-loading' }, t('document.noSections')));
    return null;
  }
  layout.editorHost.replaceChildren();
  const plugins = [presencePlugin(session.provider.awareness), observeView((v, prev) => outline.onView(v, prev))];
  // Formatting tools only for those who may change the text.
  if (canEdit) plugins.push(toolbarPlugin(layout.slots.toolbar, defaultToolbarItems(linkCommand)));
  else plugins.push(readOnlyPlugin({ role: user.role, bannerHost: layout.slots.banner }));
  plugins.push(...amendmentPlugins({ docId: connection.docId, user, ydoc: session.ydoc, notify }));
  // "Show authors" (the Authors panel): this browser's own text is the signed-in account's.
  plugins.push(authorsPlugin(session.ydoc, { author: { id: user.id, name: user.name, organization: user.organization, stakeholderGroup: user.stakeholderGroup }, at: new Date().toISOString() }));
  return createEditor(layout.editorHost, { fragment: session.fragment, plugins, language: connection.detail.language, translatable: !canEdit });
}

export async function renderDocument(root: HTMLElement, user: User, docId: string, section: string | null): Promise<Cleanup> {
  const reuse = kept && kept.docId === docId && kept.userId === user.id ? kept : null;
  if (kept && kept !== reuse) disconnect(kept);
  kept = null;
  const detail = await loadDetail(root, user, docId, reuse);
  if (!detail) return () => {};
  let view: EditorView | null = null;
  const layout = documentLayout(root, user, detail, () => view?.dom ?? null);
  const canEdit = canEditText(user.role);
  const connection = reuse ?? connect(docId, user, detail, canEdit);
  const { session, localCopy, unsent } = connection;
  let destroyed = false;
  const titleOf = (id: string): string => (view ? sectionsOf(view.state.doc) : detail.sections).find((s) => s.id === id)?.title || id;

  const context = { docId, document: detail, user, ydoc: session.ydoc, view: () => view, overlays: stageOverlays(layout.stage), notify };
  const outline = mountOutline(layout.slots.outline, detail.sections, { language: detail.language, scroller: layout.scroller, sections: () => sectionElements(view), onChoose: layout.closeDrawer });
  const tools = mountSidePanels(layout.rightSidebar, sidePanels, context, reuse?.view?.panel ?? null);
  const cleanups: Cleanup[] = [
    mountConnectionStatus(layout.slots.connection, session.provider, { canEdit, unsent, localCopy, titleOf }),
    outline.cleanup,
    mountPresence(layout.slots.presence, session.provider.awareness),
    tools.cleanup,
    mountLastVisit(layout.slots.banner, context),
  ];
  const onSync = (synced: boolean): void => {
    if (!synced || view || destroyed) return;
    view = startEditor(layout, connection, user, outline);
    if (reuse?.view) layout.scroller.scrollTop = reuse.view.scrollTop;
    else if (section) requestAnimationFrame(() => outline.jumpTo(section, 'auto'));
  };
  session.provider.on('sync', onSync);
  if (session.provider.synced) onSync(true);

  return () => {
    destroyed = true;
    const keep = keepNext;
    keepNext = false;
    if (keep) connection.view = { scrollTop: layout.scroller.scrollTop, panel: tools.selected() };
    session.provider.off('sync', onSync);
    cleanups.forEach((cleanup) => cleanup());
    // The editor goes before its connection: a Y.Doc destroyed under a live view makes it act on a dead one.
    view?.destroy();
    // Only the words change on a new interface language: the connection, the text and this device's copy carry on.
    if (keep) kept = connection;
    else disconnect(connection);
    document.title = 'Accord';
  };
}
