// The Authors panel as a function of its state: "Show authors" with its
// colouring and legend, the contributions report of a version (or the live
// text), and for chairs the attribution policy.
import type { AttributionPolicy, ContributionsReport, Version } from '../../api';
import { colourOf, coloursOfClients, GROUP_COLOURS, type AuthorMode, type ClientAuthor } from '../../editor/authors';
import { stakeholderGroupLabel, t } from '../../i18n';
import { html, live, nothing, type TemplateResult } from '../../view';

export type ReportState = { phase: 'counting' } | { phase: 'ready'; report: ContributionsReport } | { phase: 'failed'; reason: string };

export interface AuthorsPanelState {
  /** "Show authors" as ticked. */
  enabled: boolean;
  /** What the text shows: ticked, and the map of writers loaded. */
  showing: boolean;
  mode: AuthorMode;
  clients: ReadonlyMap<number, ClientAuthor>;
  /** This browser's account: its text is coloured before the server names its client, so it has its colour in the legend's reckoning too. */
  self: string;
  status: string;
  versions: readonly Version[];
  reportVersion: string;
  report: ReportState;
  /** The attribution policy as shown to a chair (null for everyone else), and the word on its saving. */
  policy: (AttributionPolicy & { saved: string }) | null;
}

export interface AuthorsViewActions {
  show(enabled: boolean): void;
  colourBy(mode: AuthorMode): void;
  chooseReport(version: string): void;
  editPolicy(change: Partial<AttributionPolicy>): void;
  savePolicy(): void;
}

const percent = (n: number, of: number): string => (of === 0 ? '0%' : `${Math.round((100 * n) / of)}%`);
const groupLabel = (group: string): string => (group === 'unattributed' ? t('authors.unattributed') : stakeholderGroupLabel(group));
const orgLabel = (org: string): string => (org === 'unattributed' ? t('authors.unattributed') : org);

function sharesTable(caption: string, rows: [string, number][], total: number, className: 'by-group' | 'by-organization'): TemplateResult {
  const sorted = [...rows].sort((a, b) => b[1] - a[1]);
  return html`<table class="shares ${className}">
    <caption>${caption}</caption>
    <thead><tr><th scope="col">${className === 'by-group' ? t('authors.colGroup') : t('authors.colOrg')}</th><th scope="col">${t('authors.colWords')}</th><th scope="col">${t('authors.colShare')}</th></tr></thead>
    <tbody>${sorted.map(([name, n]) => html`<tr><th scope="row">${name}</th><td>${String(n)}</td><td>${percent(n, total)}</td></tr>`)}</tbody>
  </table>`;
}

function amendmentsTable(caption: string, counts: ContributionsReport['amendments']): TemplateResult {
  const entries = Object.entries(counts);
  if (entries.length === 0) return html`<p class="muted">${t('authors.noAmendments', { caption })}</p>`;
  return html`<table class="shares amendments-by-group">
    <caption>${caption}</caption>
    <thead><tr><th scope="col">${t('authors.colGroup')}</th><th scope="col">${t('authors.colProposed')}</th><th scope="col">${t('authors.colAccepted')}</th><th scope="col">${t('authors.colRejected')}</th></tr></thead>
    <tbody>${entries.map(([g, c]) => html`<tr><th scope="row">${groupLabel(g)}</th><td>${String(c.proposed)}</td><td>${String(c.accepted)}</td><td>${String(c.rejected)}</td></tr>`)}</tbody>
  </table>`;
}

const groups = (shares: Record<string, number>): [string, number][] => Object.entries(shares).map(([g, n]) => [groupLabel(g), n]);
const organisations = (shares: Record<string, number>): [string, number][] => Object.entries(shares).map(([o, n]) => [orgLabel(o), n]);

function reportView(report: ContributionsReport): TemplateResult {
  const { total, namesHidden } = report;
  const section = (s: ContributionsReport['sections'][number]) => {
    const title = s.title || s.id;
    return html`<details class="contribution-section" data-section=${s.id}>
      <summary>${t('authors.sectionSummary', { title, count: s.words })}</summary>
      ${sharesTable(t('authors.sectionByGroup', { title }), groups(s.byGroup), s.words, 'by-group')}
      ${namesHidden ? nothing : sharesTable(t('authors.sectionByOrg', { title }), organisations(s.byOrganization), s.words, 'by-organization')}
      ${amendmentsTable(t('authors.sectionAmendments', { title }), s.amendments)}
    </details>`;
  };
  return html`<div class="contributions-report" data-version=${String(report.version)}>
    <p>${t(namesHidden ? 'authors.wordsNamesHidden' : 'authors.words', { count: total.words })}</p>
    ${sharesTable(t('authors.byGroupCaption'), groups(total.byGroup), total.words, 'by-group')}
    ${namesHidden ? nothing : sharesTable(t('authors.byOrgCaption'), organisations(total.byOrganization), total.words, 'by-organization')}
    ${amendmentsTable(t('authors.amendmentsCaption'), report.amendments)}
    <div class="contributions-sections">${report.sections.map(section)}</div>
  </div>`;
}

