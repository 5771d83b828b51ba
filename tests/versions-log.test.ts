import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { verifyBundle } from '../core/bundle';
import { decodeEntry } from '../core/log-entries';
import { decodeBase64 } from '../core/tlog/base64';
import { parseCheckpoint } from '../core/tlog/checkpoint';
import { leafHash, verifyConsistency, verifyInclusion } from '../core/tlog/merkle';
import { verifyNote } from '../core/tlog/note';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';
import { ROOT } from './helpers/process';

const run = promisify(execFile);
let server: TestServer;
let editor: TestUser;
let observer: TestUser;
const tmp = mkdtempSync(join(tmpdir(), 'accord-bundle-'));

beforeAll(async () => {
  server = await startTestServer();
  editor = await server.createUser('editor', 'Ed');
  observer = await server.createUser('observer', 'Obi');
});
afterAll(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

const text = async (path: string) => (await server.api(path)).text();
const json = async <T>(path: string) => (await (await server.api(path)).json()) as T;

async function checkpoint(): Promise<{ size: number; root: Uint8Array }> {
  const key = (await text('/api/log/key')).trim();
  const note = verifyNote(await text('/api/log/checkpoint'), key);
  const cp = parseCheckpoint(note.text);
  return { size: cp.size, root: cp.rootHash };
}

describe('versions and the signed log', () => {
  it('imports the drafts as versions 1..3 whose leaves are in the log', async () => {
    const { size, root } = await checkpoint();
    expect(size).toBe(3);
    const entries = await json<{ leaves: string[] }>('/api/log/entries?start=0&end=3');
    const kinds = entries.leaves.map((l) => decodeEntry(decodeBase64(l)));
    expect(kinds.map((e) => e.kind)).toEqual(['version', 'version', 'version']);
    for (let i = 0; i < size; i++) {
      const proof = await json<{ hashes: string[] }>(`/api/log/proof/inclusion?index=${i}&size=${size}`);
      expect(verifyInclusion(i, size, leafHash(decodeBase64(entries.leaves[i]!)), proof.hashes.map(decodeBase64), root)).toBe(true);
    }
  });

  it('freezes the live text as a version (chair, editor), appends a leaf and signs a new checkpoint', async () => {
    const before = await checkpoint();
    const res = await server.api('/api/documents/gpp/versions', { method: 'POST', token: editor.token, body: { label: 'IGF 2018 Paris outcome', meeting: 'IGF 2018, Paris' } });
    expect(res.status).toBe(201);
    const v = (await res.json()) as { number: number; label: string; contentHash: string; logIndex: number };
    expect(v).toMatchObject({ number: 4, label: 'IGF 2018 Paris outcome', logIndex: 3 });
    expect(v.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    const after = await checkpoint();
    expect(after.size).toBe(before.size + 1);
    const consistency = await json<{ hashes: string[] }>(`/api/log/proof/consistency?from=${before.size}&to=${after.size}`);
    expect(verifyConsistency(before.size, after.size, consistency.hashes.map(decodeBase64), before.root, after.root)).toBe(true);
    const full = await json<{ markdown: string; content: unknown; createdBy: { name: string } }>('/api/documents/gpp/versions/4');
    const live = await json<{ markdown: string }>('/api/documents/gpp');
    expect(full.markdown).toBe(live.markdown);
    expect(full.createdBy.name).toBe('Ed');
    const list = await json<{ number: number; createdAt: string }[]>('/api/documents/gpp/versions');
    expect(list.map((x) => x.number)).toEqual([1, 2, 3, 4]);
    expect(list.every((x) => typeof x.createdAt === 'string')).toBe(true);
    const denied = await server.api('/api/documents/gpp/versions', { method: 'POST', token: observer.token, body: { label: 'x' } });
    expect(denied.status).toBe(403);
    const bad = await server.api('/api/documents/gpp/versions', { method: 'POST', token: editor.token, body: { label: '' } });
    expect(bad.status).toBe(422);
  });

  it('rejects bad proof queries clearly', async () => {
    expect((await server.api('/api/log/proof/inclusion?index=x&size=2')).status).toBe(400);
    expect((await server.api('/api/log/proof/inclusion?index=5&size=2')).status).toBe(422);
    expect((await server.api('/api/log/proof/inclusion?index=0&size=999')).status).toBe(422);
    expect((await server.api('/api/log/proof/consistency?from=0&to=2')).status).toBe(422);
    expect((await server.api('/api/log/entries?start=0&end=999')).status).toBe(422);
  });

  it('serves a bundle that verifies in-process and with `npx accord verify`; tampering fails', async () => {
    const bundle = await json<Record<string, unknown>>('/api/documents/gpp/bundle');
    const key = (await text('/api/log/key')).trim();
    const result = verifyBundle(bundle, { verifierKey: key });
    expect(result.ok).toBe(true);
    const file = join(tmp, 'bundle.json');
    writeFileSync(file, JSON.stringify(bundle));
    const ok = await run(process.execPath, [join(ROOT, 'bin/accord.mjs'), 'verify', file, '--key', key], { cwd: ROOT });
    expect(ok.stdout).toMatch(/OK/);
    const noKey = await run(process.execPath, [join(ROOT, 'bin/accord.mjs'), 'verify', file], { cwd: ROOT });
    expect(noKey.stdout).toMatch(/key came from the bundle itself/);

    const versions = bundle.versions as { label: string; content: unknown }[];
    versions[1]!.label = 'A different label';
    const tampered = join(tmp, 'tampered.json');
    writeFileSync(tampered, JSON.stringify(bundle));
    const failed = await run(process.execPath, [join(ROOT, 'bin/accord.mjs'), 'verify', tampered, '--key', key], { cwd: ROOT }).catch((e: { code: number; stderr: string }) => e);
    expect('code' in failed && failed.code).toBe(1);
    expect((failed as { stderr: string }).stderr).toMatch(/version 2/);
  });
});
