// An amendment's status and kind in words of the interface language.
import type { Amendment } from '../api';
import { t, type ClientKey } from '../i18n';

const STATUS_KEYS: Readonly<Record<Amendment['status'], ClientKey>> = {
  open: 'status.open',
  outdated: 'status.outdated',
  accepted: 'status.accepted',
  rejected: 'status.rejected',
  withdrawn: 'status.withdrawn',
};

export const AMENDMENT_STATUSES = Object.keys(STATUS_KEYS) as Amendment['status'][];

export const statusLabel = (status: Amendment['status']): string => t(STATUS_KEYS[status]);

export function kindLabel(kind: Amendment['kind']): string {
  return kind === 'delete' ? t('amendments.kindDelete') : kind === 'insert' ? t('amendments.kindInsert') : t('amendments.kindReplace');
}
