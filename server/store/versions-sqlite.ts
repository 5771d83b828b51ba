// Frozen versions in SQLite: numbered per document inside the transaction
// that appends their log leaf, so there is no version without its leaf and
// two freezes cannot take the same number.
import type Database from 'better-sqlite3';
import type { SqliteAppendLeaf } from './log-sqlite';
import { toVersion, toVersionHead, VERSION_HEAD_COLUMNS, withContent, type VersionRow } from './rows';
import type { SqliteTransaction } from './sqlite-database';
import type { LeafEncoder, VersionDraft, VersionRecord, VersionRepository } from './types';

function statements(db: Database.Database) {
  return {
    list: db.prepare<[string], VersionRow>('SELECT * FROM versions WHERE doc_id = ? ORDER BY number'),
    get: db.prepare<[string, number], VersionRow>('SELECT * FROM versions WHERE doc_id = ? AND number = ?'),
    head: db.prepare<[string, number], Omit<VersionRow, 'content' | 'markdown'>>(`SELECT ${VERSION_HEAD_COLUMNS} FROM versions WHERE doc_id = ? AND number = ?`),
    next: db.prepare<[string], { n: number }>('SELECT coalesce(max(number), 0) + 1 AS n FROM versions WHERE doc_id = ?'),
    insert: db.prepare(
      `INSERT INTO versions (doc_id, number, label, meeting, title, content, markdown, content_hash, created_at, created_by, log_index)
       VALUES (@docId, @number, @label, @meeting, @title, @content, @markdown, @contentHash, @createdAt, @createdBy, @logIndex)`,
    ),
  };
}

export class SqliteVersionRepository implements VersionRepository {
  private readonly stmt: ReturnType<typeof statements>;

  constructor(
    db: Database.Database,
    private readonly transaction: SqliteTransaction,
    private readonly appendLeaf: SqliteAppendLeaf,
  ) {
    this.stmt = statements(db);
  }

  async list(docId: string) {
    return this.stmt.list.all(docId).map(toVersion);
  }

  async get(docId: string, number: number) {
    const row = this.stmt.get.get(docId, number);
    return row ? toVersion(row) : null;
  }

  async head(docId: string, number: number) {
    const row = this.stmt.head.get(docId, number);
    return row ? toVersionHead(row) : null;
  }

  async create(draft: VersionDraft, leafOf: LeafEncoder<VersionRecord>) {
    return this.transaction(() => {
      const number = this.stmt.next.get(draft.docId)!.n;
      let record: VersionRecord | undefined;
      const { contentJson, ...fields } = draft;
      const logIndex = this.appendLeaf((index) => {
        record = withContent({ ...fields, number, logIndex: index }, contentJson);
        return leafOf(record);
      });
      this.stmt.insert.run({ ...fields, number, logIndex, content: contentJson, createdBy: JSON.stringify(record!.createdBy) });
      return record!;
    });
  }
}
