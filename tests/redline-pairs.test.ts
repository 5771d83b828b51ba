// Precomputed JSON redlines (issue #16): when a version is recorded, its JSON
// redline against the earlier versions of its document is computed in the
// background and kept on disk (server/export/redline-pairs.ts); the route
// serves those bytes, which are exactly the bytes it computes without them
// (and the same ETag); a truncated or corrupted file is never served but
// computed and written again; recording a version never waits for it.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMarkdown } from '../core/markdown';
import { Rooms } from '../server/collab/rooms';
import { IMPORT_ACTOR } from '../server/documents/seed';
import { DocumentService } from '../server/documents/service';
import { ExportService } from '../server/export/service';
import { preparedDir } from '../server/export/prepared-texts';
import { RedlinePairFiles } from '../server/export/redline-pairs';
import { BundleService } from '../server/transparency/bundle';
import { loadOrCreateLogKey } from '../server/transparency/key';
import { TransparencyLog } from '../server/transparency/service';
import { openSqliteStore } from '../server/store/sqlite';
import { VersionService } from '../server/versions/service';
import { runTask, type ResultOf, type Task } from '../server/workers/tasks';
import type { TaskRunner } from '../server/workers/pool';
import { startTestServer, type TestServer } from './helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const engineDir = () => {
  const root = join(server.dataDir, 'redline');
  return join(root, readdirSync(root).find((d) => d.startsWith('engine-'))!);
};
const pairsDir = () => join(engineDir(), 'pairs');
const pairFiles = () => (existsSync(pairsDir()) ? readdirSync(pairsDir()).filter((f) => f.endsWith('.json')) : []);

