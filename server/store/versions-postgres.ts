// Frozen versions in PostgreSQL, the same contract as versions-sqlite.ts:
// numbered under the log's tree head lock, in the transaction that appends
// their leaf.
import type { AppendLogLeaf, PgDatabase } from './postgres-common';
import { toVersion, toVersionHead, VERSION_HEAD_COLUMNS, withContent, type VersionRow } from './rows';
import type { LeafEncoder, VersionDraft, VersionRecord, VersionRepository } from './types';

export class PgVersionRepository implements VersionRepository {
  constructor(
    private readonly db: PgDatabase,
    private readonly appendLeaf: AppendLogLeaf,
  ) {}

  async list(docId: string) {
    return (await this.db.query<VersionRow>('SELECT * FROM versions WHERE doc_id = $1 ORDER BY number', [docId])).map(toVersion);
  }

  async get(docId: string, number: number) {
    const [row] = await this.db.query<VersionRow>('SELECT * FROM versions WHERE doc_id = $1 AND number = $2', [docId, number]);
    return row ? toVersion(row) : null;
  }

  async head(docId: string, number: number) {
    const [row] = await this.db.query<Omit<VersionRow, 'content' | 'markdown'>>(`SELECT ${VERSION_HEAD_COLUMNS} FROM versions WHERE doc_id = $1 AND number = $2`, [docId, number]);
    return row ? toVersionHead(row) : null;
  }

  async create(draft: VersionDraft, leafOf: LeafEncoder<VersionRecord>) {
    return this.db.transaction(async (c) => {
      // The tree head lock (taken by the append) is taken first, so numbering is serialised with it.
      await c.query('SELECT size FROM log_head WHERE id = 1 FOR UPDATE');
      const number = (await c.query<{ n: number }>('SELECT coalesce(max(number), 0) + 1 AS n FROM versions WHERE doc_id = $1', [draft.docId])).rows[0]!.n;
      let record: VersionRecord | undefined;
      const { contentJson, ...fields } = draft;
      const logIndex = await this.appendLeaf(c, (index) => {
        record = withContent({ ...fields, number, logIndex: index }, contentJson);
        return leafOf(record);
      });
      const r = record!;
      await c.query(
        `INSERT INTO versions (doc_id, number, label, meeting, title, content, markdown, content_hash, created_at, created_by, log_index)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [r.docId, number, r.label, r.meeting, r.title, contentJson, r.markdown, r.contentHash, r.createdAt, JSON.stringify(r.createdBy), logIndex],
      );
      return r;
    });
  }
}
