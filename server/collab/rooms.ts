// The open rooms: loads a document on first use, unloads it (after a final
// compaction) when the last connection or holder leaves.
import type { UpdateRepository } from '../store/types';
import { Room, type RoomOptions } from './room';

export class Rooms {
  private readonly open = new Map<string, Promise<Room>>();

  constructor(
    private readonly updates: UpdateRepository,
    private readonly options: RoomOptions,
  ) {}

  /** The room of `docId`, loading it if needed. The caller must `release` what it holds. */
  async acquire(docId: string): Promise<{ room: Room; release: () => void }> {
    let loading = this.open.get(docId);
    if (!loading) {
      loading = Room.load(docId, this.updates, this.options);
      this.open.set(docId, loading);
      loading.catch(() => this.open.delete(docId));
    }
    const room = await loading;
    if (room.failed) {
      // A room whose storage failed may hold unstored changes: drop it and reload from disk.
      if (this.open.get(docId) === loading) this.open.delete(docId);
      room.destroy();
      return this.acquire(docId);
    }
    const unhold = room.hold();
    return {
      room,
      release: () => {
        unhold();
        this.unloadIfIdle(docId, room);
      },
    };
  }

  /** Runs `fn` with the document's room, open or loaded for the occasion. */
  async with<T>(docId: string, fn: (room: Room) => T | Promise<T>): Promise<T> {
    const { room, release } = await this.acquire(docId);
    try {
      return await fn(room);
    } finally {
      release();
    }
  }

  unloadIfIdle(docId: string, room: Room): void {
    if (!room.idle) return;
    void room
      .settled()
      .then(() => room.compact())
      .catch((err: unknown) => this.options.log(`compaction of ${docId} failed: ${String(err)}`))
      .finally(() => {
        // Someone may have joined while we compacted.
        if (!room.idle) return;
        if (this.open.get(docId) !== undefined) this.open.delete(docId);
        room.destroy();
      });
  }

  get size(): number {
    return this.open.size;
  }

  async closeAll(): Promise<void> {
    const rooms = await Promise.allSettled([...this.open.values()]);
    this.open.clear();
    for (const r of rooms) {
      if (r.status !== 'fulfilled') continue;
      await r.value.settled();
      await r.value.compact().catch(() => undefined);
      r.value.destroy();
    }
  }
}