function legend(state: AuthorsPanelState): TemplateResult[] {
  if (!state.showing) return [];
  const swatch = (colour: string) => html`<span class="swatch" style=${`background-color: ${colour}`} aria-hidden="true"></span>`;
  if (state.mode === 'group') {
    const present = new Set<string>([...state.clients.values()].map((c) => c.author.stakeholderGroup));
    return Object.keys(GROUP_COLOURS)
      .filter((g) => present.has(g))
      .map((g) => html`<li>${swatch(GROUP_COLOURS[g]!)}${stakeholderGroupLabel(g)}</li>`);
  }
  const people = new Map<string, ClientAuthor['author']>();
  for (const c of state.clients.values()) people.set(c.author.id, c.author);
  const colours = coloursOfClients(state.clients, state.self);
  return [...people.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((a) => html`<li data-author=${a.id}>${swatch(colourOf(a, 'person', colours))}${t('authors.person', { name: a.name, organization: a.organization, group: stakeholderGroupLabel(a.stakeholderGroup) })}</li>`);
}

function policyView(policy: AuthorsPanelState['policy'], actions: AuthorsViewActions): TemplateResult | typeof nothing {
  if (!policy) return nothing;
  const visibility = (event: Event) => actions.editPolicy({ visibility: (event.target as HTMLSelectElement).value as AttributionPolicy['visibility'] });
  const option = (value: AttributionPolicy['visibility'], text: string) => html`<option value=${value} .selected=${policy.visibility === value}>${text}</option>`;
  return html`<h3>${t('authors.policyTitle')}</h3>
    <label for="attribution-visibility">${t('authors.policyShownTo')}</label>
    <select id="attribution-visibility" @change=${visibility}>${option('members', t('authors.policyMembers'))}${option('public', t('authors.policyPublic'))}${option('chairs', t('authors.policyChairs'))}</select>
    <label for="attribution-public-shares" class="inline-choice"><input type="checkbox" id="attribution-public-shares" .checked=${live(policy.publicShares)} @change=${(event: Event) => actions.editPolicy({ publicShares: (event.target as HTMLInputElement).checked })}> ${t('authors.policyPublicShares')}</label>
    <div><button type="button" class="button small" id="attribution-policy-save" @click=${actions.savePolicy}>${t('authors.save')}</button><span role="status" class="muted">${policy.saved}</span></div>`;
}

function reportArea(report: ReportState): TemplateResult {
  if (report.phase === 'ready') return reportView(report.report);
  return html`<p class="muted">${report.phase === 'counting' ? t('authors.counting') : t('authors.noReport', { reason: report.reason })}</p>`;
}

export function authorsView(state: AuthorsPanelState, actions: AuthorsViewActions): TemplateResult {
  const modeButton = (mode: AuthorMode, label: string) =>
    html`<label for=${`author-colour-${mode}`} class="inline-choice"><input type="radio" name="author-colour" id=${`author-colour-${mode}`} value=${mode} .checked=${live(state.mode === mode)} @change=${() => actions.colourBy(mode)}> ${label}</label>`;
  const versionOption = (v: Version) => html`<option value=${String(v.number)} .selected=${state.reportVersion === String(v.number)}>${`v${v.number}${v.label ? ` — ${v.label}` : ''}`}</option>`;
  return html`<h2>${t('authors.title')}</h2>
    <label for="show-authors" class="inline-choice show-authors"><input type="checkbox" id="show-authors" .checked=${live(state.enabled)} @change=${(event: Event) => actions.show((event.target as HTMLInputElement).checked)}> ${t('authors.show')}</label>
    <fieldset class="author-mode" ?disabled=${!state.enabled}><legend>${t('authors.colourBy')}</legend>${modeButton('person', t('authors.byPerson'))}${modeButton('group', t('authors.byGroup'))}</fieldset>
    <p class="authors-status" role="status">${state.status}</p>
    <ul class="author-legend" id="author-legend" aria-label=${t('authors.legend')}>${legend(state)}</ul>
    <h3>${t('authors.contributions')}</h3>
    <label for="contributions-version">${t('authors.text')}</label>
    <select id="contributions-version" @change=${(event: Event) => actions.chooseReport((event.target as HTMLSelectElement).value)}><option value="live" .selected=${state.reportVersion === 'live'}>${t('authors.live')}</option>${[...state.versions].reverse().map(versionOption)}</select>
    <div class="contributions-host" aria-live="polite">${reportArea(state.report)}</div>
    <div class="attribution-policy">${policyView(state.policy, actions)}</div>`;
}
