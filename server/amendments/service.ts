// Amendments: stakeholders propose, support and discuss; chairs and editors
// decide; an accepted proposal is written into the live text by the server.
// Every decision and withdrawal is a leaf of the signed log, appended in the
// same transaction as the event (and, for an acceptance, the text change,
// applied to the open room once stored).
// After any change the server sends an "amendments changed" signal (a
// message beside the document, never stored in it) to every open connection,
// so every open editor refetches the list at once.
import type { MailTransport } from '../mail/transport';
import { decisionMail } from './decision-mail';
import type { Locale } from '../../core/i18n/locales';
import { exportLocale } from '../../core/i18n/messages/exports';
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { participantOf, type Amendment, type AmendmentDecisionKind, type ProposeAmendmentBody, type User } from '../../core/api';
import { anchorQuote, decodeAnchor, describeChange, encodeAnchor, readAnchor } from '../../core/amendment-anchors';
import { amendmentKind } from '../../core/amendment-text';
import { textHash } from '../../core/canonical';
import { encodeEntry, logActorOf } from '../../core/log-entries';
import { encodeBase64 } from '../../core/tlog/base64';
import type { Room } from '../collab/room';
import type { Rooms } from '../collab/rooms';
import type { DocumentService } from '../documents/service';
import type { SectionSummary } from '../../core/schema';
import { COMPILATION_TYPES, type CompilationFormat, type CompilationInput, type RenderedCompilation } from './compilation';
import type { TaskRunner } from '../workers/pool';
import { runTask } from '../workers/tasks';
import { ConflictError, ForbiddenError, InvalidError, msg, NotFoundError } from '../errors';
import type { AmendmentEventRecord, AmendmentState } from '../store/amendment-types';
import type { Store } from '../store/types';
import { applyReplacement, searchQuote } from './anchors';
import { encodeSignal, type AmendmentChange } from '../../core/signals';


/** Tells every open connection of the document what changed; not stored, not part of the text. */
function notify(room: Room, amendment: string, change: AmendmentChange): void {
  room.signal(encodeSignal({ kind: 'amendments', amendment, change }));
}

export interface AmendmentMailOptions {
  mail: MailTransport;
  /** Base of the links in mail (Config.publicUrl). */
  publicUrl: string;
}

export class AmendmentService {
  constructor(
    private readonly store: Store,
    private readonly rooms: Rooms,
    private readonly documents: DocumentService,
    private readonly mail: AmendmentMailOptions | null = null,
    /** Where the compilation is rendered: the worker pool in the server, this thread by default. */
    private readonly render: TaskRunner = runTask,
  ) {}

  /**
   * Tells the proposer and every supporter of a decided amendment what was
   * decided and why. After the decision is stored, off the request's path: a
   * mail server that is down never undoes or delays a decision (it is logged).
   */
  private announceDecision(docId: string, state: AmendmentState, decision: AmendmentDecisionKind, reason: string, decider: User): void {
    const mail = this.mail;
    if (!mail) return;
    const a = state.amendment;
    const people = new Map<string, 'proposed' | 'supported'>([[a.proposer.id, 'proposed'], ...state.supporters.map((s) => [s.supporter.id, 'supported'] as const)]);
    people.delete(decider.id);
    void (async () => {
      const title = (await this.documents.require(docId)).title;
      const facts = {
        number: a.number,
        title,
        section: a.section,
        quote: a.quote,
        proposed: a.proposed,
        verdict: decision === 'accept' ? ('accepted' as const) : ('rejected' as const),
        reason,
        decider: { name: decider.name, organization: decider.organization },
        documentUrl: `${mail.publicUrl.replace(/\/$/, '')}/#/doc/${encodeURIComponent(docId)}`,
      };
      for (const [userId, role] of people) {
        const person = await this.store.users.byId(userId);
        if (!person?.email) continue;
        await mail.mail.send(decisionMail(person, role, facts)).catch((err: unknown) => {
          console.error(`[accord] the decision on amendment ${a.number} could not be mailed to a participant:`, err instanceof Error ? err.message : err);
        });
      }
    })().catch((err: unknown) => console.error('[accord] decision mail failed:', err instanceof Error ? err.message : err));
  }

  async propose(docId: string, body: ProposeAmendmentBody, user: User): Promise<Amendment> {
    await this.documents.require(docId);
    if (body.proposed === body.quote) throw new InvalidError(msg('amendment.sameAsQuote'));
    const occurrence = body.occurrence ?? 1;
    return this.rooms.with(docId, async (room) => {
      const found = searchQuote(room.doc, body.section, body.quote, occurrence);
      if (!found.found) {
        if (found.reason === 'no-section') throw new InvalidError(msg('amendment.noSection', { id: docId, section: body.section }));
        if (found.reason === 'not-found') throw new InvalidError(msg('amendment.quoteNotFound', { quote: clip(body.quote), section: body.section }));
        throw new InvalidError(msg('amendment.occurrence', { quote: clip(body.quote), count: found.occurrences, section: body.section, occurrence }));
      }
      const anchor = encodeAnchor(anchorQuote(found.text, found.index, body.quote.length));
      const record = await this.store.amendments.create({
        id: randomUUID(),
        docId,
        section: body.section,
        quote: body.quote,
        proposed: body.proposed,
        justification: body.justification,
        occurrence,
        anchorStart: anchor.start,
        anchorEnd: anchor.end,
        proposer: participantOf(user),
        createdAt: new Date().toISOString(),
      });
      notify(room, record.id, 'proposed');
      return viewOf({ amendment: record, supporters: [], comments: [], closed: null }, room.doc);
    });
  }

