// Amendments in PostgreSQL (the tables of postgres-schema.ts), the same
// contract as amendments-sqlite.ts: a closing event shares its transaction
// with its log leaf and, for an acceptance, the text change as an update row.
import { errorText } from '../../core/i18n/messages/errors';
import type pg from 'pg';
import type { AmendmentEventRecord, AmendmentRepository, AmendmentState } from './amendment-types';
import { ConflictError } from '../errors';
import { insertUpdate, isUniqueViolation, LOCK, type AppendLogLeaf, type Transaction } from './postgres-common';
import { person, personJSON, toAmendment, toEvent, type AmendmentRow, type EventRow } from './amendment-rows';

type Query = <R extends pg.QueryResultRow>(sql: string, params?: unknown[]) => Promise<R[]>;

const closedAs = (e: EventRow): string => (e.kind === 'withdrawal' ? 'withdrawn' : e.decision === 'accept' ? 'accepted' : 'rejected');

export function createPgAmendmentRepository(transaction: Transaction, appendLogLeaf: AppendLogLeaf, query: Query): AmendmentRepository {
  return {
    async create(draft) {
      return transaction(async (c) => {
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
    },
    async get(docId, id) {
      return transaction(
        async (c) => {
          const row = (await c.query<AmendmentRow>('SELECT * FROM amendments WHERE doc_id = $1 AND id = $2', [docId, id])).rows[0];
          if (!row) return null;
          const event = (await c.query<EventRow>('SELECT * FROM amendment_events WHERE amendment_id = $1', [id])).rows[0];
          const supporters = (await c.query<{ supporter: string; created_at: string }>('SELECT supporter, created_at FROM amendment_supporters WHERE amendment_id = $1 ORDER BY created_at, seq', [id])).rows;
          const comments = (await c.query<{ id: string; author: string; text: string; created_at: string }>('SELECT * FROM amendment_comments WHERE amendment_id = $1 ORDER BY created_at, seq', [id])).rows;
          return {
            amendment: toAmendment(row),
            supporters: supporters.map((s) => ({ supporter: person(s.supporter), at: s.created_at })),
            comments: comments.map((cm) => ({ id: cm.id, author: person(cm.author), text: cm.text, at: cm.created_at })),
            closed: event ? toEvent(event) : null,
          };
        },
        { readOnlySnapshot: true },
      );
    },
    async list(docId) {
      return transaction(
        async (c) => {
          const states = new Map<string, AmendmentState>();
          for (const row of (await c.query<AmendmentRow>('SELECT * FROM amendments WHERE doc_id = $1 ORDER BY number', [docId])).rows) {
            states.set(row.id, { amendment: toAmendment(row), supporters: [], comments: [], closed: null });
          }
          const supporters = await c.query<{ amendment_id: string; supporter: string; created_at: string }>(
            `SELECT s.amendment_id, s.supporter, s.created_at FROM amendment_supporters s JOIN amendments a ON a.id = s.amendment_id
             WHERE a.doc_id = $1 ORDER BY s.created_at, s.seq`,
            [docId],
          );
          for (const s of supporters.rows) states.get(s.amendment_id)?.supporters.push({ supporter: person(s.supporter), at: s.created_at });
          const comments = await c.query<{ id: string; amendment_id: string; author: string; text: string; created_at: string }>(
            'SELECT cm.* FROM amendment_comments cm JOIN amendments a ON a.id = cm.amendment_id WHERE a.doc_id = $1 ORDER BY cm.created_at, cm.seq',
            [docId],
          );
          for (const cm of comments.rows) states.get(cm.amendment_id)?.comments.push({ id: cm.id, author: person(cm.author), text: cm.text, at: cm.created_at });
          const events = await c.query<EventRow>('SELECT e.* FROM amendment_events e JOIN amendments a ON a.id = e.amendment_id WHERE a.doc_id = $1', [docId]);
          for (const e of events.rows) {
            const state = states.get(e.amendment_id);
            if (state) state.closed = toEvent(e);
          }
          return [...states.values()];
        },
        { readOnlySnapshot: true },
      );
    },
    async support(amendmentId, support) {
      await transaction(async (c) => {
        // The amendment's row lock orders support against its closing event.
        const exists = await c.query('SELECT 1 FROM amendments WHERE id = $1 FOR UPDATE', [amendmentId]);
        if (exists.rowCount === 0) throw new Error(`no amendment ${amendmentId}`);
        if ((await c.query('SELECT 1 FROM amendment_events WHERE amendment_id = $1', [amendmentId])).rowCount) {
          throw new ConflictError(errorText('amendment.closedForSupport'));
        }
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
    },
    async comment(amendmentId, comment) {
      await query('INSERT INTO amendment_comments (id, amendment_id, author, text, created_at) VALUES ($1, $2, $3, $4, $5)', [
        comment.id,
        amendmentId,
        personJSON(comment.author),
        comment.text,
        comment.at,
      ]);
    },
    async close(event, leafOf, textChange) {
      return transaction(async (c) => {
        // The tree head first (every appending transaction takes it first: no deadlock), then the amendment.
        await c.query('SELECT size FROM log_head WHERE id = 1 FOR UPDATE');
        await c.query('SELECT 1 FROM amendments WHERE id = $1 FOR UPDATE', [event.amendmentId]);
        const previous = (await c.query<EventRow>('SELECT * FROM amendment_events WHERE amendment_id = $1', [event.amendmentId])).rows[0];
        if (previous) throw new ConflictError(errorText('amendment.alreadyClosedOn', { status: errorText('amendment.status', { status: closedAs(previous) }), time: previous.time }));
        let record: AmendmentEventRecord | undefined;
        await appendLogLeaf(c, (logIndex) => {
          record = { ...event, logIndex };
          return leafOf(record);
        });
        const r = record!;
        await c.query(
          `INSERT INTO amendment_events (amendment_id, kind, decision, reason, actor, time, log_index) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [r.amendmentId, r.kind, r.decision, r.reason, personJSON(r.actor), r.time, r.logIndex],
        );
        const updateSeq = textChange ? await insertUpdate(c, textChange.docId, textChange.update) : null;
        return { event: r, updateSeq };
      });
    },
  };
}
