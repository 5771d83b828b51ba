// The Authors panel: "Show authors" colours the live text by person or by
// stakeholder group (client/editor/authors.ts), with a legend naming each
// person and organisation; the contributions of each version (or the live
// text): share of words by stakeholder group and organisation, per section,
// and the amendments proposed, accepted and rejected per group; and, for
// chairs, who may see all this (the document's attribution policy).
import { api, ApiError, attributionApi, canSetAttributionPolicy, type AttributionPolicy, type ContributionsReport, errorText } from '../api';
import { authorsKey, colourOf, GROUP_COLOURS, setAuthors, type AuthorMode, type ClientAuthor } from '../editor/authors';
import { h, replaceChildren, type Cleanup } from '../dom';
import { stakeholderGroupLabel, t } from '../i18n';
import type { DocumentContext, PanelDefinition } from './types';

/** How often the panel looks for writers the map does not name yet, while authors are shown. */
const UNKNOWN_CHECK_MS = 3_000;

function percent(n: number, of: number): string {
  return of === 0 ? '0%' : `${Math.round((100 * n) / of)}%`;
}

function groupLabel(group: string): string {
  return group === 'unattributed' ? t('authors.unattributed') : stakeholderGroupLabel(group);
}

const orgLabel = (org: string): string => (org === 'unattributed' ? t('authors.unattributed') : org);

function sharesTable(caption: string, rows: [string, number][], total: number, className: string): HTMLTableElement {
  return h(
    'table',
    { class: `shares ${className}` },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, className === 'by-group' ? t('authors.colGroup') : t('authors.colOrg')), h('th', { scope: 'col' }, t('authors.colWords')), h('th', { scope: 'col' }, t('authors.colShare')))),
    h(
      'tbody',
      {},
      rows.sort((a, b) => b[1] - a[1]).map(([name, n]) => h('tr', {}, h('th', { scope: 'row' }, name), h('td', {}, String(n)), h('td', {}, percent(n, total)))),
    ),
  );
}

function amendmentsTable(caption: string, counts: ContributionsReport['amendments']): HTMLElement {
  const entries = Object.entries(counts);
  if (entries.length === 0) return h('p', { class: 'muted' }, t('authors.noAmendments', { caption }));
  return h(
    'table',
    { class: 'shares amendments-by-group' },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('authors.colGroup')), h('th', { scope: 'col' }, t('authors.colProposed')), h('th', { scope: 'col' }, t('authors.colAccepted')), h('th', { scope: 'col' }, t('authors.colRejected')))),
    h('tbody', {}, entries.map(([g, c]) => h('tr', {}, h('th', { scope: 'row' }, groupLabel(g)), h('td', {}, String(c.proposed)), h('td', {}, String(c.accepted)), h('td', {}, String(c.rejected))))),
  );
}

function reportView(report: ContributionsReport): HTMLElement {
  const total = report.total;
  const groups = Object.entries(total.byGroup).map(([g, n]) => [groupLabel(g), n] as [string, number]);
  const orgs = Object.entries(total.byOrganization).map(([o, n]) => [orgLabel(o), n] as [string, number]);
  return h(
    'div',
    { class: 'contributions-report', 'data-version': String(report.version) },
    h('p', {}, t(report.namesHidden ? 'authors.wordsNamesHidden' : 'authors.words', { count: total.words })),
    sharesTable(t('authors.byGroupCaption'), groups, total.words, 'by-group'),
    report.namesHidden ? null : sharesTable(t('authors.byOrgCaption'), orgs, total.words, 'by-organization'),
    amendmentsTable(t('authors.amendmentsCaption'), report.amendments),
    h(
      'div',
      { class: 'contributions-sections' },
      report.sections.map((s) =>
        h(
          'details',
          { class: 'contribution-section', 'data-section': s.id },
          h('summary', {}, t('authors.sectionSummary', { title: s.title || s.id, count: s.words })),
          sharesTable(t('authors.sectionByGroup', { title: s.title || s.id }), Object.entries(s.byGroup).map(([g, n]) => [groupLabel(g), n] as [string, number]), s.words, 'by-group'),
          report.namesHidden ? null : sharesTable(t('authors.sectionByOrg', { title: s.title || s.id }), Object.entries(s.byOrganization).map(([o, n]) => [orgLabel(o), n] as [string, number]), s.words, 'by-organization'),
          amendmentsTable(t('authors.sectionAmendments', { title: s.title || s.id }), s.amendments),
        ),
      ),
    ),
  );
}

