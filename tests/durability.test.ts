import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServer, type ServerProcess } from './helpers/process';
import { connect, paragraphText, waitFor } from './helpers/ws';

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
});
