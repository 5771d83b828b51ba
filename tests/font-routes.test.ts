// /fonts/: the interface's fallback fonts for Chinese and Arabic, from the npm
// font packages; only the listed files, nothing else under node_modules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server';

describe('fallback fonts for the interface', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('serves the listed Noto files as fonts, with a cache lifetime', async () => {
    for (const name of ['noto-sans-arabic-400.ttf', 'noto-sans-arabic-700.ttf', 'noto-sans-sc-400.ttf']) {
      const response = await fetch(`${server.url}/fonts/${name}`);
      expect(response.status, name).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^font\/ttf/);
      expect(response.headers.get('cache-control')).toMatch(/max-age=604800/);
      const bytes = new Uint8Array(await response.arrayBuffer());
      // A TrueType file starts with its version: 0x00010000.
      expect([...bytes.slice(0, 4)]).toEqual([0, 1, 0, 0]);
    }
  });

  it('serves nothing else', async () => {
    for (const path of ['/fonts/noto-sans-sc-700.ttf', '/fonts/..%2Fpackage.json', '/fonts/constructor', '/fonts/__proto__']) {
      expect((await fetch(`${server.url}${path}`)).status, path).toBe(404);
    }
  });
});