async function waitFor(check: () => boolean, what: string): Promise<void> {
  // (Generous: on a loaded machine the worker takes seconds to start.)
  for (let i = 0; i < 1200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function redline(from: number, to: number): Promise<{ text: string; etag: string | null }> {
  const res = await server.api(`/api/documents/gpp/redline?from=${from}&to=${to}&format=json`);
  expect(res.status).toBe(200);
  return { text: await res.text(), etag: res.headers.get('etag') };
}

/** The body kept in a pair file (after its one header line). */
const bodyOf = (file: string) => {
  const bytes = readFileSync(file);
  return bytes.subarray(bytes.indexOf(0x0a) + 1).toString('utf8');
};

describe('precomputed redline pairs over HTTP', () => {
  it('keeps every forward pair of the recorded versions on disk and serves exactly the computed bytes and ETag', async () => {
    const versions = (await (await server.api('/api/documents/gpp/versions')).json()) as { number: number }[];
    const n = versions.length;
    expect(n).toBeGreaterThanOrEqual(3);
    const pairs = (n * (n - 1)) / 2;
    await waitFor(() => pairFiles().length >= pairs, 'the precomputed pairs');
    expect(pairFiles()).toHaveLength(pairs);
    // Mode 0600, like the other files under DATA_DIR.
    for (const f of pairFiles()) expect(statSync(join(pairsDir(), f)).mode & 0o777).toBe(0o600);
    const served = new Map<string, { text: string; etag: string | null }>();
    for (const [a, b] of [[1, 2], [1, 3], [2, 3]] as const) served.set(`${a}-${b}`, await redline(a, b));
    // Each served body is one of the files, byte for byte.
    const kept = new Set(pairFiles().map((f) => bodyOf(join(pairsDir(), f))));
    for (const r of served.values()) expect(kept.has(r.text)).toBe(true);
    // Without the files, after a restart (nothing in memory), the route computes the same bytes and the same ETag.
    rmSync(pairsDir(), { recursive: true, force: true });
    await server.restart();
    for (const [a, b] of [[1, 2], [1, 3], [2, 3]] as const) {
      const fresh = await redline(a, b);
      expect(fresh.text).toBe(served.get(`${a}-${b}`)!.text);
      expect(fresh.etag).toBe(served.get(`${a}-${b}`)!.etag);
    }
    // And writes them again after answering.
    await waitFor(() => pairFiles().length >= 3, 'the pairs written again');
  });

  it('never serves a corrupted or truncated file: computes the redline again and rewrites it', async () => {
    const expected = await redline(1, 3);
    await waitFor(() => pairFiles().length >= 3, 'the pair files');
    const files = pairFiles().map((f) => join(pairsDir(), f));
    const file = files.find((f) => bodyOf(f) === expected.text)!;
    expect(file).toBeDefined();
    const good = readFileSync(file);
    // One byte changed in the body (same length): the digest no longer matches.
    const corrupted = Buffer.from(good);
    corrupted[corrupted.length - 2] = corrupted[corrupted.length - 2] === 0x31 ? 0x32 : 0x31;
    writeFileSync(file, corrupted);
    await server.restart();
    expect((await redline(1, 3)).text).toBe(expected.text);
    await waitFor(() => readFileSync(file).equals(good), 'the corrupted file rewritten');
    // Cut in half.
    writeFileSync(file, good.subarray(0, good.length >> 1));
    await server.restart();
    const again = await redline(1, 3);
    expect(again.text).toBe(expected.text);
    expect(again.etag).toBe(expected.etag);
    await waitFor(() => readFileSync(file).equals(good), 'the truncated file rewritten');
  });

  it('precomputes for a freeze without the freeze waiting for it', async () => {
    const chair = await server.createUser('chair');
    const before = pairFiles().length;
    const count = ((await (await server.api('/api/documents/gpp/versions')).json()) as unknown[]).length;
    const frozen = await server.api('/api/documents/gpp/versions', { method: 'POST', token: chair.token, body: { label: 'Pairs' } });
    expect(frozen.status).toBe(201);
    const { number } = (await frozen.json()) as { number: number };
    expect(number).toBe(count + 1);
    await waitFor(() => pairFiles().length >= before + count, 'the new version’s pairs');
    const text = (await redline(1, number)).text;
    expect(pairFiles().some((f) => bodyOf(join(pairsDir(), f)) === text)).toBe(true);
  });
});

describe('recording a version does not wait for its precomputed redlines', () => {
  it('answers while the redline task is held, and the pairs appear once it runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-pairs-'));
    try {
      const key = loadOrCreateLogKey(dir, 'test.accord.example/log');
      const store = openSqliteStore(join(dir, 'accord.sqlite'), key.signCheckpoint);
      const rooms = new Rooms(store.updates, { compactEvery: 500, log: () => {} });
      const documents = new DocumentService(store, rooms);
      const transparency = new TransparencyLog(store, key);
      const prepared = { dir: preparedDir(join(dir, 'redline')) };
      // The real renderer behind a gate: redline tasks wait until it opens.
      let open!: () => void;
      const gate = new Promise<void>((r) => (open = r));
      let held = 0;
      const render: TaskRunner = async <T extends Task>(task: T): Promise<ResultOf<T>> => {
        if (task.kind === 'redline') {
          held += 1;
          await gate;
        }
        return runTask(task);
      };
      let exports!: ExportService;
      const precomputed: Promise<unknown>[] = [];
      const prepare = async (v: { docId: string; number: number; contentHash: string; contentJson: string }) => {
        await runTask({ kind: 'prepare', hash: v.contentHash, content: v.contentJson, dir: prepared.dir });
        precomputed.push(exports.precomputeRedlines(v.docId, v.number));
      };
      const versions = new VersionService(store, documents, undefined, prepare);
      exports = new ExportService(documents, versions, transparency, new BundleService(store, documents, transparency, runTask), render, prepared);
      const md = (word: string) => `# Pairs\n\n## One {#one}\n\nThe ${word} text of the first section.\n`;
      await documents.create('p', 'Pairs', md('first'));
      const doc = (word: string) => parseMarkdown(md(word)).doc;
      for (const word of ['first', 'second', 'third']) {
        await versions.record('p', 'Pairs', doc(word), word, null, IMPORT_ACTOR);
      }
      // All three recorded, while the precompute's redline task is still held.
      await waitForInProcess(() => held > 0);
      const pairs = join(prepared.dir, 'pairs');
      expect(existsSync(pairs) ? readdirSync(pairs) : []).toHaveLength(0);
      open();
      await waitForInProcess(() => precomputed.length === 3);
      const written = await Promise.all(precomputed);
      expect(written.map((w) => (w as { pairs: number }).pairs)).toEqual([0, 1, 2]);
      expect(readdirSync(pairs).filter((f) => f.endsWith('.json'))).toHaveLength(3);
      // What the route would send is what was written.
      const served = await exports.renderRedline('p', 1, 3, 'json');
      const files = readdirSync(pairs).map((f) => bodyOf(join(pairs, f)));
      expect(files).toContain(served.body.toString());
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

async function waitForInProcess(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('timed out');
}

describe('pair files', () => {
  it('serve only the key they were written for, whole, and are bounded in all, oldest first out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-pair-files-'));
    try {
      const files = new RedlinePairFiles(join(dir, 'pairs'));
      const body = (n: number) => Buffer.from(JSON.stringify({ pair: n, text: 'x'.repeat(1000) }));
      for (const n of [1, 2, 3]) {
        await files.write(`key ${n}`, body(n));
        // (Distinct write times for the order.)
        await new Promise((r) => setTimeout(r, 20));
      }
      expect((await files.read('key 2'))?.equals(body(2))).toBe(true);
      expect(statSync(files.fileOf('key 2')).mode & 0o777).toBe(0o600);
      // A file under another key's name (a stale or foreign key) is not served.
      writeFileSync(files.fileOf('key 4'), readFileSync(files.fileOf('key 1')));
      expect(await files.read('key 4')).toBeNull();
      rmSync(files.fileOf('key 4'));
      expect(await files.read('key 5')).toBeNull();
      // Room for two: the first written goes.
      const size = statSync(files.fileOf('key 1')).size;
      expect(await files.prune(2 * size)).toBe(1);
      expect(await files.read('key 1')).toBeNull();
      expect((await files.read('key 3'))?.equals(body(3))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
