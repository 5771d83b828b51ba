// Issue 14, operations on the embedded default (SQLite, one process):
// /healthz and /readyz, /metrics in Prometheus' text format, graceful
// shutdown (clients told 1012 and everything stored), and `accord backup` /
// `accord restore` whose restored copy serves a log that `accord verify` accepts.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from './helpers/server';
import { connect, paragraphText, textOf, waitFor } from './helpers/ws';
import { main } from '../cli/main';
import { openSqliteStore } from '../server/store/sqlite';
import * as Y from 'yjs';
import WebSocket from 'ws';

const dirs: string[] = [];
const servers: TestServer[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'accord-ops-'));
  dirs.push(d);
  return d;
};
afterAll(async () => {
  for (const s of servers) await s.close().catch(() => {});
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const log = console.log;
  console.log = () => {};
  try {
    return await fn();
  } finally {
    console.log = log;
  }
}

describe('operations', () => {
  it('/healthz, /readyz and /metrics', async () => {
    const s = await startTestServer();
    servers.push(s);
    expect((await s.api('/healthz')).status).toBe(200);
    const ready = await s.api('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok' } });
    const editor = await s.createUser('editor');
    const client = await connect(s.wsUrl, 'gpp', editor.token);
    const t = paragraphText(client.doc, 'security');
    t.insert(t.length, ' Metered.');
    const watcher = await connect(s.wsUrl, 'gpp', editor.token);
    await waitFor(() => watcher.text().includes('Metered.'), 10_000, 'the edit relayed');
    const metrics = await (await s.api('/metrics')).text();
    for (const name of ['accord_connections 2', 'accord_rooms 1', 'accord_log_size 3', 'accord_store_append_ms_bucket', 'accord_relay_ms_count', 'accord_process_']) {
      expect(metrics).toContain(name);
    }
    expect(Number(/accord_updates_stored_total (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
    client.destroy();
    watcher.destroy();
  });

  it('/readyz is 503 while Redis does not answer; /healthz stays 200', async () => {
    const s = await startTestServer({ config: { redisUrl: 'redis://127.0.0.1:1' } });
    servers.push(s);
    expect((await s.api('/healthz')).status).toBe(200);
    const ready = await s.api('/readyz');
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { checks: Record<string, string> };
    expect(body.checks.database).toBe('ok');
    expect(body.checks.redis).not.toBe('ok');
  });

  it('graceful shutdown: clients are told 1012 (reconnect elsewhere), new ones refused, everything stored', async () => {
    const s = await startTestServer();
    const editor = await s.createUser('editor');
    const client = await connect(s.wsUrl, 'gpp', editor.token);
    let code = 0;
    client.provider.ws?.addEventListener('close', (e) => (code = (e as CloseEvent).code));
    const t = paragraphText(client.doc, 'security');
    for (let i = 0; i < 20; i++) t.insert(t.length, ` [g${i}]`);
    const dataDir = s.dataDir;
    const down = s.server.shutdown(2_000);
    // Meanwhile a newcomer is refused with 503: it goes to another process.
    const refused = await new Promise<number>((resolve) => {
      const late = new WebSocket(`${s.wsUrl}/collab/gpp?token=${editor.token}`);
      late.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      late.on('open', () => resolve(101));
      late.on('error', () => {});
    });
    expect(refused).toBe(503);
    await down;
    await waitFor(() => code !== 0, 5_000, 'the close frame');
    expect(code).toBe(1012);
    client.destroy();
    const store = openSqliteStore(join(dataDir, 'accord.sqlite'), () => 'unused');
    const stored = await store.updates.load('gpp');
    await store.close();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.mergeUpdates(stored.snapshot ? [stored.snapshot, ...stored.tail] : stored.tail));
    expect(textOf(doc).match(/\[g\d+\]/g)).toHaveLength(20);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('accord backup (online) and accord restore: the restored server serves the same log, and accord verify accepts its bundle', async () => {
    const s = await startTestServer();
    servers.push(s);
    const editor = await s.createUser('editor');
    expect((await s.api('/api/documents/gpp/versions', { method: 'POST', token: editor.token, body: { label: 'Before the backup' } })).status).toBe(201);
    const backup = join(tempDir(), 'backup');
    expect(await quietly(() => main(['backup', backup, '--data-dir', s.dataDir]))).toBe(0);
    expect(statSync(join(backup, 'accord.sqlite')).mode & 0o777).toBe(0o600);
    expect(statSync(join(backup, 'log-signing-key')).mode & 0o777).toBe(0o600);
    const checkpoint = await (await s.api('/api/log/checkpoint')).text();
    const key = (await (await s.api('/api/log/key')).text()).trim();

    const restoredDir = join(tempDir(), 'restored');
    expect(await quietly(() => main(['restore', backup, '--data-dir', restoredDir]))).toBe(0);
    // Never over an existing database.
    const errors: string[] = [];
    const error = console.error;
    console.error = (m: string) => errors.push(m);
    expect(await main(['restore', backup, '--data-dir', restoredDir])).toBe(1);
    console.error = error;
    expect(errors.join('\n')).toMatch(/already holds a database/);

    const restored = await startTestServer({ dataDir: restoredDir });
    servers.push(restored);
    expect((await (await restored.api('/api/log/key')).text()).trim()).toBe(key);
    expect(await (await restored.api('/api/log/checkpoint')).text()).toBe(checkpoint);
    const bundleFile = join(tempDir(), 'bundle.json');
    writeFileSync(bundleFile, await (await restored.api('/api/documents/gpp/bundle')).text());
    expect(await quietly(() => main(['verify', bundleFile, '--key', key]))).toBe(0);
  });
});

describe('structured logs', () => {
  it('ACCORD_LOG_FORMAT=json: one JSON object per line, with time, level and process id', async () => {
    const { logLine } = await import('../server/logging');
    const parsed = JSON.parse(logLine('json', 'info', 'serving on http://x')) as Record<string, unknown>;
    expect(parsed).toMatchObject({ level: 'info', pid: process.pid, msg: 'serving on http://x' });
    expect(typeof parsed.time).toBe('string');
    expect(logLine('text', 'error', 'boom')).toBe('[accord] boom');
  });
});
