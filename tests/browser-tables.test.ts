// Tables in the web client, as a new user meets them: "Insert table" in the
// toolbar (reached and pressed with the keyboard), typing into cells, Tab to
// the next cell, a row added below and one deleted; another editor sees the
// table; the document's Markdown holds it as a GFM table; the redline page
// of the change shows it as a table. axe-core on each state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureClientBuilt, expectAccessible, launchChromium, runBrowserTests, signInWithToken, warnIfSkipped } from './helpers/browser';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';

const SCREENSHOT = '/tmp/accord-tables.png';

warnIfSkipped('tests/browser-tables.test.ts');

/** ProseMirror learns of native caret moves from the asynchronous `selectionchange` event: give it a moment. */
const settle = (page: Page): Promise<void> => page.waitForTimeout(60);

/** The texts of the privacy section's table cells, without other people's carets drawn in them. */
const cells = (page: Page, selector: string): Promise<string[]> =>
  page.locator(`#editor [data-section-id=privacy] table ${selector}`).evaluateAll((els) =>
    els.map((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('.ProseMirror-yjs-cursor').forEach((c) => c.remove());
      return (copy.textContent ?? '').replace(/\u2060/g, '').trim();
    }),
  );

describe.skipIf(!runBrowserTests)('tables in the editor', () => {
  let server: TestServer;
  let browser: Browser;
  let ada: TestUser;
  let bo: TestUser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await ensureClientBuilt();
    server = await startTestServer();
    ada = await server.createUser('editor', 'Ada Okafor', 'civil-society');
    bo = await server.createUser('editor', 'Bo Lindqvist', 'government');
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await server?.close();
  });

  it('a new user inserts a table, types in its cells, adds and deletes a row; the other editor and the Markdown have it', async () => {
    const a = await signInWithToken(browser, server.url, ada);
    const b = await signInWithToken(browser, server.url, bo);
    contexts.push(a.context, b.context);

    // A new empty paragraph under the section's heading: the table takes its place.
    await a.page.click('#editor [data-section-id=privacy] > h2');
    await settle(a.page);
    await a.page.keyboard.press('End');
    await settle(a.page);
    await a.page.keyboard.press('Enter');
    await settle(a.page);
    const paragraphs = await a.page.locator('#editor [data-section-id=privacy] > p').count();

    // The toolbar button, by its accessible name; reached by the keyboard and pressed with Enter.
    const insert = a.page.getByRole('button', { name: 'Insert table' });
    expect(await insert.isEnabled()).toBe(true);
    // The row tools show only inside a table.
    expect(await a.page.locator('#tool-row-below').isHidden()).toBe(true);
    await insert.focus();
    await a.page.keyboard.press('Enter');
    await a.page.waitForSelector('#editor [data-section-id=privacy] table');
    expect(await a.page.getByRole('button', { name: 'Add a row below' }).isVisible()).toBe(true);
    expect(await a.page.getByRole('button', { name: 'Insert table' }).isDisabled()).toBe(true);
    expect(await cells(a.page, 'th')).toEqual(['Column 1', 'Column 2', 'Column 3']);
    // It took the empty paragraph's place, right under the heading.
    expect(await a.page.locator('#editor [data-section-id=privacy] > h2 + table').count()).toBe(1);
    expect(await a.page.locator('#editor [data-section-id=privacy] > p').count()).toBe(paragraphs - 1);

    // The caret is in the first body cell: type, Tab to the next cell, type.
    await a.page.keyboard.type('Retention');
    await a.page.keyboard.press('Tab');
    await a.page.keyboard.type('Thirty days');
    expect((await cells(a.page, 'td')).slice(0, 2)).toEqual(['Retention', 'Thirty days']);
    // Shift-Tab goes back a cell.
    await a.page.keyboard.press('Shift+Tab');
    await a.page.keyboard.press('End');
    await a.page.keyboard.type(' period');

    // A row below, typed into, then deleted again; the table keeps its other rows.
    await a.page.getByRole('button', { name: 'Add a row below' }).click();
    await settle(a.page);
    expect(await a.page.locator('#editor [data-section-id=privacy] table tr').count()).toBe(4);
    await a.page.keyboard.type('Temporary row');
    expect((await cells(a.page, 'td')).slice(3, 4)).toEqual(['Temporary row']);
    await a.page.getByRole('button', { name: 'Delete row' }).click();
    await settle(a.page);
    expect(await a.page.locator('#editor [data-section-id=privacy] table tr').count()).toBe(3);
    expect(await cells(a.page, 'td')).not.toContain('Temporary row');
    await expectAccessible(a.page, 'the document page with a table, the caret in a cell');

    // The other editor sees the table.
    await expect.poll(() => cells(b.page, 'td'), { timeout: 10_000 }).toEqual(['Retention period', 'Thirty days', '', '', '', '']);
    expect(await cells(b.page, 'th')).toEqual(['Column 1', 'Column 2', 'Column 3']);
    await expectAccessible(b.page, 'the document page of another editor, with the table');

    // The document's Markdown holds a GFM table.
    const markdown = async () => ((await (await server.api('/api/documents/gpp', { token: server.adminToken })).json()) as { markdown: string }).markdown;
    await expect.poll(markdown, { timeout: 10_000 }).toContain('| Column 1 | Column 2 | Column 3 |\n| --- | --- | --- |\n| Retention period | Thirty days | |\n| | | |\n');

    await a.page.locator('#editor [data-section-id=privacy] table').scrollIntoViewIfNeeded();
    await a.page.screenshot({ path: SCREENSHOT });

    // The redline of the change, as the HTML export gives it: a real table, accessible.
    const versions = (await (await server.api('/api/documents/gpp/versions', { token: server.adminToken })).json()) as { number: number }[];
    const latest = Math.max(...versions.map((v) => v.number));
    const res = await server.api(`/api/documents/gpp/redline?from=${latest}&to=live&format=html`, { token: server.adminToken });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<table class="rl-table b-inserted">');
    const page = await a.context.newPage();
    await page.setContent(html);
    expect(await page.locator('table.rl-table th[scope=col]').allInnerTexts()).toEqual(['Column 1', 'Column 2', 'Column 3']);
    await expectAccessible(page, 'the HTML redline of an inserted table');
    await page.locator('table.rl-table').scrollIntoViewIfNeeded();
    await page.screenshot({ path: SCREENSHOT.replace('.png', '-redline.png') });
  });
});
