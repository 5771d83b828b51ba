// The Endorsements panel: the version open for endorsement (chairs publish a
// newer one here), the endorsements awaiting a chair's decision with Confirm
// and Reject, the confirmed supporters, and links to the public page and the
// exports. Contact details are shown to chairs only (the server sends them to
// no one else). It talks to the API only.
import { api, ApiError, canDecideEndorsements, endorsePageUrl, endorsementsApi, supportersExportUrl, type ChairEndorsement, type OpenVersion, type PublicEndorsement, type Version } from '../api';
import { formatDate, h, replaceChildren, stakeholderGroupLabel, type Cleanup } from '../dom';
import type { DocumentContext, PanelDefinition } from './types';
import { confirmAction } from '../confirm-dialog';

type Listed = PublicEndorsement | ChairEndorsement;

const isChairView = (e: Listed): e is ChairEndorsement => 'status' in e;
const errorText = (error: unknown): string => (error instanceof ApiError || error instanceof Error ? error.message : String(error));
const shortHash = (hash: string): string => `#${hash.replace(/^sha256:/, '').slice(0, 12)}`;

function addressState(e: ChairEndorsement): HTMLElement {
  if (e.emailConfirmed) return h('span', { class: 'endorsement-flag is-ok' }, 'Address confirmed');
  if (e.linkExpired) return h('span', { class: 'endorsement-flag is-warn' }, 'Link expired unused');
  return h('span', { class: 'endorsement-flag' }, 'Waiting for the contact to confirm the address');
}

