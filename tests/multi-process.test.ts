// Issue 14: three server processes on one PostgreSQL and one Redis serve the
// same documents, the same accounts and one signed log. Editors on different
// processes converge and see each other's presence; an amendment accepted
// through one process is live on the others; a version frozen through one is
// in the one log every process serves; a kill -9 during a burst loses nothing
// any client saw (it is in PostgreSQL) and clients reconnect to another
// process; a rolling restart under typing loses nothing and disconnects each
// client at most once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { spawnServer, type ServerProcess } from './helpers/process';
import { connect, paragraphText, textOf, waitFor, type Client } from './helpers/ws';
import { createTestDatabase, type TestDatabase } from './helpers/postgres';
import { openPostgresStore } from '../server/store/postgres';
import { verifyBundle, type Bundle } from '../core/bundle';
import { verifyNote } from '../core/tlog/note';
import { parseCheckpoint } from '../core/tlog/checkpoint';
import { readSignal } from '../core/signals';
import type * as decoding from 'lib0/decoding';

const REDIS_URL = process.env.ACCORD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ADMIN = 'multi-process-admin-token';

let db: TestDatabase;
const dirs: string[] = [];
const procs: (ServerProcess | undefined)[] = [];
let env: (i: number) => Record<string, string>;
const clients: Client[] = [];
let editorToken: string;
let stakeholderToken: string;

const markers = (text: string, tag: string) => new Set(text.match(new RegExp(`\\[${tag}\\d+\\]`, 'g')) ?? []);

/** The live text as PostgreSQL holds it, read straight from the store. */
async function storedText(): Promise<string> {
  const store = await openPostgresStore(db.url, () => 'unused', { max: 1 });
  try {
    const stored = await store.updates.load('gpp');
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.mergeUpdates(stored.snapshot ? [stored.snapshot, ...stored.tail] : stored.tail));
    return textOf(doc);
  } finally {
    await store.close();
  }
}

async function api(base: string, path: string, token: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

const wsOf = (p: ServerProcess) => p.url.replace('http', 'ws');

/** A stock provider on an existing document (a client that reconnects elsewhere keeps its Y.Doc). */
function attach(doc: Y.Doc, p: ServerProcess, token: string): WebsocketProvider {
  return new WebsocketProvider(`${wsOf(p)}/collab`, 'gpp', doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token },
    disableBc: true,
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  const shared = mkdtempSync(join(tmpdir(), 'accord-multi-'));
  dirs.push(shared);
  const prefix = `accord-test-${randomBytes(6).toString('hex')}`;
  env = (i) => ({
    DATA_DIR: join(shared, `p${i}`),
    ACCORD_DATABASE_URL: db.url,
    ACCORD_REDIS_URL: REDIS_URL,
    ACCORD_REDIS_PREFIX: prefix,
    ACCORD_LOG_KEY_FILE: join(shared, 'log-signing-key'),
    ACCORD_ADMIN_TOKEN: ADMIN,
    ACCORD_COMPACT_EVERY: '40',
  });
  // All three start at once: migrations, the key file and the seed import happen once.
  procs.push(...(await Promise.all([0, 1, 2].map((i) => spawnServer(env(i))))));
  const made = await api(procs[0]!.url, '/api/users', ADMIN, { name: 'Ed', email: 'ed@example.org', organization: 'Org', stakeholderGroup: 'academia', role: 'editor' });
  editorToken = made.json.token;
  const sam = await api(procs[1]!.url, '/api/users', ADMIN, { name: 'Sam', email: 'sam@example.org', organization: 'NGO', stakeholderGroup: 'civil-society', role: 'stakeholder' });
  stakeholderToken = sam.json.token;
}, 120_000);

afterAll(async () => {
  for (const c of clients) c.destroy();
  await Promise.all(procs.map((p) => p?.stop()));
  await db?.drop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}, 60_000);

