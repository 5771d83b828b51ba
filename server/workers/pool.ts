// A small pool of worker threads for heavy, pure work (tasks.ts), so that
// compaction and large exports never block the event loop that relays
// keystrokes. Tasks go to the least busy worker; a worker that dies fails
// its own tasks only and is replaced on the next task.
import { Worker } from 'node:worker_threads';
import type { ResultOf, Task, TaskResult } from './tasks';

// Compiled by `npm start` (dist/server/*.js, the worker beside it), a worker
// runs its own JavaScript; run from source (tests, `npm run dev`, the CLI), it
// boots through tsx (boot.mjs) and loads worker.ts.
const COMPILED = import.meta.url.endsWith('.js');
const SCRIPT = COMPILED ? new URL('./worker.js', import.meta.url) : new URL('./boot.mjs', import.meta.url);
const WORKER_DATA = COMPILED ? {} : { entry: new URL('./worker.ts', import.meta.url).href };

interface Pending {
  resolve: (result: TaskResult) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

export type TaskRunner = <T extends Task>(task: T) => Promise<ResultOf<T>>;

export class WorkerPool {
  private readonly slots: (Slot | null)[];
  private nextId = 1;
  private closed = false;

  constructor(size: number) {
    this.slots = Array.from({ length: Math.max(1, size) }, () => null);
  }

  readonly run: TaskRunner = <T extends Task>(task: T) => {
    if (this.closed) return Promise.reject(new Error('worker pool closed'));
    const slot = this.pick();
    const id = this.nextId++;
    // The worker runs runTask on it, so the result has the kind's type.
    return new Promise<ResultOf<T>>((resolve, reject) => {
      slot.pending.set(id, { resolve: resolve as (result: TaskResult) => void, reject });
      slot.worker.postMessage({ id, task });
    });
  };

  /** Compaction's fold (tasks.ts), typed. */
  async fold(snapshot: Uint8Array | null, updates: Uint8Array[]): Promise<Uint8Array> {
    return this.run({ kind: 'fold', snapshot, updates });
  }

  /** Starts every worker now, so the first task does not pay for booting one (about a second of CPU). */
  warm(): void {
    for (let i = 0; i < this.slots.length; i++) if (this.slots[i] === null) this.slots[i] = this.start(i);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((slot) => slot?.worker.terminate()));
  }

  private pick(): Slot {
    let best = -1;
    for (let i = 0; i < this.slots.length; i++) {
      const slot = this.slots[i];
      if (slot === null || slot === undefined) return (this.slots[i] = this.start(i));
      if (best < 0 || slot.pending.size < this.slots[best]!.pending.size) best = i;
    }
    return this.slots[best]!;
  }

  private start(index: number): Slot {
    const worker = new Worker(SCRIPT, { workerData: WORKER_DATA });
    worker.unref();
    const slot: Slot = { worker, pending: new Map() };
    worker.on('message', (message: { id: number; ok: boolean; result?: TaskResult; error?: string }) => {
      const pending = slot.pending.get(message.id);
      if (!pending) return;
      slot.pending.delete(message.id);
      if (message.ok) pending.resolve(message.result!);
      else pending.reject(new Error(message.error ?? 'task failed'));
    });
    const fail = (err: Error) => {
      for (const p of slot.pending.values()) p.reject(err);
      slot.pending.clear();
      if (this.slots[index] === slot) this.slots[index] = null;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`worker exited with code ${code}`)));
    return slot;
  }
}
