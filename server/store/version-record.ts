// The version record both stores return: the content stays its stored JSON
// text until first used, so listing the versions of a large document (a
// public read) or freezing one never parses its text on the event loop.
import type { Actor } from '../../core/api';
import type { PMJSON } from '../../core/schema';
import type { VersionRecord } from './types';

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

export function withContent(fields: Omit<VersionRecord, 'content'>, contentJson: string): VersionRecord {
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
