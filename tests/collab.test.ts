import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';
import { connect, paragraphText, sleep, waitFor } from './helpers/ws';

let server: TestServer;
let editorA: TestUser;
let editorB: TestUser;
let observer: TestUser;
let stakeholder: TestUser;

beforeAll(async () => {
  server = await startTestServer({ config: { compactEvery: 50 } });
  editorA = await server.createUser('editor', 'Alice');
  editorB = await server.createUser('editor', 'Bob');
  observer = await server.createUser('observer', 'Olga');
  stakeholder = await server.createUser('stakeholder', 'Sam');
});
afterAll(() => server.close());

describe('live collaboration', () => {
  it('two stock WebsocketProvider clients converge', async () => {
    const a = await connect(server.wsUrl, 'gpp', editorA.token);
    const b = await connect(server.wsUrl, 'gpp', editorB.token);
    expect(a.text()).toBe(b.text());
    paragraphText(a.doc, 'privacy').insert(0, 'ALPHA ');
    paragraphText(b.doc, 'privacy').insert(0, 'BETA ');
    paragraphText(b.doc, 'security').insert(0, 'GAMMA ');
    await waitFor(() => a.text() === b.text() && a.text().includes('GAMMA') && b.text().includes('ALPHA'));
    const view = (await (await server.api('/api/documents/gpp')).json()) as { markdown: string };
    expect(view.markdown).toContain('ALPHA');
    expect(view.markdown).toContain('GAMMA');
    a.destroy();
    b.destroy();
  });

  it("an observer's and a stakeholder's edits are not applied, stored or relayed", async () => {
    const editor = await connect(server.wsUrl, 'gpp', editorA.token);
    const obs = await connect(server.wsUrl, 'gpp', observer.token);
    const sh = await connect(server.wsUrl, 'gpp', stakeholder.token);
    const denied: string[] = [];
    obs.provider.on('connection-error', () => undefined);
    const before = editor.text();
    const db = new Database(join(server.dataDir, 'accord.sqlite'), { readonly: true });
    const count = () => (db.prepare('SELECT count(*) AS n FROM updates').get() as { n: number }).n;
    const storedBefore = count();
    const origWarn = console.warn;
    console.warn = (...args: unknown[]) => denied.push(args.map(String).join(' '));
    try {
      paragraphText(obs.doc, 'privacy').insert(0, 'OBSERVER-WAS-HERE ');
      paragraphText(sh.doc, 'transparency').insert(0, 'STAKEHOLDER-WAS-HERE ');
      await waitFor(() => denied.length >= 2, 5000, 'permission denied messages');
    } finally {
      console.warn = origWarn;
    }
    // The editor makes a change afterwards: if anything had been relayed, it would have arrived first.
    paragraphText(editor.doc, 'security').insert(0, 'AFTER ');
    await sleep(300);
    expect(editor.text()).not.toContain('OBSERVER-WAS-HERE');
    expect(editor.text()).not.toContain('STAKEHOLDER-WAS-HERE');
    expect(editor.text().length).toBe(before.length + 'AFTER '.length);
    expect(count()).toBe(storedBefore + 1);
    expect(denied.join('\n')).toMatch(/Permission denied/i);
    const view = (await (await server.api('/api/documents/gpp')).json()) as { markdown: string };
    expect(view.markdown).not.toContain('WAS-HERE');
    db.close();
    editor.destroy();
    obs.destroy();
    sh.destroy();
  });

  it('presence (awareness) flows for read-only connections too', async () => {
    const editor = await connect(server.wsUrl, 'gpp', editorA.token);
    const obs = await connect(server.wsUrl, 'gpp', observer.token);
    obs.provider.awareness.setLocalStateField('user', { name: 'Someone Else', organization: 'Spoofed', color: '#123456' });
    const presence = () => [...editor.provider.awareness.getStates().values()].map((s) => s.user as Record<string, string> | undefined);
    await waitFor(() => presence().some((u) => u?.id === observer.id));
    // The server stamps the account's identity over whatever the client claimed.
    expect(presence().find((u) => u?.id === observer.id)).toMatchObject({ name: 'Olga', organization: observer.organization, role: 'observer', color: '#123456' });
    editor.destroy();
    obs.destroy();
  });

  it('refuses upgrades without identity, with a bad token, or for unknown documents', async () => {
    const WebSocket = (await import('ws')).default;
    const status = (url: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url);
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
        ws.on('error', () => undefined);
      });
    expect(await status(`${server.wsUrl}/collab/gpp`)).toBe(401);
    expect(await status(`${server.wsUrl}/collab/gpp?token=nope-nope-nope`)).toBe(401);
    expect(await status(`${server.wsUrl}/collab/unknown-doc?token=${editorA.token}`)).toBe(404);
    expect(await status(`${server.wsUrl}/collab/gpp?token=${editorA.token}`)).toBe(101);
  });

  it('a malformed frame closes only its own connection and harms nothing', async () => {
    const WebSocket = (await import('ws')).default;
    const good = await connect(server.wsUrl, 'gpp', editorB.token);
    const before = good.text();
    const bad = new WebSocket(`${server.wsUrl}/collab/gpp?token=${editorA.token}`);
    await new Promise((r) => bad.on('open', r));
    const closed = new Promise<number>((r) => bad.on('close', (code) => r(code)));
    bad.send(Buffer.from([0, 2, 50, 1, 2, 3, 255, 255, 255]));
    expect(await closed).toBe(1007);
    paragraphText(good.doc, 'privacy').insert(0, 'STILL ');
    await sleep(200);
    const view = (await (await server.api('/api/documents/gpp')).json()) as { markdown: string };
    expect(view.markdown).toContain('STILL');
    expect(good.text().length).toBe(before.length + 'STILL '.length);
    expect(good.provider.wsconnected).toBe(true);
    good.destroy();
  });

  it('restart reloads from the compacted snapshot plus the tail', async () => {
    const a = await connect(server.wsUrl, 'gpp', editorA.token);
    const text = paragraphText(a.doc, 'transparency');
    for (let i = 0; i < 120; i++) text.insert(0, `e${i} `);
    await sleep(100);
    const expected = a.text();
    const b = await connect(server.wsUrl, 'gpp', editorB.token);
    await waitFor(() => b.text() === expected);
    a.destroy();
    b.destroy();
    await server.restart();
    const db = new Database(join(server.dataDir, 'accord.sqlite'), { readonly: true });
    const snap = db.prepare("SELECT upto FROM snapshots WHERE doc_id = 'gpp'").get() as { upto: number } | undefined;
    const tail = (db.prepare("SELECT count(*) AS n FROM updates WHERE doc_id = 'gpp'").get() as { n: number }).n;
    db.close();
    expect(snap).toBeDefined();
    expect(tail).toBeLessThan(50);
    const c = await connect(server.wsUrl, 'gpp', editorA.token);
    expect(c.text()).toBe(expected);
    c.destroy();
  });
});
