// Records history points while people edit: after a pause in activity
// (30 s without a change), after minutes of continuous activity (5 min), at
// every freeze, and when an account's last connection leaves (its visit). A
// point is the open room's updates since the newest point, merged (delta.ts):
// proportional to the change, not to the document, and never read from the
// update log, which compaction folds away.
// Timers never keep the process alive and never fire after close; the store
// decides, in one transaction, whether a point is new or already recorded
// (by another process holding the same document).
import * as Y from 'yjs';
import type { User } from '../../core/api';
import type { Room, RoomHistory } from '../collab/room';
import type { HistoryHead, HistoryPoint, HistoryRepository } from '../store/history-types';
import { deltaSince, mergeUpdates } from './delta';
import type { TaskRunner } from '../workers/pool';
import { runTask } from '../workers/tasks';

export interface HistoryTiming {
  /** A point is recorded once the text has not changed for this long (ms). */
  pauseMs: number;
  /** …or once it has been changing for this long without such a pause (ms). */
  activityMs: number;
}

export const DEFAULT_HISTORY_TIMING: HistoryTiming = { pauseMs: 30_000, activityMs: 5 * 60_000 };

/**
 * The updates of this many transactions are merged into one chunk, in a
 * worker when the server gives one: each merge costs what its own updates
 * do, not what everything since the newest point does (merging all of them
 * every 1,000 transactions held the event loop 0.3-0.5 s once minutes of
 * typing by hundreds of authors had piled up).
 */
const CHUNK = 1000;

/** A base (full state) at least every this many points, so rebuilding a point stays bounded. */
const MAX_DELTAS_PER_BASE = 100;

/** What the recorder follows of one open room. */
interface Tracked {
  readonly room: Room;
  /** The text changed since the newest point. */
  dirty: boolean;
  /** When the text last changed, and when it first changed since the newest point (performance.now()). */
  lastChangeAt: number;
  firstChangeAt: number;
  readonly accounts: Set<string>;
  /** The document's updates since the newest point, transaction by transaction, since the last chunk. */
  updates: Uint8Array[];
  /** Earlier updates since the newest point, CHUNK at a time, being merged or merged (off the event loop when a worker merges). */
  chunks: Promise<Uint8Array>[];
  /** False when changes may have been made that this room never saw (it opened after unrecorded changes). */
  updatesKnown: boolean;
  timer: ReturnType<typeof setTimeout> | null;
  /** Recordings of this room, one after the other. */
  queue: Promise<unknown>;
  readonly stopListening: () => void;
}

export class HistoryRecorder implements RoomHistory {
  private readonly tracked = new Map<Room, Tracked>();
  private closed = false;

  constructor(
    private readonly repo: HistoryRepository,
    private readonly log: (message: string) => void,
    private readonly timing: HistoryTiming = DEFAULT_HISTORY_TIMING,
    /** Where merges run: in this thread by default; the server passes its worker pool's. */
    private readonly run: TaskRunner = runTask,
  ) {}

  /** Updates merged where `run` runs them; a worker that fails leaves the merge to this thread: nothing is lost. */
  private merge(updates: Uint8Array[]): Promise<Uint8Array> {
    return this.run({ kind: 'merge', updates }).catch(() => mergeUpdates(updates));
  }

  opened(room: Room): void {
    if (this.closed || this.tracked.has(room)) return;
    const onUpdate = (update: Uint8Array, origin: unknown): void => {
      if (origin === 'load') return;
      t.updates.push(update);
      this.changed(t);
    };
    room.doc.on('update', onUpdate);
    const t: Tracked = {
      room,
      dirty: false,
      lastChangeAt: 0,
      firstChangeAt: 0,
      accounts: new Set(),
      updates: [],
      chunks: [],
      updatesKnown: true,
      timer: null,
      queue: Promise.resolve(),
      stopListening: () => room.doc.off('update', onUpdate),
    };
    this.tracked.set(room, t);
    // What the store holds beyond the newest point (a process stopped before recording it) is recorded soon;
    // a document without points gets its first one (a base) now.
    t.queue = this.repo
      .head(room.docId)
      .then((head) => {
        if (head === null) return this.record(t, null, 0); // already in this room's queue
        if (head.upto < room.storedSeq) {
          t.updatesKnown = false;
          this.changed(t);
        }
        return null;
      })
      .catch((err: unknown) => this.log(`history of ${room.docId}: ${String(err)}`));
  }

  edited(room: Room, accounts: readonly string[]): void {
    const t = this.tracked.get(room);
    if (t) for (const id of accounts) t.accounts.add(id);
  }

  left(room: Room, user: User): void {
    const t = this.tracked.get(room);
    if (!t) return;
    void this.enqueue(t, null).then(async (point) => {
      if (point) await this.repo.markVisit({ docId: room.docId, userId: user.id, point: point.number, at: new Date().toISOString() });
    }).catch((err: unknown) => this.log(`history visit of ${user.id} on ${room.docId}: ${String(err)}`));
  }

  async retiring(room: Room): Promise<void> {
    const t = this.tracked.get(room);
    if (!t) return;
    try {
      await t.queue;
      if (t.dirty) await this.enqueue(t, null);
    } catch (err) {
      this.log(`history of ${room.docId}: ${String(err)}`);
    } finally {
      this.stop(t);
    }
  }

