// The Endorsements panel's state, in one place: the last answer of the API
// (the version open for endorsement, the frozen versions, the endorsements),
// the chair's choices being made (the version to publish, a reason typed for
// a decision) and what is under way. Pure.
import type { ChairEndorsement, OpenVersion, PublicEndorsement, Version } from '../../api';
import { t } from '../../i18n';

export type Listed = PublicEndorsement | ChairEndorsement;

export const isChairView = (e: Listed): e is ChairEndorsement => 'status' in e;

export interface EndorsementsState {
  /** null until the first answer. */
  loaded: { open: OpenVersion | null; versions: readonly Version[]; pending: readonly ChairEndorsement[]; confirmed: readonly Listed[] } | null;
  /** Why the last load failed (what was shown before stays). */
  failure: string | null;
  /** The version chosen in "publish for endorsement"; null: the open one. */
  chosenVersion: string | null;
  publishing: boolean;
  publishError: string;
  reasons: ReadonlyMap<string, string>;
  deciding: ReadonlySet<string>;
  decisionErrors: ReadonlyMap<string, string>;
}

export const initialEndorsementsState: EndorsementsState = {
  loaded: null,
  failure: null,
  chosenVersion: null,
  publishing: false,
  publishError: '',
  reasons: new Map(),
  deciding: new Set(),
  decisionErrors: new Map(),
};

/** The API's answers as the panel keeps them: versions oldest first, pending and confirmed apart. */
export function fromAnswers(list: readonly Listed[], versions: readonly Version[], open: OpenVersion | null): EndorsementsState['loaded'] {
  return {
    open,
    versions: [...versions].sort((a, b) => a.number - b.number),
    pending: list.filter((e): e is ChairEndorsement => isChairView(e) && e.status === 'pending'),
    confirmed: list.filter((e) => !isChairView(e) || e.status === 'confirmed'),
  };
}

/** The tab's count: pending ones for a chair, confirmed ones for everyone else. */
export function endorsementsTabCount(state: EndorsementsState, chair: boolean): string | null {
  if (!state.loaded) return null;
  return chair ? t('endorsements.pendingCount', { count: state.loaded.pending.length }) : t('endorsements.confirmedCount', { count: state.loaded.confirmed.length });
}

/** The version "publish" would open: the one chosen, else the open one, else the newest (what the list shows first). */
export function chosenVersion(state: EndorsementsState): string | null {
  const loaded = state.loaded;
  if (state.chosenVersion !== null) return state.chosenVersion;
  const version = loaded?.open?.version ?? loaded?.versions.at(-1)?.number;
  return version === undefined ? null : String(version);
}
