// The History panel: frozen versions, freezing a new one, comparing any two
// (or a version with the live text) as a redline, the timeline of points
// recorded between versions (timeline.ts), and verifying the signed
// history in the browser. It talks to the API only; it never reads the editor.
import { meetingDate } from '../../core/meeting-date';
import { confirmAction } from '../confirm-dialog';
import { api, canFreezeVersion, redlineUrl, type RedlineFormat, type Version, errorText } from '../api';
import { formatDate, h, replaceChildren, type Cleanup } from '../dom';
import type { DocumentContext, PanelDefinition } from './types';
import { verifyDocumentHistory } from './verify';
import { witnessBlock } from './witnesses';
import { t } from '../i18n';
import { onSignal } from '../signals';
import { showRedlineView, type Comparison } from './redline-view';
import { timelineBlock } from './timeline';

// Format names stay as they are in every language, except Word's, which is a word.
const DOWNLOADS: { format: RedlineFormat; label: () => string }[] = [
  { format: 'html', label: () => 'HTML' },
  { format: 'md', label: () => 'Markdown' },
  { format: 'docx', label: () => t('format.word') },
  { format: 'pdf', label: () => 'PDF' },
  { format: 'json', label: () => 'JSON' },
];

function versionName(version: Version): string {
  return version.label ? t('version.named', { number: version.number, label: version.label }) : t('version.short', { number: version.number });
}

function versionItem(docId: string, version: Version): HTMLLIElement {
  const author = version.createdBy ? [version.createdBy.name, version.createdBy.organization].filter(Boolean).join(', ') : '';
  return h(
    'li',
    { class: 'version', 'data-version': version.number },
    h('div', { class: 'version-head' }, h('span', { class: 'version-number' }, t('version.short', { number: version.number })), h('span', { class: 'version-label', dir: 'auto' }, version.label || t('history.untitledVersion'))),
    version.meeting ? h('div', { class: 'version-meeting' }, version.meeting) : null,
    meetingDate(version.meeting)
      ? h('div', { class: 'version-meeting-date' }, t('history.meetingOf', { date: formatDate(meetingDate(version.meeting)!, { dateStyle: 'long', timeZone: 'UTC' }) }))
      : null,
    h(
      'div',
      { class: 'version-meta' },
      [author, version.createdAt ? (meetingDate(version.meeting) ? t('history.recorded', { when: formatDate(version.createdAt) }) : formatDate(version.createdAt)) : ''].filter(Boolean).join(' · '),
    ),
    version.contentHash ? h('div', { class: 'version-hash', title: t('history.contentHash', { hash: version.contentHash }) }, `#${version.contentHash.replace(/^sha256:/, '').slice(0, 12)}`) : null,
    h(
      'div',
      { class: 'version-exports', 'aria-label': t('history.exportVersion', { number: version.number }) },
      EXPORTS.map(({ format, label }) =>
        h('a', { href: exportUrl(docId, version.number, format), download: '', 'data-export': format, class: 'button subtle small' }, label()),
      ),
    ),
  );
}

/** A meeting package (zip: clean text, redline against the previous meeting version, bundle) and the clean text alone. */
const EXPORTS = [
  { format: 'zip', label: () => t('history.meetingPackage') },
  { format: 'docx', label: () => t('format.word') },
  { format: 'pdf', label: () => 'PDF' },
  { format: 'html', label: () => 'HTML' },
  { format: 'md', label: () => 'Markdown' },
] as const;

function exportUrl(docId: string, version: number, format: string): string {
  return `/api/documents/${encodeURIComponent(docId)}/export?version=${version}&format=${format}`;
}

function option(value: string, text: string, selected = false): HTMLOptionElement {
  const element = h('option', { value }, text);
  element.selected = selected;
  return element;
}

/** A redline between two versions, or a version and the live text. */
function showRedline(context: DocumentContext, from: number, to: number | 'live'): Cleanup {
  const comparison: Comparison = {
    title: to === 'live' ? t('redline.titleLive', { from }) : t('redline.title', { from, to }),
    urlFor: (format) => redlineUrl(context.docId, from, to, format as RedlineFormat),
    downloads: DOWNLOADS,
  };
  return showRedlineView(context, comparison, () => api.redlineHtml(context.docId, from, to));
}

