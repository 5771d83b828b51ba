// The Authors panel: "Show authors" colours the live text by person or by
// stakeholder group (client/editor/authors.ts), with a legend naming each
// person and organisation; the contributions of each version (or the live
// text): share of words by stakeholder group and organisation, per section,
// and the amendments proposed, accepted and rejected per group; and, for
// chairs, who may see all this (the document's attribution policy).
// State in one place (view.ts draws it); the editor's colouring follows it.
import { api, ApiError, attributionApi, canSetAttributionPolicy, errorText } from '../../api';
import { authorsKey, setAuthors, type AuthorMode, type ClientAuthor } from '../../editor/authors';
import type { Cleanup } from '../../dom';
import { t } from '../../i18n';
import { createStore, mountView, type Store } from '../../view';
import type { DocumentContext, PanelDefinition } from '../types';
import { authorsView, type AuthorsPanelState, type AuthorsViewActions } from './view';

/** How often the panel looks for writers the map does not name yet, while authors are shown. */
const UNKNOWN_CHECK_MS = 3_000;
/** The live text's contributions are counted again at most this often while it changes. */
const LIVE_RECOUNT_MS = 2_000;

function authorsActions(store: Store<AuthorsPanelState>, context: DocumentContext, alive: () => boolean): AuthorsViewActions & { loadClients(): Promise<boolean>; recountLive(): void } {
  const { docId } = context;
  const loadClients = async (): Promise<boolean> => {
    try {
      const { clients } = await attributionApi.clients(docId);
      store.update({ clients: new Map<number, ClientAuthor>(Object.entries(clients).map(([k, v]) => [Number(k), v])) });
      return true;
    } catch (error) {
      store.update({ status: error instanceof ApiError && error.status === 404 ? t('authors.hidden') : t('authors.cannotLoad', { reason: errorText(error) }) });
      return false;
    }
  };
  /** `quiet`: the live text counted again; the last count stays on screen until the new one arrives. */
  const showReport = async (version: string, quiet = false): Promise<void> => {
    if (!quiet) store.update({ reportVersion: version, report: { phase: 'counting' } });
    try {
      const report = await attributionApi.contributions(docId, version === 'live' ? 'live' : Number(version));
      if (alive() && store.get().reportVersion === version) store.update({ report: { phase: 'ready', report } });
    } catch (error) {
      if (alive() && store.get().reportVersion === version) store.update({ report: { phase: 'failed', reason: errorText(error) } });
    }
  };
  return {
    loadClients,
    async show(enabled) {
      store.update({ enabled, showing: false, status: '' });
      if (!enabled) return;
      if (!(await loadClients())) return store.update({ enabled: false });
      if (!context.view()) return store.update({ status: t('authors.loadingText') });
      if (store.get().enabled) store.update({ showing: true, status: t('authors.shown') });
    },
    colourBy: (mode) => store.update({ mode }),
    chooseReport: (version) => void showReport(version),
    recountLive: () => void showReport('live', true),
    editPolicy: (change) => store.update((s) => ({ policy: s.policy && { ...s.policy, ...change } })),
    savePolicy() {
      const policy = store.get().policy;
      if (!policy) return;
      const saved = (text: string) => store.update((s) => ({ policy: s.policy && { ...s.policy, saved: ` ${text}` } }));
      attributionApi.setPolicy(docId, { visibility: policy.visibility, publicShares: policy.publicShares }).then(
        () => saved(t('authors.saved')),
        (error: unknown) => saved(t('authors.notSaved', { reason: errorText(error) })),
      );
    },
  };
}

/** The editor's colouring follows the state: told only when what it shows changes. */
function followInEditor(store: Store<AuthorsPanelState>, context: DocumentContext): () => void {
  let told: { enabled: boolean; mode: AuthorMode; clients: ReadonlyMap<number, ClientAuthor> } | null = null;
  return store.subscribe(({ showing, mode, clients }) => {
    const view = context.view();
    if (!view || (told && told.enabled === showing && told.mode === mode && told.clients === clients)) return;
    if (!told && !showing) return;
    told = { enabled: showing, mode, clients };
    setAuthors(view, told);
  });
}

function mountAuthors(container: HTMLElement, context: DocumentContext): Cleanup {
  const { docId, user } = context;
  let destroyed = false;
  const chair = canSetAttributionPolicy(user.role);
  const store = createStore<AuthorsPanelState>({ enabled: false, showing: false, mode: 'person', clients: new Map(), self: user.id, status: '', versions: [], reportVersion: 'live', report: { phase: 'counting' }, policy: chair ? { visibility: 'members', publicShares: false, saved: '' } : null });
  const actions = authorsActions(store, context, () => !destroyed);
  const stopFollowing = followInEditor(store, context);
  const unmount = mountView(container, store, (state) => authorsView(state, actions));
  // New writers: fetch the map again when the text holds client ids it does not name, once per such id
  // (text from before attribution existed stays unnamed: it is not asked about again and again).
  const asked = new Set<number>();
  // The contributions of the live text follow it: counted again, at most every few seconds, while
  // "Live text" is chosen and the panel can be seen (a hidden one counts when it is shown again).
  let textChanged = false;
  const onText = () => void (textChanged = true);
  context.ydoc.on('update', onText);
  const recount = setInterval(() => {
    if (!textChanged || destroyed || store.get().reportVersion !== 'live' || container.offsetParent === null) return;
    textChanged = false;
    actions.recountLive();
  }, LIVE_RECOUNT_MS);
  const poll = setInterval(() => {
    const view = context.view();
    if (!store.get().showing || !view || destroyed) return;
    const unknown = [...(authorsKey.getState(view.state)?.unknown ?? [])].filter((id) => !asked.has(id));
    for (const id of unknown) asked.add(id);
    if (unknown.length) void actions.loadClients();
  }, UNKNOWN_CHECK_MS);
  actions.chooseReport('live');
  void api.versions(docId).then((versions) => !destroyed && store.update({ versions }), () => {});
  if (chair) void attributionApi.policy(docId).then((p) => !destroyed && actions.editPolicy({ visibility: p.visibility, publicShares: p.publicShares }), () => {});
  return () => {
    destroyed = true;
    clearInterval(poll);
    clearInterval(recount);
    context.ydoc.off('update', onText);
    stopFollowing();
    unmount();
  };
}

export const authorsPanel: PanelDefinition = { id: 'authors-panel', title: () => t('authors.title'), mount: mountAuthors };
