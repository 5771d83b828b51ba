// A redline over HTTP from prepared texts (issue #16): every version is
// prepared when it is recorded and kept by content hash in DATA_DIR/redline;
// the JSON is exactly the engine's redline of the two stored texts whether the
// worker holds the prepared texts, reads them from disk after a restart, or
// has to be sent the texts (files gone or unreadable); a stale engine's
// directory is removed; the JSON carries a strong ETag.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redline } from '../core/redline/index';
import type { PMJSON } from '../core/schema';
import { startTestServer, type TestServer } from './helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const root = () => join(server.dataDir, 'redline');
const engineDir = () => join(root(), readdirSync(root()).find((d) => d.startsWith('engine-'))!);
const prepFiles = () => readdirSync(engineDir()).filter((f) => f.endsWith('.prep'));

interface VersionView {
  number: number;
  label: string;
  title: string;
  content: PMJSON;
}

async function versionCount(): Promise<number> {
  return ((await (await server.api('/api/documents/gpp/versions')).json()) as unknown[]).length;
}

/** Waits until the seed import's versions are prepared (a worker task after each is recorded). */
async function preparedAll(count: number): Promise<void> {
  // (Generous: on a loaded machine the worker takes seconds to start.)
  for (let i = 0; i < 1200; i++) {
    if (existsSync(root()) && readdirSync(root()).some((d) => d.startsWith('engine-')) && prepFiles().length >= count) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('versions were not prepared');
}

/** The JSON text of the redline the engine computes from the two stored versions, as the route names them. */
async function expectedText(from: number, to: number): Promise<string> {
  const side = async (n: number) => {
    const v = (await (await server.api(`/api/documents/gpp/versions/${n}`)).json()) as VersionView;
    return { ref: n, label: `Version ${v.number}: ${v.label}`, title: v.title, doc: v.content };
  };
  return JSON.stringify(redline(await side(from), await side(to)));
}

const expected = async (from: number, to: number): Promise<unknown> => JSON.parse(await expectedText(from, to));

async function redlineJson(from: number, to: number): Promise<{ status: number; body: unknown; etag: string | null }> {
  const res = await server.api(`/api/documents/gpp/redline?from=${from}&to=${to}&format=json`);
  return { status: res.status, body: await res.json(), etag: res.headers.get('etag') };
}

describe('redline JSON from prepared texts', () => {
  it('prepares every recorded version and serves the engine redline of the stored texts, with an ETag', async () => {
    const count = await versionCount();
    expect(count).toBeGreaterThanOrEqual(3);
    await preparedAll(count);
    // The first request (rendered from the prepared texts) and the second (cached): byte for byte the engine's JSON.
    const cold = await server.api('/api/documents/gpp/redline?from=1&to=2&format=json');
    expect(cold.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await cold.text()).toBe(await expectedText(1, 2));
    const r = await redlineJson(1, 2);
    expect(r.status).toBe(200);
    expect(r.body).toEqual(await expected(1, 2));
    expect(r.etag).toBe(cold.headers.get('etag'));
    expect(r.etag).toMatch(/^"[\w-]{20,}"$/);
    // (fetch adds `Cache-Control: no-cache` to a conditional request unless told otherwise; a browser revalidating does not.)
    const again = await server.api('/api/documents/gpp/redline?from=1&to=2&format=json', { headers: { 'if-none-match': r.etag!, 'cache-control': 'max-age=0' } });
    expect(again.status).toBe(304);
  });

  it('reads prepared texts from disk after a restart, and removes another engine’s directory', async () => {
    mkdirSync(join(root(), 'engine-0000000000000000'), { recursive: true });
    // (Without the precomputed redlines of pairs, tests/redline-pairs.test.ts, so the texts are what is read.)
    rmSync(join(engineDir(), 'pairs'), { recursive: true, force: true });
    await server.restart();
    expect(readdirSync(root()).filter((d) => d.startsWith('engine-'))).toHaveLength(1);
    const r = await redlineJson(1, 3);
    expect(r.body).toEqual(await expected(1, 3));
  });

  it('is sent the texts when their prepared forms are gone or unreadable, and prepares them again', async () => {
    const files = prepFiles();
    rmSync(join(engineDir(), files[0]!));
    for (const f of files.slice(1)) writeFileSync(join(engineDir(), f), 'not a prepared text');
    rmSync(join(engineDir(), 'pairs'), { recursive: true, force: true });
    await server.restart();
    const count = await versionCount();
    for (const [a, b] of [
      [2, 3],
      [3, 1],
    ] as const) {
      const r = await redlineJson(a, b);
      expect(r.status).toBe(200);
      expect(r.body).toEqual(await expected(a, b));
    }
    // What was sent is prepared and kept again (the format's magic: "ARP", format 2).
    const hashes = ((await (await server.api('/api/documents/gpp/versions')).json()) as { number: number; contentHash: string }[]).filter((v) => v.number <= 3);
    expect(hashes).toHaveLength(Math.min(3, count));
    // (Written by the worker right after it answered.)
    const magic = (hash: string) => {
      const file = join(engineDir(), `${hash.slice('sha256:'.length)}.prep`);
      return existsSync(file) ? [...readFileSync(file).subarray(0, 4)].join(',') : 'missing';
    };
    for (let i = 0; i < 1200 && !hashes.every((v) => magic(v.contentHash) === '65,82,80,2'); i++) await new Promise((r) => setTimeout(r, 25));
    for (const v of hashes) expect(magic(v.contentHash)).toBe('65,82,80,2');
    rmSync(join(engineDir(), 'pairs'), { recursive: true, force: true });
    await server.restart();
    expect((await redlineJson(1, 2)).body).toEqual(await expected(1, 2));
  });
});
