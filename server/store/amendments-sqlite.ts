// Amendments in SQLite (tables of migration 2 in sqlite-schema.ts). An
// amendment row is never updated: support, comments and the closing event are
// appended beside it, and the closing event shares its transaction with its
// log leaf (and with the live-text change of an acceptance, as an update row).
import { errorText } from '../../core/i18n/messages/errors';
import type Database from 'better-sqlite3';
import type {
  AmendmentCommentRecord,
  AmendmentEventRecord,
  AmendmentRecord,
  AmendmentRepository,
  AmendmentSupportRecord,
  TextChange,
} from './amendment-types';
import { ConflictError } from '../errors';
import type { LeafEncoder } from './types';
import { alreadyClosed, personJSON, toAmendment, toComment, toEvent, toStates, toSupport, type AmendmentRow, type CommentRow, type EventRow, type SupporterRow } from './amendment-rows';
import type { SqliteTransaction } from './sqlite-database';
import type { SqliteAppendLeaf } from './log-sqlite';

function statements(db: Database.Database) {
  return {
    next: db.prepare<[string], { n: number }>('SELECT coalesce(max(number), 0) + 1 AS n FROM amendments WHERE doc_id = ?'),
    insert: db.prepare(
      `INSERT INTO amendments (id, doc_id, number, section, quote, proposed, justification, occurrence, anchor_start, anchor_end, proposer, created_at)
       VALUES (@id, @docId, @number, @section, @quote, @proposed, @justification, @occurrence, @anchorStart, @anchorEnd, @proposer, @createdAt)`,
    ),
    exists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM amendments WHERE id = ?'),
    get: db.prepare<[string, string], AmendmentRow>('SELECT * FROM amendments WHERE doc_id = ? AND id = ?'),
    list: db.prepare<[string], AmendmentRow>('SELECT * FROM amendments WHERE doc_id = ? ORDER BY number'),
    supportersOf: db.prepare<[string], SupporterRow>('SELECT amendment_id, supporter, created_at FROM amendment_supporters WHERE amendment_id = ? ORDER BY created_at, rowid'),
    supportersIn: db.prepare<[string], SupporterRow>(
      `SELECT s.amendment_id, s.supporter, s.created_at FROM amendment_supporters s JOIN amendments a ON a.id = s.amendment_id
       WHERE a.doc_id = ? ORDER BY s.created_at, s.rowid`,
    ),
    commentsOf: db.prepare<[string], CommentRow>('SELECT * FROM amendment_comments WHERE amendment_id = ? ORDER BY created_at, rowid'),
    commentsIn: db.prepare<[string], CommentRow>(
      `SELECT c.* FROM amendment_comments c JOIN amendments a ON a.id = c.amendment_id WHERE a.doc_id = ? ORDER BY c.created_at, c.rowid`,
    ),
    eventOf: db.prepare<[string], EventRow>('SELECT * FROM amendment_events WHERE amendment_id = ?'),
    eventsIn: db.prepare<[string], EventRow>('SELECT e.* FROM amendment_events e JOIN amendments a ON a.id = e.amendment_id WHERE a.doc_id = ?'),
    supportInsert: db.prepare('INSERT INTO amendment_supporters (amendment_id, user_id, supporter, created_at) VALUES (?, ?, ?, ?)'),
    supportExists: db.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM amendment_supporters WHERE amendment_id = ? AND user_id = ?'),
    commentInsert: db.prepare('INSERT INTO amendment_comments (id, amendment_id, author, text, created_at) VALUES (?, ?, ?, ?, ?)'),
    updateInsert: db.prepare('INSERT INTO updates (doc_id, data) VALUES (?, ?)'),
    eventInsert: db.prepare(
      `INSERT INTO amendment_events (amendment_id, kind, decision, reason, actor, time, log_index)
       VALUES (@amendmentId, @kind, @decision, @reason, @actor, @time, @logIndex)`,
    ),
  };
}

export class SqliteAmendmentRepository implements AmendmentRepository {
  private readonly stmt: ReturnType<typeof statements>;

  constructor(
    db: Database.Database,
    private readonly transaction: SqliteTransaction,
    private readonly appendLeaf: SqliteAppendLeaf,
  ) {
    this.stmt = statements(db);
  }

  async create(draft: Omit<AmendmentRecord, 'number'>) {
    return this.transaction(() => {
      const number = this.stmt.next.get(draft.docId)!.n;
      this.stmt.insert.run({
        ...draft,
        number,
        anchorStart: Buffer.from(draft.anchorStart),
        anchorEnd: Buffer.from(draft.anchorEnd),
        proposer: personJSON(draft.proposer),
      });
      return { ...draft, number };
    });
  }

  async get(docId: string, id: string) {
    const row = this.stmt.get.get(docId, id);
    if (!row) return null;
    const event = this.stmt.eventOf.get(id);
    return {
      amendment: toAmendment(row),
      supporters: this.stmt.supportersOf.all(id).map(toSupport),
      comments: this.stmt.commentsOf.all(id).map(toComment),
      closed: event ? toEvent(event) : null,
    };
  }

  async list(docId: string) {
    return toStates(this.stmt.list.all(docId), this.stmt.supportersIn.all(docId), this.stmt.commentsIn.all(docId), this.stmt.eventsIn.all(docId));
  }

  async support(amendmentId: string, support: AmendmentSupportRecord) {
    this.transaction(() => {
      if (this.stmt.exists.get(amendmentId) === undefined) throw new Error(`no amendment ${amendmentId}`);
      if (this.stmt.eventOf.get(amendmentId)) throw new ConflictError(errorText('amendment.closedForSupport'));
      if (this.stmt.supportExists.get(amendmentId, support.supporter.id)) throw new ConflictError(errorText('amendment.alreadySupported'));
      this.stmt.supportInsert.run(amendmentId, support.supporter.id, personJSON(support.supporter), support.at);
    });
  }

  async comment(amendmentId: string, comment: AmendmentCommentRecord) {
    this.stmt.commentInsert.run(comment.id, amendmentId, personJSON(comment.author), comment.text, comment.at);
  }

  async close(event: Omit<AmendmentEventRecord, 'logIndex'>, leafOf: LeafEncoder<AmendmentEventRecord>, textChange?: TextChange) {
    return this.transaction(() => {
      const previous = this.stmt.eventOf.get(event.amendmentId);
      if (previous) throw alreadyClosed(previous);
      let record: AmendmentEventRecord | undefined;
      this.appendLeaf((logIndex) => {
        record = { ...event, logIndex };
        return leafOf(record);
      });
      this.stmt.eventInsert.run({ ...record!, actor: personJSON(record!.actor) });
      const updateSeq = textChange ? Number(this.stmt.updateInsert.run(textChange.docId, Buffer.from(textChange.update)).lastInsertRowid) : null;
      return { event: record!, updateSeq };
    });
  }
}
