// A version frozen by someone else (through any process: the 'versions'
// signal, core/signals.ts) appears in an open History panel at once, without
// a reload; the panel has no poll for versions, so only the signal can bring it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ensureClientBuilt, expectAccessible, launchChromium, runBrowserTests, signInWithToken, warnIfSkipped } from './helpers/browser';
import { startTestServer, type TestServer } from './helpers/server';

warnIfSkipped('tests/browser-versions-live.test.ts');

describe.skipIf(!runBrowserTests)('versions frozen elsewhere', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    await ensureClientBuilt();
    server = await startTestServer();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('appear in an open History panel without a reload', async () => {
    const olu = await server.createUser('observer', 'Olu Observer');
    const chair = await server.createUser('chair', 'Chen Chair');
    const { context, page } = await signInWithToken(browser, server.url, olu);
    const items = page.locator('#versions > li');
    await expect.poll(() => items.count(), { timeout: 10_000 }).toBe(3);
    const frozen = await server.api('/api/documents/gpp/versions', { method: 'POST', token: chair.token, body: { label: 'Paris outcome', meeting: 'IGF 2018, Paris' } });
    expect(frozen.status).toBe(201);
    await expect.poll(() => items.count(), { timeout: 5_000 }).toBe(4);
    expect(await items.first().innerText()).toContain('Paris outcome');
    await expectAccessible(page, 'the History panel after a version frozen elsewhere');
    await context.close();
  });
});
