// The web client in a real browser against the real server: two editors type
// into the same section and see each other's text and named cursors; an
// observer gets a read-only editor whose keystrokes change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureClientBuilt, expectAccessible, launchChromium, runBrowserTests, signInWithToken, warnIfSkipped } from './helpers/browser';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';

const SCREENSHOT = '/tmp/accord-collab.png';

warnIfSkipped('tests/browser-collab.test.ts');




const sectionText = (page: Page, id: string): Promise<string> => page.locator(`#editor [data-section-id=${id}]`).innerText();

/** Put the caret at the end of the section's heading and start a new paragraph there. */
async function startParagraphInSection(page: Page, id: string): Promise<void> {
  await page.click(`#editor [data-section-id=${id}] > h2`);
  await settle(page);
  await page.keyboard.press('End');
  await settle(page);
  await page.keyboard.press('Enter');
}

/**
 * ProseMirror learns of native caret moves (clicks, Home/End) from the
 * asynchronous `selectionchange` event; a human is never fast enough to act
 * before it, a script is. Give it a moment.
 */
const settle = (page: Page): Promise<void> => page.waitForTimeout(60);

describe.skipIf(!runBrowserTests)('web client in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let ada: TestUser;
  let bo: TestUser;
  let olu: TestUser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await ensureClientBuilt();
    server = await startTestServer();
    ada = await server.createUser('editor', 'Ada Okafor', 'civil-society');
    bo = await server.createUser('editor', 'Bo Lindqvist', 'government');
    olu = await server.createUser('observer', 'Olu Mensah', 'academia');
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await server?.close();
  });

  it('two editors see each other’s text and cursors; an observer cannot type', async () => {
    const a = await signInWithToken(browser, server.url, ada, '/doc/gpp', { checkLogin: true });
    const b = await signInWithToken(browser, server.url, bo);
    contexts.push(a.context, b.context);
    await expectAccessible(a.page, 'the document page of an editor');

    // Header and sidebar basics.
    await expect.poll(() => a.page.locator('#doc-title').innerText()).toContain('Good Practice');
    await expect.poll(() => a.page.locator('[data-outline-id=privacy]').count()).toBe(1);

    await startParagraphInSection(a.page, 'privacy');
    await a.page.keyboard.type('Ada drafts a sentence on consent.');
    await expect.poll(() => sectionText(b.page, 'privacy'), { timeout: 10_000 }).toContain('Ada drafts a sentence on consent.');

    await startParagraphInSection(b.page, 'privacy');
    await b.page.keyboard.type('Bo adds a line on retention.');
    await expect.poll(() => sectionText(a.page, 'privacy'), { timeout: 10_000 }).toContain('Bo adds a line on retention.');
    expect(await sectionText(b.page, 'privacy')).toContain('Ada drafts a sentence on consent.');

    // Remote carets, labelled with the other person's name.
    await expect.poll(() => a.page.locator('#editor .ProseMirror-yjs-cursor > div').allInnerTexts(), { timeout: 10_000 }).toContain('Bo Lindqvist');
    await a.page.keyboard.press('ArrowLeft'); // nudge so Ada's caret is re-broadcast while focused
    await a.page.focus('#editor .ProseMirror');
    await expect.poll(() => b.page.locator('#editor .ProseMirror-yjs-cursor > div').allInnerTexts(), { timeout: 10_000 }).toContain('Ada Okafor');
    await expectAccessible(b.page, 'the document page with a remote cursor');

    // Presence: both people, with organisation and group, "you" on one's own entry.
    const presenceA = a.page.locator('#presence li');
    await expect.poll(() => presenceA.allInnerTexts(), { timeout: 10_000 }).toEqual(
      expect.arrayContaining([expect.stringContaining('Ada Okafor'), expect.stringContaining('Bo Lindqvist')]),
    );
    const boEntry = await presenceA.filter({ hasText: 'Bo Lindqvist' }).innerText();
    expect(boEntry).toContain(bo.organization);
    expect(boEntry).toContain('Government');
    expect(await presenceA.filter({ hasText: 'Ada Okafor' }).innerText()).toContain('(you)');
    await expectAccessible(a.page, 'the document page with two people present');

    // The link dialog, as opened from the toolbar, and with its error shown; cancelled, it changes nothing.
    const textBefore = await sectionText(a.page, 'privacy');
    await a.page.click('#editor [data-section-id=privacy] p >> nth=0');
    await settle(a.page);
    await a.page.keyboard.press('End');
    for (let i = 0; i < 6; i++) await a.page.keyboard.press('Shift+ArrowLeft');
    await settle(a.page);
    await a.page.click('#tool-link');
    await a.page.waitForSelector('dialog.link-dialog[open] #link-href');
    await expectAccessible(a.page, 'the open link dialog');
    await a.page.fill('#link-href', 'javascript:alert(1)');
    await a.page.click('#link-apply');
    await expect.poll(() => a.page.locator('#link-error').innerText()).toContain('Use a web address');
    await expectAccessible(a.page, 'the link dialog showing an error');
    await a.page.click('dialog.link-dialog button:has-text("Cancel")');
    await a.page.waitForSelector('dialog.link-dialog', { state: 'detached' });
    expect(await sectionText(a.page, 'privacy')).toBe(textBefore);

    // The observer: read-only editor and banner; typing changes nothing anywhere.
    const o = await signInWithToken(browser, server.url, olu);
    contexts.push(o.context);
    await o.page.waitForSelector('#read-only-banner', { state: 'visible' });
    expect(await o.page.locator('#read-only-banner').innerText()).toContain('Read-only');
    // Read-only, yet focusable with a caret (keyboard selection); no formatting toolbar.
    expect(await o.page.getAttribute('#editor .ProseMirror', 'aria-readonly')).toBe('true');
    expect(await o.page.locator('#tool-bold').count()).toBe(0);
    await expectAccessible(o.page, 'the read-only document page of an observer');
    const before = await sectionText(o.page, 'privacy');
    await o.page.click(`#editor [data-section-id=privacy] p >> nth=0`);
    await settle(o.page);
    await o.page.keyboard.type('OBSERVER WAS HERE');
    await o.page.keyboard.press('Enter');
    await o.page.keyboard.press('Backspace');
    await o.page.keyboard.press('Delete');
    await o.page.waitForTimeout(500);
    expect(await sectionText(o.page, 'privacy')).toBe(before);
    expect(await sectionText(a.page, 'privacy')).not.toContain('OBSERVER WAS HERE');

    // The editors' text reached the server; the observer's did not.
    await expect
      .poll(async () => ((await (await server.api('/api/documents/gpp', { token: server.adminToken })).json()) as { markdown: string }).markdown, { timeout: 10_000 })
      .toContain('Bo adds a line on retention.');
    const { markdown } = (await (await server.api('/api/documents/gpp', { token: server.adminToken })).json()) as { markdown: string };
    expect(markdown).toContain('Ada drafts a sentence on consent.');
    expect(markdown).not.toContain('OBSERVER WAS HERE');

    // Everyone appears in everyone's presence list.
    await expect.poll(() => a.page.locator('#presence li').count(), { timeout: 10_000 }).toBe(3);

    await a.page.locator('#editor [data-section-id=privacy]').scrollIntoViewIfNeeded();
    await a.page.screenshot({ path: SCREENSHOT });
    await o.page.screenshot({ path: SCREENSHOT.replace('.png', '-observer.png') });

    // The list of documents.
    await o.page.goto(`${server.url}/#/`);
    await o.page.waitForSelector('#documents li[data-document-id=gpp]');
    await expectAccessible(o.page, 'the list of documents');
  });

  it('keeps sections intact and merges edits made while offline', async () => {
    const a = await signInWithToken(browser, server.url, ada);
    const b = await signInWithToken(browser, server.url, bo);
    contexts.push(a.context, b.context);
    const sectionIds = (page: Page) => page.locator('#editor section[data-section-id]').evaluateAll((els) => els.map((el) => el.getAttribute('data-section-id')));
    const ids = await sectionIds(a.page);
    expect(ids).toEqual(expect.arrayContaining(['privacy', 'transparency', 'security']));

    // Select everything and delete: the section guard refuses, nothing changes.
    const privacyBefore = await sectionText(a.page, 'privacy');
    await a.page.click('#editor [data-section-id=privacy] p >> nth=0');
    await settle(a.page);
    await a.page.keyboard.press('Control+a');
    await a.page.keyboard.press('Backspace');
    await settle(a.page);
    expect(await sectionIds(a.page)).toEqual(ids);
    expect(await sectionText(a.page, 'privacy')).toBe(privacyBefore);

    // Offline: edits stay local, the pill says so, and they merge on reconnect.
    await a.context.setOffline(true);
    await a.page.waitForSelector('#connection-status[data-status=offline]', { timeout: 10_000 });
    await startParagraphInSection(a.page, 'security');
    await a.page.keyboard.type('Typed while offline.');
    await expect.poll(() => a.page.locator('#connection-detail').innerText()).toContain('will merge');
    await expectAccessible(a.page, 'the document page while offline');
    await b.page.waitForTimeout(500);
    expect(await sectionText(b.page, 'security')).not.toContain('Typed while offline.');

    await a.context.setOffline(false);
    await a.page.waitForSelector('#connection-status[data-status=online]', { timeout: 15_000 });
    await expect.poll(() => sectionText(b.page, 'security'), { timeout: 10_000 }).toContain('Typed while offline.');
    expect(await sectionIds(b.page)).toEqual(ids);
  });
});
