// Offline that keeps: an editor goes offline, types, closes the tab; on the
// next visit (online again) the edits merge and the other editor sees them.
// The pill names the sections with unsent changes in words; a reader offline
// is never told about "their" changes; a browser that cannot keep a local
// copy warns before the tab closes. Screenshots: /tmp/issue13-offline-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureClientBuilt, expectAccessible, launchChromium, runBrowserTests, signInWithToken, warnIfSkipped } from './helpers/browser';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';

warnIfSkipped('tests/browser-offline.test.ts');

const settle = (page: Page): Promise<void> => page.waitForTimeout(150);

async function typeAtEndOfSection(page: Page, id: string, text: string): Promise<void> {
  await page.click(`#editor [data-section-id=${id}] > h2`);
  await settle(page);
  await page.keyboard.press('End');
  await settle(page);
  await page.keyboard.press('Enter');
  await page.keyboard.type(text);
}

const sectionText = (page: Page, id: string): Promise<string> => page.locator(`#editor [data-section-id=${id}]`).innerText();
const detail = (page: Page): Promise<string> => page.locator('#connection-detail').innerText();

describe.skipIf(!runBrowserTests)('offline edits in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let ada: TestUser;
  let bo: TestUser;
  let olu: TestUser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await ensureClientBuilt();
    server = await startTestServer();
    ada = await server.createUser('editor', 'Ada Editor');
    bo = await server.createUser('editor', 'Bo Editor');
    olu = await server.createUser('observer', 'Olu Observer');
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await server?.close();
  });

  it('edits typed offline survive closing the tab and merge for everyone on the next visit', async () => {
    const a = await signInWithToken(browser, server.url, ada);
    const b = await signInWithToken(browser, server.url, bo);
    contexts.push(a.context, b.context);

    await a.context.setOffline(true);
    await a.page.waitForSelector('#connection-status[data-status=offline]', { timeout: 10_000 });
    await typeAtEndOfSection(a.page, 'privacy', 'Written on a train without signal.');
    await typeAtEndOfSection(a.page, 'security', 'And a second thought on security.');
    await expect.poll(() => detail(a.page)).toContain('Unsent changes in Privacy and Security will merge when the connection returns.');
    expect(await detail(a.page)).toContain('kept on this device, even if you close this tab');
    expect(await detail(a.page)).not.toMatch(/\d+ (local )?changes/);
    await a.page.screenshot({ path: '/tmp/issue13-offline-typed.png' });
    await expectAccessible(a.page, 'the document page offline with unsent changes');
    // y-indexeddb writes each update asynchronously; give the last one a moment.
    await a.page.waitForTimeout(800);
    // close({ runBeforeUnload }) returns before the tab is gone; changing the
    // context's network while it closes races with it, so wait for the close.
    const closed = a.page.waitForEvent('close');
    await a.page.close({ runBeforeUnload: true });
    await closed;
    expect(await sectionText(b.page, 'privacy')).not.toContain('Written on a train');

    // Next visit, connection back: the stored copy merges; Bo sees both edits without a reload.
    await a.context.setOffline(false);
    const again = await a.context.newPage();
    await again.goto(`${server.url}/#/doc/gpp`);
    await again.waitForSelector('#connection-status[data-status=online]', { timeout: 15_000 });
    await expect.poll(() => sectionText(b.page, 'privacy'), { timeout: 15_000 }).toContain('Written on a train without signal.');
    await expect.poll(() => sectionText(b.page, 'security'), { timeout: 15_000 }).toContain('And a second thought on security.');
    expect(await sectionText(again, 'privacy')).toContain('Written on a train without signal.');
    await expect.poll(() => detail(again)).toContain('Your changes in Privacy and Security have been shared.');
    const { markdown } = (await (await server.api('/api/documents/gpp', { token: server.adminToken })).json()) as { markdown: string };
    expect(markdown).toContain('Written on a train without signal.');
    expect(markdown.match(/Written on a train without signal\./g)).toHaveLength(1);
    await again.screenshot({ path: '/tmp/issue13-offline-merged.png' });
    await expectAccessible(again, 'the document page after the stored changes merged');
  });

  it('a reader offline is not told that edits are kept', async () => {
    const o = await signInWithToken(browser, server.url, olu);
    contexts.push(o.context);
    await o.context.setOffline(true);
    await o.page.waitForSelector('#connection-status[data-status=offline]', { timeout: 10_000 });
    await expect.poll(() => detail(o.page)).toBe('The text updates when the connection returns.');
    await expectAccessible(o.page, 'an observer\'s page offline');
  });

  it('without a local copy (no IndexedDB), closing the tab with unsent changes asks first', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    contexts.push(context);
    await context.addInitScript(() => Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true }));
    const page = await context.newPage();
    await page.goto(`${server.url}/#/login?next=${encodeURIComponent('/doc/gpp')}`);
    await page.fill('#login-token', ada.token);
    await page.click('#login-token-submit');
    await page.waitForSelector('#connection-status[data-status=online]', { timeout: 15_000 });
    await context.setOffline(true);
    await page.waitForSelector('#connection-status[data-status=offline]', { timeout: 10_000 });
    await typeAtEndOfSection(page, 'transparency', 'Only in this tab.');
    await expect.poll(() => detail(page)).toContain('Unsent changes in Transparency will merge when the connection returns. This browser cannot keep them');
    await expectAccessible(page, 'the page offline without a local copy');
    const asked = new Promise<string>((resolve) => page.once('dialog', (dialog) => { resolve(dialog.type()); void dialog.dismiss(); }));
    await page.close({ runBeforeUnload: true });
    expect(await asked).toBe('beforeunload');
    expect(page.isClosed()).toBe(false);
  });

  it('signing out deletes the account\'s local copies from this device', async () => {
    const { context, page } = await signInWithToken(browser, server.url, bo);
    contexts.push(context);
    const copies = () => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? '').filter((name) => name.startsWith('accord:')));
    await expect.poll(copies, { timeout: 10_000 }).toEqual([expect.stringContaining(`:gpp:${bo.id}`)]);
    await page.click('#sign-out');
    await page.waitForSelector('#login-token', { timeout: 10_000 });
    expect(await copies()).toEqual([]);
    await expectAccessible(page, 'the sign-in page after signing out');
  });
});
