// The history panel in Chromium: freeze a version, pick two versions and see
// the redline in the page, verify the history, and find the exports.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';
import { ensureClientBuilt, expectAccessible, launchChromium, runBrowserTests, signInWithToken, warnIfSkipped } from './helpers/browser';

warnIfSkipped('tests/browser-history.test.ts');

describe.skipIf(!runBrowserTests)('history panel in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let chair: TestUser;

  beforeAll(async () => {
    await ensureClientBuilt();
    server = await startTestServer();
    chair = await server.createUser('chair', 'Chiara Rossi', 'government');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('picks two versions and shows their redline; verifies the history; offers exports', async () => {
    const { page } = await signInWithToken(browser, server.url, chair);
    await page.waitForSelector('#versions li[data-version="3"]');
    await expectAccessible(page, 'the History tab');

    await page.selectOption('#redline-from', '1');
    await page.selectOption('#redline-to', '2');
    await page.click('#redline-show');
    const frame = page.frameLocator('#redline-frame');
    await expect.poll(() => frame.locator('ins').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await frame.locator('del').count()).toBeGreaterThan(0);
    expect(await frame.locator('body').innerText()).toMatch(/EuroDIG 2018 Tbilisi draft/);
    expect(await frame.locator('body').innerText()).toMatch(/USA IGF 2018 Washington draft/);
    await expectAccessible(page, 'the redline view of versions 1 and 2');
    const docx = await page.locator('#redline-downloads a[data-format=docx]').getAttribute('href');
    expect(docx).toContain('from=1&to=2&format=docx');
    const res = await fetch(`${server.url}${docx}`);
    expect(res.headers.get('content-type')).toMatch(/wordprocessingml/);

    await page.fill('#freeze-label', 'Browser freeze');
    await page.click('#freeze-submit');
    // Freezing is for good: a dialog asks first; Cancel freezes nothing.
    await page.waitForSelector('#confirm-dialog[open]');
    expect(await page.locator('#confirm-dialog').innerText()).toContain('can never be changed or removed');
    await expectAccessible(page, 'the "Freeze this version?" dialog');
    await page.click('#confirm-dialog-cancel');
    await page.waitForSelector('#confirm-dialog', { state: 'detached' });
    expect(await page.locator('#versions li').count()).toBe(3);
    await page.click('#freeze-submit');
    await page.click('#confirm-dialog-confirm');
    await page.waitForSelector('#versions li[data-version="4"]');
    // Freezing did not open the new version for endorsement.
    expect(((await (await server.api('/api/documents/gpp/endorsement-version')).json()) as { version: number }).version).toBe(3);
    await expectAccessible(page, 'the History tab after freezing a version');
    const zip = await page.locator('#versions li[data-version="4"] a[data-export=zip]').getAttribute('href');
    expect((await fetch(`${server.url}${zip}`)).headers.get('content-type')).toBe('application/zip');

    await page.click('#verify-history');
    await page.waitForSelector('#verify-result[data-result=ok]', { timeout: 15_000 });
    // In plain words; the engineer's facts are folded away.
    expect(await page.locator('#verify-result').innerText()).toMatch(/^Verified: 4 versions, 0 amendment decisions and 0 endorsements match the signed record published on .+\. Nothing was altered, removed or reordered\./);
    expect(await page.locator('#verify-result').innerText()).not.toMatch(/checkpoint size|key hash/);
    expect(await page.locator('#verify-technical').textContent()).toMatch(/Log checkpoint of \d+ entries/);
    await expectAccessible(page, 'the History tab with a verified history');
    await page.screenshot({ path: '/tmp/accord-history.png' });
  });

  it('a version altered in storage: the server names it, and Verify history says which and what it means', async () => {
    // Storage edited behind the server's back, then the server restarted: bundles are built once per
    // checkpoint and kept (server/transparency/bundle.ts), so a running server keeps serving the one it built.
    const db = new Database(join(server.dataDir, 'accord.sqlite'));
    db.prepare("UPDATE versions SET title = title || ' (quietly edited)' WHERE doc_id = 'gpp' AND number = 2").run();
    db.close();
    await server.restart();
    const { page } = await signInWithToken(browser, server.url, chair);
    const res = await server.api('/api/documents/gpp/bundle');
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('history_mismatch');
    expect(body.error.message).toMatch(/^version 2 fails: the stored text of version 2 \(.+\) no longer matches what was signed/);
    await page.click('#tab-history');
    await page.click('#verify-history');
    await page.waitForSelector('#verify-result[data-result=fail]', { timeout: 15_000 });
    const text = await page.locator('#verify-result').innerText();
    expect(text).toMatch(/^Not verified: version 2 fails\. The stored text of version 2/);
    expect(text).not.toContain('internal server error');
    await page.screenshot({ path: '/tmp/issue13-verify-tampered.png' });
    await expectAccessible(page, 'the History tab showing a failed verification');
  });

  it('pasted HTML goes through the schema: scripts, handlers and javascript: links do not survive', async () => {
    const editor = await server.createUser('editor', 'Pat Paste', 'academia');
    const { page } = await signInWithToken(browser, server.url, editor);
    const alerts: string[] = [];
    page.on('dialog', (d) => {
      alerts.push(d.message());
      void d.dismiss();
    });
    await page.click('#editor [data-section-id=security] p');
    await page.evaluate(() => {
      const html =
        '<p>PASTED <b>bold</b> <a href="javascript:alert(1)">evil link</a> <a href="https://example.org/ok">good link</a>' +
        '<img src=x onerror="alert(2)"><script>alert(3)</script><span onclick="alert(4)">span</span></p>';
      const data = new DataTransfer();
      data.setData('text/html', html);
      data.setData('text/plain', 'PASTED');
      document.querySelector('#editor .ProseMirror')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    await page.waitForTimeout(500);
    const section = page.locator('#editor [data-section-id=security]');
    expect(await section.innerText()).toContain('PASTED bold evil link good link');
    const html = await section.innerHTML();
    expect(html).not.toMatch(/javascript:|onerror|onclick|<script/i);
    // Images are part of the schema now: the pasted one keeps only its (relative, safe) source, no handler.
    expect(html).toMatch(/<img src="x" alt=""[^>]*>/);
    expect(html).toContain('href="https://example.org/ok"');
    expect(alerts).toEqual([]);
    await expect.poll(async () => ((await (await server.api('/api/documents/gpp')).json()) as { markdown: string }).markdown).toContain('[good link](https://example.org/ok)');
  });
});
