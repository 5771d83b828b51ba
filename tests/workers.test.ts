// The worker pool: heavy, pure work (compaction's fold, DOCX/PDF rendering)
// runs in a worker thread with the same result as in this thread, a failing
// task fails alone, and the event loop stays free while a large export renders.
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { WorkerPool } from '../server/workers/pool';
import { runTask, type Task } from '../server/workers/tasks';
import { foldUpdates } from '../server/store/fold';
import { parseMarkdown } from '../core/markdown';
import type { PMJSON } from '../core/schema';
import { initialState } from '../server/documents/state';
import { EditorDoc } from './helpers/rooms';
import { ROOT } from './helpers/process';

const pool = new WorkerPool(1);
afterAll(() => pool.close());

const gpp = parseMarkdown(readFileSync(join(ROOT, 'documents', 'gpp.md'), 'utf8'));

/** The paper's first state, an editor's copy of it after 50 words typed over four sections, and the updates they made. */
function fiftyEdits(prefix: string): { state: Uint8Array; editor: EditorDoc; updates: Uint8Array[] } {
  const state = initialState(gpp.doc);
  const editor = new EditorDoc(state);
  const updates: Uint8Array[] = [];
  editor.doc.on('update', (u: Uint8Array) => updates.push(u));
  for (let i = 0; i < 50; i++) editor.type(`${prefix}${i} `, i % 4);
  return { state, editor, updates };
}

describe('WorkerPool', () => {
  it('folds updates exactly as this thread does', async () => {
    const { state, editor, updates } = fiftyEdits('w');
    const inThread = foldUpdates(state, updates);
    const inWorker = await pool.run({ kind: 'fold', snapshot: state, updates });
    expect(inWorker).toBeInstanceOf(Uint8Array);
    const a = new Y.Doc();
    const b = new Y.Doc();
    Y.applyUpdate(a, inThread);
    Y.applyUpdate(b, inWorker as Uint8Array);
    expect(b.getXmlFragment('content').toString()).toBe(a.getXmlFragment('content').toString());
    expect(b.getXmlFragment('content').toString()).toBe(editor.doc.getXmlFragment('content').toString());
  });

  it('merges updates as this thread does (a history point), and answers every merge, the empty ones too', async () => {
    const { state, editor, updates } = fiftyEdits('m');
    const merged = await pool.run({ kind: 'merge', updates });
    const a = new Y.Doc();
    Y.applyUpdate(a, state);
    Y.applyUpdate(a, merged);
    expect(a.getXmlFragment('content').toString()).toBe(editor.doc.getXmlFragment('content').toString());
    // An empty merge is a new update each time: handing one over never spoils the next.
    for (let i = 0; i < 3; i++) expect([...(await pool.run({ kind: 'merge', updates: [] }))]).toEqual([0, 0]);
  });

  it('renders a DOCX redline; a failing task fails alone', async () => {
    const doc = gpp.doc.toJSON() as PMJSON;
    const task: Task = {
      kind: 'redline',
      from: { ref: 1, label: 'v1', title: 'T', doc },
      to: { ref: 'live', label: 'live', title: 'T', doc },
      meta: { documentTitle: 'T', documentId: 'gpp', from: { label: 'v1', date: '', contentHash: 'a' }, to: { label: 'live', date: '', contentHash: 'b' }, checkpoint: '', generatedAt: '', author: 'Accord' },
      format: 'docx',
    };
    const bad = { kind: 'no such task' } as unknown as Task;
    await expect(pool.run(bad)).rejects.toThrow();
    const docx = (await pool.run(task)) as Uint8Array;
    expect(Buffer.from(docx.subarray(0, 2)).toString()).toBe('PK');
  });

  it('keeps the event loop free while a large PDF renders', async () => {
    // About 20,000 words: the paper six times over.
    const big = { ...(gpp.doc.toJSON() as PMJSON) };
    big.content = Array.from({ length: 6 }, (_, i) => (gpp.doc.toJSON() as PMJSON).content!.map((s) => ({ ...s, attrs: { id: `${s.attrs!.id as string}-${i}` } }))).flat();
    const task: Task = { kind: 'clean', title: 'Big', content: big, info: { label: 'v', date: '2026-01-01', contentHash: 'x', language: 'en' }, format: 'pdf' };
    // The longest gap between ticks of a 5 ms timer while `run` works.
    const lag = async (run: () => Promise<unknown>) => {
      let last = performance.now();
      let worst = 0;
      const timer = setInterval(() => {
        const now = performance.now();
        worst = Math.max(worst, now - last);
        last = now;
      }, 5);
      await new Promise((r) => setTimeout(r, 20));
      await run();
      worst = Math.max(worst, performance.now() - last);
      clearInterval(timer);
      return worst;
    };
    await pool.run(task); // warm the worker's module graph
    const inThread = await lag(() => runTask(task));
    const inWorker = await lag(() => pool.run(task));
    console.log(`event-loop max delay while rendering a 20k-word PDF: in this thread ${inThread.toFixed(1)} ms, in the worker ${inWorker.toFixed(1)} ms`);
    expect(inWorker).toBeLessThan(inThread / 2);
  });
});