describe('three processes on one PostgreSQL and one Redis', () => {
  it('started together: one seed import, one key, one log', async () => {
    const keys = await Promise.all(procs.map(async (p) => (await fetch(`${p!.url}/api/log/key`)).text()));
    expect(new Set(keys).size).toBe(1);
    const docs = await api(procs[2]!.url, '/api/documents', editorToken);
    expect(docs.json.map((d: { id: string }) => d.id)).toEqual(['gpp']);
    const versions = await api(procs[0]!.url, '/api/documents/gpp/versions', editorToken);
    const numbers: number[] = versions.json.map((v: { number: number }) => v.number);
    expect(numbers).toEqual([...new Set(numbers)].sort((a, b) => a - b));
    for (const p of procs) expect((await fetch(`${p!.url}/readyz`)).status).toBe(200);
  });

  it('editors on different processes converge, and presence shows everyone', async () => {
    const cs = await Promise.all(procs.map((p) => connect(wsOf(p!), 'gpp', editorToken)));
    clients.push(...cs);
    cs.forEach((c, i) => c.provider.awareness.setLocalStateField('cursor', { at: i }));
    cs.forEach((c, i) => {
      const t = paragraphText(c.doc, 'security');
      for (let k = 0; k < 5; k++) t.insert(t.length, ` [c${i * 10 + k}]`);
    });
    for (const c of cs) await waitFor(() => markers(c.text(), 'c').size === 15, 15_000, 'every edit on every process');
    expect(new Set(cs.map((c) => c.text())).size).toBe(1);
    for (const c of cs) await waitFor(() => c.provider.awareness.getStates().size >= 3, 15_000, 'presence of all three');
    expect(markers(await storedText(), 'c').size).toBe(15);
  }, 60_000);

  it('an amendment accepted through A is live on B and C, with its signal', async () => {
    const [a, b, c] = clients;
    const t = paragraphText(a!.doc, 'security');
    t.insert(t.length, ' Every device ships with a unique password.');
    for (const cl of [b!, c!]) await waitFor(() => cl.text().includes('ships with a unique password'), 15_000, 'the quote on B and C');
    let signals = 0;
    for (const cl of [b!, c!]) (cl.provider.messageHandlers as unknown[])[100] = () => void signals++;
    const proposed = await api(procs[0]!.url, '/api/documents/gpp/amendments', stakeholderToken, {
      section: 'security',
      quote: 'ships with a unique password',
      proposed: 'ships with a unique password that can be changed',
      justification: 'Clearer.',
    });
    expect(proposed.status).toBe(201);
    const decided = await api(procs[0]!.url, `/api/documents/gpp/amendments/${proposed.json.id}/decision`, ADMIN, { decision: 'accept', reason: 'Agreed.' });
    expect(decided.status).toBe(200);
    for (const cl of [b!, c!]) await waitFor(() => cl.text().includes('a unique password that can be changed'), 15_000, 'the accepted text on B and C');
    await waitFor(() => signals >= 2, 10_000, 'the amendments signal on B and C');
    expect((await storedText()).includes('a unique password that can be changed')).toBe(true);
  }, 60_000);

  it('a version frozen through B is in the one log every process serves, and verifies; A and C clients hear of it', async () => {
    const heard: number[] = [];
    for (const cl of [clients[0]!, clients[2]!]) {
      (cl.provider.messageHandlers as unknown[])[100] = (_e: unknown, decoder: decoding.Decoder) => {
        const signal = readSignal(decoder);
        if (signal?.kind === 'versions') heard.push(signal.number);
      };
    }
    const made = await api(procs[1]!.url, '/api/documents/gpp/versions', editorToken, { label: 'Frozen on B' });
    expect(made.status).toBe(201);
    await waitFor(() => heard.length === 2, 10_000, 'the version signal on A and C');
    expect(heard).toEqual([made.json.number, made.json.number]);
    const key = (await (await fetch(`${procs[0]!.url}/api/log/key`)).text()).trim();
    const notes = await Promise.all(procs.map(async (p) => (await fetch(`${p!.url}/api/log/checkpoint`)).text()));
    const sizes = notes.map((n) => parseCheckpoint(verifyNote(n, key).text).size);
    expect(new Set(sizes).size).toBe(1);
    expect(sizes[0]).toBeGreaterThan(made.json.logIndex);
    const bundle = (await api(procs[2]!.url, '/api/documents/gpp/bundle', editorToken)).json as Bundle;
    const verdict = verifyBundle(bundle, { verifierKey: key });
    expect(verdict.ok, JSON.stringify(verdict)).toBe(true);
  }, 60_000);

  it('kill -9 of one process during a 300-edit burst: everything a client saw is in PostgreSQL; the writer reconnects elsewhere and nothing is lost', async () => {
    const writerDoc = new Y.Doc();
    let writer = attach(writerDoc, procs[0]!, editorToken);
    await waitFor(() => writer.synced, 10_000, 'writer sync');
    const watcher = await connect(wsOf(procs[1]!), 'gpp', editorToken);
    clients.push(watcher);
    const target = paragraphText(writerDoc, 'transparency');
    let sent = 0;
    const burst = (async () => {
      for (; sent < 300; sent++) {
        target.insert(target.length, ` [k${sent}]`);
        await new Promise((r) => setTimeout(r, 3));
      }
    })();
    await waitFor(() => markers(watcher.text(), 'k').size >= 100, 30_000, 'part of the burst on the watcher');
    await procs[0]!.kill9();
    const seenAtCrash = markers(watcher.text(), 'k');
    const stored = markers(await storedText(), 'k');
    for (const m of seenAtCrash) expect(stored.has(m), `${m} is in PostgreSQL`).toBe(true);
    writer.destroy();
    await burst;
    // The writer reconnects to C with its document: the union of every edit.
    writer = attach(writerDoc, procs[2]!, editorToken);
    await waitFor(() => writer.synced, 10_000, 'writer resync on C');
    await waitFor(() => markers(watcher.text(), 'k').size === 300, 20_000, 'all 300 edits on B');
    expect(markers(await storedText(), 'k').size).toBe(300);
    writer.destroy();
    writerDoc.destroy();
    procs[0] = await spawnServer(env(0), Number(new URL(procs[0]!.url).port));
  }, 120_000);

  it('a rolling restart of all three under typing loses nothing and disconnects each client at most once', async () => {
    const docs = [0, 1, 2].map(() => new Y.Doc());
    const providers = docs.map((d, i) => attach(d, procs[i]!, editorToken));
    const disconnects = [0, 0, 0];
    providers.forEach((p, i) =>
      p.on('status', ({ status }: { status: string }) => {
        if (status === 'disconnected') disconnects[i]!++;
      }),
    );
    for (const [i, p] of providers.entries()) {
      await waitFor(() => p.synced, 10_000, `sync with process ${i}`).catch((err: Error) => {
        throw new Error(`${err.message}\n${procs[i]!.output().slice(-3000)}`);
      });
    }
    let typing = true;
    let typed = 0;
    const load = (async () => {
      while (typing) {
        docs.forEach((d, i) => {
          const t = paragraphText(d, 'security');
          t.insert(t.length, ` [r${typed * 3 + i}]`);
        });
        typed++;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    for (let i = 0; i < 3; i++) {
      const port = Number(new URL(procs[i]!.url).port);
      await procs[i]!.stop(); // SIGTERM: drain, store, exit
      procs[i] = await spawnServer(env(i), port);
      await waitFor(() => providers[i]!.wsconnected && providers[i]!.synced, 20_000, `client ${i} back`);
    }
    typing = false;
    await load;
    const total = typed * 3;
    for (const d of docs) await waitFor(() => markers(textOf(d), 'r').size === total, 30_000, 'every typed edit everywhere');
    expect(markers(await storedText(), 'r').size).toBe(total);
    for (const n of disconnects) expect(n).toBeLessThanOrEqual(1);
    for (const p of providers) p.destroy();
    for (const d of docs) d.destroy();
  }, 180_000);
});
