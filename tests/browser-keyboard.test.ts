// Keyboard only (page.keyboard, never the mouse): a stakeholder signs in,
// lands on the main content, uses the skip link, moves a caret through the
// read-only text, selects words with Shift+arrows, proposes an amendment with
// Ctrl+Alt+M, fills and submits the dialog, and finds the focus back in the
// text. Every page and dialog goes through axe-core.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Amendment } from '../core/api';
import { ensureClientBuilt, expectAccessible, launchChromium, runBrowserTests, warnIfSkipped } from './helpers/browser';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';

warnIfSkipped('tests/browser-keyboard.test.ts');

const active = (page: Page): Promise<string> =>
  page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return '';
    return el.id ? `#${el.id}` : el.classList.contains('ProseMirror') ? '.ProseMirror' : el.tagName.toLowerCase();
  });

/** Presses Tab until the focus is on `target` (a string from `active`), at most `limit` times. */
async function tabTo(page: Page, target: string, limit = 40): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if ((await active(page)) === target) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${target}; focus is on ${await active(page)}`);
}

describe.skipIf(!runBrowserTests)('keyboard only', () => {
  let server: TestServer;
  let browser: Browser;
  let sam: TestUser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await ensureClientBuilt();
    server = await startTestServer();
    sam = await server.createUser('stakeholder', 'Sam Sato', 'civil-society');
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await server?.close();
  });

  it('a stakeholder proposes an amendment without a mouse', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${server.url}/#/login?next=${encodeURIComponent('/doc/gpp')}`);
    await page.waitForSelector('#login-email');
    expect(await active(page)).toBe('#login-email');
    await expectAccessible(page, 'the login page');
    // The invitation's access token, in the second form.
    await tabTo(page, '#login-token', 8);
    await page.keyboard.type(sam.token);
    await page.keyboard.press('Enter');

    // Signed in: the focus is on the page's main content, not lost on <body>.
    await page.waitForSelector('#editor .ProseMirror', { timeout: 15_000 });
    await page.waitForSelector('#connection-status[data-status=online]', { timeout: 15_000 });
    expect(await active(page)).toBe('#main-content');
    await expectAccessible(page, 'the document page of a stakeholder');

    // The skip link is the first stop and leads into the text.
    await page.keyboard.press('Shift+Tab');
    await tabTo(page, '#skip-link');
    expect(await page.locator('#skip-link').isVisible()).toBe(true);
    await page.keyboard.press('Enter');
    expect(await active(page)).toBe('.ProseMirror');

    // The read-only text takes a caret; Shift+arrows select words in the first paragraph.
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Home');
    for (let i = 0; i < 3; i++) await page.keyboard.press('Control+Shift+ArrowRight');
    await page.waitForTimeout(100);
    const selected = await page.evaluate(() => window.getSelection()?.toString() ?? '');
    expect(selected.trim()).toBe('The Dynamic Coalition');
    await page.keyboard.press('Control+Alt+KeyM');
    await page.waitForSelector('#amendment-dialog[open]');
    expect(await active(page)).toBe('#amendment-proposed');
    expect((await page.locator('#amendment-quote').innerText()).trim()).toBe('The Dynamic Coalition');
    await expectAccessible(page, 'the "Propose amendment" dialog opened from the keyboard');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('The Coalition');
    await page.keyboard.press('Tab');
    expect(await active(page)).toBe('#amendment-justification');
    await page.keyboard.type('Shorter, and the name is given in full below.');
    await tabTo(page, '#amendment-submit', 4);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#amendment-dialog', { state: 'detached' });
    // The focus is back in the text, where the reader was.
    expect(await active(page)).toBe('.ProseMirror');

    await expect
      .poll(async () => ((await (await server.api('/api/documents/gpp/amendments')).json()) as Amendment[]).length, { timeout: 10_000 })
      .toBe(1);
    const [amendment] = (await (await server.api('/api/documents/gpp/amendments')).json()) as Amendment[];
    expect(amendment).toMatchObject({ section: 'introduction', proposed: 'The Coalition', status: 'open', proposer: { id: sam.id } });
    expect(amendment!.quote.trim()).toBe('The Dynamic Coalition');
    await expect.poll(() => page.locator('#tab-amendments').innerText()).toMatch(/1 open/);

    // The tabs work with arrows, and the new card is reachable.
    await page.keyboard.press('Shift+Tab');
    // Proposing opened the Amendments tab; only the selected tab is a Tab stop (arrows move between tabs).
    await tabTo(page, '#tab-amendments', 60);
    await page.keyboard.press('ArrowLeft');
    expect(await active(page)).toBe('#tab-history');
    expect(await page.locator('#history').isVisible()).toBe(true);
    await page.keyboard.press('ArrowRight');
    expect(await active(page)).toBe('#tab-amendments');
    expect(await page.locator('#amendments').isVisible()).toBe(true);
    await expectAccessible(page, 'the Amendments tab reached by keyboard');
    await page.screenshot({ path: '/tmp/issue13-keyboard.png' });
  });
});
