// The call for commitment in a real browser: a visitor, not signed in, fills
// the public form; the contact follows the mailed link; a chair confirms (via
// the API, then in the app's Endorsements panel); the public page lists the
// supporter, never the contact. A chair publishes a newer version and the
// earlier supporter re-affirms from the public page in one click.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { MailMessage } from '../server/mail/transport';
import { ensureClientBuilt, expectAccessible, launchChromium, runBrowserTests, warnIfSkipped } from './helpers/browser';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';

const SCREENSHOT = '/tmp/accord-endorse.png';
const PANEL_SCREENSHOT = '/tmp/accord-endorse-panel.png';

warnIfSkipped('tests/browser-endorse.test.ts');



describe.skipIf(!runBrowserTests)('public endorsement page in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let chair: TestUser;
  const mail: MailMessage[] = [];
  const problems: string[] = [];

  /** The link mailed to `email`, on the test server (config.publicUrl names the default port). */
  function linkTo(email: string): string {
    const message = [...mail].reverse().find((m) => m.to === email);
    const url = message && /https?:\/\/\S+/.exec(message.text)?.[0];
    if (!url) throw new Error(`no link mailed to ${email}`);
    const parsed = new URL(url);
    return `${server.url}${parsed.pathname}${parsed.search}`;
  }

  async function pendingId(organization: string): Promise<string> {
    const list = (await (await server.api('/api/documents/gpp/endorsements', { token: chair.token })).json()) as { id: string; organization: string; status: string }[];
    const found = list.find((e) => e.organization === organization && e.status === 'pending');
    if (!found) throw new Error(`no pending endorsement by ${organization}`);
    return found.id;
  }

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // Refused HTTP requests (an intended 422, 410, a favicon) are not problems; script errors and CSP refusals are.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`console: ${message.text()}`);
    });
    return page;
  }

  beforeAll(async () => {
    await ensureClientBuilt();
    server = await startTestServer({ config: { mail: { send: async (m) => void mail.push(m) }, endorsementRateLimit: { max: 50, windowMs: 60_000 } } });
    chair = await server.createUser('chair', 'Chiara Chair');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a visitor endorses through the public form; after both confirmations the page lists the supporter', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/endorse/gpp`);
    await expect.poll(() => page.locator('#doc-title').innerText()).toContain('Good Practice');
    const v3 = ((await (await server.api('/api/documents/gpp/versions/3')).json()) as { contentHash: string }).contentHash;
    expect(await page.locator('#open-version').getAttribute('data-version')).toBe('3');
    // The page leads with the text: its name, meeting, where to read it and what changed.
    expect(await page.locator('#open-version-name').innerText()).toBe('Version 3 — IGF 2018 Paris draft');
    expect(await page.locator('#open-version-meeting').innerText()).toContain('Paris');
    const read = await page.locator('#read-version').getAttribute('href');
    const readPage = await page.request.get(`${server.url}${read}`);
    expect(readPage.status()).toBe(200);
    expect(readPage.headers()['content-type']).toContain('text/html');
    expect(readPage.headers()['content-disposition'] ?? '').not.toContain('attachment');
    expect(await page.locator('#redline-previous').innerText()).toContain('What changed since version 2');
    const redline = await page.request.get(`${server.url}${await page.locator('#redline-previous').getAttribute('href')}`);
    expect(redline.status()).toBe(200);
    expect(await redline.text()).toContain('<ins');
    // The proof is folded away under "How to check this".
    expect(await page.locator('#open-content-hash').isVisible()).toBe(false);
    await page.click('#how-to-check summary');
    expect(await page.locator('#open-content-hash').innerText()).toBe(v3);
    expect(await page.locator('#checkpoint').innerText()).toMatch(/^test\.accord\.example\/log\n\d+\n/);
    expect(await page.locator('#supporters-summary').innerText()).toContain('No organisation has endorsed');
    await page.screenshot({ path: '/tmp/issue13-endorse-page.png', fullPage: true });
    await expectAccessible(page, 'the public endorsement page, no supporters yet');

    // An empty form: each field says, in words, what it needs; no schema talk.
    await page.click('#endorse-submit');
    await expect.poll(() => page.locator('#endorse-status').innerText()).toBe('5 fields need your attention.');
    expect(await page.locator('#organization-error').innerText()).toBe('Enter the name of your organisation.');
    expect(await page.locator('#organization').getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('organization');
    expect(await page.locator('#endorse').innerText()).not.toMatch(/Too small|expected string/);
    await expectAccessible(page, 'the public endorsement form with every field missing');

    // An invalid address is named beside the address field.
    await page.fill('#organization', 'Kijiji Digital Rights Trust');
    await page.selectOption('#stakeholderGroup', 'civil-society');
    await page.selectOption('#country', 'KE');
    await page.fill('#contactName', 'Wanjiru Contactperson');
    await page.fill('#email', 'not-an-address');
    await page.fill('#statement', 'We commit to these practices.');
    await page.click('#endorse-submit');
    await expect.poll(() => page.locator('#endorse-status').innerText()).toBe('One field needs your attention.');
    expect(await page.locator('#email-error').innerText()).toContain('name@example.org');
    expect(await page.locator('#organization-error').innerText()).toBe('');
    expect(await page.locator('#endorse-status').getAttribute('class')).toContain('error');
    await expectAccessible(page, 'the public endorsement form showing an error');

    await page.fill('#email', 'wanjiru@kijiji-trust.example');
    await page.click('#endorse-submit');
    await expect.poll(() => page.locator('#endorse-status').innerText()).toContain('confirmation link');
    expect(await page.inputValue('#organization')).toBe('');

    // The contact follows the link from the mail.
    // Opening it only shows a Confirm button; pressing it confirms.
    await page.goto(linkTo('wanjiru@kijiji-trust.example'));
    expect(await page.locator('#confirmation-result').getAttribute('data-outcome')).toBe('ready');
    await expectAccessible(page, 'the confirmation page, ready to confirm');
    await page.click('#confirm-button');
    await expect.poll(() => page.locator('#confirmation-result').getAttribute('data-outcome')).toBe('confirmed');
    await expectAccessible(page, 'the confirmation page, confirmed');
    await page.goto(linkTo('wanjiru@kijiji-trust.example'));
    expect(await page.locator('#confirmation-result').getAttribute('data-outcome')).toBe('already-used');
    await expectAccessible(page, 'the confirmation page, link already used');

    // Still pending: not public.
    await page.goto(`${server.url}/endorse/gpp`);
    expect(await page.content()).not.toContain('Kijiji Digital Rights Trust');

    // A chair confirms.
    const id = await pendingId('Kijiji Digital Rights Trust');
    const res = await server.api(`/api/documents/gpp/endorsements/${id}/decision`, { method: 'POST', token: chair.token, body: { decision: 'confirm' } });
    expect(res.status).toBe(200);

    await page.reload();
    const row = page.locator(`#supporters-table tr[data-endorsement="${id}"]`);
    await expect.poll(() => row.innerText()).toContain('Kijiji Digital Rights Trust');
    expect(await row.innerText()).toContain('Civil society');
    expect(await row.innerText()).toContain('Kenya (KE)');
    expect(await row.innerText()).toContain('Version 3');
    expect(await row.innerText()).toContain('We commit to these practices.');
    expect(await page.locator('#counts-by-group tr[data-key="Civil society"] td.num').first().innerText()).toBe('1');
    expect(await page.locator('#counts-by-region tr[data-key="Africa"] td.num').first().innerText()).toBe('1');
    const html = await page.content();
    expect(html).not.toContain('Wanjiru');
    expect(html).not.toContain('kijiji-trust.example');
    await expectAccessible(page, 'the public endorsement page listing a supporter');
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(problems).toEqual([]);
  });

  it('a chair decides in the Endorsements panel and publishes a newer version; the supporter re-affirms in one click', async () => {
    // A second submission, address confirmed, waiting for the chair.
    const submitted = await server.api('/api/documents/gpp/endorsements', {
      method: 'POST',
      body: { organization: 'Nordic Standards Body', stakeholderGroup: 'technical-community', country: 'NO', contactName: 'Ola Nordmann', email: 'ola@nsb.example', version: 3 },
    });
    expect(submitted.status).toBe(202);
    expect((await fetch(linkTo('ola@nsb.example'), { method: 'POST' })).status).toBe(200);
    const frozen = await server.api('/api/documents/gpp/versions', { method: 'POST', token: chair.token, body: { label: 'Text for endorsement' } });
    expect(frozen.status).toBe(201);

    const page = await newPage();
    await page.goto(`${server.url}/#/login?next=${encodeURIComponent('/doc/gpp')}`);
    await page.fill('#login-token', chair.token);
    await page.click('#login-token-submit');
    await page.waitForSelector('#editor .ProseMirror', { timeout: 15_000 });
    await page.click('#tab-endorsements');
    const item = page.locator('#endorsements-pending li', { hasText: 'Nordic Standards Body' });
    await expect.poll(() => item.count(), { timeout: 10_000 }).toBe(1);
    expect(await item.innerText()).toContain('ola@nsb.example'); // chairs see the contact
    expect(await item.innerText()).toContain('Address confirmed');
    await expectAccessible(page, 'the Endorsements tab with a pending endorsement');
    await item.locator('button[data-action=confirm]').click();
    await page.waitForSelector('#confirm-dialog[open]');
    expect(await page.locator('#confirm-dialog').innerText()).toContain('Nordic Standards Body');
    await expectAccessible(page, 'the "Confirm endorsement?" dialog');
    await page.click('#confirm-dialog-confirm');
    await expect.poll(() => page.locator('#endorsements-confirmed li', { hasText: 'Nordic Standards Body' }).count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => page.locator('#endorsements-pending li').count()).toBe(0);

    // Publish version 4 for endorsement.
    await page.selectOption('#endorsement-version-select', '4');
    await page.click('#endorsement-version-publish');
    await page.waitForSelector('#confirm-dialog[open]');
    await expectAccessible(page, 'the "Open version 4 for endorsement?" dialog');
    await page.click('#confirm-dialog-confirm');
    await expect.poll(() => page.locator('#endorsement-open .version').getAttribute('data-version'), { timeout: 10_000 }).toBe('4');
    await expectAccessible(page, 'the Endorsements tab after publishing version 4');
    await page.screenshot({ path: PANEL_SCREENSHOT });

    // The public page now names version 4; earlier supporters show version 3 and can re-affirm.
    const visitor = await newPage();
    await visitor.goto(`${server.url}/endorse/gpp`);
    expect(await visitor.locator('#open-version').getAttribute('data-version')).toBe('4');
    const row = visitor.locator('#supporters-table tr', { hasText: 'Kijiji Digital Rights Trust' });
    expect(await row.getAttribute('data-version')).toBe('3');
    const before = mail.length;
    await row.locator('button', { hasText: 'Re-affirm for version 4' }).click();
    await expect.poll(() => row.locator('.notice').innerText()).toContain('confirmation link has been sent');
    await expectAccessible(visitor, 'the public endorsement page after a re-affirmation request');
    expect(mail.length).toBe(before + 1);
    expect(mail.at(-1)!.to).toBe('wanjiru@kijiji-trust.example');
    await visitor.goto(linkTo('wanjiru@kijiji-trust.example'));
    await visitor.click('#confirm-button');
    await expect.poll(() => visitor.locator('#confirmation-result').getAttribute('data-outcome')).toBe('confirmed');
    const id = await pendingId('Kijiji Digital Rights Trust');
    expect((await server.api(`/api/documents/gpp/endorsements/${id}/decision`, { method: 'POST', token: chair.token, body: { decision: 'confirm' } })).status).toBe(200);
    await visitor.goto(`${server.url}/endorse/gpp`);
    expect(await visitor.locator('#supporters-table tr', { hasText: 'Kijiji Digital Rights Trust' }).getAttribute('data-version')).toBe('4');
    await visitor.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(problems).toEqual([]);
  });
});
