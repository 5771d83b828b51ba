// Rendered exports kept by content: the same texts in the same format are
// rendered once. Least recently used entries go first, bounded in count and
// bytes; a render that fails is not kept, so the next request tries again.
import type { RenderResult } from '../workers/tasks';

export class RenderCache<T extends RenderResult = RenderResult> {
  private readonly entries = new Map<string, Promise<T>>();
  private readonly sizes = new Map<string, number>();
  private bytes = 0;

  constructor(
    private readonly maxEntries = 64,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  /** The result for `key`, rendering it with `render` on a miss (concurrent requests share one render). */
  get(key: string, render: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit); // most recently used last
      return hit;
    }
    const result = render();
    this.entries.set(key, result);
    result.then(
      (value) => {
        if (this.entries.get(key) !== result) return;
        const size = typeof value === 'string' ? value.length * 2 : value.byteLength;
        this.sizes.set(key, size);
        this.bytes += size;
        this.evict();
      },
      () => {
        if (this.entries.get(key) === result) this.entries.delete(key);
      },
    );
    return result;
  }

  /** Keeps an already rendered result (a document's first view, rendered with its import). */
  put(key: string, value: T): void {
    this.get(key, () => Promise.resolve(value));
  }

  private evict(): void {
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) return;
      this.entries.delete(key);
      this.bytes -= this.sizes.get(key) ?? 0;
      this.sizes.delete(key);
    }
  }
}