  /** Records a point now (a freeze: `version`; a visit: null) and returns it, or the newest point when it already covers the text. */
  recordNow(room: Room, version: number | null): Promise<HistoryPoint | null> {
    const t = this.tracked.get(room);
    if (!t) return Promise.resolve(null);
    return this.enqueue(t, version);
  }

  /** Stops every timer; nothing is recorded afterwards. */
  close(): void {
    this.closed = true;
    for (const t of this.tracked.values()) this.stop(t);
  }

  private stop(t: Tracked): void {
    if (t.timer !== null) clearTimeout(t.timer);
    t.timer = null;
    t.stopListening();
    this.tracked.delete(t.room);
  }

  private changed(t: Tracked): void {
    const now = performance.now();
    if (!t.dirty) t.firstChangeAt = now;
    t.dirty = true;
    t.lastChangeAt = now;
    if (t.updates.length >= CHUNK) {
      const updates = t.updates;
      t.updates = [];
      t.chunks.push(this.merge(updates));
    }
    if (t.timer === null) this.arm(t);
  }

  /** Wakes at the next moment a point may be due: a pause since the last change, or the activity limit since the first. */
  private arm(t: Tracked): void {
    if (this.closed) return;
    const now = performance.now();
    const due = Math.min(t.lastChangeAt + this.timing.pauseMs, t.firstChangeAt + this.timing.activityMs);
    t.timer = setTimeout(() => {
      t.timer = null;
      if (this.closed || !this.tracked.has(t.room) || !t.dirty) return;
      const at = performance.now();
      if (at < t.lastChangeAt + this.timing.pauseMs && at < t.firstChangeAt + this.timing.activityMs) return this.arm(t);
      void this.enqueue(t, null).catch((err: unknown) => this.log(`history of ${t.room.docId}: ${String(err)}`));
    }, Math.max(0, due - now));
    t.timer.unref();
  }

  private enqueue(t: Tracked, version: number | null): Promise<HistoryPoint | null> {
    const run = t.queue.then(() => this.record(t, version, 0));
    t.queue = run.catch(() => {});
    return run;
  }

  private async record(t: Tracked, version: number | null, attempt: number): Promise<HistoryPoint | null> {
    const { room } = t;
    const head = await this.repo.head(room.docId);
    await room.settled();
    if (room.closed) return null;
    // Nothing new since the newest point (a reader leaving): that point is the answer, at the cost of one query.
    if (head !== null && version === null && !t.dirty && head.upto >= room.storedSeq) return head;
    // Taken at one moment: the state, the updates since the newest point and what changed since then agree.
    const taken = { updates: t.updates, chunks: t.chunks, known: t.updatesKnown, accounts: [...t.accounts], dirty: t.dirty, firstChangeAt: t.firstChangeAt };
    t.updates = [];
    t.chunks = [];
    t.updatesKnown = true;
    t.accounts.clear();
    t.dirty = false;
    const { data, base, stateVector, upto } = await this.pointData(room, head, taken);
    const outcome = await this.repo.record({
      docId: room.docId,
      at: new Date().toISOString(),
      version,
      accounts: taken.accounts,
      upto,
      after: head?.number ?? null,
      base,
      data,
      stateVector,
    });
    if (outcome.kind === 'stale' || outcome.kind === 'covered') {
      // Not recorded from this room: what it saw since stays for its next point (changes recorded twice are harmless).
      t.updates.unshift(...taken.updates);
      t.chunks.unshift(...taken.chunks);
      t.updatesKnown &&= taken.known;
      if (outcome.kind === 'stale') {
        for (const id of taken.accounts) t.accounts.add(id);
        if (taken.dirty && !t.dirty) {
          t.dirty = true;
          t.firstChangeAt = taken.firstChangeAt;
        }
        if (attempt < 2) return this.record(t, version, attempt + 1);
        this.log(`history of ${room.docId}: another process keeps recording; this point is left to it`);
        return null;
      }
    }
    return outcome.point;
  }

  /**
   * What a point stores: the full state for the first point and now and
   * then (a base), else the changes since the newest point, merged off the
   * event loop when a worker merges. The state vector is taken with what it
   * describes: with the updates, or again with a base encoded after the merge.
   */
  private async pointData(
    room: Room,
    head: HistoryHead | null,
    taken: { updates: Uint8Array[]; chunks: Promise<Uint8Array>[]; known: boolean },
  ): Promise<{ data: Uint8Array; base: boolean; stateVector: Uint8Array; upto: number }> {
    const full = () => ({ data: Y.encodeStateAsUpdate(room.doc), base: true, stateVector: Y.encodeStateVector(room.doc), upto: room.storedSeq });
    if (head === null || head.deltasSinceBase + 1 >= MAX_DELTAS_PER_BASE) return full();
    const stateVector = Y.encodeStateVector(room.doc);
    const upto = room.storedSeq;
    const parts = taken.known ? [...(await Promise.all(taken.chunks)), ...taken.updates] : null;
    const data = parts === null || parts.length <= 1 ? deltaSince(room.doc, head.stateVector, parts) : await this.merge(parts);
    // A base once the deltas outgrow it: the whole text as it is now (what changed during the merge included: recorded twice, harmlessly).
    if (head.sinceBase + data.byteLength > head.baseBytes && !room.closed) return full();
    return { data, base: false, stateVector, upto };
  }
}
