// Rows as both stores (SQLite and PostgreSQL) read them, and the records they
// become. A version record's content stays its stored JSON text until first
// used, so listing the versions of a large document (a public read) or
// freezing one never parses its text on the event loop.
import type { Actor, Role, StakeholderGroup, User } from '../../core/api';
import type { PMJSON } from '../../core/schema';
import { isLocale } from '../../core/i18n/locales';
import type { Account, TokenInfo, TokenKind, VersionRecord } from './types';

/** The columns of a user, as both SQLite and PostgreSQL name them. */
export interface UserRow {
  id: string;
  name: string;
  email: string;
  organization: string;
  stakeholder_group: string;
  role: string;
  password_hash: string | null;
  disabled_at: string | null;
  language: string | null;
}

/** The columns of a token or session. */
export interface TokenRow {
  id: string;
  user_id: string;
  kind: string;
  created_at: string;
  expires_at: string | null;
  admin_token_hash: string | null;
}

export const toUser = (row: UserRow): User => ({
  id: row.id,
  name: row.name,
  email: row.email,
  organization: row.organization,
  stakeholderGroup: row.stakeholder_group as StakeholderGroup,
  role: row.role as Role,
  language: isLocale(row.language) ? row.language : null,
});

export const toAccount = (row: UserRow): Account => ({ user: toUser(row), disabledAt: row.disabled_at });

export const toTokenInfo = (row: TokenRow): TokenInfo => ({
  id: row.id,
  userId: row.user_id,
  kind: row.kind as TokenKind,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});


/** The columns of a stored version, as both SQLite and PostgreSQL name them. */
export interface VersionRow {
  doc_id: string;
  number: number;
  label: string;
  meeting: string | null;
  title: string;
  content: string;
  markdown: string;
  content_hash: string;
  created_at: string;
  created_by: string;
  log_index: number;
}

export function withContent(fields: Omit<VersionRecord, 'content' | 'contentJson'>, contentJson: string): VersionRecord {
  let content: PMJSON | undefined;
  return {
    ...fields,
    contentJson,
    get content(): PMJSON {
      return (content ??= JSON.parse(contentJson) as PMJSON);
    },
  };
}

export const toVersion = (row: VersionRow): VersionRecord =>
  withContent(
    {
      docId: row.doc_id,
      number: row.number,
      label: row.label,
      meeting: row.meeting,
      title: row.title,
      markdown: row.markdown,
      contentHash: row.content_hash,
      createdAt: row.created_at,
      createdBy: JSON.parse(row.created_by) as Actor,
      logIndex: row.log_index,
    },
    row.content,
  );
