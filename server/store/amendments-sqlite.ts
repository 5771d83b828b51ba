// Amendments in SQLite (tables of migration 2 in sqlite-schema.ts). An
// amendment row is never updated: support, comments and the closing event are
// appended beside it, and the closing event shares its transaction with its
// log leaf (and with the live-text change of an acceptance, as an update row).
import { errorText } from '../../core/i18n/messages/errors';
import type Database from 'better-sqlite3';
import type {
  AmendmentCommentRecord,
  AmendmentEventRecord,
  AmendmentRepository,
  AmendmentState,
  AmendmentSupportRecord,
} from './amendment-types';
import { ConflictError } from '../errors';
import type { LeafEncoder } from './types';
import { person, personJSON, toAmendment, toEvent, type AmendmentRow, type EventRow } from './amendment-rows';


export function createAmendmentRepository(
  db: Database.Database,
  transaction: <T>(fn: () => T) => T,
  appendLogLeaf: (leaf: (logIndex: number) => Uint8Array) => number,
): AmendmentRepository {
  const stmt = {
    next: db.prepare<[string], { n: number }>('SELECT coalesce(max(number), 0) + 1 AS n FROM amendments WHERE doc_id = ?'),
    insert: db.prepare(
      `INSERT INTO amendments (id, doc_id, number, section, quote, proposed, justification, occurrence, anchor_start, anchor_end, proposer, created_at)
       VALUES (@id, @docId, @number, @section, @quote, @proposed, @justification, @occurrence, @anchorStart, @anchorEnd, @proposer, @createdAt)`,
    ),
    get: db.prepare<[string, string], AmendmentRow>('SELECT * FROM amendments WHERE doc_id = ? AND id = ?'),
    list: db.prepare<[string], AmendmentRow>('SELECT * FROM amendments WHERE doc_id = ? ORDER BY number'),
    supportersOf: db.prepare<[string], { amendment_id: string; supporter: string; created_at: string }>(
      'SELECT amendment_id, supporter, created_at FROM amendment_supporters WHERE amendment_id = ? ORDER BY created_at, rowid',
    ),
    supportersIn: db.prepare<[string], { amendment_id: string; supporter: string; created_at: string }>(
      `SELECT s.amendment_id, s.supporter, s.created_at FROM amendment_supporters s JOIN amendments a ON a.id = s.amendment_id
       WHERE a.doc_id = ? ORDER BY s.created_at, s.rowid`,
    ),
    commentsOf: db.prepare<[string], { id: string; amendment_id: string; author: string; text: string; created_at: string }>(
      'SELECT * FROM amendment_comments WHERE amendment_id = ? ORDER BY created_at, rowid',
    ),
    commentsIn: db.prepare<[string], { id: string; amendment_id: string; author: string; text: string; created_at: string }>(
      `SELECT c.* FROM amendment_comments c JOIN amendments a ON a.id = c.amendment_id WHERE a.doc_id = ? ORDER BY c.created_at, c.rowid`,
    ),
    eventOf: db.prepare<[string], EventRow>('SELECT * FROM amendment_events WHERE amendment_id = ?'),
    eventsIn: db.prepare<[string], EventRow>(
      'SELECT e.* FROM amendment_events e JOIN amendments a ON a.id = e.amendment_id WHERE a.doc_id = ?',
    ),
    supportInsert: db.prepare('INSERT INTO amendment_supporters (amendment_id, user_id, supporter, created_at) VALUES (?, ?, ?, ?)'),
    supportExists: db.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM amendment_supporters WHERE amendment_id = ? AND user_id = ?'),
    commentInsert: db.prepare('INSERT INTO amendment_comments (id, amendment_id, author, text, created_at) VALUES (?, ?, ?, ?, ?)'),
    updateInsert: db.prepare('INSERT INTO updates (doc_id, data) VALUES (?, ?)'),
    eventInsert: db.prepare(
      `INSERT INTO amendment_events (amendment_id, kind, decision, reason, actor, time, log_index)
       VALUES (@amendmentId, @kind, @decision, @reason, @actor, @time, @logIndex)`,
    ),
  };

  const amendmentExists = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM amendments WHERE id = ?');
  const exists = (id: string): boolean => amendmentExists.get(id) !== undefined;

  return {
    async create(draft) {
      return transaction(() => {
        const number = stmt.next.get(draft.docId)!.n;
        stmt.insert.run({
          ...draft,
          number,
          anchorStart: Buffer.from(draft.anchorStart),
          anchorEnd: Buffer.from(draft.anchorEnd),
          proposer: personJSON(draft.proposer),
        });
        return { ...draft, number };
      });
    },
    async get(docId, id) {
      const row = stmt.get.get(docId, id);
      if (!row) return null;
      const event = stmt.eventOf.get(id);
      return {
        amendment: toAmendment(row),
        supporters: stmt.supportersOf.all(id).map((s) => ({ supporter: person(s.supporter), at: s.created_at })),
        comments: stmt.commentsOf.all(id).map((c) => ({ id: c.id, author: person(c.author), text: c.text, at: c.created_at })),
        closed: event ? toEvent(event) : null,
      };
    },
    async list(docId) {
      const states = new Map<string, AmendmentState>();
      for (const row of stmt.list.all(docId)) states.set(row.id, { amendment: toAmendment(row), supporters: [], comments: [], closed: null });
      for (const s of stmt.supportersIn.all(docId)) states.get(s.amendment_id)?.supporters.push({ supporter: person(s.supporter), at: s.created_at });
      for (const c of stmt.commentsIn.all(docId)) states.get(c.amendment_id)?.comments.push({ id: c.id, author: person(c.author), text: c.text, at: c.created_at });
      for (const e of stmt.eventsIn.all(docId)) {
        const state = states.get(e.amendment_id);
        if (state) state.closed = toEvent(e);
      }
      return [...states.values()];
    },
    async support(amendmentId, support: AmendmentSupportRecord) {
      transaction(() => {
        if (!exists(amendmentId)) throw new Error(`no amendment ${amendmentId}`);
        if (stmt.eventOf.get(amendmentId)) throw new ConflictError(errorText('amendment.closedForSupport'));
        if (stmt.supportExists.get(amendmentId, support.supporter.id)) throw new ConflictError(errorText('amendment.alreadySupported'));
        stmt.supportInsert.run(amendmentId, support.supporter.id, personJSON(support.supporter), support.at);
      });
    },
    async comment(amendmentId, comment: AmendmentCommentRecord) {
      stmt.commentInsert.run(comment.id, amendmentId, personJSON(comment.author), comment.text, comment.at);
    },
    async close(event, leafOf: LeafEncoder<AmendmentEventRecord>, textChange) {
      return transaction(() => {
        const previous = stmt.eventOf.get(event.amendmentId);
        if (previous) {
          const what = previous.kind === 'withdrawal' ? 'withdrawn' : previous.decision === 'accept' ? 'accepted' : 'rejected';
          throw new ConflictError(errorText('amendment.alreadyClosedOn', { status: errorText('amendment.status', { status: what }), time: previous.time }));
        }
        let record: AmendmentEventRecord | undefined;
        appendLogLeaf((logIndex) => {
          record = { ...event, logIndex };
          return leafOf(record);
        });
        stmt.eventInsert.run({ ...record!, actor: personJSON(record!.actor) });
        const updateSeq = textChange ? Number(stmt.updateInsert.run(textChange.docId, Buffer.from(textChange.update)).lastInsertRowid) : null;
        return { event: record!, updateSeq };
      });
    },
  };
}
