// One open document: its Y.Doc, presence, and the connections editing it.
// The path of an edit: decode -> authorise -> queue; then, once per batch:
// gate and apply every queued update in one Yjs transaction -> persist the
// batch as one update -> relay. Updates that arrive within one short window
// are applied together, stored in one transaction, and relayed as one frame
// per peer (a peer that contributed gets the rest of the batch, in one or two
// frames, never its own updates; see fanout.ts). An update is stored before any other connection sees
// it; a room never relays what it could not store. Compaction belongs to the
// store, which folds only what it has stored.
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as authProtocol from 'y-protocols/auth';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import type { User } from '../../core/api';
import { canEditText } from '../../core/api';
import type { UpdateRepository } from '../store/types';
import { storedState } from '../store/stored-state';
import type { BusMessage, DocumentBus } from './bus';
import type { CollabObserver } from '../metrics';
import { mergeOrNull, updatesForContributors, type BatchPart } from './fanout';
import { checkDecodedUpdate } from './gate';
import { ClientOwnership } from './ownership';
import type { AttributionRepository } from '../store/attribution-types';
import { DEFAULT_COLLAB_LIMITS, TokenBucket, type CollabLimits } from './limits';
import { checkPresenceEntry, decodePresenceUpdate, encodePresenceUpdate, type PresenceEntry } from './presence';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

/** A connected client, as the room sees it: who it is and how to reach it. */
export interface Peer {
  readonly user: User;
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
  /** Bytes sent to this peer and not yet written to the network: a slow reader's backlog. */
  bufferedAmount(): number;
}

export interface RoomOptions {
  compactEvery: number;
  log: (message: string) => void;
  limits?: CollabLimits;
  /** Other processes serving the same documents (ACCORD_REDIS_URL); none by default. */
  bus?: DocumentBus;
  /** How often a room on the bus checks the store for updates it may have missed (ms; default 2,000). */
  catchUpEveryMs?: number;
  /** Store and relay latency, for /metrics. */
  observer?: CollabObserver;
  /** Client id owners (attribution): when given, nobody may write under another account's client id. */
  attribution?: Pick<AttributionRepository, 'claims' | 'claim' | 'recordDeletions'>;
  /** Continuous history (server/history/recorder.ts): told who edits and who leaves. */
  history?: RoomHistory;
}

/** What the history recorder hears from a room (implemented by server/history/recorder.ts). */
export interface RoomHistory {
  /** The room is open (rooms.ts). */
  opened(room: Room): void;
  /** The room is being retired or closed (rooms.ts): record what is not recorded yet. */
  retiring(room: Room): Promise<void>;
  /** Editors' updates from these accounts were applied. */
  edited(room: Room, accounts: readonly string[]): void;
  /** An account's last connection to the room closed: it saw the document as it is now. */
  left(room: Room, user: User): void;
}

/** Origin of server-side changes (amendment decisions), so clients' undo never reverts them. */
export interface ServerOrigin {
  readonly kind: 'server';
  readonly reason: string;
}

/** Origin of a change applied after the store committed it: relayed, never stored again. */
export interface StoredOrigin extends ServerOrigin {
  readonly stored: true;
}

const isStored = (origin: unknown): origin is StoredOrigin =>
  typeof origin === 'object' && origin !== null && (origin as Partial<StoredOrigin>).stored === true;

/** What the room keeps per connection: the presence ids it introduced and its presence rate. */
interface PeerState {
  readonly presenceIds: Set<number>;
  readonly presenceRate: TokenBucket;
  /** Presence entries held back by the rate limit, latest per client id. */
  readonly heldPresence: Map<number, PresenceEntry>;
  heldTimer: ReturnType<typeof setTimeout> | null;
  /** Document updates held for a slow reader, sent merged once it has caught up. */
  readonly backlog: Uint8Array[];
  backlogBytes: number;
  /** A slow reader missed presence frames: it gets the full presence when it catches up. */
  presenceStale: boolean;
  /** A slow reader asked for the document (sync step 1): answered once, when it catches up. */
  syncRequest: Uint8Array | null;
  /** An answer to its sync step 1 waits to be sent (after what it carries is stored). */
  answering: boolean;
}

/** An editor's update received and not yet applied: it is gated and applied with the rest of its batch. */
interface Incoming {
  peer: Peer;
  update: Uint8Array;
}

/** Origin of presence changes that came from another process: relayed here, never published back. */
const REMOTE = Symbol('another process');

/** Where the stored updates relayed with a batch come from, as fanout.ts sees them: no peer of this room. */
const STORED_PART = Symbol('stored elsewhere');

/** Origin of the one transaction in which a batch of editors' updates is applied. */
const INCOMING = Symbol('incoming updates');

