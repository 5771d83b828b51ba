// A document's language in Chromium (issue 17): an Arabic paper opens right to
// left with lang="ar", each paragraph finds its own direction (an English
// paragraph in it stays left to right), and a reader who cannot edit may let
// the browser translate it while editors keep ProseMirror's translate="no".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';
import { ensureClientBuilt, expectAccessible, launchChromium, runBrowserTests, signInWithToken, warnIfSkipped } from './helpers/browser';

warnIfSkipped('tests/browser-language.test.ts');

const ARABIC = `# ورقة الممارسات الجيدة لإنترنت الأشياء

## الخصوصية {#privacy}

يجب أن تحمي الأجهزة خصوصية المستخدمين بشكل افتراضي، وأن تكون آمنة منذ البداية.

The coalition agreed this paragraph in English at IGF Paris.

## الأمن {#security}

ينبغي تحديث البرمجيات طوال عمر الجهاز.
`;

describe.skipIf(!runBrowserTests)('a document in Arabic, in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let chair: TestUser;
  let reader: TestUser;

  beforeAll(async () => {
    await ensureClientBuilt();
    server = await startTestServer();
    chair = await server.createUser('chair', 'Chiara Rossi', 'government');
    reader = await server.createUser('observer', 'Omar Haddad', 'civil-society');
    const made = await server.api('/api/documents', { method: 'POST', token: chair.token, body: { id: 'ar', title: 'ورقة', markdown: ARABIC, language: 'ar' } });
    expect(made.status).toBe(201);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('opens right to left for an editor, paragraph by paragraph, and stays untranslatable for editing', async () => {
    const { context, page } = await signInWithToken(browser, server.url, chair, '/doc/ar');
    const editor = page.locator('#editor .ProseMirror');
    expect(await editor.getAttribute('lang')).toBe('ar');
    expect(await editor.getAttribute('dir')).toBe('rtl');
    expect(await editor.getAttribute('translate')).toBe('no');
    // dir="auto" per paragraph: the browser finds each one's direction.
    const directions = await editor.locator('p').evaluateAll((ps) => ps.map((p) => [p.textContent?.slice(0, 12), getComputedStyle(p).direction]));
    expect(directions).toContainEqual(['يجب أن تحمي ', 'rtl']);
    expect(directions).toContainEqual(['The coalitio', 'ltr']);
    await expectAccessible(page, 'an Arabic document in the editor');
    await page.screenshot({ path: '/tmp/accord-arabic-editor.png' });
    await context.close();
  });

  it('lets a reader who cannot edit have the browser translate it', async () => {
    const { context, page } = await signInWithToken(browser, server.url, reader, '/doc/ar');
    const editor = page.locator('#editor .ProseMirror');
    expect(await editor.getAttribute('lang')).toBe('ar');
    expect(await editor.getAttribute('translate')).toBe('yes');
    await expectAccessible(page, 'an Arabic document for a reader');
    await context.close();
  });
});
