// A session ended elsewhere (signed out by an admin, everywhere, or the account
// disabled) closes the editor's socket with CLOSE_SIGNED_OUT: the page does not
// keep retrying, it says why and asks to sign in, then returns to the document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ensureClientBuilt, expectAccessible, launchChromium, runBrowserTests, signInWithToken, warnIfSkipped } from './helpers/browser';
import { startTestServer, type TestServer } from './helpers/server';

warnIfSkipped('tests/browser-session-ended.test.ts');

describe.skipIf(!runBrowserTests)('a session ended while the document is open', () => {
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

  it('sends the editor to sign in with the reason, and back to the document afterwards', async () => {
    const ada = await server.createUser('editor', 'Ada Editor');
    const { context, page } = await signInWithToken(browser, server.url, ada);
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    const ended = await server.api(`/api/users/${ada.id}/sign-out`, { method: 'POST', token: server.adminToken, body: {} });
    expect(ended.status).toBe(200);
    expect(await ended.json()).toMatchObject({ socketsClosed: 1 });

    await page.waitForSelector('#login-token', { timeout: 10_000 });
    expect(decodeURIComponent(page.url())).toContain('#/login?next=/doc/gpp');
    await expect.poll(() => page.locator('#notices').innerText()).toContain('This session has ended');
    await expectAccessible(page, 'the sign-in page after the session ended');
    await page.waitForTimeout(1500);
    expect(sockets, 'no reconnection attempts with the ended session').toEqual([]);

    await page.fill('#login-token', ada.token);
    await page.click('#login-token-submit');
    await page.waitForSelector('#connection-status[data-status=online]', { timeout: 15_000 });
    expect(page.url()).toContain('#/doc/gpp');
    await context.close();
  });
});
