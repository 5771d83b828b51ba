// Per-connection limits over a real server: a flooding connection is slowed
// (its frames are handled at the configured rate, others unaffected), a
// client that asks for the document and does not read gets one answer at a
// time instead of growing the server's memory, and presence over the size cap never reaches anyone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';
import { connect, paragraphText, sleep, waitFor } from './helpers/ws';
import { syncStep1Frame } from './helpers/y-frames';

let server: TestServer;
let editor: TestUser;
let observer: TestUser;

beforeAll(async () => {
  server = await startTestServer({
    config: { collabLimits: { framesPerSecond: 50, frameBurst: 50, maxBufferedBytes: 1024 * 1024, maxQueuedFrames: 5000 } },
  });
  editor = await server.createUser('editor');
  observer = await server.createUser('observer');
});
afterAll(async () => {
  await server.close();
});

function open(token: string): Promise<WebSocket> {
  return openOn(server, token);
}

function openOn(s: TestServer, token: string): Promise<WebSocket> {
  const ws = new WebSocket(`${s.wsUrl}/collab/gpp?token=${token}`);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

const QUERY_AWARENESS = new Uint8Array([3]);

describe('per-connection limits', () => {
  it('a flood is slowed to the configured rate, without affecting another editor', async () => {
    const flooder = await open(observer.token);
    let answers = 0;
    flooder.on('message', (data: Buffer) => {
      if (data[0] === 1) answers++;
    });
    await sleep(200);
    const base = answers;
    const start = Date.now();
    for (let i = 0; i < 400; i++) flooder.send(QUERY_AWARENESS);

    const a = await connect(server.wsUrl, 'gpp', editor.token);
    const b = await connect(server.wsUrl, 'gpp', editor.token);
    const t0 = Date.now();
    paragraphText(a.doc, 'security').insert(0, 'during the flood ');
    await waitFor(() => b.text().includes('during the flood'), 3000, 'relay during flood');
    const relayMs = Date.now() - t0;

    await sleep(1000 - (Date.now() - start));
    const inFirstSecond = answers - base;
    // Burst 50 plus 50 per second, with a little slack for timer granularity.
    expect(inFirstSecond).toBeGreaterThan(40);
    expect(inFirstSecond).toBeLessThanOrEqual(115);
    expect(relayMs).toBeLessThan(1000);
    expect(flooder.readyState).toBe(WebSocket.OPEN);
    await waitFor(() => answers - base === 400, 15000, 'every flooded frame answered in the end');
    flooder.close();
    a.destroy();
    b.destroy();
  });

  it('a client that asks for the document again and again and does not read gets one answer at a time; the others are served meanwhile', async () => {
    // Its own server: default frame rates, a small buffer limit.
    const other = await startTestServer({ config: { collabLimits: { maxBufferedBytes: 1024 * 1024 } } });
    const ed = await other.createUser('editor');
    const ob = await other.createUser('observer');
    const reader = await openOn(other, ob.token);
    let answers = 0;
    reader.on('message', (data: Buffer) => {
      if (data[0] === 0 && data[1] === 1) answers++;
    });
    const step1 = syncStep1Frame();
    reader.send(step1);
    await waitFor(() => answers === 1, 3000, 'the first sync');
    // Stop reading: the kernel buffers fill; each answer is a full copy of the document.
    (reader as unknown as { _socket: { pause(): void } })._socket.pause();
    for (let i = 0; i < 400; i++) reader.send(step1);
    const a = await connect(other.wsUrl, 'gpp', ed.token);
    const b = await connect(other.wsUrl, 'gpp', ed.token);
    paragraphText(a.doc, 'privacy').insert(0, 'while one does not read ');
    await waitFor(() => b.text().includes('while one does not read'), 3000, 'relay');
    await sleep(500);
    (reader as unknown as { _socket: { resume(): void } })._socket.resume();
    await sleep(1500);
    // Answers stopped queueing once it fell behind: what it asked for meanwhile is one answer, sent when it read again.
    expect(answers).toBeGreaterThan(1);
    expect(answers).toBeLessThan(100);
    expect(reader.readyState).toBe(WebSocket.OPEN);
    reader.close();
    a.destroy();
    b.destroy();
    await other.close();
  });

  it('presence over the cap, or for another connection\'s client id, reaches no one', async () => {
    const watcher = await connect(server.wsUrl, 'gpp', editor.token);
    const sender = await open(observer.token);
    const frameOf = (clientId: number, state: unknown) => {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 1);
      // An awareness update as y-protocols encodes it: count, then client id, clock, JSON state.
      const u = encoding.createEncoder();
      encoding.writeVarUint(u, 1);
      encoding.writeVarUint(u, clientId);
      encoding.writeVarUint(u, 1);
      encoding.writeVarString(u, JSON.stringify(state));
      encoding.writeVarUint8Array(e, encoding.toUint8Array(u));
      return encoding.toUint8Array(e);
    };
    sender.send(frameOf(424242, { user: { name: 'big' }, junk: 'x'.repeat(100_000) }));
    sender.send(frameOf(watcher.doc.clientID, { user: { name: 'impostor' } }));
    sender.send(frameOf(515151, { user: { name: 'fine' } }));
    await waitFor(() => watcher.provider.awareness.getStates().has(515151), 3000, 'the small state arrives');
    expect(watcher.provider.awareness.getStates().has(424242)).toBe(false);
    const own = watcher.provider.awareness.getStates().get(watcher.doc.clientID) as { user?: { name?: string } } | undefined;
    expect(own?.user?.name).not.toBe('impostor');
    sender.close();
    watcher.destroy();
  });
});