function mountEndorsements(container: HTMLElement, context: DocumentContext): Cleanup {
  const { docId, user } = context;
  const chair = canDecideEndorsements(user.role);
  let alive = true;

  const openBox = h('div', { id: 'endorsement-open', class: 'endorsement-open' }, h('p', { class: 'muted', role: 'status' }, 'Loading…'));
  const versionSelect = h('select', { id: 'endorsement-version-select', name: 'version' });
  const publishButton = h('button', { type: 'submit', id: 'endorsement-version-publish', class: 'button primary' }, 'Publish for endorsement');
  const publishError = h('p', { class: 'form-error', role: 'alert' });
  const publishForm = chair
    ? h(
        'form',
        { id: 'endorsement-version-form', class: 'stack' },
        h('h3', {}, 'Publish a version for endorsement'),
        h('p', { class: 'muted small' }, 'The public page and its form then name this version. Earlier supporters stay listed with the version they endorsed and can re-affirm in one step.'),
        h('div', { class: 'field' }, h('label', { for: 'endorsement-version-select' }, 'Version'), versionSelect),
        publishButton,
        publishError,
      )
    : null;

  const pendingList = h('ul', { id: 'endorsements-pending', class: 'endorsements' });
  const pendingStatus = h('p', { class: 'muted small', role: 'status' });
  const supportersList = h('ul', { id: 'endorsements-confirmed', class: 'endorsements' });
  const supportersStatus = h('p', { class: 'muted small', role: 'status' });
  const refreshButton = h('button', { type: 'button', class: 'button subtle small', id: 'endorsements-refresh' }, 'Refresh');

  replaceChildren(
    container,
    h('h2', { class: 'panel-title' }, 'Call for commitment'),
    h(
      'section',
      { class: 'stack', 'aria-labelledby': 'endorsement-open-title' },
      h('h3', { id: 'endorsement-open-title' }, 'Open for endorsement'),
      openBox,
      h(
        'div',
        { class: 'button-row' },
        h('a', { href: endorsePageUrl(docId), target: '_blank', rel: 'noopener', class: 'button', id: 'endorse-page-link' }, 'Public page'),
        h('a', { href: supportersExportUrl(docId, 'csv'), download: '', class: 'button subtle small' }, 'CSV'),
        h('a', { href: supportersExportUrl(docId, 'html'), target: '_blank', rel: 'noopener', class: 'button subtle small' }, 'Printable list'),
      ),
    ),
    publishForm,
    chair
      ? h(
          'section',
          { class: 'stack endorsements-section', 'aria-labelledby': 'endorsements-pending-title' },
          h('div', { class: 'button-row' }, h('h3', { id: 'endorsements-pending-title' }, 'Awaiting decision'), refreshButton),
          h('p', { class: 'muted small' }, 'A confirmed endorsement is recorded in the signed log. Contact details are visible to chairs only and are never published or logged.'),
          pendingStatus,
          pendingList,
        )
      : null,
    h('section', { class: 'stack endorsements-section', 'aria-labelledby': 'endorsements-confirmed-title' }, h('h3', { id: 'endorsements-confirmed-title' }, 'Supporters'), supportersStatus, supportersList),
  );

  const renderOpen = (open: OpenVersion | null, versions: Version[]): void => {
    if (!open) {
      replaceChildren(
        openBox,
        h('p', { class: 'muted' }, versions.length ? 'No version is open for endorsement: choose one below and open it.' : 'No version has been frozen yet: freeze one in the History panel first.'),
      );
    } else {
      replaceChildren(
        openBox,
        h('div', { class: 'version', 'data-version': open.version }, h('div', { class: 'version-head' }, h('span', { class: 'version-number' }, `v${open.version}`), h('span', { class: 'version-label' }, open.label)),
          h('div', { class: 'version-meta' }, open.setAt ? `Opened for endorsement ${formatDate(open.setAt)}${open.setBy ? ` by ${open.setBy.name}` : ''}` : 'Open for endorsement'),
          h('div', { class: 'version-hash', title: open.contentHash }, shortHash(open.contentHash)),
        ),
      );
    }
    const previous = versionSelect.value;
    versionSelect.replaceChildren(
      ...[...versions].reverse().map((v) => {
        const option = h('option', { value: String(v.number) }, `v${v.number} — ${v.label}`);
        option.selected = previous ? previous === String(v.number) : v.number === open?.version;
        return option;
      }),
    );
    publishButton.disabled = versions.length === 0;
  };

  const pendingItem = (e: ChairEndorsement): HTMLLIElement => {
    const reason = h('input', { type: 'text', class: 'endorsement-reason', placeholder: 'Reason (optional)', maxlength: 2000, 'aria-label': `Reason for the decision on ${e.organization}` });
    const error = h('p', { class: 'form-error', role: 'alert' });
    const act = (decision: 'confirm' | 'reject') => async (): Promise<void> => {
      // Confirming publishes the organisation's name in the signed log for good: ask first.
      const yes = await confirmAction(
        decision === 'confirm'
          ? {
              title: `Confirm ${e.organization}'s endorsement?`,
              body: `${e.organization} (${stakeholderGroupLabel(e.stakeholderGroup)}, ${e.countryName}) will be listed publicly as endorsing version ${e.version}, and recorded in the signed log. This cannot be undone.`,
              confirmLabel: 'Confirm endorsement',
            }
          : { title: `Reject ${e.organization}'s endorsement?`, body: `The endorsement will not be published. The organisation can submit again.`, confirmLabel: 'Reject endorsement' },
      );
      if (!yes) return;
      confirmButton.disabled = true;
      rejectButton.disabled = true;
      error.textContent = '';
      endorsementsApi
        .decide(docId, e.id, decision, reason.value.trim() || undefined)
        .then(async () => {
          context.notify(`${e.organization}: endorsement ${decision === 'confirm' ? 'confirmed and logged' : 'rejected'}`, 'success');
          await refresh();
        })
        .catch((err: unknown) => {
          error.textContent = errorText(err);
          confirmButton.disabled = !e.emailConfirmed;
          rejectButton.disabled = !e.emailConfirmed;
        });
    };
    const confirmButton = h('button', { type: 'button', class: 'button primary small', 'data-action': 'confirm', disabled: !e.emailConfirmed, onclick: act('confirm') }, 'Confirm');
    const rejectButton = h('button', { type: 'button', class: 'button small', 'data-action': 'reject', disabled: !e.emailConfirmed, onclick: act('reject') }, 'Reject');
    return h(
      'li',
      { class: 'endorsement', 'data-endorsement': e.id, 'data-status': e.status },
      h('div', { class: 'endorsement-org' }, e.organization),
      h('div', { class: 'version-meta' }, `${stakeholderGroupLabel(e.stakeholderGroup)} · ${e.countryName} · v${e.version}${e.reaffirms ? ' · re-affirmation' : ''}`),
      h('div', { class: 'version-meta' }, `Contact: ${e.contactName} <${e.email}> · submitted ${formatDate(e.submittedAt)}`),
      e.statement ? h('p', { class: 'endorsement-statement' }, `“${e.statement}”`) : null,
      addressState(e),
      reason,
      h('div', { class: 'button-row' }, confirmButton, rejectButton),
      error,
    );
  };

  const supporterItem = (e: Listed): HTMLLIElement =>
    h(
      'li',
      { class: 'endorsement', 'data-endorsement': e.id },
      h('div', { class: 'endorsement-org' }, e.organization),
      h('div', { class: 'version-meta' }, `${stakeholderGroupLabel(e.stakeholderGroup)} · ${e.countryName} · v${e.version}${e.logIndex !== null ? ` · log ${e.logIndex}` : ''}`),
      e.confirmedAt ? h('div', { class: 'version-meta' }, `Confirmed ${formatDate(e.confirmedAt)}`) : null,
    );

  const refresh = async (): Promise<void> => {
    try {
      const [list, versions, open] = await Promise.all([
        endorsementsApi.list(docId),
        api.versions(docId),
        endorsementsApi.openVersion(docId).catch((error: unknown) => {
          if (error instanceof ApiError && error.status === 404) return null;
          throw error;
        }),
      ]);
      if (!alive) return;
      renderOpen(open, [...versions].sort((a, b) => a.number - b.number));
      const pending = list.filter((e): e is ChairEndorsement => isChairView(e) && e.status === 'pending');
      const confirmed = list.filter((e) => !isChairView(e) || e.status === 'confirmed');
      pendingList.replaceChildren(...pending.map(pendingItem));
      pendingStatus.textContent = pending.length ? `${pending.length} pending` : 'Nothing awaits a decision.';
      supportersList.replaceChildren(...[...confirmed].reverse().map(supporterItem));
      context.setTabCount(chair ? `${pending.length} pending` : `${confirmed.length} confirmed`);
      supportersStatus.textContent = confirmed.length ? `${confirmed.length} confirmed ${confirmed.length === 1 ? 'endorsement' : 'endorsements'}` : 'No confirmed endorsements yet.';
    } catch (error) {
      if (!alive) return;
      replaceChildren(openBox, h('p', { class: 'form-error' }, `Endorsements could not be loaded: ${errorText(error)}`));
    }
  };

  refreshButton.addEventListener('click', () => void refresh());
  publishForm?.addEventListener('submit', (event) => {
    event.preventDefault();
    publishError.textContent = '';
    const version = Number(versionSelect.value);
    if (!Number.isInteger(version) || version < 1) {
      publishError.textContent = 'Choose a version.';
      return;
    }
    void confirmAction({
      title: `Open version ${version} for endorsement?`,
      body: `The public page and its form will name version ${version}. Organisations that endorsed an earlier version stay listed with it and can re-affirm.`,
      confirmLabel: 'Open for endorsement',
    }).then((yes) => {
      if (yes) publish(version);
    });
  });
  const publish = (version: number): void => {
    publishButton.disabled = true;
    endorsementsApi
      .setOpenVersion(docId, version)
      .then(async (open) => {
        context.notify(`Version ${open.version} is now open for endorsement`, 'success');
        await refresh();
      })
      .catch((error: unknown) => {
        publishError.textContent = errorText(error);
      })
      .finally(() => {
        publishButton.disabled = false;
      });
  };

  void refresh();
  return () => {
    alive = false;
  };
}

export const endorsementsPanel: PanelDefinition = { id: 'endorsements', title: 'Endorsements', mount: mountEndorsements };
