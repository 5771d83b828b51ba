// The interface in the six UN languages, in Chromium (issue 17): an Arabic
// browser gets the whole app in Arabic, laid out right to left (the tools
// column on the left of the text, the outline on its right, the toolbar
// starting from the right) while the English paper keeps its own lang and
// dir; a language chosen in the header applies at once without a reload and
// keeps the editor connected (same WebSocket, still online, a second
// person's edit still arrives), and is remembered with the account.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page, WebSocket } from 'playwright-core';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';
import { ensureClientBuilt, expectAccessible, launchChromium, runBrowserTests, signInWithToken, warnIfSkipped } from './helpers/browser';

warnIfSkipped('tests/browser-i18n.test.ts');

const sectionText = (page: Page, id: string): Promise<string> => page.locator(`#editor [data-section-id=${id}]`).innerText();
const box = async (page: Page, selector: string) => {
  const found = await page.locator(selector).first().boundingBox();
  if (!found) throw new Error(`${selector} is not laid out`);
  return found;
};
/** The interface's own words on screen: everything but the paper, the people's names and the document's title. */
const interfaceText = (page: Page): Promise<string> =>
  page.evaluate(() => {
    const copy = document.body.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('#editor, #doc-title, .presence-name, .presence-org, .account-name, .account-meta, .outline-text, .version-label, script, #notices').forEach((e) => e.remove());
    return copy.innerText;
  });
const ENGLISH_UI = ['Sign out', 'History', 'Amendments', 'Endorsements', 'Online', 'Sections', 'People here', 'Freeze version', 'Versions', 'Compare', 'Bold', 'Undo', 'Contents'];

