// Issue 12 against the real server and the real CLI: complete bundles (a
// removed version or decision fails `accord verify`), fork detection with
// `--since` (two servers from one copied DATA_DIR), and immutable meeting
// packages (same bytes after a later version, a restart and a clock tick;
// nothing of the later text inside).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { verifyBundle, type Bundle } from '../core/bundle';
import { parseCheckpoint } from '../core/tlog/checkpoint';
import { splitNote } from '../core/tlog/note';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';
import { ensureClientBuilt } from './helpers/browser';
import { ROOT } from './helpers/process';

const run = promisify(execFile);
const tmp = mkdtempSync(join(tmpdir(), 'accord-package-'));
const dirA = join(tmp, 'a');
const dirB = join(tmp, 'b');
let server: TestServer;
let fork: TestServer | undefined;
let chair: TestUser;
let key: string;

const DOC = 'pkg';
const MARKDOWN = '# Package Paper\n\n## Privacy {#privacy}\n\nServices collect only the data they need.\n\n## Security {#security}\n\nDevices get updates.\n';

async function ok(res: Response, status = 200): Promise<Response> {
  if (res.status !== status) throw new Error(`${res.status} ${await res.text()}`);
  return res;
}

/** An accepted amendment (a decision entry in the log) that changes the live text, then a frozen version. */
async function amendAndFreeze(target: TestServer, quote: string, proposed: string, label: string, meeting?: string): Promise<{ number: number; logIndex: number }> {
  const body = { section: 'privacy', quote, proposed, justification: 'Wording.' };
  const amendment = (await (await ok(await target.api(`/api/documents/${DOC}/amendments`, { method: 'POST', token: chair.token, body }), 201)).json()) as { id: string };
  await ok(await target.api(`/api/documents/${DOC}/amendments/${amendment.id}/decision`, { method: 'POST', token: chair.token, body: { decision: 'accept', reason: 'Agreed.' } }));
  return (await (await ok(await target.api(`/api/documents/${DOC}/versions`, { method: 'POST', token: chair.token, body: { label, ...(meeting ? { meeting } : {}) } }), 201)).json()) as {
    number: number;
    logIndex: number;
  };
}

