// Rendered views on disk (DATA_DIR/views): the latest view of each document's
// stored text, so that the first read after a restart is a file read rather
// than seconds of rendering. A cache only: keyed by the text's version (see
// DocumentService.rendered), one file per document, written atomically
// (temporary file, then rename) and read back only when its key matches.
// Reads and writes go through libuv's thread pool, never blocking the loop.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export class ViewFiles {
  private ready: Promise<unknown> | null = null;

  constructor(private readonly dir: string) {}

  /** The saved rendering of `id` if it was saved under `key`, else null (a missing or unreadable file is a miss). */
  async read(id: string, key: string): Promise<string | null> {
    let text: string;
    try {
      text = await readFile(this.fileOf(id), 'utf8');
    } catch {
      return null;
    }
    const newline = text.indexOf('\n');
    return newline > 0 && text.slice(0, newline) === key ? text.slice(newline + 1) : null;
  }

  /** Saves `rendered` as the view of `id` under `key`, replacing the one before; failures only cost a later render. */
  async write(id: string, key: string, rendered: string): Promise<void> {
    this.ready ??= mkdir(this.dir, { recursive: true, mode: 0o700 });
    await this.ready;
    const file = this.fileOf(id);
    const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temporary, `${key}\n${rendered}`, { mode: 0o600 });
    await rename(temporary, file);
  }

  /** Document ids are validated elsewhere, but a file name is derived, never trusted. */
  private fileOf(id: string): string {
    return join(this.dir, `${createHash('sha256').update(id).digest('hex').slice(0, 32)}.view`);
  }
}
