// The offline verifier in Chromium: verify.html opened from an unzipped
// meeting package with the network off says what it verified; a tampered or
// incomplete bundle dropped on it names the failing version or entry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import type { Browser } from 'playwright-core';
import type { Bundle } from '../core/bundle';
import { startTestServer, type TestServer } from './helpers/server';
import { ensureClientBuilt, launchChromium, runBrowserTests, warnIfSkipped } from './helpers/browser';

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