  async list(docId: string): Promise<Amendment[]> {
    await this.documents.require(docId);
    const states = await this.store.amendments.list(docId);
    return this.rooms.with(docId, (room) => states.map((s) => viewOf(s, room.doc)));
  }

  /** Everything the compilation shows: the live title and section order, and every amendment. */
  /** What the compilation shows: the sections from the rendered view (documents/view.ts), the amendments read against the live text. */
  async compilation(docId: string, locale?: Locale): Promise<CompilationInput> {
    const summary = await this.documents.require(docId);
    const states = await this.store.amendments.list(docId);
    const view = await this.documents.rendered(docId);
    const sections = (JSON.parse(view.sectionsJson) as SectionSummary[]).map((s) => ({ id: s.id, title: s.title }));
    return this.rooms.with(docId, (room) => ({
      documentTitle: summary.title,
      sections,
      amendments: states.map((s) => viewOf(s, room.doc)),
      generatedAt: new Date().toISOString(),
      locale: exportLocale(summary.language, locale),
    }));
  }

  /** The compilation rendered where `render` runs (a DOCX of hundreds of amendments takes a while). */
  /** In `locale` (?lang=) or the document's language when it is one of the six, else English. */
  async exportCompilation(docId: string, format: CompilationFormat, locale?: Locale): Promise<RenderedCompilation> {
    const body = await this.render({ kind: 'compilation', input: await this.compilation(docId, locale), format });
    return { body: typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength), ...COMPILATION_TYPES[format] };
  }

  async get(docId: string, id: string): Promise<Amendment> {
    const state = await this.require(docId, id);
    return this.rooms.with(docId, (room) => viewOf(state, room.doc));
  }

  async support(docId: string, id: string, user: User): Promise<Amendment> {
    const state = await this.require(docId, id);
    if (state.amendment.proposer.id === user.id) throw new ConflictError(msg('amendment.ownSupport'));
    await this.store.amendments.support(id, { supporter: participantOf(user), at: new Date().toISOString() });
    return this.changed(docId, id, 'supported');
  }

  async comment(docId: string, id: string, user: User, text: string): Promise<Amendment> {
    await this.require(docId, id);
    await this.store.amendments.comment(id, { id: randomUUID(), author: participantOf(user), text, at: new Date().toISOString() });
    return this.changed(docId, id, 'commented');
  }

  async withdraw(docId: string, id: string, user: User): Promise<Amendment> {
    const state = await this.require(docId, id);
    if (state.amendment.proposer.id !== user.id) throw new ForbiddenError(msg('amendment.onlyProposerWithdraws'));
    const event = { amendmentId: id, kind: 'withdrawal' as const, decision: null, reason: '', actor: participantOf(user), time: new Date().toISOString() };
    return this.rooms.with(docId, async (room) => {
      await this.store.amendments.close(event, (e) =>
        encodeEntry({ kind: 'amendment-withdrawal', document: docId, amendment: id, actor: logActorOf(e.actor), time: e.time }),
      );
      notify(room, id, 'withdrawn');
      return viewOf(await this.require(docId, id), room.doc);
    });
  }

  async decide(docId: string, id: string, user: User, decision: AmendmentDecisionKind, reason: string): Promise<Amendment> {
    const state = await this.require(docId, id);
    const a = state.amendment;
    if (state.closed) throw new ConflictError(msg('amendment.alreadyClosed', { number: a.number, status: msg('amendment.status', { status: statusOf(state.closed) }) }));
    if (decision === 'reject' && !reason) throw new InvalidError(msg('amendment.rejectionNeedsReason'));
    const event = { amendmentId: id, kind: 'decision' as const, decision, reason, actor: participantOf(user), time: new Date().toISOString() };
    const leafOf = (e: AmendmentEventRecord) =>
      encodeEntry({
        kind: 'amendment-decision',
        document: docId,
        amendment: id,
        section: a.section,
        decision,
        reason: e.reason,
        quoteHash: textHash(a.quote),
        proposedHash: textHash(a.proposed),
        actor: logActorOf(e.actor),
        time: e.time,
      });
    return this.rooms.with(docId, async (room) => {
      // The change is computed against the live text, stored with the
      // decision and its leaf in one transaction, and only then applied to
      // the room (and relayed). An edit that lands meanwhile merges with it
      // as any concurrent edit would.
      // The accepted text is written under a fresh client id owned by the proposer, the deciding chair noted:
      // attribution names the proposer as its author (core/attribution.ts).
      const author = decision === 'accept' ? freshClientId(room) : null;
      const textChange = author !== null ? { docId, update: acceptanceUpdate(room.doc, a, author) } : undefined;
      if (author !== null) {
        const note = `amendment ${a.number}, accepted by ${user.name} (${user.organization})`;
        const lost = await this.store.attribution.claim(docId, [{ clientId: author, userId: a.proposer.id, claimedAt: event.time, note }]);
        if (lost.length > 0) throw new Error(`client id ${author} was claimed meanwhile; try again`);
        room.ownership?.adopt(author, a.proposer.id);
      }
      // What the accepted text deletes is deleted by the proposer (recorded once the decision is stored).
      const deleted = textChange && room.ownership ? room.ownership.deletionsIn(room.doc, textChange.update, a.proposer.id) : [];
      const closed = await this.store.amendments.close(event, leafOf, textChange);
      if (deleted.length > 0) await this.store.attribution.recordDeletions(docId, deleted.map((d) => ({ ...d, deletedAt: event.time })));
      if (textChange && closed.updateSeq !== null) room.applyStored(`amendment ${id} accepted`, textChange.update, closed.updateSeq);
      notify(room, id, decision === 'accept' ? 'accepted' : 'rejected');
      this.announceDecision(docId, state, decision, reason, user);
      return viewOf(await this.require(docId, id), room.doc);
    });
  }

  private async require(docId: string, id: string): Promise<AmendmentState> {
    await this.documents.require(docId);
    const state = await this.store.amendments.get(docId, id);
    if (!state) throw new NotFoundError(msg('amendment.notFound', { id: docId, amendment: id }));
    return state;
  }

  private async changed(docId: string, id: string, change: AmendmentChange): Promise<Amendment> {
    const state = await this.require(docId, id);
    return this.rooms.with(docId, (room: Room) => {
      notify(room, id, change);
      return viewOf(state, room.doc);
    });
  }
}

