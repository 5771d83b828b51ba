// The Amendments panel's state, in one place: the amendments as this screen
// sees them (statuses checked against the local text), the filters, which
// card has which form open, what is typed in each form, and which cards are
// busy or show an error. Pure: every change makes a new state.
import type { Amendment } from '../../api';
import { formatNumber, t } from '../../i18n';

export type OpenForm = 'accept' | 'reject' | 'comment';
export type DraftField = 'reason' | 'comment';

export interface Section {
  id: string;
  title: string;
}

export interface AmendmentsState {
  /** Every amendment, with `status` and `currentText` as of the text on this screen. */
  amendments: readonly Amendment[];
  /** The document's sections in text order, for grouping. */
  sections: readonly Section[];
  loaded: boolean;
  failure: string | null;
  statusFilter: string;
  groupFilter: string;
  forms: ReadonlyMap<string, OpenForm>;
  /** What is typed in a card's form, by `draftKey`: kept while the list changes around it. */
  drafts: ReadonlyMap<string, string>;
  busy: ReadonlySet<string>;
  errors: ReadonlyMap<string, string>;
  /** The card brought into view last (it flashes once). */
  flashing: string | null;
}

export const initialAmendmentsState = (sections: readonly Section[]): AmendmentsState => ({
  amendments: [],
  sections,
  loaded: false,
  failure: null,
  statusFilter: '',
  groupFilter: '',
  forms: new Map(),
  drafts: new Map(),
  busy: new Set(),
  errors: new Map(),
  flashing: null,
});

export const isOpen = (a: Amendment): boolean => a.status === 'open' || a.status === 'outdated';
export const draftKey = (id: string, field: DraftField): string => `${id}:${field}`;

/** The amendments the filters let through. */
export function shownAmendments(state: AmendmentsState): Amendment[] {
  return state.amendments.filter((a) => (!state.statusFilter || a.status === state.statusFilter) && (!state.groupFilter || a.proposer.stakeholderGroup === state.groupFilter));
}

/** The shown amendments by section, sections in text order and amendments by number. */
export function bySection(state: AmendmentsState): { section: string; title: string; amendments: Amendment[] }[] {
  const order = new Map(state.sections.map((s, i) => [s.id, i]));
  const titles = new Map(state.sections.map((s) => [s.id, s.title]));
  const groups = new Map<string, Amendment[]>();
  const sorted = shownAmendments(state).sort((x, y) => (order.get(x.section) ?? 1e9) - (order.get(y.section) ?? 1e9) || x.number - y.number);
  for (const a of sorted) groups.set(a.section, [...(groups.get(a.section) ?? []), a]);
  return [...groups.entries()].map(([section, amendments]) => ({ section, title: titles.get(section) || section, amendments }));
}

/** "(3)" or "(2 of 3)" beside the title. */
export function countText(state: AmendmentsState): string {
  const shown = shownAmendments(state).length;
  const total = state.amendments.length;
  return `(${shown === total ? formatNumber(total) : t('amendments.shownOf', { shown, total })})`;
}

/** The line above the list: loading, failed, none, none match; empty when the list speaks for itself. */
export function statusText(state: AmendmentsState): string {
  if (state.failure) return t('amendments.loadFailed', { reason: state.failure });
  if (!state.loaded) return t('amendments.loading');
  if (state.amendments.length === 0) return t('amendments.none');
  if (shownAmendments(state).length === 0) return t('amendments.noneMatch');
  return '';
}

/** The tab's count: "2 open" once loaded. */
export function tabCountText(state: AmendmentsState): string {
  return state.loaded ? t('amendments.openCount', { count: state.amendments.filter(isOpen).length }) : '';
}
