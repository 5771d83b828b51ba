import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServer, type ServerProcess } from './helpers/process';
import { connect, paragraphText, waitFor } from './helpers/ws';
import { verifyBundle } from '../core/bundle';
import { decodeEntry } from '../core/log-entries';
import { decodeBase64 } from '../core/tlog/base64';
import { parseCheckpoint } from '../core/tlog/checkpoint';
import { verifyNote } from '../core/tlog/note';

const dataDir = mkdtempSync(join(tmpdir(), 'accord-crash-'));
const env = { DATA_DIR: dataDir, ACCORD_ADMIN_TOKEN: 'crash-test-admin-token', ACCORD_COMPACT_EVERY: '40' };
let proc: ServerProcess | undefined;
afterAll(async () => {
  await proc?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('durability', () => {
  it('a kill -9 during a burst of 300 edits loses none that a second client has seen', async () => {
    proc = await spawnServer(env);
    const res = await fetch(`${proc.url}/api/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.ACCORD_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ed', email: 'ed@example.org', organization: 'Org', stakeholderGroup: 'academia', role: 'editor' }),
    });
    const { token } = (await res.json()) as { token: string };
    const ws = proc.url.replace('http', 'ws');
    const writer = await connect(ws, 'gpp', token);
    const watcher = await connect(ws, 'gpp', token);
    const seen = () => new Set(watcher.text().match(/\[k\d+\]/g) ?? []);

    const target = paragraphText(writer.doc, 'security');
    let sent = 0;
    const burst = (async () => {
      for (; sent < 300; sent++) {
        target.insert(target.length, ` [k${sent}]`);
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    await waitFor(() => seen().size >= 150, 20_000, 'half the burst to reach the watcher');
    await proc.kill9();
    const seenAtCrash = seen();
    writer.destroy();
    watcher.destroy();
    await burst;
    expect(seenAtCrash.size).toBeGreaterThanOrEqual(150);

    proc = await spawnServer(env);
    const reader = await connect(proc.url.replace('http', 'ws'), 'gpp', token);
    const after = new Set(reader.text().match(/\[k\d+\]/g) ?? []);
    for (const marker of seenAtCrash) expect(after.has(marker), `${marker} survived`).toBe(true);
    reader.destroy();
  });

  it('a kill -9 while versions are being created leaves a log that verifies, every version with its leaf', async () => {
    await proc?.stop();
    proc = await spawnServer(env);
    const url = proc.url;
    const post = (i: number) =>
      fetch(`${url}/api/documents/gpp/versions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${env.ACCORD_ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ label: `crash ${i}` }),
      }).then((r) => r.status, () => 0);
    let created = 0;
    const load = (async () => {
      for (let i = 0; i < 400; i++) if ((await Promise.all([post(i), post(i + 1000)])).includes(201)) created++;
    })();
    await waitFor(() => created >= 10, 20_000, 'some versions');
    await proc.kill9();
    await load;

    proc = await spawnServer(env);
    const get = async (path: string) => (await fetch(`${proc!.url}${path}`)).text();
    const key = (await get('/api/log/key')).trim();
    const cp = parseCheckpoint(verifyNote(await get('/api/log/checkpoint'), key).text);
    const versions = JSON.parse(await get('/api/documents/gpp/versions')) as { number: number; logIndex: number; contentHash: string }[];
    expect(versions.length).toBeGreaterThanOrEqual(13);
    expect(versions.map((v) => v.number)).toEqual(versions.map((_, i) => i + 1));
    expect(cp.size).toBeGreaterThanOrEqual(versions.length);
    const leaves: string[] = [];
    for (let start = 0; start < cp.size; start += 1000) {
      leaves.push(...(JSON.parse(await get(`/api/log/entries?start=${start}&end=${Math.min(cp.size, start + 1000)}`)) as { leaves: string[] }).leaves);
    }
    const versionLeaves = leaves.map((l) => decodeEntry(decodeBase64(l))).filter((e) => e.kind === 'version');
    expect(versionLeaves.length).toBe(versions.length);
    for (const v of versions) {
      const entry = decodeEntry(decodeBase64(leaves[v.logIndex]!));
      expect(entry).toMatchObject({ kind: 'version', number: v.number, contentHash: v.contentHash });
    }
    const bundle = JSON.parse(await get('/api/documents/gpp/bundle')) as unknown;
    expect(verifyBundle(bundle, { verifierKey: key })).toMatchObject({ ok: true });
  });
});