function mountHistory(container: HTMLElement, context: DocumentContext): Cleanup {
  const { docId, user } = context;
  let versions: Version[] = [];
  let closeRedline: Cleanup | null = null;
  const witnesses = witnessBlock(user.role === 'chair' || user.role === 'admin');
  const timeline = timelineBlock(context);

  const list = h('ol', { id: 'versions', class: 'versions', reversed: true });
  const listStatus = h('p', { class: 'muted', role: 'status' }, t('history.loading'));

  const fromSelect = h('select', { id: 'redline-from', name: 'from' });
  const toSelect = h('select', { id: 'redline-to', name: 'to' });
  const showButton = h('button', { type: 'submit', id: 'redline-show', class: 'button primary' }, t('history.showChanges'));
  const compareError = h('p', { class: 'form-error', role: 'alert' });
  const compareForm = h(
    'form',
    { id: 'redline-form', class: 'stack' },
    h('h3', {}, t('history.compare')),
    h(
      'div',
      { class: 'field-row' },
      h('div', { class: 'field' }, h('label', { for: 'redline-from' }, t('history.from')), fromSelect),
      h('div', { class: 'field' }, h('label', { for: 'redline-to' }, t('history.to')), toSelect),
    ),
    showButton,
    compareError,
  );
  compareForm.addEventListener('submit', (event) => {
    event.preventDefault();
    compareError.textContent = '';
    const from = Number(fromSelect.value);
    const to = toSelect.value === 'live' ? 'live' : Number(toSelect.value);
    if (!Number.isInteger(from) || from < 1) {
      compareError.textContent = t('history.chooseFrom');
      return;
    }
    closeRedline?.();
    closeRedline = showRedline(context, from, to);
  });

  const labelInput = h('input', { id: 'freeze-label', name: 'label', type: 'text', required: true, maxlength: 200, autocomplete: 'off', placeholder: t('history.labelPlaceholder') });
  const meetingInput = h('input', { id: 'freeze-meeting', name: 'meeting', type: 'text', maxlength: 200, autocomplete: 'off', placeholder: t('history.meetingPlaceholder') });
  const freezeButton = h('button', { type: 'submit', id: 'freeze-submit', class: 'button primary' }, t('history.freeze'));
  const freezeError = h('p', { class: 'form-error', role: 'alert', id: 'freeze-error' });
  const freezeForm = canFreezeVersion(user.role)
    ? h(
        'form',
        { id: 'freeze-form', class: 'stack' },
        h('h3', {}, t('history.freezeTitle')),
        h('p', { class: 'muted small' }, t('history.freezeHelp')),
        h('div', { class: 'field' }, h('label', { for: 'freeze-label' }, t('history.label')), labelInput),
        h('div', { class: 'field' }, h('label', { for: 'freeze-meeting' }, t('history.meeting')), meetingInput),
        freezeButton,
        freezeError,
      )
    : null;
  freezeForm?.addEventListener('submit', (event) => {
    event.preventDefault();
    freezeError.textContent = '';
    const label = labelInput.value.trim();
    if (!label) {
      freezeError.textContent = t('history.labelRequired');
      labelInput.focus();
      return;
    }
    const meeting = meetingInput.value.trim();
    // Freezing signs the live text into the public log for good: ask first.
    void confirmAction({
      title: t('history.freezeConfirmTitle'),
      body: meeting
        ? t('history.freezeConfirmBodyMeeting', { number: versions.length + 1, label, meeting })
        : t('history.freezeConfirmBody', { number: versions.length + 1, label }),
      confirmLabel: t('history.freeze'),
    }).then((yes) => {
      if (yes) freeze(label, meeting);
    });
  });
  const freeze = (label: string, meeting: string): void => {
    freezeButton.disabled = true;
    freezeButton.textContent = t('history.freezing');
    api
      .freezeVersion(docId, meeting ? { label, meeting } : { label })
      .then(async (version) => {
        freezeForm?.reset();
        context.notify(t('history.frozenNotice', { number: version.number, label: version.label }), 'success');
        await refresh();
        // Witnesses cosign the new checkpoint in the background, usually within a second.
        setTimeout(() => void witnesses.refresh(), 1500);
      })
      .catch((error: unknown) => {
        freezeError.textContent = errorText(error);
      })
      .finally(() => {
        freezeButton.disabled = false;
        freezeButton.textContent = t('history.freeze');
      });
  };

  const verifyButton = h('button', { type: 'button', id: 'verify-history', class: 'button' }, t('verify.button'));
  const verifyResult = h('p', { id: 'verify-result', class: 'verify-result', role: 'status' });
  const verifyTechnical = h('code', { id: 'verify-technical', class: 'small' });
  const verifyDetails = h('details', { class: 'verify-details', hidden: true }, h('summary', {}, t('verify.technical')), verifyTechnical);
  verifyButton.addEventListener('click', () => {
    verifyButton.disabled = true;
    verifyResult.textContent = t('verify.checking');
    delete verifyResult.dataset.result;
    verifyDocumentHistory(docId)
      .then((outcome) => {
        verifyResult.textContent = outcome.message;
        verifyResult.dataset.result = outcome.ok ? 'ok' : 'fail';
        verifyTechnical.textContent = outcome.technical ?? '';
        verifyDetails.hidden = !outcome.technical;
      })
      .catch((error: unknown) => {
        verifyResult.textContent = t('verify.notVerified', { reason: errorText(error) });
        verifyResult.dataset.result = 'fail';
      })
      .finally(() => {
        verifyButton.disabled = false;
      });
  });

  replaceChildren(
    container,
    h('h2', { class: 'panel-title' }, t('history.versions')),
    listStatus,
    list,
    freezeForm,
    compareForm,
    timeline.element,
    h(
      'section',
      { class: 'stack verify', 'aria-labelledby': 'verify-title' },
      h('h3', { id: 'verify-title' }, t('verify.title')),
      h('p', { class: 'muted small' }, t('verify.help')),
      h(
        'div',
        { class: 'button-row' },
        verifyButton,
        h('a', { href: `/api/documents/${encodeURIComponent(docId)}/bundle`, download: `${docId}-bundle.json`, class: 'button subtle' }, t('verify.downloadBundle')),
        h('a', { href: `/api/documents/${encodeURIComponent(docId)}/verify.html`, download: `${docId}-verify.html`, id: 'download-verifier', class: 'button subtle' }, t('verify.offlineVerifier')),
      ),
      verifyResult,
      verifyDetails,
      h('h4', { class: 'small-heading' }, t('witnesses.title')),
      witnesses.element,
    ),
  );

  const renderCompareOptions = (): void => {
    const previousFrom = fromSelect.value;
    const previousTo = toSelect.value;
    const newest = versions[versions.length - 1];
    fromSelect.replaceChildren(...versions.map((v) => option(String(v.number), versionName(v), previousFrom ? previousFrom === String(v.number) : v === newest)));
    toSelect.replaceChildren(option('live', t('history.liveText'), !previousTo || previousTo === 'live'), ...versions.map((v) => option(String(v.number), versionName(v), previousTo === String(v.number))));
    const none = versions.length === 0;
    fromSelect.disabled = none;
    toSelect.disabled = none;
    showButton.disabled = none;
    compareError.textContent = none ? t('history.nothingToCompare') : '';
  };

  let alive = true;
  const refresh = async (): Promise<void> => {
    try {
      const loaded = await api.versions(docId);
      if (!alive) return;
      versions = [...loaded].sort((a, b) => a.number - b.number);
      list.replaceChildren(...[...versions].reverse().map((v) => versionItem(docId, v)));
      listStatus.textContent = versions.length ? '' : t('history.none');
      listStatus.hidden = versions.length > 0;
      context.setTabCount(t('history.versionCount', { count: versions.length }));
      renderCompareOptions();
      await timeline.refresh();
    } catch (error) {
      if (!alive) return;
      listStatus.hidden = false;
      listStatus.textContent = t('history.loadFailed', { reason: errorText(error) });
    }
  };
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
    timeline.cleanup();
    closeRedline?.();
  };
}

export const historyPanel: PanelDefinition = { id: 'history', title: () => t('history.title'), mount: mountHistory };