function mountAuthors(container: HTMLElement, context: DocumentContext): Cleanup {
  const { docId, user } = context;
  let clients = new Map<number, ClientAuthor>();
  let mode: AuthorMode = 'person';
  let enabled = false;
  let destroyed = false;

  const status = h('p', { class: 'authors-status', role: 'status' });
  const toggle = h('input', { type: 'checkbox', id: 'show-authors' });
  const modeButtons = (['person', 'group'] as const).map((m) =>
    h('input', { type: 'radio', name: 'author-colour', id: `author-colour-${m}`, value: m, checked: m === mode }),
  );
  const modeField = h(
    'fieldset',
    { class: 'author-mode', disabled: true },
    h('legend', {}, t('authors.colourBy')),
    modeButtons.map((input) => h('label', { for: input.id, class: 'inline-choice' }, input, ' ', input.value === 'person' ? t('authors.byPerson') : t('authors.byGroup'))),
  );
  const legend = h('ul', { class: 'author-legend', id: 'author-legend', 'aria-label': t('authors.legend') });

  const renderLegend = (): void => {
    if (!enabled) return replaceChildren(legend);
    if (mode === 'group') {
      const groups = new Set([...clients.values()].map((c) => c.author.stakeholderGroup));
      return replaceChildren(
        legend,
        Object.keys(GROUP_COLOURS)
          .filter((g) => groups.has(g as ClientAuthor['author']['stakeholderGroup']))
          .map((g) => h('li', {}, h('span', { class: 'swatch', style: `background-color: ${GROUP_COLOURS[g]}`, 'aria-hidden': 'true' }), stakeholderGroupLabel(g))),
      );
    }
    const people = new Map<string, ClientAuthor['author']>();
    for (const c of clients.values()) people.set(c.author.id, c.author);
    replaceChildren(
      legend,
      [...people.values()]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((a) =>
          h('li', { 'data-author': a.id }, h('span', { class: 'swatch', style: `background-color: ${colourOf(a, 'person')}`, 'aria-hidden': 'true' }), t('authors.person', { name: a.name, organization: a.organization, group: stakeholderGroupLabel(a.stakeholderGroup) })),
        ),
    );
  };

  const loadClients = async (): Promise<boolean> => {
    try {
      const { clients: map } = await attributionApi.clients(docId);
      clients = new Map(Object.entries(map).map(([k, v]) => [Number(k), v]));
      return true;
    } catch (error) {
      status.textContent = error instanceof ApiError && error.status === 404 ? t('authors.hidden') : t('authors.cannotLoad', { reason: errorText(error) });
      return false;
    }
  };

  const apply = (): void => {
    const view = context.view();
    if (!view) {
      status.textContent = t('authors.loadingText');
      return;
    }
    setAuthors(view, { enabled, mode, clients });
    renderLegend();
  };

  toggle.addEventListener('change', () => {
    void (async () => {
      enabled = toggle.checked;
      modeField.disabled = !enabled;
      status.textContent = '';
      if (enabled && !(await loadClients())) {
        enabled = toggle.checked = false;
        modeField.disabled = true;
        return;
      }
      apply();
      if (enabled) status.textContent = t('authors.shown');
    })();
  });
  for (const input of modeButtons) {
    input.addEventListener('change', () => {
      if (!input.checked) return;
      mode = input.value as AuthorMode;
      apply();
    });
  }
  // New writers: fetch the map again when the text holds client ids it does not name, once per such id
  // (text from before attribution existed stays unnamed: it is not asked about again and again).
  const asked = new Set<number>();
  const poll = setInterval(() => {
    const view = context.view();
    if (!enabled || !view || destroyed) return;
    const unknown = [...(authorsKey.getState(view.state)?.unknown ?? [])].filter((id) => !asked.has(id));
    if (unknown.length === 0) return;
    for (const id of unknown) asked.add(id);
    void loadClients().then((ok) => {
      if (ok && enabled && !destroyed) apply();
    });
  }, UNKNOWN_CHECK_MS);

  // Contributions per version.
  const versionSelect = h('select', { id: 'contributions-version' }, h('option', { value: 'live' }, t('authors.live')));
  const reportHost = h('div', { class: 'contributions-host', 'aria-live': 'polite' });
  const showReport = async (): Promise<void> => {
    const value = versionSelect.value;
    replaceChildren(reportHost, h('p', { class: 'muted' }, t('authors.counting')));
    try {
      const report = await attributionApi.contributions(docId, value === 'live' ? 'live' : Number(value));
      if (!destroyed) replaceChildren(reportHost, reportView(report));
    } catch (error) {
      if (!destroyed) replaceChildren(reportHost, h('p', { class: 'muted' }, t('authors.noReport', { reason: errorText(error) })));
    }
  };
  versionSelect.addEventListener('change', () => void showReport());
  void api.versions(docId).then((versions) => {
    for (const v of [...versions].reverse()) versionSelect.append(h('option', { value: String(v.number) }, `v${v.number}${v.label ? ` — ${v.label}` : ''}`));
  }, () => {});

  // The policy, for chairs.
  const policyHost = h('div', { class: 'attribution-policy' });
  if (canSetAttributionPolicy(user.role)) {
    const visibility = h(
      'select',
      { id: 'attribution-visibility' },
      h('option', { value: 'members' }, t('authors.policyMembers')),
      h('option', { value: 'public' }, t('authors.policyPublic')),
      h('option', { value: 'chairs' }, t('authors.policyChairs')),
    );
    const publicShares = h('input', { type: 'checkbox', id: 'attribution-public-shares' });
    const save = h('button', { type: 'button', class: 'button small', id: 'attribution-policy-save' }, t('authors.save'));
    const saved = h('span', { role: 'status', class: 'muted' });
    void attributionApi.policy(docId).then((p) => {
      visibility.value = p.visibility;
      publicShares.checked = p.publicShares;
    }, () => {});
    save.addEventListener('click', () => {
      const policy: AttributionPolicy = { visibility: visibility.value as AttributionPolicy['visibility'], publicShares: publicShares.checked };
      attributionApi.setPolicy(docId, policy).then(
        () => (saved.textContent = ` ${t('authors.saved')}`),
        (error: unknown) => (saved.textContent = ` ${t('authors.notSaved', { reason: errorText(error) })}`),
      );
    });
    replaceChildren(
      policyHost,
      h('h3', {}, t('authors.policyTitle')),
      h('label', { for: visibility.id }, t('authors.policyShownTo')),
      visibility,
      h('label', { for: publicShares.id, class: 'inline-choice' }, publicShares, ' ', t('authors.policyPublicShares')),
      h('div', {}, save, saved),
    );
  }

  replaceChildren(
    container,
    h('h2', {}, t('authors.title')),
    h('label', { for: toggle.id, class: 'inline-choice show-authors' }, toggle, ' ', t('authors.show')),
    modeField,
    status,
    legend,
    h('h3', {}, t('authors.contributions')),
    h('label', { for: versionSelect.id }, t('authors.text')),
    versionSelect,
    reportHost,
    policyHost,
  );
  void showReport();

  return () => {
    destroyed = true;
    clearInterval(poll);
  };
}

export const authorsPanel: PanelDefinition = { id: 'authors-panel', title: () => t('authors.title'), mount: mountAuthors };