describe.skipIf(!runBrowserTests)('the interface in the six UN languages, in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let chair: TestUser;
  let editor: TestUser;

  beforeAll(async () => {
    await ensureClientBuilt();
    server = await startTestServer();
    chair = await server.createUser('chair', 'Chiara Rossi', 'government');
    editor = await server.createUser('editor', 'Bo Lindqvist', 'technical-community');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('speaks Arabic to an Arabic browser, right to left, while the English paper stays left to right', async () => {
    const { context, page } = await signInWithToken(browser, server.url, chair, '/doc/gpp', { checkLogin: true, locale: 'ar-EG' });
    const html = page.locator('html');
    expect(await html.getAttribute('lang')).toBe('ar');
    expect(await html.getAttribute('dir')).toBe('rtl');
    // The paper keeps the document's own language and direction.
    const paper = page.locator('#editor .ProseMirror');
    expect(await paper.getAttribute('lang')).toBe('en');
    expect(await paper.getAttribute('dir')).toBe('ltr');

    await expect.poll(() => page.locator('#connection-status').innerText()).toBe('متصل');
    expect(await page.locator('#tab-history .tab-title').innerText()).toBe('السجل');
    expect(await page.locator('#sign-out').innerText()).toBe('تسجيل الخروج');
    expect(await page.locator('#language-select').getAttribute('aria-label')).toBe('لغة الواجهة');
    expect(await page.locator('#tool-bold').getAttribute('aria-label')).toMatch(/^غامق \(/);

    // Mirrored: tools on the left of the text, the outline on its right, the toolbar from the right.
    const text = await box(page, '#editor');
    const tools = await box(page, '#document-tools');
    const outline = await box(page, '.sidebar-left');
    expect(tools.x + tools.width).toBeLessThanOrEqual(text.x + 1);
    expect(outline.x).toBeGreaterThanOrEqual(text.x + text.width - 1);
    expect((await box(page, '#tool-bold')).x).toBeGreaterThan((await box(page, '#tool-redo')).x);
    expect((await box(page, '.brand')).x).toBeGreaterThan((await box(page, '#sign-out')).x);
    await expectAccessible(page, 'the document page in Arabic');

    // Each panel, in Arabic.
    for (const [tab, title] of [
      ['amendments', 'التعديلات'],
      ['endorsements', 'التأييدات'],
      ['history', 'السجل'],
    ] as const) {
      await page.click(`#tab-${tab}`);
      expect(await page.locator(`#tab-${tab} .tab-title`).innerText()).toBe(title);
      await expectAccessible(page, `the ${tab} panel in Arabic`);
    }
    await expect.poll(() => page.locator('#history').innerText()).toContain('الإصدارات');
    // Right to left, the arrow pointing left leads to the next tab.
    await page.focus('#tab-history');
    await page.keyboard.press('ArrowLeft');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-amendments');
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-history');
    await expect.poll(() => page.locator('#tab-history-count').innerText()).toMatch(/إصدار/);

    // A dialog, in Arabic and right to left.
    await page.fill('#freeze-label', 'مشروع للتعليق العام');
    await page.click('#freeze-submit');
    const dialog = page.locator('#confirm-dialog');
    await dialog.waitFor();
    expect(await page.locator('#confirm-dialog-title').innerText()).toBe('هل تريد تثبيت هذا الإصدار؟');
    expect(await page.locator('#confirm-dialog-cancel').innerText()).toBe('إلغاء');
    expect(await dialog.evaluate((d) => getComputedStyle(d).direction)).toBe('rtl');
    await expectAccessible(page, 'the freeze confirmation in Arabic');
    await page.screenshot({ path: '/tmp/i18n-ar-dialog.png' });
    await page.click('#confirm-dialog-cancel');

    const words = await interfaceText(page);
    for (const english of ENGLISH_UI) expect(words, `"${english}" left in English`).not.toContain(english);
    await page.screenshot({ path: '/tmp/i18n-ar.png' });
    await context.close();
  });

  it('switches to Chinese from the header without a reload, keeping the editor connected, and remembers it for the account', async () => {
    const { context: contextB, page: b } = await signInWithToken(browser, server.url, editor, '/doc/gpp');
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    const sockets: WebSocket[] = [];
    page.on('websocket', (ws) => sockets.push(ws));
    let loads = 0;
    page.on('load', () => loads++);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${server.url}/#/login?next=${encodeURIComponent('/doc/gpp')}`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.fill('#login-token', chair.token);
    await page.click('#login-token-submit');
    await page.waitForSelector('#editor .ProseMirror');
    await page.waitForSelector('#connection-status[data-status=online]');
    expect(await page.locator('#tab-history .tab-title').innerText()).toBe('History');
    await expect.poll(() => page.locator('#presence li').count()).toBe(2);
    const collab = sockets.filter((ws) => ws.url().includes('/collab/'));
    expect(collab).toHaveLength(1);
    const loadsBefore = loads;
    const markdownBefore = ((await (await server.api('/api/documents/gpp', { token: server.adminToken })).json()) as { markdown: string }).markdown;

    await page.selectOption('#language-select', 'zh');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh');
    expect(await page.locator('html').getAttribute('dir')).toBe('ltr');
    expect(await page.locator('#tab-history .tab-title').innerText()).toBe('历史');
    expect(await page.locator('#connection-status').innerText()).toBe('在线');
    expect(await page.locator('#sign-out').innerText()).toBe('退出登录');
    // The switcher keeps the focus, and the page was not reloaded.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('language-select');
    expect(loads).toBe(loadsBefore);
    // Said to screen readers, in the new language.
    await expect.poll(() => page.locator('#announcements').textContent()).toBe('界面语言已切换为中文。');

    // The same socket, still open; still online; presence intact.
    expect(sockets.filter((ws) => ws.url().includes('/collab/'))).toHaveLength(1);
    expect(collab[0]!.isClosed()).toBe(false);
    expect(await page.locator('#connection-status').getAttribute('data-status')).toBe('online');
    expect(await page.locator('#presence li').count()).toBe(2);
    // The text is untouched by the switch, and a second person's edit still arrives.
    expect(((await (await server.api('/api/documents/gpp', { token: server.adminToken })).json()) as { markdown: string }).markdown).toBe(markdownBefore);
    await b.click('#editor [data-section-id=privacy] > h2');
    await b.waitForTimeout(60);
    await b.keyboard.press('End');
    await b.waitForTimeout(60);
    await b.keyboard.press('Enter');
    await b.keyboard.type('Bo writes after the switch.');
    await expect.poll(() => sectionText(page, 'privacy'), { timeout: 10_000 }).toContain('Bo writes after the switch.');
    expect(sockets.filter((ws) => ws.url().includes('/collab/'))).toHaveLength(1);

    // Every panel in Chinese.
    await page.click('#tab-amendments');
    expect(await page.locator('#amendments .panel-title').innerText()).toContain('修正案');
    await page.click('#tab-endorsements');
    expect(await page.locator('#endorsements .panel-title').innerText()).toBe('承诺征集');
    await page.click('#tab-history');
    await expectAccessible(page, 'the document page in Chinese');
    const words = await interfaceText(page);
    for (const english of ENGLISH_UI) expect(words, `"${english}" left in English`).not.toContain(english);
    // Chinese characters drawn with a font, not as boxes: the fallback font loads when the system has none.
    await page.evaluate(async () => {
      await document.fonts.load('16px "Accord CJK"', '历史');
      await document.fonts.ready;
    });
    expect(await page.evaluate(() => document.fonts.check('16px "Accord CJK"', '历史'))).toBe(true);
    await page.screenshot({ path: '/tmp/i18n-zh.png' });

    // Remembered with the account: another browser, in English, opens in Chinese.
    const me = (await (await server.api('/api/me', { token: chair.token })).json()) as { user: { language: string } };
    expect(me.user.language).toBe('zh');
    const { context: elsewhere, page: other } = await signInWithToken(browser, server.url, chair, '/doc/gpp');
    await expect.poll(() => other.locator('html').getAttribute('lang')).toBe('zh');
    expect(await other.locator('#tab-history .tab-title').innerText()).toBe('历史');
    await elsewhere.close();

    // Back to English the same way.
    await page.selectOption('#language-select', 'en');
    await expect.poll(() => page.locator('#tab-history .tab-title').innerText()).toBe('History');
    expect(collab[0]!.isClosed()).toBe(false);
    // Leaving the document after all that releases the editor cleanly.
    await page.click('.brand');
    await page.waitForSelector('#documents li');
    expect(errors).toEqual([]);
    await context.close();
    await contextB.close();
  });

  it('the offline verifier speaks the reader\'s language too (Arabic, right to left)', async () => {
    const response = await server.api('/api/documents/gpp/verify.html', { token: chair.token });
    expect(response.status).toBe(200);
    const dir = mkdtempSync(join(tmpdir(), 'accord-i18n-verify-'));
    try {
      writeFileSync(join(dir, 'verify.html'), await response.text());
      const context = await browser.newContext({ offline: true, locale: 'ar' });
      const page = await context.newPage();
      await page.goto(`file://${join(dir, 'verify.html')}`);
      await page.waitForSelector('#result[data-result=ok]', { timeout: 15_000 });
      expect(await page.locator('html').getAttribute('lang')).toBe('ar');
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
      expect(await page.locator('h1').innerText()).toBe('التحقق من سجل وثيقة');
      expect(await page.locator('#result .verdict').innerText()).toMatch(/^تم التحقق: /);
      expect(await page.locator('label[for=bundle-file]').innerText()).toBe('ملف الحزمة');
      await expectAccessible(page, 'the offline verifier in Arabic');
      await context.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sends the interface language with API requests, and keeps a choice made before signing in for the account', async () => {
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    const languages: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/api/')) languages.push(request.headers()['accept-language'] ?? '');
    });
    await page.goto(`${server.url}/#/login`);
    await page.waitForSelector('#login-token');
    expect(await page.locator('#login-title').innerText()).toBe('Connexion');
    await page.fill('#login-token', 'not-a-valid-token-at-all');
    await page.click('#login-token-submit');
    await expect.poll(() => page.locator('#login-token-error').innerText()).not.toBe('');
    expect(languages.length).toBeGreaterThan(0);
    expect(new Set(languages)).toEqual(new Set(['fr']));
    await expectAccessible(page, 'the login page in French, with an error');

    // Chosen before signing in: remembered on this device, then kept with the account that signs in.
    const reader = await server.createUser('observer', 'Olu Mensah', 'academia');
    await page.selectOption('#language-select', 'es');
    await expect.poll(() => page.locator('#login-title').innerText()).toBe('Iniciar sesión');
    expect(await page.evaluate(() => localStorage.getItem('accord.locale'))).toBe('es');
    await page.fill('#login-token', reader.token);
    await page.click('#login-token-submit');
    await page.waitForSelector('#documents li');
    expect(await page.locator('h1').innerText()).toBe('Documentos');
    await expect
      .poll(async () => ((await (await server.api('/api/me', { token: reader.token })).json()) as { user: { language: string | null } }).user.language)
      .toBe('es');
    expect(new Set(languages)).toEqual(new Set(['fr', 'es']));
    await expectAccessible(page, 'the documents page in Spanish');
    await context.close();
  });
});