/**
 * How long updates may wait to be merged with others, after the last batch
 * went out. Up to 100 connections there is no window: what arrived in one
 * turn of the event loop goes out together (the next tick). Beyond, relaying
 * is the main cost (one write system call per frame per connection), so the
 * window (from the start of one batch to the next) is twice the CPU time
 * relaying the last batches took, at most 40 ms: relaying then takes at most about
 * half of the time, whatever the machine, and the window grows with the audience and with the load (about
 * 10-20 ms at 500 connections, 25-40 ms at 1,000 on a 2-core machine). The
 * first update after a quiet spell never waits more than a tick.
 *
 * With other processes on a bus (`onBus`), a process also relays what the
 * others stored, and every frame wakes a reader that may share the
 * machine: each process then sends at most about FRAMES_PER_MS frames a
 * millisecond (25 ms at 250 connections), whatever its own CPU time says.
 * An update from another process has already waited for that process's
 * window, so it waits here at most half a window (onDocUpdate): both halves
 * of its path then cost about one and a half windows at the 95th percentile
 * instead of 1.7 (two independent windows), with the same number of frames.
 */
export function batchWindowMs(connections: number, relayCostMs: number, onBus = false): number {
  if (connections <= 100) return 0;
  const window = 2 * relayCostMs;
  return Math.min(40, onBus ? Math.max(window, connections / FRAMES_PER_MS) : window);
}

/** A process on a bus sends at most about this many frames a millisecond (batchWindowMs). */
const FRAMES_PER_MS = 10;

/** On a bus, compaction folds only what was stored at least this long ago (compactInBackground). */
const COMPACT_LAG_MS = 10_000;

/** Presence is relayed at most this often per document (the first change after a quiet spell at once). */
const PRESENCE_WINDOW_MS = 50;
/** How often a slow reader's backlog is looked at. */
const BACKLOG_CHECK_MS = 25;
/** A batch holding this many bytes is flushed at once rather than at the end of its window. */
const MAX_BATCH_BYTES = 4 * 1024 * 1024;

export class Room {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  private readonly peers = new Map<Peer, PeerState>();
  /** Which connection introduced each presence client id: no one may speak for another. */
  private readonly presenceOwners = new Map<number, Peer>();
  private readonly limits: CollabLimits;
  private pending: Promise<unknown> = Promise.resolve();
  private sinceCompaction = 0;
  private lastSeq: number;
  private holds = 0;
  private storageFailed = false;
  private compacting = false;
  /** With a bus: when this room learnt that each sequence number was stored (oldest first, pruned by compaction), so that it compacts only what is old enough. */
  private storedAt: { at: number; seq: number }[] = [];
  private destroyed = false;
  /** Editors' updates received since the last flush, applied together at the next one. */
  private incoming: Incoming[] = [];
  private incomingBytes = 0;
  /** What the document took in since the last flush (one update per transaction): stored as one. */
  private toStore: Uint8Array[] = [];
  /** What to relay from the current batch, by origin: editors' accepted updates and server changes. */
  private batch: BatchPart[] = [];
  /**
   * Updates already stored (another process's, a catch-up's, an accepted
   * amendment's): relayed with the next batch, in the same frame per peer,
   * never stored again.
   */
  private storedToRelay: Uint8Array[] = [];
  /** Batches whose append is in flight: the first to be relayed carries the stored updates waiting. */
  private appending = 0;
  private batchScheduled = false;
  /** When the scheduled flush runs (performance.now()), and its timer (null: the next tick). */
  private flushDue = 0;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private lastBatchAt = 0;
  /** The CPU time relaying a batch takes (moving average, ms; CPU, so that waiting for a core does not count): sets the window under load (batchWindowMs). */
  private relayCostMs = 0;
  private presenceChanged = new Set<number>();
  private presenceScheduled = false;
  private lastPresenceAt = 0;
  private backlogTimer: ReturnType<typeof setTimeout> | null = null;
  /** Presence changes that came from another process (relayed to this room's peers only). */
  private remotePresenceChanged = new Set<number>();
  /** Presence client ids introduced by another process's clients. */
  private readonly remotePresence = new Set<number>();
  /** Every update up to this sequence number is applied here (load and catch-ups; the bus may skip some). */
  private caughtUp: number;
  /** With a bus: updates after `caughtUp` already applied here (this room's appends, the bus's messages), by sequence number. */
  private readonly seenSeqs = new Set<number>();
  private catchingUp: Promise<void> | null = null;
  private catchUpAgain = false;
  private unsubscribe: (() => void) | null = null;
  private catchUpTimer: ReturnType<typeof setInterval> | null = null;
  private refreshingOwners = false;
  private refreshOwnersAgain = false;
  /** Which account owns each client id (null: no attribution store given, nothing checked). */
  ownership: ClientOwnership | null = null;

