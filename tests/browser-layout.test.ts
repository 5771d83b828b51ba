// The document page at every size: a wide laptop (1366×768), a phone
// (390×844) and 200% zoom (1366×768 at zoom 2 is a 683×384 CSS viewport with
// two device pixels per CSS pixel). At each, the tools' tab bar is on screen
// with its counts, every tab opens a panel that is on screen and scrolls
// inside itself, and the panel's actions can be reached. Stakeholders get no
// formatting toolbar. Screenshots: /tmp/issue13-layout-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureClientBuilt, expectAccessible, launchChromium, runBrowserTests, signInWithToken, warnIfSkipped } from './helpers/browser';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';

warnIfSkipped('tests/browser-layout.test.ts');

const SIZES = [
  { name: 'laptop', viewport: { width: 1366, height: 768 }, deviceScaleFactor: 1, narrow: false },
  { name: 'phone', viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, narrow: true },
  { name: 'zoom200', viewport: { width: 683, height: 384 }, deviceScaleFactor: 2, narrow: true },
] as const;

/** The element's box lies inside the viewport (at least partly for tall ones, and its top is visible). */
async function onScreen(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).first().evaluate((el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height >= 16 && box.top >= 0 && box.top < window.innerHeight && box.left >= 0 && box.right <= window.innerWidth + 1;
  });
}

describe.skipIf(!runBrowserTests)('document layout at every size', () => {
  let server: TestServer;
  let browser: Browser;
  let chair: TestUser;
  let stakeholder: TestUser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await ensureClientBuilt();
    server = await startTestServer({ config: { mail: { send: async () => {} } } });
    chair = await server.createUser('chair', 'Chiara Rossi', 'intergovernmental');
    stakeholder = await server.createUser('stakeholder', 'Sam Sato', 'civil-society');
    // One open amendment and one pending endorsement, for the tabs' counts.
    const amendment = await server.api('/api/documents/gpp/amendments', {
      method: 'POST',
      token: stakeholder.token,
      body: { section: 'privacy', quote: 'Many IoT devices', proposed: 'Most IoT devices', justification: 'More precise.' },
    });
    expect(amendment.status).toBe(201);
    const endorsement = await server.api('/api/documents/gpp/endorsements', {
      method: 'POST',
      body: { organization: 'Layout Test Org', stakeholderGroup: 'academia', country: 'FR', contactName: 'A', email: 'a@example.org', version: 3 },
    });
    expect(endorsement.status).toBe(202);
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await server?.close();
  });

  for (const size of SIZES) {
    it(`a chair reaches every tab and its actions at ${size.name} (${size.viewport.width}×${size.viewport.height})`, async () => {
      const { context, page } = await signInWithToken(browser, server.url, chair, '/doc/gpp', size);
      contexts.push(context);
      await expect.poll(() => page.locator('#tab-amendments').innerText()).toMatch(/Amendments\s*1 open/);
      await expect.poll(() => page.locator('#tab-endorsements').innerText()).toMatch(/Endorsements\s*1 pending/);
      expect(await page.locator('#tab-amendments').evaluate((el) => el.textContent)).toBe('Amendments 1 open');
      for (const tab of ['history', 'amendments', 'endorsements']) expect(await onScreen(page, `#tab-${tab}`), `tab ${tab} on screen`).toBe(true);
      expect(await onScreen(page, '#connection-status')).toBe(true);
      expect(await onScreen(page, '#editor'), 'the text on screen').toBe(true);
      await page.screenshot({ path: `/tmp/issue13-layout-${size.name}-closed.png` });
      await expectAccessible(page, `the document page at ${size.name}`);

      const actions: Record<string, string> = { history: '#freeze-submit', amendments: '.amendment-card[data-amendment-id] button', endorsements: '#endorsement-version-publish' };
      for (const tab of ['history', 'amendments', 'endorsements']) {
        await page.click(`#tab-${tab}`);
        await page.waitForSelector(`#${tab}:not([hidden])`);
        expect(await page.locator(`#${tab}`).isVisible(), `panel ${tab} visible`).toBe(true);
        expect(await onScreen(page, `#tab-${tab}`), `tab ${tab} still on screen with its panel open`).toBe(true);
        // The panel scrolls inside itself: it never makes the page taller than the screen.
        const page_ = await page.evaluate(() => ({ scroll: document.scrollingElement!.scrollHeight, inner: window.innerHeight }));
        expect(page_.scroll, `page height with ${tab} open`).toBeLessThanOrEqual(page_.inner + 1);
        const panelBox = await page.locator(`#${tab}`).boundingBox();
        expect(panelBox!.y + Math.min(panelBox!.height, 40)).toBeLessThanOrEqual(size.viewport.height);
        // Its last action can be scrolled to and is then on screen.
        const action = page.locator(actions[tab]!).last();
        await action.waitFor({ state: 'attached' });
        await action.scrollIntoViewIfNeeded();
        expect(await action.evaluate((el) => { const b = el.getBoundingClientRect(); return b.top >= 0 && b.bottom <= window.innerHeight + 1 && b.height > 0; }), `${tab} action on screen`).toBe(true);
        await page.screenshot({ path: `/tmp/issue13-layout-${size.name}-${tab}.png` });
        await expectAccessible(page, `the ${tab} panel at ${size.name}`);
      }
      if (size.narrow) {
        // The sheet closes with its Close button, and the sections live in the "Contents" drawer.
        await page.click('#tools-close');
        expect(await page.locator('#history').isVisible()).toBe(false);
        await page.click('#nav-toggle');
        await page.waitForSelector('#outline-list', { state: 'visible' });
        await expectAccessible(page, `the contents drawer at ${size.name}`);
        await page.screenshot({ path: `/tmp/issue13-layout-${size.name}-contents.png` });
        const jumped = page.locator('#outline-list button[data-outline-id]').nth(2);
        const section = await jumped.getAttribute('data-outline-id');
        await jumped.click();
        expect(await page.locator('#outline-list').isVisible()).toBe(false);
        // The section jumped to comes on screen once the smooth scroll settles (the text above it scrolls out of view).
        await expect.poll(() => onScreen(page, `#s-${section}`), { timeout: 5000 }).toBe(true);
      } else {
        expect(await page.locator('#outline-list').isVisible()).toBe(true);
      }
      // The text scrolls in its own column and stays reachable (after a jump, the section jumped to is what is on screen).
      if (!size.narrow) expect(await onScreen(page, '#editor')).toBe(true);
    });
  }

  it('a stakeholder has no formatting toolbar, on a phone too', async () => {
    const { context, page } = await signInWithToken(browser, server.url, stakeholder, '/doc/gpp', SIZES[1]);
    contexts.push(context);
    await page.waitForSelector('#read-only-banner');
    expect(await page.locator('.toolbar').count()).toBe(0);
    await expect.poll(() => page.locator('#tab-endorsements').innerText()).toMatch(/0 confirmed/);
    await page.screenshot({ path: '/tmp/issue13-layout-phone-stakeholder.png' });
    await expectAccessible(page, 'the read-only page on a phone');
  });
});
