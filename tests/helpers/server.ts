// Starts the real server on a free port with a temporary DATA_DIR, for
// integration and browser tests, plus small helpers to act as its users.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Role, StakeholderGroup } from '../../core/api';
import { startServer, type RunningServer } from '../../server/app';
import { configFromEnv, type Config } from '../../server/config';

export interface TestUser {
  id: string;
  name: string;
  email: string;
  password: string;
  token: string;
  role: Role;
  organization: string;
  stakeholderGroup: StakeholderGroup;
}

export interface TestServer {
  url: string;
  wsUrl: string;
  adminToken: string;
  dataDir: string;
  server: RunningServer;
  createUser(role: Role, name?: string, group?: StakeholderGroup): Promise<TestUser>;
  /** fetch against the server, JSON in and out, with an optional bearer token. */
  api(path: string, init?: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

let counter = 0;

export async function startTestServer(options: { dataDir?: string; config?: Partial<Config> } = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'accord-test-'));
  const adminToken = `admin-${randomBytes(12).toString('hex')}`;
  const config: Config = {
    ...configFromEnv({}),
    port: 0,
    host: '127.0.0.1',
    dataDir,
    adminToken,
    logOrigin: 'test.accord.example/log',
    quiet: true,
    ...options.config,
  };
  let server = await startServer(config);
  const handle: TestServer = {
    get url() {
      return server.url;
    },
    get wsUrl() {
      return server.url.replace(/^http/, 'ws');
    },
    adminToken,
    dataDir,
    get server() {
      return server;
    },
    async createUser(role, name, group = 'civil-society') {
      const n = ++counter;
      const password = `password-${n}-${randomBytes(4).toString('hex')}`;
      const body = {
        name: name ?? `${role} ${n}`,
        email: `${role}${n}-${randomBytes(3).toString('hex')}@example.org`,
        organization: `Org ${n}`,
        stakeholderGroup: group,
        role,
        password,
      };
      const res = await handle.api('/api/users', { method: 'POST', token: adminToken, body });
      if (res.status !== 201) throw new Error(`createUser failed: ${res.status} ${await res.text()}`);
      const created = (await res.json()) as { id: string; token: string };
      return { ...body, id: created.id, token: created.token, password };
    },
    api(path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      if (init.token) headers.authorization = `Bearer ${init.token}`;
      if (init.body !== undefined) headers['content-type'] = 'application/json';
      return fetch(`${server.url}${path}`, {
        method: init.method ?? 'GET',
        headers,
        body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
      });
    },
    async restart() {
      const port = server.port;
      await server.close();
      server = await startServer({ ...config, port });
    },
    async close() {
      await server.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return handle;
}