/**
 * The accepted amendment's change to the live text, as one Yjs update made on
 * a copy of `live`: the room's document is changed only once it is stored.
 * 409 when the anchored text has changed since the proposal.
 */
function acceptanceUpdate(live: Y.Doc, a: AmendmentState['amendment'], clientId: number): Uint8Array {
  const copy = new Y.Doc({ gc: false });
  copy.clientID = clientId;
  try {
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(live));
    const reading = readAnchor(copy, decodeAnchor({ start: a.anchorStart, end: a.anchorEnd }));
    const change = describeChange(a.quote, reading);
    if (change !== null || !reading.present) throw new ConflictError(msg('amendment.cannotAccept', { number: a.number, detail: change ?? msg('amendment.textGone') }));
    const before = Y.encodeStateVector(copy);
    copy.transact(() => applyReplacement(reading.text, reading.index, a.quote, a.proposed));
    return Y.encodeStateAsUpdate(copy, before);
  } finally {
    copy.destroy();
  }
}

/** A client id never used in the room's document and owned by nobody. */
function freshClientId(room: Room): number {
  for (;;) {
    const id = Math.floor(Math.random() * 0x100000000) >>> 0;
    if (Y.getState(room.doc.store, id) === 0 && room.ownership?.ownerOf(id) === undefined) return id;
  }
}

function statusOf(event: AmendmentEventRecord): 'accepted' | 'rejected' | 'withdrawn' {
  if (event.kind === 'withdrawal') return 'withdrawn';
  return event.decision === 'accept' ? 'accepted' : 'rejected';
}

/** The API view of an amendment; `doc` is the live text, against which an open amendment may be outdated. */
export function viewOf(state: AmendmentState, doc: Y.Doc): Amendment {
  const a = state.amendment;
  const closed = state.closed;
  let status: Amendment['status'];
  let currentText: string | null = null;
  if (closed) {
    status = statusOf(closed);
  } else {
    const reading = readAnchor(doc, decodeAnchor({ start: a.anchorStart, end: a.anchorEnd }));
    currentText = reading.present && reading.current !== '' ? reading.current : null;
    status = currentText === a.quote ? 'open' : 'outdated';
  }
  return {
    id: a.id,
    number: a.number,
    document: a.docId,
    section: a.section,
    quote: a.quote,
    proposed: a.proposed,
    justification: a.justification,
    occurrence: a.occurrence,
    kind: amendmentKind(a.quote, a.proposed),
    status,
    currentText,
    anchor: { start: encodeBase64(a.anchorStart), end: encodeBase64(a.anchorEnd) },
    proposer: a.proposer,
    supporters: state.supporters.map((s) => ({ ...s.supporter, supportedAt: s.at })),
    comments: state.comments.map((c) => ({ id: c.id, author: c.author, text: c.text, createdAt: c.at })),
    decision:
      closed?.kind === 'decision'
        ? { decision: closed.decision!, reason: closed.reason, decidedBy: closed.actor, decidedAt: closed.time, logIndex: closed.logIndex }
        : null,
    withdrawal: closed?.kind === 'withdrawal' ? { withdrawnBy: closed.actor, withdrawnAt: closed.time, logIndex: closed.logIndex } : null,
    logIndex: closed?.logIndex ?? null,
    createdAt: a.createdAt,
  };
}

function clip(text: string, max = 120): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
