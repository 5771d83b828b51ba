// The Versions panel (the "History" tab): frozen versions, freezing a new
// one, comparing any two (or a version with the live text) as a redline, the
// timeline of points recorded between versions (timeline.ts), and verifying
// the signed history in the browser. It talks to the API only; it never
// reads the editor. state.ts holds its state, view.ts draws it; the actions
// are below.
import { confirmAction } from '../../confirm-dialog';
import { api, canFreezeVersion, errorText, redlineUrl, type RedlineFormat } from '../../api';
import type { Cleanup } from '../../dom';
import { t } from '../../i18n';
import { onSignal } from '../../signals';
import { createStore, mountView, type Store } from '../../view';
import { showRedlineView } from '../redline-view';
import type { DocumentContext, PanelDefinition } from '../types';
import { compareFrom, initialVersionsState, type VersionsState } from './state';
import { timelineBlock } from './timeline';
import { verifyDocumentHistory } from './verify';
import { versionsView, type VersionsViewActions } from './view';
import { witnessBlock, type WitnessBlock } from './witnesses';

// Format names stay as they are in every language, except Word's, which is a word.
const DOWNLOADS: { format: RedlineFormat; label: () => string }[] = [
  { format: 'html', label: () => 'HTML' },
  { format: 'md', label: () => 'Markdown' },
  { format: 'docx', label: () => t('format.word') },
  { format: 'pdf', label: () => 'PDF' },
  { format: 'json', label: () => 'JSON' },
];

interface Wiring {
  store: Store<VersionsState>;
  context: DocumentContext;
  refresh(): Promise<void>;
  witnesses: WitnessBlock;
}

/** Freezing signs the live text into the public log for good: asked first, then done. */
function freezeAction({ store, context, refresh, witnesses }: Wiring, focusLabel: () => void) {
  const freeze = async (label: string, meeting: string): Promise<void> => {
    store.update({ freezing: true });
    try {
      const version = await api.freezeVersion(context.docId, meeting ? { label, meeting } : { label });
      store.update({ label: '', meeting: '' });
      context.notify(t('history.frozenNotice', { number: version.number, label: version.label }), 'success');
      await refresh();
      // Witnesses cosign the new checkpoint in the background, usually within a second.
      setTimeout(() => void witnesses.refresh(), 1500);
    } catch (error) {
      store.update({ freezeError: errorText(error) });
    } finally {
      store.update({ freezing: false });
    }
  };
  return (event: Event): void => {
    event.preventDefault();
    const label = store.get().label.trim();
    const meeting = store.get().meeting.trim();
    store.update({ freezeError: label ? '' : t('history.labelRequired') });
    if (!label) return focusLabel();
    const number = (store.get().versions?.length ?? 0) + 1;
    const body = meeting ? t('history.freezeConfirmBodyMeeting', { number, label, meeting }) : t('history.freezeConfirmBody', { number, label });
    void confirmAction({ title: t('history.freezeConfirmTitle'), body, confirmLabel: t('history.freeze') }).then((yes) => {
      if (yes) void freeze(label, meeting);
    });
  };
}

function versionsActions(wiring: Wiring): VersionsViewActions & { cleanup: Cleanup } {
  const { store, context } = wiring;
  let labelInput: HTMLElement | null = null;
  let closeRedline: Cleanup | null = null;
  return {
    compare(event) {
      event.preventDefault();
      const state = store.get();
      const from = Number(compareFrom(state));
      const to = state.compareTo === 'live' ? 'live' : Number(state.compareTo);
      if (!Number.isInteger(from) || from < 1) return store.update({ compareError: t('history.chooseFrom') });
      store.update({ compareError: '' });
      closeRedline?.();
      const title = to === 'live' ? t('redline.titleLive', { from }) : t('redline.title', { from, to });
      closeRedline = showRedlineView(context.overlays, { title, urlFor: (format) => redlineUrl(context.docId, from, to, format as RedlineFormat), downloads: DOWNLOADS }, () => api.redlineHtml(context.docId, from, to));
    },
    choose: (end, value) => store.update(end === 'from' ? { compareFrom: value } : { compareTo: value }),
    type: (field, value) => store.update(field === 'label' ? { label: value } : { meeting: value }),
    freeze: freezeAction(wiring, () => labelInput?.focus()),
    verify() {
      store.update({ verify: { phase: 'checking' } });
      verifyDocumentHistory(context.docId)
        .catch((error: unknown) => ({ ok: false, message: t('verify.notVerified', { reason: errorText(error) }) }))
        .then((outcome) => store.update({ verify: { phase: 'done', outcome } }));
    },
    labelRef(element) {
      if (element instanceof HTMLElement) labelInput = element;
    },
    cleanup: () => closeRedline?.(),
  };
}

function mountVersions(container: HTMLElement, context: DocumentContext): Cleanup {
  const { docId, user } = context;
  let alive = true;
  const store = createStore<VersionsState>(initialVersionsState);
  const witnesses = witnessBlock(user.role === 'chair' || user.role === 'admin');
  const timeline = timelineBlock(context);
  const refresh = async (): Promise<void> => {
    try {
      const loaded = await api.versions(docId);
      if (!alive) return;
      const versions = [...loaded].sort((a, b) => a.number - b.number);
      store.update({ versions, failure: null, compareError: '' });
      context.setTabCount(t('history.versionCount', { count: versions.length }));
      await timeline.refresh();
    } catch (error) {
      if (alive) store.update({ failure: errorText(error) });
    }
  };
  const actions = versionsActions({ store, context, refresh, witnesses });
  const unmount = mountView(container, store, (state) => versionsView(state, { docId, canFreeze: canFreezeVersion(user.role), actions, timeline: timeline.element, witnesses: witnesses.element }));
  void refresh();
  void witnesses.refresh();
  // A version frozen by anyone, through any process (the 'versions' signal), or a reconnect after
  // signals may have been missed: the list follows at once.
  const stopSignals = onSignal(context.ydoc, (event) => {
    if (event.kind === 'versions' || event.kind === 'resync') void refresh();
  });
  const witnessPoll = setInterval(() => void witnesses.refresh(), 15_000);
  // Points are recorded as people edit: the timeline follows.
  const timelinePoll = setInterval(() => void timeline.refresh(), 20_000);
  return () => {
    alive = false;
    stopSignals();
    clearInterval(witnessPoll);
    clearInterval(timelinePoll);
    unmount();
    timeline.cleanup();
    actions.cleanup();
  };
}

export const versionsPanel: PanelDefinition = { id: 'history', title: () => t('history.title'), mount: mountVersions };
