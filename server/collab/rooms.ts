// The open rooms, one per document at most, each in one explicit state:
//
//   (none) --acquire--> loading --loaded--> open --idle or failed--> closing --drained--> (none)
//
// Only an open room is ever handed out. A closing room is detached first (its
// entry now says "closing"), so nothing can join it; a newcomer waits until
// the closing room's last updates are stored, then loads a fresh room from
// the store. Every change of an entry checks that the entry is still the one
// it started from, so a late event of a dropped room cannot touch its
// successor. Compaction is the store's (it folds only what it stored), so a
// closing room may compact concurrently with its successor's appends.
import type { UpdateRepository } from '../store/types';
import { Room, type RoomOptions } from './room';

type Entry =
  | { readonly state: 'loading'; readonly ready: Promise<Room> }
  | { readonly state: 'open'; readonly room: Room }
  | { readonly state: 'closing'; readonly room: Room; readonly drained: Promise<void> };

export type RoomState = Entry['state'];

export class Rooms {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly updates: UpdateRepository,
    private readonly options: RoomOptions,
  ) {}

  /** The open room of `docId`, loading it if needed. The caller must `release` what it holds. */
  async acquire(docId: string): Promise<{ room: Room; release: () => void }> {
    for (;;) {
      const entry = this.entries.get(docId);
      if (entry === undefined) {
        this.startLoading(docId);
      } else if (entry.state === 'loading') {
        await entry.ready;
      } else if (entry.state === 'closing') {
        await entry.drained;
      } else if (entry.room.failed) {
        // A room whose storage failed may hold unstored changes: retire it and reload from disk.
        this.retire(docId, entry);
      } else {
        const room = entry.room;
        const unhold = room.hold();
        return {
          room,
          release: () => {
            unhold();
            this.unloadIfIdle(docId, room);
          },
        };
      }
    }
  }

  /**
   * Runs `fn` with the document's room, open or loaded for the occasion, once
   * every edit received so far is applied and stored: a reader (a freeze, an
   * amendment's anchor) sees what the editors sent before it asked.
   */
  async with<T>(docId: string, fn: (room: Room) => T | Promise<T>): Promise<T> {
    const { room, release } = await this.acquire(docId);
    try {
      await room.settled();
      return await fn(room);
    } finally {
      release();
    }
  }

  /** Called whenever a room loses a user: retires it when it is the open room and idle; destroys a retired one. */
  unloadIfIdle(docId: string, room: Room): void {
    if (!room.idle) return;
    const entry = this.entries.get(docId);
    if (entry?.state === 'open' && entry.room === room) {
      this.retire(docId, entry);
      return;
    }
    const current = entry !== undefined && entry.state !== 'loading' ? entry.room : undefined;
    if (current !== room) room.destroy(); // retired earlier: its last user is gone
  }

  /** Sends a server signal to the document's connections, here and (through the bus) in every other process. */
  signal(docId: string, message: Uint8Array): void {
    const entry = this.entries.get(docId);
    if (entry?.state === 'open') entry.room.signal(message);
    else this.options.bus?.publish(docId, { kind: 'signal', message });
  }

  /** The state of a document's entry, for tests and health. */
  stateOf(docId: string): RoomState | 'none' {
    return this.entries.get(docId)?.state ?? 'none';
  }

  get size(): number {
    return this.entries.size;
  }

  async closeAll(): Promise<void> {
    const entries = [...this.entries.values()];
    this.entries.clear();
    for (const entry of entries) {
      const room = entry.state === 'loading' ? await entry.ready.catch(() => null) : entry.room;
      if (!room) continue;
      await room.settled();
      await this.options.history?.retiring(room);
      await room.compact().catch((err: unknown) => this.options.log(`compaction of ${room.docId} failed: ${String(err)}`));
      room.destroy();
    }
  }

  private startLoading(docId: string): void {
    const entry: Entry = { state: 'loading', ready: Room.load(docId, this.updates, this.options) };
    this.entries.set(docId, entry);
    entry.ready.then(
      (room) => {
        if (this.entries.get(docId) === entry) {
          this.entries.set(docId, { state: 'open', room });
          this.options.history?.opened(room);
        } else room.destroy(); // dropped while loading (closeAll)
      },
      (err: unknown) => {
        this.options.log(`could not load ${docId}: ${String(err)}`);
        if (this.entries.get(docId) === entry) this.entries.delete(docId);
      },
    );
  }

  private retire(docId: string, entry: Extract<Entry, { state: 'open' }>): void {
    const room = entry.room;
    const closing: Entry = { state: 'closing', room, drained: room.settled().then(noop, noop) };
    this.entries.set(docId, closing);
    void closing.drained.then(async () => {
      if (this.entries.get(docId) === closing) this.entries.delete(docId);
      // Before it is destroyed: the history's last point of this room is taken from its document.
      await this.options.history?.retiring(room);
      await room.compact().catch((err: unknown) => this.options.log(`compaction of ${docId} failed: ${String(err)}`));
      if (room.idle) room.destroy(); // otherwise when its last user leaves (unloadIfIdle)
    });
  }
}

function noop(): void {}
