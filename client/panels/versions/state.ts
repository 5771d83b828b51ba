// The Versions panel's state, in one place: the frozen versions, the
// comparison chosen, the freeze form as typed, and the last check of the
// signed history. Pure.
import type { Version } from '../../api';
import { t } from '../../i18n';
import type { VerifyOutcome } from './verify';

export interface VersionsState {
  /** Oldest first; null until the first answer. */
  versions: readonly Version[] | null;
  failure: string | null;
  /** The comparison's ends as chosen; null: the newest version, and the live text. */
  compareFrom: string | null;
  compareTo: string;
  compareError: string;
  label: string;
  meeting: string;
  freezing: boolean;
  freezeError: string;
  verify: { phase: 'idle' } | { phase: 'checking' } | { phase: 'done'; outcome: VerifyOutcome };
}

export const initialVersionsState: VersionsState = {
  versions: null,
  failure: null,
  compareFrom: null,
  compareTo: 'live',
  compareError: '',
  label: '',
  meeting: '',
  freezing: false,
  freezeError: '',
  verify: { phase: 'idle' },
};

export function versionName(version: Version): string {
  return version.label ? t('version.named', { number: version.number, label: version.label }) : t('version.short', { number: version.number });
}

/** The "from" of the comparison: the one chosen, else the newest version. */
export function compareFrom(state: VersionsState): string | null {
  const newest = state.versions?.at(-1);
  return state.compareFrom ?? (newest ? String(newest.number) : null);
}

/** The line over the list: loading, none, or why it failed; empty once there are versions. */
export function listStatus(state: VersionsState): string {
  if (state.failure !== null) return t('history.loadFailed', { reason: state.failure });
  if (state.versions === null) return t('history.loading');
  return state.versions.length ? '' : t('history.none');
}