  private constructor(
    readonly docId: string,
    private readonly updates: UpdateRepository,
    private readonly options: RoomOptions,
    upto: number,
  ) {
    this.limits = options.limits ?? DEFAULT_COLLAB_LIMITS;
    this.lastSeq = upto;
    this.caughtUp = upto;
    this.awareness.setLocalState(null);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => this.onDocUpdate(update, origin));
    this.awareness.on('update', (change: AwarenessChange, origin: unknown) => this.onAwarenessUpdate(change, origin));
  }

  /** Loads the compacted snapshot plus the tail of updates after it. */
  static async load(docId: string, updates: UpdateRepository, options: RoomOptions): Promise<Room> {
    const stored = await updates.load(docId);
    const room = new Room(docId, updates, options, stored.upto);
    if (options.attribution) room.ownership = await ClientOwnership.load(docId, options.attribution);
    const state = storedState(stored);
    if (state !== null) Y.applyUpdate(room.doc, state, 'load');
    room.sinceCompaction = stored.tail.length;
    if (options.bus) await room.attachBus(options.bus);
    return room;
  }

  /**
   * Joins the document's channel on the bus, then catches up with what was
   * stored between the load and the subscription, asks the other processes
   * for their clients' presence, and from then on checks the store now and
   * then for anything the bus did not bring.
   */
  private async attachBus(bus: DocumentBus): Promise<void> {
    const unsubscribe = await bus.subscribe(this.docId, {
      onMessage: (message) => this.onBusMessage(message),
      onResync: () => void this.catchUp(),
    });
    if (this.destroyed) return unsubscribe();
    this.unsubscribe = unsubscribe;
    await this.catchUp();
    bus.publish(this.docId, { kind: 'presence-query' });
    this.catchUpTimer = setInterval(() => {
      this.updates
        .head(this.docId)
        .then((head) => {
          if (head > this.caughtUp) return this.catchUp();
        })
        .catch((err: unknown) => this.options.log(`catching up ${this.docId} failed: ${String(err)}`));
    }, this.options.catchUpEveryMs ?? 2_000);
    this.catchUpTimer.unref();
  }

  private onBusMessage(message: BusMessage): void {
    if (this.destroyed) return;
    switch (message.kind) {
      case 'update': {
        if (this.ownership?.hasUnknown(message.update)) this.refreshOwners();
        this.applyStored('another process', message.update, message.seq, false);
        // A gap the update depends on (a message lost on the way): read it from the store.
        if (this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null) void this.catchUp();
        break;
      }
      case 'presence':
        for (const entry of decodePresenceUpdate(message.update)) if (!this.presenceOwners.has(entry.clientId)) this.remotePresence.add(entry.clientId);
        awarenessProtocol.applyAwarenessUpdate(this.awareness, message.update, REMOTE);
        break;
      case 'signal':
        for (const peer of this.peers.keys()) this.sendTo(peer, message.message);
        break;
      case 'presence-query': {
        const own = [...this.presenceOwners.keys()].filter((id) => this.awareness.getStates().has(id) && this.awareness.meta.has(id));
        if (own.length > 0) this.options.bus?.publish(this.docId, { kind: 'presence', update: awarenessProtocol.encodeAwarenessUpdate(this.awareness, own) });
        break;
      }
    }
  }

  /** Applies everything stored after the last catch-up (durability never depends on the bus). */
  catchUp(): Promise<void> {
    if (this.catchingUp) {
      this.catchUpAgain = true;
      return this.catchingUp;
    }
    const run = async (): Promise<void> => {
      do {
        this.catchUpAgain = false;
        const stored = await this.updates.since(this.docId, this.caughtUp);
        if (this.destroyed) return;
        // Rows this room already applied (its own, and what the bus brought) are not decoded again.
        const update = storedState(stored.snapshot !== null ? stored : { snapshot: null, tail: stored.tail.filter((_, i) => !this.seenSeqs.has(stored.tailSeqs[i]!)) });
        if (update !== null) {
          if (this.ownership?.hasUnknown(update)) this.refreshOwners();
          this.applyStored('catch-up', update, stored.upto, false);
        }
        this.caughtUp = Math.max(this.caughtUp, stored.upto);
        for (const seq of this.seenSeqs) if (seq <= this.caughtUp) this.seenSeqs.delete(seq);
      } while (this.catchUpAgain && !this.destroyed);
    };
    this.catchingUp = run()
      .catch((err: unknown) => this.options.log(`catching up ${this.docId} failed: ${String(err)}`))
      .finally(() => (this.catchingUp = null));
    return this.catchingUp;
  }

  /**
   * Reads the claims other processes' clients made (their updates came
   * through the bus or a catch-up): one read at a time, and one more after it
   * when asked meanwhile (a claim may have been committed after the read
   * began), not one per update while hundreds of authors join.
   */
  private refreshOwners(): void {
    if (this.refreshingOwners) {
      this.refreshOwnersAgain = true;
      return;
    }
    const ownership = this.ownership;
    if (!ownership) return;
    this.refreshingOwners = true;
    ownership
      .refresh()
      .catch((err: unknown) => this.options.log(`reading the client owners of ${this.docId} failed: ${String(err)}`))
      .finally(() => {
        this.refreshingOwners = false;
        if (!this.refreshOwnersAgain || this.destroyed) return;
        this.refreshOwnersAgain = false;
        this.refreshOwners();
      });
  }

  /** Keeps the room open while a non-socket user (REST, decisions) works with it. */
  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
    };
  }

  get idle(): boolean {
    return this.peers.size === 0 && this.holds === 0;
  }

  /** Resolves when every update so far is stored and relayed (a waiting batch is flushed now). */
  settled(): Promise<unknown> {
    this.flushBatch();
    return this.pending;
  }

  join(peer: Peer): void {
    if (this.destroyed) throw new Error(`room ${this.docId} is closed`);
    this.peers.set(peer, {
      presenceIds: new Set(),
      presenceRate: new TokenBucket(this.limits.presencePerSecond, this.limits.presencePerSecond),
      heldPresence: new Map(),
      heldTimer: null,
      backlog: [],
      backlogBytes: 0,
      presenceStale: false,
      syncRequest: null,
      answering: false,
    });
    const sync = encoding.createEncoder();
    encoding.writeVarUint(sync, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(sync, this.doc);
    this.sendAfterStored(peer, encoding.toUint8Array(sync));
    const states = [...this.awareness.getStates().keys()];
    if (states.length > 0) this.sendAfterStored(peer, awarenessMessage(this.awareness, states));
  }

  leave(peer: Peer): void {
    const state = this.peers.get(peer);
    if (!state) return;
    this.peers.delete(peer);
    if (state.heldTimer) clearTimeout(state.heldTimer);
    for (const id of state.presenceIds) if (this.presenceOwners.get(id) === peer) this.presenceOwners.delete(id);
    if (state.presenceIds.size > 0 && !this.destroyed) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...state.presenceIds], null);
      // At once: the room may be destroyed before its next presence flush.
      const removed = [...state.presenceIds].filter((id) => this.awareness.meta.has(id)); // ids only held back by the rate limit were never applied
      if (removed.length > 0) this.options.bus?.publish(this.docId, { kind: 'presence', update: awarenessProtocol.encodeAwarenessUpdate(this.awareness, removed) });
    }
    if (!this.destroyed && ![...this.peers.keys()].some((p) => p.user.id === peer.user.id)) this.options.history?.left(this, peer.user);
  }

  /**
   * Handles one binary frame. Throws on a malformed frame; the caller closes
   * that peer. An editor's update is only queued here: a malformed or refused
   * one is found when its batch is applied (applyIncoming).
   */
  receive(peer: Peer, data: Uint8Array): void {
    // A room that failed or closed accepts nothing more; its peers are being disconnected.
    if (this.destroyed || this.storageFailed || !this.peers.has(peer)) return;
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MESSAGE_SYNC:
        this.receiveSync(peer, decoder);
        break;
      case MESSAGE_AWARENESS:
        this.receivePresence(peer, decoding.readVarUint8Array(decoder));
        break;
      case MESSAGE_QUERY_AWARENESS: {
        const state = this.peers.get(peer)!;
        if (this.isBehind(peer, state)) {
          state.presenceStale = true; // one full presence once it reads again, however often it asks
          this.scheduleBacklogCheck();
        } else {
          this.sendTo(peer, awarenessMessage(this.awareness, [...this.awareness.getStates().keys()]));
        }
        break;
      }
      case MESSAGE_AUTH:
        break; // clients have nothing to say here
      default:
        throw new Error(`unknown message type ${type}`);
    }
  }

  private receiveSync(peer: Peer, decoder: decoding.Decoder): void {
    const syncType = decoding.readVarUint(decoder);
    if (syncType === syncProtocol.messageYjsSyncStep1) {
      const stateVector = decoding.readVarUint8Array(decoder);
      Y.decodeStateVector(stateVector); // malformed: throws here, before any work
      const state = this.peers.get(peer)!;
      if (state.answering || this.isBehind(peer, state)) {
        // Each answer can be a full copy of the document: a client that asks
        // and does not read gets one answer, once it reads again.
        state.syncRequest = stateVector;
        if (!state.answering) this.scheduleBacklogCheck();
        return;
      }
      this.answerSync(peer, state, stateVector);
      return;
    }
    if (syncType !== syncProtocol.messageYjsSyncStep2 && syncType !== syncProtocol.messageYjsUpdate) {
      throw new Error(`unknown sync message ${syncType}`);
    }
    const update = decoding.readVarUint8Array(decoder);
    if (!canEditText(peer.user.role)) {
      // Parse fully before deciding: a malformed update throws here, harmlessly.
      const parsed = Y.decodeUpdate(update);
      if (parsed.structs.length === 0 && isEmptyDeleteSet(parsed.ds)) return;
      if (Y.snapshotContainsUpdate(Y.snapshot(this.doc), update)) return; // nothing new: a read-only sync
      this.options.log(`refused a text change on ${this.docId} from ${peer.user.role} ${peer.user.id} (${peer.user.name})`);
      this.sendTo(peer, permissionDenied(`your role (${peer.user.role}) cannot change the text; propose an amendment instead`));
      return;
    }
    // Gated and applied with the rest of the batch, in one transaction
    // (applyIncoming): Yjs's cost per transaction grows with the number of
    // clients that ever wrote.
    this.incoming.push({ peer, update });
    this.incomingBytes += update.byteLength;
    if (this.incomingBytes >= MAX_BATCH_BYTES) this.flushBatch();
    else this.scheduleFlush();
  }

  /**
   * Applies a batch of editors' updates in one transaction. Each passes the
   * schema gate first (an update that would give the document a shape the
   * schema cannot hold is refused whole, before it touches the document),
   * against the document as the updates before it in the batch left it.
   */
  private applyIncoming(incoming: readonly Incoming[]): void {
    const accepted: BatchPart[] = [];
    this.doc.transact(() => {
      for (const { peer, update } of incoming) {
        try {
          // Decoded once: the schema gate and the ownership check both read it.
          const decoded = Y.decodeUpdate(update);
          const verdict = checkDecodedUpdate(this.doc, decoded);
          if (!verdict.ok) {
            this.options.log(`refused an update on ${this.docId} from ${peer.user.role} ${peer.user.id}: ${verdict.reason}`);
            if (this.peers.has(peer)) this.sendTo(peer, permissionDenied(`update refused: ${verdict.reason}`));
            continue;
          }
          // Attribution: nobody creates items under another account's client id (ownership.ts).
          const owned = this.ownership?.check(this.doc, decoded, peer.user.id) ?? null;
          if (owned && !owned.ok) {
            this.options.log(`refused an update on ${this.docId} from ${peer.user.role} ${peer.user.id}: ${owned.reason}`);
            if (this.peers.has(peer)) this.sendTo(peer, permissionDenied(`update refused: ${owned.reason}`));
            continue;
          }
          Y.applyUpdate(this.doc, update, peer);
          if (owned?.ok && owned.deletions.length > 0) this.ownership!.recordDeletions(owned.deletions);
          accepted.push({ update, origin: peer });
        } catch (err) {
          this.options.log(`malformed update on ${this.docId} from ${peer.user.id}: ${String(err)}`);
          peer.close(1007, 'malformed message');
        }
      }
    }, INCOMING);
    for (const a of accepted) this.batch.push(a);
    if (accepted.length > 0) this.options.history?.edited(this, [...new Set(accepted.map((a) => (a.origin as Peer).user.id))]);
  }

  /** Presence: bounded in size, only for the connection's own client ids, at a bounded rate. */
  private receivePresence(peer: Peer, update: Uint8Array): void {
    const state = this.peers.get(peer)!;
    for (const raw of decodePresenceUpdate(update)) {
      const owner = this.presenceOwners.get(raw.clientId);
      if (owner !== undefined && owner !== peer) continue; // another connection's client id
      if (owner === undefined && state.presenceIds.size >= this.limits.maxPresenceClients) continue;
      if (owner === undefined && this.remotePresence.has(raw.clientId)) continue; // another process's client
      const verdict = checkPresenceEntry(raw, this.limits.maxPresenceBytes);
      if (!verdict.ok) continue;
      if (owner === undefined) {
        this.presenceOwners.set(raw.clientId, peer);
        state.presenceIds.add(raw.clientId);
      }
      state.heldPresence.set(raw.clientId, verdict.entry);
    }
    this.flushPresence(peer, state);
  }

  private flushPresence(peer: Peer, state: PeerState): void {
    if (state.heldPresence.size === 0 || state.heldTimer !== null) return;
    if (!state.presenceRate.take()) {
      // Over the rate: keep only the latest state per client id and apply it when a token is free.
      state.heldTimer = setTimeout(() => {
        state.heldTimer = null;
        if (this.peers.get(peer) === state && !this.destroyed) this.flushPresence(peer, state);
      }, state.presenceRate.waitMs());
      return;
    }
    const entries = [...state.heldPresence.values()];
    state.heldPresence.clear();
    awarenessProtocol.applyAwarenessUpdate(this.awareness, encodePresenceUpdate(entries), peer);
  }

  /**
   * Applies a change the store has already committed (an accepted
   * amendment, stored with its log leaf; or another process's update) and
   * relays it like any other; never stores it again. It goes out with the
   * next batch relayed (after the append in flight, if any).
   */
  applyStored(reason: string, update: Uint8Array, seq: number, publish = true): void {
    if (this.destroyed) return; // the next room loads it from the store
    const origin: StoredOrigin = { kind: 'server', reason, stored: true };
    // The waiting batch is not flushed first: it would cut the batch window
    // short on every message from another process, doubling the relays.
    Y.applyUpdate(this.doc, update, origin);
    if (this.options.bus && seq > this.caughtUp) this.seenSeqs.add(seq);
    this.pending = this.pending.then(() => {
      this.lastSeq = Math.max(this.lastSeq, seq);
    });
    if (publish) this.options.bus?.publish(this.docId, { kind: 'update', seq, update });
  }

  /** The sequence number of the last update this room knows to be stored. */
  get storedSeq(): number {
    return this.lastSeq;
  }

  private onDocUpdate(update: Uint8Array, origin: unknown): void {
    if (origin === 'load' || this.destroyed) return;
    if (isStored(origin)) {
      // Already in the store (and depending on nothing unstored): it goes
      // out with the next batch relayed, one frame per peer for both (after
      // the append in flight, if any; else the next flush).
      this.storedToRelay.push(update);
      // It already waited for the window of the process that stored it: here, at most half a window.
      if (this.appending === 0) this.scheduleFlush(0.5);
      return;
    }
    this.toStore.push(update);
    if (origin === INCOMING) return; // applyIncoming records what each editor sent
    this.batch.push({ update, origin });
    this.scheduleFlush();
  }

  /** Flushes at the end of the window, or sooner: at most `share` of a window from now. */
  private scheduleFlush(share = 1): void {
    const now = performance.now();
    const window = batchWindowMs(this.peers.size, this.relayCostMs, this.options.bus !== undefined);
    const due = Math.min(this.lastBatchAt + window, now + share * window);
    if (this.batchScheduled && this.flushDue <= due) return;
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.batchScheduled = true;
    this.flushDue = due;
    if (due <= now) {
      this.flushTimer = null;
      setImmediate(() => this.flushBatch());
    } else {
      this.flushTimer = setTimeout(() => this.flushBatch(), due - now);
    }
  }

  /** Applies the editors' updates received, stores what the document took in as one update, then relays it. */
  private flushBatch(): void {
    this.batchScheduled = false;
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.destroyed) return;
    if (this.incoming.length > 0) {
      const incoming = this.incoming;
      this.incoming = [];
      this.incomingBytes = 0;
      this.applyIncoming(incoming);
    }
    const toStore = this.toStore;
    const batch = this.batch;
    this.toStore = [];
    this.batch = [];
    // Client ids claimed by this batch are stored before the batch itself: nothing is stored or relayed under an unrecorded owner.
    const claimed = this.ownership?.writePending() ?? null;
    // Nothing new (every update refused, or already known): nothing to store.
    if (toStore.length === 0) {
      if (claimed) this.pending = this.pending.then(() => claimed).catch((err: unknown) => this.failStorage(err));
      // Stored updates waiting, and no batch in flight to carry them: relayed now.
      if (this.storedToRelay.length > 0 && this.appending === 0) {
        this.lastBatchAt = performance.now();
        this.relay([], null);
      }
      return;
    }
    this.lastBatchAt = performance.now();
    const merged = toStore.length === 1 ? toStore[0]! : Y.mergeUpdates(toStore);
    const flushedAt = performance.now();
    const stored = claimed ? claimed.then(() => this.updates.append(this.docId, merged)) : this.updates.append(this.docId, merged);
    stored.then(() => this.options.observer?.stored(performance.now() - flushedAt), noop);
    this.appending++;
    this.pending = this.pending
      .then(() => stored)
      .finally(() => this.appending--)
      .then((seq) => {
        this.lastSeq = Math.max(this.lastSeq, seq);
        if (this.options.bus) {
          this.storedAt.push({ at: performance.now(), seq: this.lastSeq });
          this.seenSeqs.add(seq);
        }
        // Stored: the other processes may relay it now.
        this.options.bus?.publish(this.docId, { kind: 'update', seq, update: merged });
        this.relay(batch, merged);
        this.options.observer?.relayed(performance.now() - flushedAt);
        if (++this.sinceCompaction >= this.options.compactEvery) this.compactInBackground();
      })
      .catch((err: unknown) => this.failStorage(err));
  }

  /**
   * One frame per peer: the merged batch (`merged`, stored by this room)
   * with the stored updates waiting; a peer that contributed gets the rest
   * instead (one or two frames), never its own updates. Its CPU time sets
   * the batch window.
   */
  private relay(local: readonly BatchPart[], merged: Uint8Array | null): void {
    const started = process.cpuUsage();
    const stored = mergeOrNull(this.storedToRelay);
    this.storedToRelay = [];
    const all = mergeOrNull([merged, stored].filter((u) => u !== null));
    if (all !== null) this.relayBatch(stored === null ? local : [...local, { update: stored, origin: STORED_PART }], all);
    const spent = process.cpuUsage(started);
    this.relayCostMs = 0.8 * this.relayCostMs + 0.2 * ((spent.user + spent.system) / 1000);
  }

  private relayBatch(batch: readonly BatchPart[], merged: Uint8Array): void {
    const contributors = new Set<unknown>();
    for (const b of batch) if (this.peers.has(b.origin as Peer)) contributors.add(b.origin);
    const forContributors = updatesForContributors(batch, contributors);
    const messages = new Map<Uint8Array, Uint8Array>([[merged, updateMessage(merged)]]);
    const messageOf = (update: Uint8Array): Uint8Array => {
      let message = messages.get(update);
      if (!message) messages.set(update, (message = updateMessage(update)));
      return message;
    };
    for (const [peer, state] of this.peers) {
      const updates = forContributors.get(peer) ?? [merged];
      for (const update of updates) this.deliverUpdate(peer, state, update, messageOf);
    }
  }

  /** Answers a sync step 1 once what the answer carries is stored; a request that came meanwhile is answered next. */
  private answerSync(peer: Peer, state: PeerState, stateVector: Uint8Array): void {
    state.answering = true;
    this.sendAfterStored(peer, syncStep2(this.doc, stateVector), () => {
      state.answering = false;
      if (state.syncRequest !== null && !this.destroyed) this.scheduleBacklogCheck();
    });
  }

  /** True while a connection has not read what it was sent: more for it waits in its backlog. */
  private isBehind(peer: Peer, state: PeerState): boolean {
    return state.backlog.length > 0 || state.syncRequest !== null || peer.bufferedAmount() >= this.limits.slowReaderBytes;
  }

  /** Sends an update now, or holds it for a slow reader, merged with what it already waits for. */
  private deliverUpdate(peer: Peer, state: PeerState, update: Uint8Array, messageOf: (update: Uint8Array) => Uint8Array): void {
    if (!this.isBehind(peer, state)) {
      this.sendTo(peer, messageOf(update));
      return;
    }
    state.backlog.push(update);
    state.backlogBytes += update.byteLength;
    if (state.backlogBytes > this.limits.maxBufferedBytes) {
      this.options.log(`disconnecting ${peer.user.id} from ${this.docId}: ${state.backlogBytes} bytes of updates wait unread`);
      state.backlog.length = 0;
      state.backlogBytes = 0;
      peer.close(1008, 'too slow: reconnect to resync');
      return;
    }
    this.scheduleBacklogCheck();
  }

  private scheduleBacklogCheck(): void {
    if (this.backlogTimer !== null) return;
    this.backlogTimer = setTimeout(() => {
      this.backlogTimer = null;
      if (this.destroyed) return;
      let waiting = false;
      for (const [peer, state] of this.peers) {
        if (state.backlog.length === 0 && !state.presenceStale && state.syncRequest === null) continue;
        if (peer.bufferedAmount() >= this.limits.slowReaderBytes) {
          waiting = true;
          continue;
        }
        if (state.backlog.length > 0) {
          const update = state.backlog.length === 1 ? state.backlog[0]! : Y.mergeUpdates(state.backlog);
          state.backlog.length = 0;
          state.backlogBytes = 0;
          this.sendTo(peer, updateMessage(update));
        }
        if (state.syncRequest !== null && !state.answering) {
          const stateVector = state.syncRequest;
          state.syncRequest = null;
          this.answerSync(peer, state, stateVector);
        }
        if (state.presenceStale) {
          state.presenceStale = false;
          this.sendTo(peer, awarenessMessage(this.awareness, [...this.awareness.getStates().keys()]));
        }
      }
      if (waiting) this.scheduleBacklogCheck();
    }, BACKLOG_CHECK_MS);
  }

  /** Sends a server signal (not part of the document) to every connection. */
  signal(message: Uint8Array): void {
    if (this.destroyed) return;
    for (const peer of this.peers.keys()) this.sendTo(peer, message);
    this.options.bus?.publish(this.docId, { kind: 'signal', message });
  }

  /** Asks the store to fold every update this room has stored into the snapshot. Safe at any time. */
  async compact(upto = this.lastSeq): Promise<void> {
    this.sinceCompaction = 0;
    await this.updates.compact(this.docId, upto);
  }

  /**
   * Every compactEvery batches. Alone, everything stored is folded. On a bus,
   * only what was stored at least COMPACT_LAG_MS ago: another process that
   * catches up from the store (every few seconds: catchUp) then still finds
   * the rows after what it has, instead of the whole snapshot to decode and
   * apply on its event loop (0.1-0.3 s for the paper after minutes of typing).
   */
  private compactInBackground(): void {
    if (this.compacting) return;
    const upto = this.options.bus ? this.storedBefore(performance.now() - COMPACT_LAG_MS) : this.lastSeq;
    if (upto === null) return;
    this.compacting = true;
    this.compact(upto)
      .catch((err: unknown) => this.options.log(`compaction of ${this.docId} failed: ${String(err)}`))
      .finally(() => (this.compacting = false));
  }

  /** The newest sequence number this room knew to be stored at `at` (performance.now()), or null if none is that old. */
  private storedBefore(at: number): number | null {
    let found: number | null = null;
    while (this.storedAt.length > 0 && this.storedAt[0]!.at <= at) found = this.storedAt.shift()!.seq;
    if (found !== null) this.storedAt.unshift({ at, seq: found }); // still the answer until a newer one is old enough
    return found;
  }

  private failStorage(err: unknown): void {
    if (this.storageFailed) return;
    // Nothing unstored may be relayed or kept: disconnect everyone; clients resync from storage.
    this.options.log(`storage failed for ${this.docId}: ${String(err)}; closing its connections`);
    this.storageFailed = true;
    for (const peer of this.peers.keys()) peer.close(1011, 'storage failure');
  }

  /** True once an update could not be stored: the room must be dropped and reloaded from disk. */
  get failed(): boolean {
    return this.storageFailed;
  }

  get closed(): boolean {
    return this.destroyed;
  }

  private onAwarenessUpdate({ added, updated, removed }: AwarenessChange, origin: unknown): void {
    const from = origin !== null && typeof origin === 'object' ? this.peers.get(origin as Peer) : undefined;
    if (from) {
      // Presence shows who someone is by their account, not by what their client claims.
      const peer = origin as Peer;
      for (const id of [...added, ...updated]) stampIdentity(this.awareness.getStates().get(id), peer.user);
    }
    const changed = origin === REMOTE ? this.remotePresenceChanged : this.presenceChanged;
    for (const id of [...added, ...updated, ...removed]) changed.add(id);
    if (this.presenceScheduled) return;
    this.presenceScheduled = true;
    const wait = this.lastPresenceAt + PRESENCE_WINDOW_MS - performance.now();
    if (wait <= 0) setImmediate(() => this.flushPresenceChanges());
    else setTimeout(() => this.flushPresenceChanges(), wait);
  }

  /** Relays every presence change since the last flush as one frame to every peer. */
  private flushPresenceChanges(): void {
    this.presenceScheduled = false;
    if (this.destroyed || this.presenceChanged.size + this.remotePresenceChanged.size === 0) return;
    this.lastPresenceAt = performance.now();
    const message = awarenessMessage(this.awareness, [...new Set([...this.presenceChanged, ...this.remotePresenceChanged])]);
    if (this.options.bus && this.presenceChanged.size > 0) {
      // Only what this process's clients changed: another process publishes its own.
      this.options.bus.publish(this.docId, { kind: 'presence', update: awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.presenceChanged].filter((id) => this.awareness.meta.has(id))) });
    }
    this.presenceChanged.clear();
    this.remotePresenceChanged.clear();
    for (const [peer, state] of this.peers) {
      if (this.isBehind(peer, state)) {
        // Presence is ephemeral: a slow reader gets the whole of it once it has caught up.
        state.presenceStale = true;
        this.scheduleBacklogCheck();
        continue;
      }
      this.sendTo(peer, message);
    }
  }

  /** Sends `message` once everything before it is stored; `then` runs after, whether or not the peer is still here. */
  private sendAfterStored(peer: Peer, message: Uint8Array, then?: () => void): void {
    // The message may carry state from the waiting batch (a sync step 2): store that batch first.
    this.flushBatch();
    this.pending = this.pending.then(() => {
      if (this.peers.has(peer)) this.sendTo(peer, message);
      then?.();
    });
  }

  private sendTo(peer: Peer, message: Uint8Array): void {
    try {
      peer.send(message);
    } catch (err) {
      // One peer's broken socket must not stop the relay to the others.
      this.options.log(`send to ${peer.user.id} on ${this.docId} failed: ${String(err)}`);
      peer.close(1011, 'send failed');
    }
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.unsubscribe?.();
    if (this.catchUpTimer !== null) clearInterval(this.catchUpTimer);
    if (this.backlogTimer !== null) clearTimeout(this.backlogTimer);
    for (const state of this.peers.values()) if (state.heldTimer) clearTimeout(state.heldTimer);
    this.awareness.destroy();
    this.doc.destroy();
  }
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

function noop(): void {}

function stampIdentity(state: Record<string, unknown> | undefined, user: User): void {
  if (!state) return;
  const claimed = typeof state.user === 'object' && state.user !== null ? (state.user as Record<string, unknown>) : {};
  const color = typeof claimed.color === 'string' && /^#[0-9a-fA-F]{6}$/.test(claimed.color) ? claimed.color : undefined;
  state.user = {
    ...(color ? { color } : {}),
    id: user.id,
    name: user.name,
    organization: user.organization,
    stakeholderGroup: user.stakeholderGroup,
    role: user.role,
  };
}

function isEmptyDeleteSet(ds: { clients: Map<number, unknown[]> }): boolean {
  for (const ranges of ds.clients.values()) if (ranges.length > 0) return false;
  return true;
}

function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

function syncStep2(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeSyncStep2(encoder, doc, stateVector);
  return encoding.toUint8Array(encoder);
}

function awarenessMessage(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
  return encoding.toUint8Array(encoder);
}

function permissionDenied(reason: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AUTH);
  authProtocol.writePermissionDenied(encoder, reason);
  return encoding.toUint8Array(encoder);
}
