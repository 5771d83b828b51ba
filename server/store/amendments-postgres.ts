// Amendments in PostgreSQL (the tables of postgres-schema.ts), the same
// contract as amendments-sqlite.ts: a closing event shares its transaction
// with its log leaf and, for an acceptance, the text change as an update row.
import { errorText } from '../../core/i18n/messages/errors';
import type { AmendmentCommentRecord, AmendmentEventRecord, AmendmentRecord, AmendmentRepository, AmendmentSupportRecord, TextChange } from './amendment-types';
import { ConflictError } from '../errors';
import type { LeafEncoder } from './types';
import { insertUpdate, isUniqueViolation, LOCK, type AppendLogLeaf, type Client, type PgDatabase } from './postgres-common';
import { alreadyClosed, personJSON, toAmendment, toComment, toEvent, toStates, toSupport, type AmendmentRow, type CommentRow, type EventRow, type SupporterRow } from './amendment-rows';

const rowsOf = async <R extends object>(c: Client, sql: string, params: unknown[]): Promise<R[]> => (await c.query<R>(sql, params)).rows;

export class PgAmendmentRepository implements AmendmentRepository {
  constructor(
    private readonly db: PgDatabase,
    private readonly appendLeaf: AppendLogLeaf,
  ) {}

  async create(draft: Omit<AmendmentRecord, 'number'>) {
    return this.db.transaction(async (c) => {
      // Numbering within a document is serialised by the document's amendment lock.
      await c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK.amendments, draft.docId]);
      const number = (await c.query<{ n: number }>('SELECT coalesce(max(number), 0) + 1 AS n FROM amendments WHERE doc_id = $1', [draft.docId])).rows[0]!.n;
      await c.query(
        `INSERT INTO amendments (id, doc_id, number, section, quote, proposed, justification, occurrence, anchor_start, anchor_end, proposer, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [
          draft.id,
          draft.docId,
          number,
          draft.section,
          draft.quote,
          draft.proposed,
          draft.justification,
          draft.occurrence,
          Buffer.from(draft.anchorStart),
          Buffer.from(draft.anchorEnd),
          personJSON(draft.proposer),
          draft.createdAt,
        ],
      );
      return { ...draft, number };
    });
  }

  async get(docId: string, id: string) {
    return this.db.transaction(
      async (c) => {
        const [row] = await rowsOf<AmendmentRow>(c, 'SELECT * FROM amendments WHERE doc_id = $1 AND id = $2', [docId, id]);
        if (!row) return null;
        const [event] = await rowsOf<EventRow>(c, 'SELECT * FROM amendment_events WHERE amendment_id = $1', [id]);
        const supporters = await rowsOf<SupporterRow>(c, 'SELECT amendment_id, supporter, created_at FROM amendment_supporters WHERE amendment_id = $1 ORDER BY created_at, seq', [id]);
        const comments = await rowsOf<CommentRow>(c, 'SELECT * FROM amendment_comments WHERE amendment_id = $1 ORDER BY created_at, seq', [id]);
        return { amendment: toAmendment(row), supporters: supporters.map(toSupport), comments: comments.map(toComment), closed: event ? toEvent(event) : null };
      },
      { readOnlySnapshot: true },
    );
  }

  async list(docId: string) {
    return this.db.transaction(
      async (c) =>
        toStates(
          await rowsOf<AmendmentRow>(c, 'SELECT * FROM amendments WHERE doc_id = $1 ORDER BY number', [docId]),
          await rowsOf<SupporterRow>(
            c,
            `SELECT s.amendment_id, s.supporter, s.created_at FROM amendment_supporters s JOIN amendments a ON a.id = s.amendment_id
             WHERE a.doc_id = $1 ORDER BY s.created_at, s.seq`,
            [docId],
          ),
          await rowsOf<CommentRow>(c, 'SELECT cm.* FROM amendment_comments cm JOIN amendments a ON a.id = cm.amendment_id WHERE a.doc_id = $1 ORDER BY cm.created_at, cm.seq', [docId]),
          await rowsOf<EventRow>(c, 'SELECT e.* FROM amendment_events e JOIN amendments a ON a.id = e.amendment_id WHERE a.doc_id = $1', [docId]),
        ),
      { readOnlySnapshot: true },
    );
  }

  async support(amendmentId: string, support: AmendmentSupportRecord) {
    await this.db.transaction(async (c) => {
      // The amendment's row lock orders support against its closing event.
      const exists = await c.query('SELECT 1 FROM amendments WHERE id = $1 FOR UPDATE', [amendmentId]);
      if (exists.rowCount === 0) throw new Error(`no amendment ${amendmentId}`);
      if ((await c.query('SELECT 1 FROM amendment_events WHERE amendment_id = $1', [amendmentId])).rowCount) throw new ConflictError(errorText('amendment.closedForSupport'));
      try {
        await c.query('INSERT INTO amendment_supporters (amendment_id, user_id, supporter, created_at) VALUES ($1, $2, $3, $4)', [
          amendmentId,
          support.supporter.id,
          personJSON(support.supporter),
          support.at,
        ]);
      } catch (err) {
        if (isUniqueViolation(err)) throw new ConflictError(errorText('amendment.alreadySupported'));
        throw err;
      }
    });
  }

  async comment(amendmentId: string, comment: AmendmentCommentRecord) {
    await this.db.query('INSERT INTO amendment_comments (id, amendment_id, author, text, created_at) VALUES ($1, $2, $3, $4, $5)', [
      comment.id,
      amendmentId,
      personJSON(comment.author),
      comment.text,
      comment.at,
    ]);
  }

  async close(event: Omit<AmendmentEventRecord, 'logIndex'>, leafOf: LeafEncoder<AmendmentEventRecord>, textChange?: TextChange) {
    return this.db.transaction(async (c) => {
      // The tree head first (every appending transaction takes it first: no deadlock), then the amendment.
      await c.query('SELECT size FROM log_head WHERE id = 1 FOR UPDATE');
      await c.query('SELECT 1 FROM amendments WHERE id = $1 FOR UPDATE', [event.amendmentId]);
      const [previous] = await rowsOf<EventRow>(c, 'SELECT * FROM amendment_events WHERE amendment_id = $1', [event.amendmentId]);
      if (previous) throw alreadyClosed(previous);
      let record: AmendmentEventRecord | undefined;
      await this.appendLeaf(c, (logIndex) => {
        record = { ...event, logIndex };
        return leafOf(record);
      });
      const r = record!;
      await c.query(`INSERT INTO amendment_events (amendment_id, kind, decision, reason, actor, time, log_index) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        r.amendmentId,
        r.kind,
        r.decision,
        r.reason,
        personJSON(r.actor),
        r.time,
        r.logIndex,
      ]);
      const updateSeq = textChange ? await insertUpdate(c, textChange.docId, textChange.update) : null;
      return { event: r, updateSeq };
    });
  }
}
