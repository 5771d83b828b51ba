// Security probes of accounts and sessions (issue 19, items 5 and 6, and the
// Origin checks): credentials that outlive their authority, unlimited
// password guessing, timing that reveals accounts, cross-site writes and
// WebSockets. Each would pass on the code before the fix only if it failed.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';
import { MIGRATIONS, numberedMigrations } from '../server/store/sqlite-schema';
import { openSqliteStore } from '../server/store/sqlite';
import { tokenHash } from '../server/auth/tokens';
import { createAuthenticator } from '../server/auth/identity';
import { organizationKey } from '../core/endorsements';
import { createUser } from '../server/auth/users';
import { Connections } from '../server/collab/connections';
import { loadOrCreateLogKey } from '../server/transparency/key';
import { main as cli } from '../cli/main';

interface Opened {
  ws: WebSocket;
  closed: Promise<{ code: number; reason: string }>;
}

/** Opens a raw WebSocket to /collab/gpp; rejects with the HTTP status when the upgrade is refused. */
function openSocket(server: TestServer, options: { token?: string; cookie?: string; origin?: string } = {}): Promise<Opened> {
  const query = options.token ? `?token=${encodeURIComponent(options.token)}` : '';
  const headers: Record<string, string> = {};
  if (options.cookie) headers.cookie = options.cookie;
  if (options.origin) headers.origin = options.origin;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.wsUrl}/collab/gpp${query}`, { headers });
    const closed = new Promise<{ code: number; reason: string }>((done) => ws.on('close', (code, reason) => done({ code, reason: reason.toString() })));
    ws.on('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.on('error', (err) => reject(err));
    ws.on('open', () => resolve({ ws, closed }));
  });
}

const within = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms))]);

async function errorOf(res: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await res.json()) as { error: { code: string; message: string } };
  return { status: res.status, ...body.error };
}

async function signIn(server: TestServer, body: Record<string, string>, headers: Record<string, string> = {}): Promise<string> {
  const res = await server.api('/api/session', { method: 'POST', body, headers });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

const me = async (server: TestServer, init: { cookie?: string; token?: string }) =>
  (await server.api('/api/me', { token: init.token, headers: init.cookie ? { cookie: init.cookie } : {} })).status;

describe('sessions end when their authority ends', () => {
  let server: TestServer;
  let chair: TestUser;
  let editor: TestUser;

  beforeAll(async () => {
    server = await startTestServer({ config: { loginLimits: { perAccount: { max: 1000, windowMs: 60_000 }, perAddress: { max: 1000, windowMs: 60_000 } } } });
    chair = await server.createUser('chair');
    editor = await server.createUser('editor');
  });
  afterAll(async () => {
    await server.close();
  });

  it('an admin revokes one token: it stops working at once and its open WebSocket is closed', async () => {
    const user = await server.createUser('editor');
    const socket = await openSocket(server, { token: user.token });
    const tokens = (await (await server.api(`/api/users/${user.id}/tokens`, { token: server.adminToken })).json()) as { id: string; kind: string }[];
    expect(tokens).toHaveLength(1);
    expect(JSON.stringify(tokens)).not.toContain(user.token);
    expect(JSON.stringify(tokens)).not.toContain(tokenHash(user.token));
    // Only an admin may.
    expect((await server.api(`/api/users/${user.id}/tokens/${tokens[0]!.id}`, { method: 'DELETE', token: chair.token })).status).toBe(403);
    expect((await server.api(`/api/users/${user.id}/tokens/${tokens[0]!.id}`, { method: 'DELETE', token: server.adminToken })).status).toBe(204);
    expect((await within(socket.closed, 5000, 'socket closed')).code).toBe(4401);
    expect(await me(server, { token: user.token })).toBe(401);
    await expect(openSocket(server, { token: user.token })).rejects.toThrow(/401/);
    expect(await errorOf(await server.api(`/api/users/${user.id}/tokens/${tokens[0]!.id}`, { method: 'DELETE', token: server.adminToken }))).toMatchObject({ status: 404, code: 'not_found' });
    // A new token, shown once, works.
    const issued = await server.api(`/api/users/${user.id}/tokens`, { method: 'POST', token: server.adminToken });
    expect(issued.status).toBe(201);
    expect(await me(server, { token: ((await issued.json()) as { token: string }).token })).toBe(200);
  });

  it('disabling a user ends their sessions, tokens, password sign-in and sockets; enabling restores the token', async () => {
    const user = await server.createUser('editor');
    const cookie = await signIn(server, { email: user.email, password: user.password });
    const byToken = await openSocket(server, { token: user.token });
    const byCookie = await openSocket(server, { cookie });
    expect((await server.api(`/api/users/${user.id}/disable`, { method: 'POST', token: editor.token })).status).toBe(403);
    const disabled = await server.api(`/api/users/${user.id}/disable`, { method: 'POST', token: server.adminToken });
    expect(disabled.status).toBe(200);
    expect(await disabled.json()).toMatchObject({ id: user.id, disabled: true, sessionsEnded: 1, socketsClosed: 2 });
    expect((await within(byToken.closed, 5000, 'token socket closed')).code).toBe(4401);
    expect((await within(byCookie.closed, 5000, 'cookie socket closed')).code).toBe(4401);
    expect(await me(server, { token: user.token })).toBe(401);
    expect(await me(server, { cookie })).toBe(401);
    expect((await server.api('/api/session', { method: 'POST', body: { email: user.email, password: user.password } })).status).toBe(401);
    expect((await server.api('/api/session', { method: 'POST', body: { token: user.token } })).status).toBe(401);
    await expect(openSocket(server, { token: user.token })).rejects.toThrow(/401/);
    const listed = (await (await server.api('/api/users', { token: server.adminToken })).json()) as { id: string; disabled: boolean }[];
    expect(listed.find((u) => u.id === user.id)).toMatchObject({ disabled: true });

    expect((await server.api(`/api/users/${user.id}/enable`, { method: 'POST', token: server.adminToken })).status).toBe(200);
    expect(await me(server, { token: user.token })).toBe(200);
    expect(await me(server, { cookie })).toBe(401); // sessions stay ended
    expect(await errorOf(await server.api('/api/users/no-such-user/disable', { method: 'POST', token: server.adminToken }))).toMatchObject({ status: 404 });
  });

  it('sign out everywhere ends every session of the caller and closes their sockets; logout closes its own session\'s socket only', async () => {
    const user = await server.createUser('stakeholder');
    const laptop = await signIn(server, { email: user.email, password: user.password });
    const phone = await signIn(server, { email: user.email, password: user.password });
    const tablet = await signIn(server, { token: user.token });
    const laptopSocket = await openSocket(server, { cookie: laptop });
    const phoneSocket = await openSocket(server, { cookie: phone });

    // Logout: that session and its socket end; the other device stays.
    expect((await server.api('/api/session', { method: 'DELETE', headers: { cookie: laptop } })).status).toBe(204);
    expect((await within(laptopSocket.closed, 5000, 'laptop socket closed')).code).toBe(4401);
    expect(await me(server, { cookie: laptop })).toBe(401);
    expect(await me(server, { cookie: phone })).toBe(200);
    expect(phoneSocket.ws.readyState).toBe(WebSocket.OPEN);

    const everywhere = await server.api('/api/session/sign-out-everywhere', { method: 'POST', headers: { cookie: tablet } });
    expect(everywhere.status).toBe(200);
    expect(await everywhere.json()).toMatchObject({ sessionsEnded: 2, socketsClosed: 1 });
    expect((await within(phoneSocket.closed, 5000, 'phone socket closed')).code).toBe(4401);
    expect(await me(server, { cookie: phone })).toBe(401);
    expect(await me(server, { cookie: tablet })).toBe(401);
    expect(await me(server, { token: user.token })).toBe(200); // API tokens are revoked separately

    // An admin can do the same for anyone, API tokens included.
    const again = await signIn(server, { email: user.email, password: user.password });
    const ended = await server.api(`/api/users/${user.id}/sign-out`, { method: 'POST', token: server.adminToken, body: { tokens: true } });
    expect(await ended.json()).toMatchObject({ sessionsEnded: 1, tokensRevoked: 1 });
    expect(await me(server, { cookie: again })).toBe(401);
    expect(await me(server, { token: user.token })).toBe(401);
  });

  it('a session opened with the admin token ends when ACCORD_ADMIN_TOKEN changes', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'accord-admin-rotation-'));
    try {
      const first = await startTestServer({ dataDir, config: { adminToken: 'first-admin-token-0123456789' } });
      const cookie = await signIn(first, { token: 'first-admin-token-0123456789' });
      expect(await me(first, { cookie })).toBe(200);
      await first.close();

      const rotated = await startTestServer({ dataDir, config: { adminToken: 'second-admin-token-0123456789' } });
      expect(await me(rotated, { cookie })).toBe(401);
      expect((await rotated.api('/api/users', { headers: { cookie } })).status).toBe(401);
      await expect(openSocket(rotated, { cookie })).rejects.toThrow(/401/);
      await rotated.close();

      // The same token again: the session was the old token's, so it is valid again only with it.
      const back = await startTestServer({ dataDir, config: { adminToken: 'first-admin-token-0123456789' } });
      expect(await me(back, { cookie })).toBe(200);
      await back.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('upgrades an existing DATA_DIR: old tokens keep working, old admin sessions end, organisation keys are recomputed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-upgrade-'));
    try {
      const file = join(dir, 'accord.sqlite');
      const old = new Database(file);
      old.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
      numberedMigrations(MIGRATIONS).slice(0, 3).forEach(({ version, sql }) => {
        old.exec(sql);
        old.prepare('INSERT INTO schema_migrations VALUES (?, ?)').run(version, '2026-01-01T00:00:00Z');
      });
      const now = new Date().toISOString();
      old.prepare(`INSERT INTO users VALUES ('u1', 'Old User', 'old@example.org', 'Org', 'academia', 'editor', NULL, ?)`).run(now);
      old.prepare(`INSERT INTO tokens VALUES (?, 'u1', 'api', NULL, ?)`).run(tokenHash('acc_old-token-value'), now);
      old.prepare(`INSERT INTO tokens VALUES (?, 'admin', 'session', '2099-01-01T00:00:00Z', ?)`).run(tokenHash('ses_old-admin-session'), now);
      old.prepare(`INSERT INTO documents VALUES ('d', 'D', ?)`).run(now);
      old.prepare(`INSERT INTO versions VALUES ('d', 1, 'v1', NULL, 'D', '{}', '', 'h', ?, '{}', 0)`).run(now);
      // Written by the old key function: a Cyrillic "А" kept its own identity.
      old.prepare(
        `INSERT INTO endorsements VALUES ('e1', 'd', 1, 'h', 'Аcme Foundation', 'аcme foundation', 'academia', 'KE', 'C', 'c@example.org', NULL, NULL, 'th', ?, ?)`,
      ).run(now, now);
      old.close();

      const store = openSqliteStore(file, () => 'checkpoint');
      try {
        const auth = createAuthenticator(store, 'any-admin-token');
        expect(await auth.resolve({ bearer: 'acc_old-token-value' })).toMatchObject({ id: 'u1' });
        expect(await auth.resolve({ session: 'ses_old-admin-session' })).toBe('invalid');
        expect((await store.tokens.list('u1', new Date()))[0]).toMatchObject({ kind: 'api', id: expect.stringMatching(/^[0-9a-f]{16}$/) });
        expect(await store.endorsements.hasConfirmed('d', 1, organizationKey('Acme Foundation'))).toBe(false);
        const row = store.db.prepare<[], { organization_key: string }>("SELECT organization_key FROM endorsements WHERE id = 'e1'").get();
        expect(row?.organization_key).toBe(organizationKey('Acme Foundation'));
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('password guessing is slow and says nothing about who has an account', () => {
  let server: TestServer;

  beforeAll(async () => {
    // No trusted proxies (the default): X-Forwarded-For cannot spread guesses over made-up addresses.
    server = await startTestServer({ config: { loginLimits: { perAccount: { max: 4, windowMs: 60_000 }, perAddress: { max: 10, windowMs: 60_000 } } } });
  });
  afterAll(async () => {
    await server.close();
  });

  const attempt = (email: string, password: string, ip = '198.51.100.1') =>
    server.api('/api/session', { method: 'POST', body: { email, password }, headers: { 'x-forwarded-for': ip } });

  it('per account: after the allowed wrong passwords, 429 with Retry-After, even with the right password', async () => {
    const victim = await server.createUser('chair');
    for (let i = 0; i < 4; i++) expect((await attempt(victim.email, `guess-${i}`, `198.51.100.${i}`)).status).toBe(401);
    const refused = await attempt(victim.email, victim.password, '198.51.100.99');
    expect(await errorOf(refused)).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Case does not make it another account.
    expect((await attempt(victim.email.toUpperCase(), victim.password)).status).toBe(429);
    // The access token still signs the real user in.
    expect((await server.api('/api/session', { method: 'POST', body: { token: victim.token } })).status).toBe(200);
  });

  it('per address: many accounts guessed from one address get 429; successful sign-ins are never counted', async () => {
    const fresh = await startTestServer({ config: { loginLimits: { perAccount: { max: 100, windowMs: 60_000 }, perAddress: { max: 5, windowMs: 60_000 } } } });
    try {
      const user = await fresh.createUser('editor');
      for (let i = 0; i < 8; i++) {
        expect((await fresh.api('/api/session', { method: 'POST', body: { email: user.email, password: user.password } })).status).toBe(200);
      }
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await fresh.api('/api/session', { method: 'POST', body: { email: `nobody${i}@example.org`, password: 'x' }, headers: { 'x-forwarded-for': `203.0.113.${i}` } });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
      expect((await fresh.api('/api/session', { method: 'POST', body: { email: user.email, password: user.password } })).status).toBe(429);
    } finally {
      await fresh.close();
    }
  });

  it('an unknown e-mail takes as long as a wrong password for a real account', async () => {
    const timing = await startTestServer({ config: { loginLimits: { perAccount: { max: 100, windowMs: 60_000 }, perAddress: { max: 100, windowMs: 60_000 } } } });
    try {
      const user = await timing.createUser('observer');
      const time = async (email: string): Promise<number> => {
        const start = performance.now();
        const res = await timing.api('/api/session', { method: 'POST', body: { email, password: 'wrong-password' } });
        expect(res.status).toBe(401);
        expect(await errorOf(res)).toMatchObject({ message: 'wrong email or password' });
        return performance.now() - start;
      };
      await time('warm-up@example.org');
      const known: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 5; i++) {
        known.push(await time(user.email));
        unknown.push(await time(`nobody-${i}@example.org`));
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      // Before the fix: about 2 ms against 38 ms. Now both run one scrypt verification.
      expect(median(unknown)).toBeGreaterThan(median(known) * 0.4);
    } finally {
      await timing.close();
    }
  });
});

describe('cookie-authenticated writes and WebSockets come from our own pages only', () => {
  let server: TestServer;
  let editor: TestUser;
  let cookie: string;

  beforeAll(async () => {
    server = await startTestServer();
    editor = await server.createUser('editor');
    cookie = await signIn(server, { email: editor.email, password: editor.password });
  });
  afterAll(async () => {
    await server.close();
  });

  it('a cross-site write with the session cookie is 403; the same write from our origin, or with a bearer token, passes', async () => {
    const body = { section: 'privacy', quote: 'words that are not in this section', proposed: 'y', justification: 'z' };
    const foreign = await server.api('/api/documents/gpp/amendments', { method: 'POST', body, headers: { cookie, origin: 'https://evil.example' } });
    expect(await errorOf(foreign)).toMatchObject({ status: 403, code: 'forbidden' });
    const nullOrigin = await server.api('/api/documents/gpp/amendments', { method: 'POST', body, headers: { cookie, origin: 'null' } });
    expect(nullOrigin.status).toBe(403);
    const crossSite = await server.api('/api/documents/gpp/amendments', { method: 'POST', body, headers: { cookie, 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    // From our own origin the request reaches the route (422: that quote is not in the section).
    const own = await server.api('/api/documents/gpp/amendments', { method: 'POST', body, headers: { cookie, origin: server.url } });
    expect(own.status).toBe(422);
    const bearer = await server.api('/api/documents/gpp/amendments', { method: 'POST', body, token: editor.token, headers: { origin: 'https://evil.example' } });
    expect(bearer.status).toBe(422);
    // Reads are not affected; neither is a foreign site's logout attempt able to sign anyone out.
    expect((await server.api('/api/me', { headers: { cookie, origin: 'https://evil.example' } })).status).toBe(200);
    expect((await server.api('/api/session', { method: 'DELETE', headers: { cookie, origin: 'https://evil.example' } })).status).toBe(403);
    expect(await me(server, { cookie })).toBe(200);
    // Nor can another site sign a visitor in.
    const loginCsrf = await server.api('/api/session', { method: 'POST', body: { token: editor.token }, headers: { origin: 'https://evil.example' } });
    expect(loginCsrf.status).toBe(403);
  });

  it('a WebSocket authenticated by the cookie must come from our origin; ?token= works from anywhere', async () => {
    await expect(openSocket(server, { cookie, origin: 'https://evil.example' })).rejects.toThrow(/403/);
    const own = await openSocket(server, { cookie, origin: server.url });
    own.ws.close();
    const token = await openSocket(server, { token: editor.token, origin: 'https://evil.example' });
    token.ws.close();
  });
});

describe('the `accord user` CLI stops access too', () => {
  it('disable, sign-out, tokens, revoke, new-token; a server\'s open sockets made with what was revoked close at its next sweep', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-cli-user-'));
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args.join(' ')));
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const key = loadOrCreateLogKey(dir, 'test.accord.example/log');
    const store = openSqliteStore(join(dir, 'accord.sqlite'), key.signCheckpoint);
    try {
      const base = { organization: 'Org', stakeholderGroup: 'academia', role: 'editor' } as const;
      const alice = await createUser(store, { ...base, name: 'Alice', email: 'alice@example.org' });
      const bob = await createUser(store, { ...base, name: 'Bob', email: 'bob@example.org' });
      const auth = createAuthenticator(store, undefined);
      // Two open sockets, as a running server would have registered them.
      const connections = new Connections();
      const closed: string[] = [];
      for (const [user, token] of [[alice, alice.token], [bob, bob.token]] as const) {
        const found = await auth.authenticate({ bearer: token });
        if (found === null || found === 'invalid') throw new Error('token did not resolve');
        connections.add({ userId: user.id, credential: found.credential, close: (code) => void closed.push(`${user.name}:${code}`) });
      }
      const run = (...args: string[]) => cli(['user', ...args, '--data-dir', dir]);

      expect(await run('disable', '--email', 'ALICE@example.org')).toBe(0);
      expect(await auth.resolve({ bearer: alice.token })).toBe('invalid');
      expect(await connections.sweep((c) => auth.stillValid(c.userId, c.credential))).toBe(1);
      expect(closed).toEqual(['Alice:4401']);
      expect(await run('list')).toBe(0);
      expect(printed.join('\n')).toMatch(/Alice <alice@example\.org>\s+DISABLED/);
      expect(await run('enable', '--email', 'alice@example.org')).toBe(0);
      expect(await auth.resolve({ bearer: alice.token })).toMatchObject({ id: alice.id });

      printed.length = 0;
      expect(await run('tokens', '--email', 'bob@example.org')).toBe(0);
      const tokenId = /^([0-9a-f]{16})\s+api/.exec(printed[0] ?? '')?.[1];
      expect(tokenId).toBeDefined();
      expect(await run('revoke', '--email', 'bob@example.org', '--id', tokenId!)).toBe(0);
      expect(await auth.resolve({ bearer: bob.token })).toBe('invalid');
      expect(await connections.sweep((c) => auth.stillValid(c.userId, c.credential))).toBe(1);
      expect(closed).toEqual(['Alice:4401', 'Bob:4401']);
      expect(await run('revoke', '--email', 'bob@example.org', '--id', tokenId!)).toBe(1);

      printed.length = 0;
      expect(await run('new-token', '--email', 'bob@example.org')).toBe(0);
      const fresh = /token: (acc_\S+)/.exec(printed.join('\n'))?.[1];
      expect(await auth.resolve({ bearer: fresh! })).toMatchObject({ id: bob.id });
      expect(await run('sign-out', '--email', 'bob@example.org', '--tokens')).toBe(0);
      expect(await auth.resolve({ bearer: fresh! })).toBe('invalid');
      expect(await run('disable', '--email', 'nobody@example.org')).toBe(1);
      expect(await run('disable')).toBe(2);
    } finally {
      log.mockRestore();
      error.mockRestore();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