async function download(path: string): Promise<Buffer> {
  return Buffer.from(await (await ok(await server.api(path))).arrayBuffer());
}

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(ROOT, 'bin/accord.mjs'), ...args], { cwd: tmp });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function save(name: string, content: unknown): string {
  const file = join(tmp, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

let v2: { number: number; logIndex: number };
let firstPackage: Buffer;
let earlier: string;

beforeAll(async () => {
  await ensureClientBuilt(); // the package carries dist/client/verify.html
  let a = await startTestServer({ dataDir: dirA });
  chair = await a.createUser('chair', 'Chiara Chair', 'intergovernmental');
  await ok(await a.api('/api/documents', { method: 'POST', token: chair.token, body: { id: DOC, title: 'Package Paper', markdown: MARKDOWN } }), 201);
  await ok(await a.api(`/api/documents/${DOC}/versions`, { method: 'POST', token: chair.token, body: { label: 'First reading' } }), 201);
  v2 = await amendAndFreeze(a, 'only the data they need', 'no more data than they need', 'Paris draft', 'Paris');
  server = a;
  firstPackage = await download(`/api/documents/${DOC}/export?version=${v2.number}&format=zip`);
  earlier = await (await server.api('/api/log/checkpoint')).text();
  key = (await (await server.api('/api/log/key')).text()).trim();

  // Two servers from one copied DATA_DIR: same key, same log so far, then each its own history.
  await a.close();
  cpSync(dirA, dirB, { recursive: true });
  a = await startTestServer({ dataDir: dirA });
  fork = await startTestServer({ dataDir: dirB });
  server = a;
  await amendAndFreeze(fork, 'no more data', 'FORKED-TEXT data', 'Forked draft');
  await amendAndFreeze(server, 'no more data', 'ZEBRA-LATER-TEXT data', 'Berlin draft', 'Berlin');
});

afterAll(async () => {
  await fork?.close();
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('meeting packages are immutable', () => {
  it('gives the same bytes after a later version, a restart and a clock tick, and holds no later text', async () => {
    await server.restart(); // no render cache to lean on
    await new Promise((resolve) => setTimeout(resolve, 2100)); // zip times have two-second steps
    const again = await download(`/api/documents/${DOC}/export?version=${v2.number}&format=zip`);
    expect(again.equals(firstPackage)).toBe(true);

    const zip = await JSZip.loadAsync(again);
    const names = Object.keys(zip.files);
    expect(names).toEqual(expect.arrayContaining(['verify.html', 'accord-verify.mjs', 'README.txt', `${DOC}-bundle.json`, `${DOC}-v2-redline-from-v1.json`]));
    for (const name of names) {
      const text = await zip.file(name)!.async('string');
      expect(text, name).not.toContain('ZEBRA');
      if (name.endsWith('.docx')) {
        const inner = await JSZip.loadAsync(await zip.file(name)!.async('uint8array'));
        expect(await inner.file('word/document.xml')!.async('string'), name).not.toContain('ZEBRA');
      }
    }
    const bundle = JSON.parse(await zip.file(`${DOC}-bundle.json`)!.async('string')) as Bundle;
    expect(bundle.versions.map((v) => v.number)).toEqual([1, 2]);
    expect(parseCheckpoint(splitNote(bundle.checkpoint).text).size).toBe(v2.logIndex + 1);
    expect(verifyBundle(bundle, { verifierKey: key }).ok).toBe(true);

    const readme = await zip.file('README.txt')!.async('string');
    expect(readme).toMatch(/open verify\.html/);
    expect(readme).not.toMatch(/npx accord/);
    expect(readme).toContain(key);
    // The command the README gives works outside this repository: Node.js and the package's own files only.
    const outside = mkdtempSync(join(tmpdir(), 'accord-recipient-'));
    try {
      for (const name of ['accord-verify.mjs', `${DOC}-bundle.json`]) writeFileSync(join(outside, name), await zip.file(name)!.async('nodebuffer'));
      const command = /node accord-verify\.mjs (\S+) --key "([^"]+)"/.exec(readme)!;
      const { stdout } = await run(process.execPath, ['accord-verify.mjs', command[1]!, '--key', command[2]!], { cwd: outside });
      expect(stdout).toMatch(/^OK: the bundle verifies/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
    // The verifier page carries this package's bundle, not the latest one.
    const page = await zip.file('verify.html')!.async('string');
    expect(page).toContain(bundle.checkpoint.split('\n')[2]!);
    expect(page).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);

    // The live bundle does have the later version.
    const live = (await (await server.api(`/api/documents/${DOC}/bundle`)).json()) as Bundle;
    expect(live.versions.map((v) => v.label)).toEqual(['First reading', 'Paris draft', 'Berlin draft']);
  });
});

describe('accord verify: complete bundles and --since', () => {
  it('accepts the bundle and an earlier checkpoint it extends', async () => {
    const bundle = (await (await server.api(`/api/documents/${DOC}/bundle`)).json()) as Bundle;
    const result = await cli(['verify', save('bundle.json', bundle), '--key', key, '--since', save('earlier.checkpoint', earlier)]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^OK/);
    expect(result.stdout).toMatch(/extends: \{"treeSize":\d+/);

    // The history panel's "Offline verifier": the page with this bundle inside; the bare verifiers beside the client.
    const page = await server.api(`/api/documents/${DOC}/verify.html`);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-disposition')).toMatch(/pkg-verify\.html/);
    expect(await page.text()).toContain(JSON.stringify(bundle.checkpoint).slice(1, -1).replace(/</g, '\\u003c'));
    for (const path of ['/verify.html', '/accord-verify.mjs']) expect((await server.api(path)).status, path).toBe(200);
  });

  it('names the newest version, or a decision, left out of the bundle', async () => {
    const bundle = (await (await server.api(`/api/documents/${DOC}/bundle`)).json()) as Bundle;
    const newest = structuredClone(bundle);
    newest.versions.pop();
    const result = await cli(['verify', save('no-newest.json', newest), '--key', key]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^FAIL: version 3 \(Berlin draft, log index \d+\): in the log up to the checkpoint but missing from the bundle/);

    // The same verifier in-process (the CLI is a thin shell around it; each run costs seconds here).
    const decision = structuredClone(bundle);
    decision.entries.pop();
    expect(verifyBundle(decision, { verifierKey: key })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^decision to accept amendment \S+ in section privacy \(log index \d+\): in the log up to the checkpoint but missing/),
    });

    const truncated = structuredClone(bundle);
    truncated.versions.pop();
    truncated.entries.pop();
    truncated.leaves.splice(-2);
    expect(verifyBundle(truncated, { verifierKey: key })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^log: the bundle holds \d+ leaves but the checkpoint covers \d+: 2 entries were removed or the tail was truncated/),
    });
  });

  it('names the fork when the earlier checkpoint came from a server that showed another history', async () => {
    const forked = await (await fork!.api('/api/log/checkpoint')).text();
    expect(forked).not.toBe(earlier);
    const bundle = (await (await server.api(`/api/documents/${DOC}/bundle`)).json()) as Bundle;
    const result = await cli(['verify', save('bundle.json', bundle), '--key', key, '--since', save('forked.checkpoint', forked)]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^FAIL: fork: the bundle's log does not extend the earlier checkpoint: at tree size \d+ .* two different histories/);
    // And the other way round: the fork's own bundle against what this server showed.
    const mine = await (await server.api('/api/log/checkpoint')).text();
    const theirs = (await (await fork!.api(`/api/documents/${DOC}/bundle`)).json()) as Bundle;
    const back = verifyBundle(theirs, { verifierKey: key, since: mine });
    expect(!back.ok && back.error).toMatch(/^fork: /);
  });
});
