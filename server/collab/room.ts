// One open document: its Y.Doc, awareness, and the connections editing it.
// The path of an edit: decode -> authorise -> apply -> persist -> relay.
// An update is stored before any other connection sees it; a room never
// relays what it could not store.
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as authProtocol from 'y-protocols/auth';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import type { User } from '../../core/api';
import { canEditText } from '../../core/api';
import type { UpdateRepository } from '../store/types';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

/** A connected client, as the room sees it: who it is and how to reach it. */
export interface Peer {
  readonly user: User;
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
}

export interface RoomOptions {
  compactEvery: number;
  log: (message: string) => void;
}

/** Origin of server-side changes (amendment decisions), so clients' undo never reverts them. */
export interface ServerOrigin {
  readonly kind: 'server';
  readonly reason: string;
}

export class Room {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  private readonly peers = new Map<Peer, Set<number>>();
  private pending: Promise<unknown> = Promise.resolve();
  private sinceCompaction = 0;
  private lastSeq: number;
  private holds = 0;
  private storageFailed = false;

  private constructor(
    readonly docId: string,
    private readonly updates: UpdateRepository,
    private readonly options: RoomOptions,
    upto: number,
  ) {
    this.lastSeq = upto;
    this.awareness.setLocalState(null);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => this.onDocUpdate(update, origin));
    this.awareness.on('update', (change: AwarenessChange, origin: unknown) => this.onAwarenessUpdate(change, origin));
  }

  /** Loads the compacted snapshot plus the tail of updates after it. */
  static async load(docId: string, updates: UpdateRepository, options: RoomOptions): Promise<Room> {
    const stored = await updates.load(docId);
    const room = new Room(docId, updates, options, stored.upto);
    const parts = stored.snapshot ? [stored.snapshot, ...stored.tail] : stored.tail;
    if (parts.length > 0) Y.applyUpdate(room.doc, parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts), 'load');
    room.sinceCompaction = stored.tail.length;
    return room;
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

  /** Resolves when every update so far is stored and relayed. */
  settled(): Promise<unknown> {
    return this.pending;
  }

  join(peer: Peer): void {
    this.peers.set(peer, new Set());
    const sync = encoding.createEncoder();
    encoding.writeVarUint(sync, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(sync, this.doc);
    this.sendAfterStored(peer, encoding.toUint8Array(sync));
    const states = [...this.awareness.getStates().keys()];
    if (states.length > 0) this.sendAfterStored(peer, awarenessMessage(this.awareness, states));
  }

  leave(peer: Peer): void {
    const clients = this.peers.get(peer);
    if (!clients) return;
    this.peers.delete(peer);
    if (clients.size > 0) awarenessProtocol.removeAwarenessStates(this.awareness, [...clients], null);
  }

  /** Handles one binary frame. Throws on a malformed frame; the caller closes that peer. */
  receive(peer: Peer, data: Uint8Array): void {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MESSAGE_SYNC:
        this.receiveSync(peer, decoder);
        break;
      case MESSAGE_AWARENESS: {
        const update = decoding.readVarUint8Array(decoder);
        awarenessProtocol.applyAwarenessUpdate(this.awareness, update, peer);
        break;
      }
      case MESSAGE_QUERY_AWARENESS:
        peer.send(awarenessMessage(this.awareness, [...this.awareness.getStates().keys()]));
        break;
      case MESSAGE_AUTH:
        break; // clients have nothing to say here
      default:
        throw new Error(`unknown message type ${type}`);
    }
  }

  private receiveSync(peer: Peer, decoder: decoding.Decoder): void {
    const syncType = decoding.readVarUint(decoder);
    if (syncType === syncProtocol.messageYjsSyncStep1) {
      const reply = encoding.createEncoder();
      encoding.writeVarUint(reply, MESSAGE_SYNC);
      syncProtocol.writeSyncStep2(reply, this.doc, decoding.readVarUint8Array(decoder));
      this.sendAfterStored(peer, encoding.toUint8Array(reply));
      return;
    }
    if (syncType !== syncProtocol.messageYjsSyncStep2 && syncType !== syncProtocol.messageYjsUpdate) {
      throw new Error(`unknown sync message ${syncType}`);
    }
    const update = decoding.readVarUint8Array(decoder);
    // Parse fully before touching the document: a malformed update throws here, harmlessly.
    const parsed = Y.decodeUpdate(update);
    if (!canEditText(peer.user.role)) {
      if (parsed.structs.length === 0 && isEmptyDeleteSet(parsed.ds)) return;
      if (Y.snapshotContainsUpdate(Y.snapshot(this.doc), update)) return; // nothing new: a read-only sync
      this.options.log(`refused a text change on ${this.docId} from ${peer.user.role} ${peer.user.id} (${peer.user.name})`);
      peer.send(permissionDenied(`your role (${peer.user.role}) cannot change the text; propose an amendment instead`));
      return;
    }
    Y.applyUpdate(this.doc, update, peer);
  }

  /** Applies a change made by the server itself, stored and relayed like any other. */
  transact(reason: string, change: (doc: Y.Doc) => void): void {
    const origin: ServerOrigin = { kind: 'server', reason };
    this.doc.transact(() => change(this.doc), origin);
  }

  private onDocUpdate(update: Uint8Array, origin: unknown): void {
    if (origin === 'load') return;
    const stored = this.updates.append(this.docId, update);
    const message = updateMessage(update);
    this.pending = this.pending
      .then(() => stored)
      .then((seq) => {
        this.lastSeq = seq;
        for (const peer of this.peers.keys()) if (peer !== origin) peer.send(message);
        if (++this.sinceCompaction >= this.options.compactEvery) return this.compact();
        return undefined;
      })
      .catch((err: unknown) => this.failStorage(err));
  }

  /** Folds every stored update into one snapshot, so load time stays flat. */
  compact(): Promise<void> {
    // After a storage failure the in-memory state may hold what was never stored: never persist it.
    if (this.sinceCompaction === 0 || this.storageFailed) return Promise.resolve();
    this.sinceCompaction = 0;
    return this.updates.compact(this.docId, Y.encodeStateAsUpdate(this.doc), this.lastSeq);
  }

  private failStorage(err: unknown): void {
    // Nothing unstored may be relayed or kept: disconnect everyone; clients resync from storage.
    this.options.log(`storage failed for ${this.docId}: ${String(err)}; closing its connections`);
    for (const peer of this.peers.keys()) peer.close(1011, 'storage failure');
    this.storageFailed = true;
  }

  /** True once an update could not be stored: the room must be dropped and reloaded from disk. */
  get failed(): boolean {
    return this.storageFailed;
  }

  private onAwarenessUpdate({ added, updated, removed }: AwarenessChange, origin: unknown): void {
    const changed = [...added, ...updated, ...removed];
    if (origin && this.peers.has(origin as Peer)) {
      const peer = origin as Peer;
      const owned = this.peers.get(peer)!;
      added.forEach((id) => owned.add(id));
      removed.forEach((id) => owned.delete(id));
      // Presence shows who someone is by their account, not by what their client claims.
      for (const id of [...added, ...updated]) stampIdentity(this.awareness.getStates().get(id), peer.user);
    }
    const message = awarenessMessage(this.awareness, changed);
    for (const peer of this.peers.keys()) peer.send(message);
  }

  private sendAfterStored(peer: Peer, message: Uint8Array): void {
    this.pending = this.pending.then(() => {
      if (this.peers.has(peer)) peer.send(message);
    });
  }

  destroy(): void {
    this.awareness.destroy();
    this.doc.destroy();
  }
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

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
