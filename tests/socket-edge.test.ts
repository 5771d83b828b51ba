// The socket edge never takes the process down: reproductions of frames that
// ended the whole server, run against a real server process, from the least
// privileged roles. After each, the server answers and an editor still syncs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { spawnServer, type ServerProcess } from './helpers/process';
import { frame, rawUpgrade } from './helpers/raw-socket';
import { connect, paragraphText, waitFor, sleep } from './helpers/ws';

let server: ServerProcess;
let dataDir: string;
let port: number;
const adminToken = `admin-${randomBytes(8).toString('hex')}`;
const tokens: Record<'observer' | 'editor', string> = { observer: '', editor: '' };

async function createUser(role: 'observer' | 'editor'): Promise<string> {
  const res = await fetch(`${server.url}/api/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: `${role} user`,
      email: `${role}-${randomBytes(3).toString('hex')}@example.org`,
      organization: 'Org',
      stakeholderGroup: 'academia',
      role,
      password: 'a long enough password',
    }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'accord-edge-'));
  server = await spawnServer({ DATA_DIR: dataDir, ACCORD_ADMIN_TOKEN: adminToken });
  port = Number(new URL(server.url).port);
  tokens.observer = await createUser('observer');
  tokens.editor = await createUser('editor');
});

afterAll(async () => {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The server is alive and two editors still sync through it. */
async function stillServes(): Promise<void> {
  expect(server.child.exitCode, server.output()).toBeNull();
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  const wsUrl = server.url.replace(/^http/, 'ws');
  const a = await connect(wsUrl, 'gpp', tokens.editor);
  const b = await connect(wsUrl, 'gpp', tokens.editor);
  const marker = `m${randomBytes(4).toString('hex')} `;
  paragraphText(a.doc, 'introduction').insert(0, marker);
  await waitFor(() => b.text().includes(marker), 5000, 'relay');
  a.destroy();
  b.destroy();
}

async function observerSocket() {
  const up = await rawUpgrade(port, `/collab/gpp?token=${tokens.observer}`);
  expect(up.status).toBe(101);
  return up;
}

describe('one frame no longer ends the server', () => {
  it('a reserved opcode (83 80 00 00 00 00) from an observer closes only that connection', async () => {
    const up = await observerSocket();
    up.socket.write(Buffer.from([0x83, 0x80, 0, 0, 0, 0]));
    await up.ended;
    await stillServes();
  });

  it('an unmasked client frame', async () => {
    const up = await observerSocket();
    up.socket.write(frame(2, new Uint8Array([0, 0, 1, 0]), { masked: false }));
    await up.ended;
    await stillServes();
  });

  it('a frame declaring a payload over the limit (and a 2^40-byte one)', async () => {
    for (const header of [
      [0x82, 0xff, 0, 0, 0, 0, 0x02, 0, 0, 0], // 32 MiB
      [0x82, 0xff, 0, 0, 0x01, 0, 0, 0, 0, 0], // 2^40
    ]) {
      const up = await observerSocket();
      up.socket.write(Buffer.concat([Buffer.from(header), randomBytes(4), randomBytes(1024)]));
      await up.ended;
    }
    await stillServes();
  });

  it('a control frame over 125 bytes, a continuation without a start, invalid UTF-8 in a close frame', async () => {
    const frames = [
      frame(9, new Uint8Array(200)),
      frame(0, new Uint8Array([1, 2, 3])),
      frame(8, new Uint8Array([0x03, 0xe8, 0xff, 0xfe])),
      frame(1, new Uint8Array([0xc3, 0x28])),
    ];
    for (const f of frames) {
      const up = await observerSocket();
      up.socket.write(f);
      await up.ended;
    }
    await stillServes();
  });

  it('resets: mid-frame, right after the upgrade request, and an unauthenticated upgrade reset before the 401', async () => {
    const up = await observerSocket();
    up.socket.write(frame(2, new Uint8Array(1000)).subarray(0, 300));
    up.socket.resetAndDestroy();
    for (let i = 0; i < 20; i++) {
      const { connect: tcp } = await import('node:net');
      const s = tcp(port, '127.0.0.1');
      s.on('error', () => {});
      await new Promise<void>((r) => s.once('connect', () => r()));
      s.write(
        `GET /collab/gpp${i % 2 ? '' : `?token=${tokens.observer}`} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
      s.resetAndDestroy();
    }
    await sleep(300);
    await stillServes();
  });

  it('many bad connections at once leave the other connections untouched', async () => {
    const wsUrl = server.url.replace(/^http/, 'ws');
    const a = await connect(wsUrl, 'gpp', tokens.editor);
    const b = await connect(wsUrl, 'gpp', tokens.editor);
    const bad = await Promise.all(Array.from({ length: 10 }, () => observerSocket()));
    bad.forEach((up, i) => up.socket.write(Buffer.from([0x80 | (3 + (i % 5)), 0x80, 0, 0, 0, 0])));
    await Promise.all(bad.map((up) => up.ended));
    const marker = `after-${randomBytes(3).toString('hex')} `;
    paragraphText(a.doc, 'introduction').insert(0, marker);
    await waitFor(() => b.text().includes(marker), 5000, 'relay');
    expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true);
    a.destroy();
    b.destroy();
  });
});
