// `npm start` runs compiled JavaScript, not TypeScript through tsx: the server
// and its worker threads built by esbuild into dist/server, with source maps.
// This starts that build as a new user's `npm start` would and uses it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureClientBuilt } from './helpers/browser';
import { ROOT, spawnServer, type ServerProcess } from './helpers/process';

describe('the production build', () => {
  let server: ServerProcess;
  let dataDir: string;

  beforeAll(async () => {
    await ensureClientBuilt();
    execFileSync('npm', ['run', 'build:server', '--silent'], { cwd: ROOT, stdio: 'pipe' });
    dataDir = mkdtempSync(join(tmpdir(), 'accord-prod-'));
    server = await spawnServer({ DATA_DIR: dataDir }, undefined, { compiled: true });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is JavaScript with source maps, and loads no TypeScript at run time', () => {
    const files = readdirSync(join(ROOT, 'dist/server'));
    expect(files).toEqual(expect.arrayContaining(['main.js', 'main.js.map', 'worker.js', 'worker.js.map']));
    for (const file of files.filter((f) => f.endsWith('.js'))) {
      const code = readFileSync(join(ROOT, 'dist/server', file), 'utf8');
      expect(code, file).not.toMatch(/from ["']tsx|\.ts["']\)/);
    }
  });

  it('serves the Good Practice Paper and the client, and its workers render a PDF redline', async () => {
    const documents = (await (await fetch(`${server.url}/api/documents`)).json()) as { id: string }[];
    expect(documents.map((d) => d.id)).toContain('gpp');
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app"');
    const pdf = await fetch(`${server.url}/api/documents/gpp/redline?from=1&to=3&format=pdf`);
    expect(pdf.status).toBe(200);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    expect(server.output()).toContain('imported the Good Practice Paper');
  });
});
