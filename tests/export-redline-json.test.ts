// The JSON redline over HTTP loads only what it needs (issue #16): the stored
// JSON text of both versions goes to the renderer unparsed, no checkpoint is
// read, and the result is cached by the two texts' content hashes.
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../core/markdown';
import type { PMJSON } from '../core/schema';
import type { DocumentService } from '../server/documents/service';
import { ExportService } from '../server/export/service';
import type { BundleService } from '../server/transparency/bundle';
import type { TransparencyLog } from '../server/transparency/service';
import type { VersionRecord } from '../server/store/types';
import type { VersionService } from '../server/versions/service';
import { runTask, type Task } from '../server/workers/tasks';

function version(number: number, markdown: string): VersionRecord {
  const json = JSON.stringify(parseMarkdown(markdown).doc.toJSON() as PMJSON);
  return {
    docId: 'd',
    number,
    label: `v${number}`,
    meeting: null,
    title: 'T',
    get content(): PMJSON {
      throw new Error('the content was parsed on the event loop');
    },
    contentJson: json,
    markdown,
    contentHash: `sha256:${String(number).repeat(64).slice(0, 64)}`,
    createdAt: '2024-01-01T00:00:00Z',
    createdBy: { id: 'u', name: 'U' } as unknown as VersionRecord['createdBy'],
    logIndex: number,
  };
}

describe('GET redline?format=json: only what it needs', () => {
  it('renders from the stored JSON text, reads no checkpoint, and renders a pair of texts once', async () => {
    const versions = new Map([
      [1, version(1, '## A {#a}\n\nFrom the outset.\n')],
      [2, version(2, '## A {#a}\n\nFrom the outset, always.\n')],
    ]);
    const tasks: Task[] = [];
    let checkpoints = 0;
    const service = new ExportService(
      { rendered: () => Promise.reject(new Error('no live side here')) } as unknown as DocumentService,
      { get: (_d: string, n: number) => Promise.resolve(versions.get(n)!) } as unknown as VersionService,
      {
        checkpoint: () => {
          checkpoints++;
          return Promise.resolve('checkpoint');
        },
      } as unknown as TransparencyLog,
      {} as BundleService,
      (task) => {
        tasks.push(task);
        return runTask(task);
      },
    );
    const first = await service.renderRedline('d', 1, 2, 'json');
    const again = await service.renderRedline('d', 1, 2, 'json');
    expect(again.body).toBe(first.body);
    expect(tasks).toHaveLength(1);
    expect(checkpoints).toBe(0);
    const task = tasks[0]!;
    expect(task.kind === 'redline' && typeof task.from.doc).toBe('string');
    const r = JSON.parse(String(first.body)) as { sections: { blocks: { ops: { op: string; text: string }[] }[] }[] };
    expect(r.sections[0]!.blocks[1]!.ops).toEqual([
      { op: 'equal', text: 'From the outset' },
      { op: 'insert', text: ', always' },
      { op: 'equal', text: '.' },
    ]);
  });
});
