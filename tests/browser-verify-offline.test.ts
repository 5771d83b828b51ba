// The offline verifier in Chromium: verify.html opened from an unzipped
// meeting package with the network off says what it verified; a tampered or
// incomplete bundle dropped on it names the failing version or entry. And the
// history panel's "Verify history" remembers the checkpoint it verified and
// catches a server (same address, copied DATA_DIR) that later shows a fork.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import type { Browser } from 'playwright-core';
import type { Bundle } from '../core/bundle';
import { startTestServer, type TestServer } from './helpers/server';
import { ensureClientBuilt, expectAccessible, launchChromium, runBrowserTests, signInWithToken, warnIfSkipped } from './helpers/browser';

warnIfSkipped('tests/browser-verify-offline.test.ts');

describe.skipIf(!runBrowserTests)('verify.html, offline', () => {
  let server: TestServer;
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), 'accord-verify-html-'));

  beforeAll(async () => {
    await ensureClientBuilt();
    server = await startTestServer();
    browser = await launchChromium();
    const res = await server.api('/api/documents/gpp/export?version=3&format=zip');
    const zip = await JSZip.loadAsync(await res.arrayBuffer());
    mkdirSync(join(dir, 'package'));
    for (const [name, file] of Object.entries(zip.files)) writeFileSync(join(dir, 'package', name), await file.async('nodebuffer'));
    await server.close(); // nothing to reach even if the page tried
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('verifies the package it came in, then names what fails in a tampered or incomplete bundle', async () => {
    const context = await browser.newContext({ offline: true });
    const requests: string[] = [];
    await context.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
    const page = await context.newPage();
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) requests.push(request.url());
    });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    await page.goto(`file://${join(dir, 'package', 'verify.html')}`);
    await page.waitForSelector('#result[data-result=ok]', { timeout: 15_000 });
    const summary = await page.locator('#result').innerText();
    expect(summary).toMatch(/^Verified: 3 versions of “[^”]*Good Practice Paper”, complete and unaltered\./);
    expect(summary).toMatch(/Checked: the bundle inside this page/);
    expect(summary).toMatch(/Version 3: IGF 2018 Paris draft/);
    expect(summary).toMatch(/first 3 entries of the log .* signed by the key \S+ named in the bundle/);
    expect(summary).toMatch(/Paste the server's verifier key/);
    await expectAccessible(page, 'verify.html with a verified package');

    // With the server's key pasted, the check no longer trusts the bundle's own key.
    const bundleText = readFileSync(join(dir, 'package', 'gpp-bundle.json'), 'utf8');
    const bundle = JSON.parse(bundleText) as Bundle;
    await page.fill('#verifier-key', bundle.verifierKey);
    await page.click('#verify-again');
    await expect.poll(() => page.locator('#result').innerText()).toMatch(/signed by the key \S+ you gave/);

    // The bundle beside the page, tampered: a version's label changed.
    const tampered = structuredClone(bundle);
    tampered.versions[1]!.label = 'A friendlier label';
    writeFileSync(join(dir, 'package', 'gpp-bundle.json'), JSON.stringify(tampered));
    await page.setInputFiles('#bundle-file', join(dir, 'package', 'gpp-bundle.json'));
    await page.waitForSelector('#result[data-result=fail]');
    let failure = await page.locator('#result').innerText();
    await expectAccessible(page, 'verify.html with a tampered bundle');
    expect(failure).toMatch(/^Not verified/);
    expect(failure).toMatch(/What failed: version 2 \(A friendlier label\): label "A friendlier label" differs from the logged/);

    // The newest version left out.
    const incomplete = structuredClone(bundle);
    incomplete.versions.pop();
    writeFileSync(join(dir, 'incomplete.json'), JSON.stringify(incomplete));
    await page.setInputFiles('#bundle-file', join(dir, 'incomplete.json'));
    await expect.poll(() => page.locator('#result').innerText()).toMatch(/What failed: version 3 \(IGF 2018 Paris draft, log index \d+\): in the log up to the checkpoint but missing from the bundle/);
    failure = await page.locator('#result').innerText();
    expect(failure).toMatch(/^Not verified/);

    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe.skipIf(!runBrowserTests)('Verify history remembers the checkpoint and detects a fork', () => {
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), 'accord-fork-'));
  const servers: TestServer[] = [];

  beforeAll(async () => {
    await ensureClientBuilt();
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const s of servers) await s.close().catch(() => undefined);
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says the log extends what it verified before, then names the fork a copied server shows at the same address', async () => {
    const dirA = join(dir, 'a');
    const dirB = join(dir, 'b');
    const first = await startTestServer({ dataDir: dirA });
    const chair = await first.createUser('chair', 'Chiara Rossi', 'government');
    await first.close();
    cpSync(dirA, dirB, { recursive: true });
    const a = await startTestServer({ dataDir: dirA });
    servers.push(a);
    const freeze = async (server: TestServer, label: string) =>
      expect((await server.api('/api/documents/gpp/versions', { method: 'POST', token: chair.token, body: { label } })).status).toBe(201);

    const { page } = await signInWithToken(browser, a.url, chair);
    await page.click('#verify-history');
    await page.waitForSelector('#verify-result[data-result=ok]', { timeout: 15_000 });
    await freeze(a, 'Seen by this browser');
    await page.click('#verify-history');
    await expect.poll(() => page.locator('#verify-result').innerText(), { timeout: 15_000 }).toMatch(/^Verified: 4 versions, .* match the signed record .*It continues the record this browser checked before: nothing was rewritten since\./);
    expect(await page.locator('#verify-technical').textContent()).toContain('extends the checkpoint of size 3');
    await expectAccessible(page, 'the History tab after verifying against a remembered checkpoint');
    expect(await page.getAttribute('#download-verifier', 'href')).toBe('/api/documents/gpp/verify.html');

    // The same address now serves the copy, which went another way: same key, another history.
    const port = Number(new URL(a.url).port);
    await a.close();
    servers.pop();
    const b = await startTestServer({ dataDir: dirB, config: { port } });
    servers.push(b);
    await freeze(b, 'Shown to the others');
    await page.context().clearCookies(); // the session lived in the other server's database; local storage stays
    await page.goto(`${b.url}/#/login?next=${encodeURIComponent('/doc/gpp')}`);
    await page.reload();
    await page.fill('#login-token', chair.token);
    await page.click('#login-token-submit');
    await page.waitForSelector('#versions li[data-version="4"]', { timeout: 15_000 });
    await page.click('#verify-history');
    await page.waitForSelector('#verify-result[data-result=fail]', { timeout: 15_000 });
    expect(await page.locator('#verify-result').innerText()).toMatch(/^Fork detected: this server now shows a history that does not extend the one this browser verified .*\(log size 4\)/);
    await expectAccessible(page, 'the History tab reporting a fork');
  });
});
