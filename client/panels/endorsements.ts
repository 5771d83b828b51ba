// The Endorsements panel: the version open for endorsement (chairs publish a
// newer one here), the endorsements awaiting a chair's decision with Confirm
// and Reject, the confirmed supporters, and links to the public page and the
// exports. Contact details are shown to chairs only (the server sends them to
// no one else). It talks to the API only.
import { api, ApiError, canDecideEndorsements, endorsePageUrl, endorsementsApi, supportersExportUrl, type ChairEndorsement, type OpenVersion, type PublicEndorsement, type Version, errorText } from '../api';
import { formatDate, h, replaceChildren, stakeholderGroupLabel, type Cleanup } from '../dom';
import type { DocumentContext, PanelDefinition } from './types';
import { confirmAction } from '../confirm-dialog';
import { t } from '../i18n';

type Listed = PublicEndorsement | ChairEndorsement;

const isChairView = (e: Listed): e is ChairEndorsement => 'status' in e;
const shortHash = (hash: string): string => `#${hash.replace(/^sha256:/, '').slice(0, 12)}`;

function addressState(e: ChairEndorsement): HTMLElement {
  if (e.emailConfirmed) return h('span', { class: 'endorsement-flag is-ok' }, t('endorsements.addressConfirmed'));
  if (e.linkExpired) return h('span', { class: 'endorsement-flag is-warn' }, t('endorsements.linkExpired'));
  return h('span', { class: 'endorsement-flag' }, t('endorsements.awaitingAddress'));
}

function mountEndorsements(container: HTMLElement, context: DocumentContext): Cleanup {
  const { docId, user } = context;
  const chair = canDecideEndorsements(user.role);
  let alive = true;

  const openBox = h('div', { id: 'endorsement-open', class: 'endorsement-open' }, h('p', { class: 'muted', role: 'status' }, t('common.loading')));
  const versionSelect = h('select', { id: 'endorsement-version-select', name: 'version' });
  const publishButton = h('button', { type: 'submit', id: 'endorsement-version-publish', class: 'button primary' }, t('endorsements.publish'));
  const publishError = h('p', { class: 'form-error', role: 'alert' });
  const publishForm = chair
    ? h(
        'form',
        { id: 'endorsement-version-form', class: 'stack' },
        h('h3', {}, t('endorsements.publishTitle')),
        h('p', { class: 'muted small' }, t('endorsements.publishHelp')),
        h('div', { class: 'field' }, h('label', { for: 'endorsement-version-select' }, t('endorsements.version')), versionSelect),
        publishButton,
        publishError,
      )
    : null;

  const pendingList = h('ul', { id: 'endorsements-pending', class: 'endorsements' });
  const pendingStatus = h('p', { class: 'muted small', role: 'status' });
  const supportersList = h('ul', { id: 'endorsements-confirmed', class: 'endorsements' });
  const supportersStatus = h('p', { class: 'muted small', role: 'status' });
  const refreshButton = h('button', { type: 'button', class: 'button subtle small', id: 'endorsements-refresh' }, t('endorsements.refresh'));

  replaceChildren(
    container,
    h('h2', { class: 'panel-title' }, t('endorsements.callTitle')),
    h(
      'section',
      { class: 'stack', 'aria-labelledby': 'endorsement-open-title' },
      h('h3', { id: 'endorsement-open-title' }, t('endorsements.openTitle')),
      openBox,
      h(
        'div',
        { class: 'button-row' },
        h('a', { href: endorsePageUrl(docId), target: '_blank', rel: 'noopener', class: 'button', id: 'endorse-page-link' }, t('endorsements.publicPage')),
        h('a', { href: supportersExportUrl(docId, 'csv'), download: '', class: 'button subtle small' }, 'CSV'),
        h('a', { href: supportersExportUrl(docId, 'html'), target: '_blank', rel: 'noopener', class: 'button subtle small' }, t('endorsements.printable')),
      ),
    ),
    publishForm,
    chair
      ? h(
          'section',
          { class: 'stack endorsements-section', 'aria-labelledby': 'endorsements-pending-title' },
          h('div', { class: 'button-row' }, h('h3', { id: 'endorsements-pending-title' }, t('endorsements.awaitingDecision')), refreshButton),
          h('p', { class: 'muted small' }, t('endorsements.chairHelp')),
          pendingStatus,
          pendingList,
        )
      : null,
    h('section', { class: 'stack endorsements-section', 'aria-labelledby': 'endorsements-confirmed-title' }, h('h3', { id: 'endorsements-confirmed-title' }, t('endorsements.supporters')), supportersStatus, supportersList),
  );

  const renderOpen = (open: OpenVersion | null, versions: Version[]): void => {
    if (!open) {
      replaceChildren(
        openBox,
        h('p', { class: 'muted' }, versions.length ? t('endorsements.noneOpen') : t('endorsements.noneFrozen')),
      );
    } else {
      replaceChildren(
        openBox,
        h('div', { class: 'version', 'data-version': open.version }, h('div', { class: 'version-head' }, h('span', { class: 'version-number' }, t('version.short', { number: open.version })), h('span', { class: 'version-label' }, open.label)),
          h(
            'div',
            { class: 'version-meta' },
            open.setAt
              ? open.setBy
                ? t('endorsements.openedBy', { when: formatDate(open.setAt), name: open.setBy.name })
                : t('endorsements.opened', { when: formatDate(open.setAt) })
              : t('endorsements.openTitle'),
          ),
          h('div', { class: 'version-hash', title: open.contentHash }, shortHash(open.contentHash)),
        ),
      );
    }
    const previous = versionSelect.value;
    versionSelect.replaceChildren(
      ...[...versions].reverse().map((v) => {
        const option = h('option', { value: String(v.number) }, t('version.named', { number: v.number, label: v.label }));
        option.selected = previous ? previous === String(v.number) : v.number === open?.version;
        return option;
      }),
    );
    publishButton.disabled = versions.length === 0;
  };

  const pendingItem = (e: ChairEndorsement): HTMLLIElement => {
    const reason = h('input', { type: 'text', class: 'endorsement-reason', placeholder: t('endorsements.reasonOptional'), maxlength: 2000, 'aria-label': t('endorsements.reasonLabel', { organization: e.organization }) });
    const error = h('p', { class: 'form-error', role: 'alert' });
    const act = (decision: 'confirm' | 'reject') => async (): Promise<void> => {
      // Confirming publishes the organisation's name in the signed log for good: ask first.
      const yes = await confirmAction(
        decision === 'confirm'
          ? {
              title: t('endorsements.confirmTitle', { organization: e.organization }),
              body: t('endorsements.confirmBody', { organization: e.organization, group: stakeholderGroupLabel(e.stakeholderGroup), country: e.countryName, version: e.version }),
              confirmLabel: t('endorsements.confirmAction'),
            }
          : { title: t('endorsements.rejectTitle', { organization: e.organization }), body: t('endorsements.rejectBody'), confirmLabel: t('endorsements.rejectAction') },
      );
      if (!yes) return;
      confirmButton.disabled = true;
      rejectButton.disabled = true;
      error.textContent = '';
      endorsementsApi
        .decide(docId, e.id, decision, reason.value.trim() || undefined)
        .then(async () => {
          context.notify(decision === 'confirm' ? t('endorsements.confirmedNotice', { organization: e.organization }) : t('endorsements.rejectedNotice', { organization: e.organization }), 'success');
          await refresh();
        })
        .catch((err: unknown) => {
          error.textContent = errorText(err);
          confirmButton.disabled = !e.emailConfirmed;
          rejectButton.disabled = !e.emailConfirmed;
        });
    };
    const confirmButton = h('button', { type: 'button', class: 'button primary small', 'data-action': 'confirm', disabled: !e.emailConfirmed, onclick: act('confirm') }, t('endorsements.confirm'));
    const rejectButton = h('button', { type: 'button', class: 'button small', 'data-action': 'reject', disabled: !e.emailConfirmed, onclick: act('reject') }, t('endorsements.reject'));
    return h(
      'li',
      { class: 'endorsement', 'data-endorsement': e.id, 'data-status': e.status },
      h('div', { class: 'endorsement-org' }, e.organization),
      h('div', { class: 'version-meta' }, [stakeholderGroupLabel(e.stakeholderGroup), e.countryName, t('version.short', { number: e.version }), e.reaffirms ? t('endorsements.reaffirmation') : ''].filter(Boolean).join(' · ')),
      h('div', { class: 'version-meta' }, t('endorsements.contact', { name: e.contactName, email: e.email, when: formatDate(e.submittedAt) })),
      e.statement ? h('p', { class: 'endorsement-statement' }, t('amendments.quoted', { text: e.statement })) : null,
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
      h('div', { class: 'version-meta' }, [stakeholderGroupLabel(e.stakeholderGroup), e.countryName, t('version.short', { number: e.version }), e.logIndex !== null ? t('endorsements.logEntry', { index: String(e.logIndex) }) : ''].filter(Boolean).join(' · ')),
      e.confirmedAt ? h('div', { class: 'version-meta' }, t('endorsements.confirmedAt', { when: formatDate(e.confirmedAt) })) : null,
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
      pendingStatus.textContent = pending.length ? t('endorsements.pendingCount', { count: pending.length }) : t('endorsements.nothingPending');
      supportersList.replaceChildren(...[...confirmed].reverse().map(supporterItem));
      context.setTabCount(chair ? t('endorsements.pendingCount', { count: pending.length }) : t('endorsements.confirmedCount', { count: confirmed.length }));
      supportersStatus.textContent = confirmed.length ? t('endorsements.confirmedEndorsements', { count: confirmed.length }) : t('endorsements.noneConfirmed');
    } catch (error) {
      if (!alive) return;
      replaceChildren(openBox, h('p', { class: 'form-error' }, t('endorsements.loadFailed', { reason: errorText(error) })));
    }
  };

  refreshButton.addEventListener('click', () => void refresh());
  publishForm?.addEventListener('submit', (event) => {
    event.preventDefault();
    publishError.textContent = '';
    const version = Number(versionSelect.value);
    if (!Number.isInteger(version) || version < 1) {
      publishError.textContent = t('endorsements.chooseVersion');
      return;
    }
    void confirmAction({
      title: t('endorsements.openConfirmTitle', { version }),
      body: t('endorsements.openConfirmBody', { version }),
      confirmLabel: t('endorsements.openAction'),
    }).then((yes) => {
      if (yes) publish(version);
    });
  });
  const publish = (version: number): void => {
    publishButton.disabled = true;
    endorsementsApi
      .setOpenVersion(docId, version)
      .then(async (open) => {
        context.notify(t('endorsements.openedNotice', { version: open.version }), 'success');
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

export const endorsementsPanel: PanelDefinition = { id: 'endorsements', title: () => t('endorsements.title'), mount: mountEndorsements };
