// "Show authors" in Chromium: two editors of two stakeholder groups write
// (over real WebSockets); a chair turns on Show authors and sees each
// passage coloured with its author named on hover, a legend with names and
// organisations, colours by group, and the contributions of the live text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';
import { ensureClientBuilt, expectAccessible, launchChromium, runBrowserTests, signInWithToken, warnIfSkipped } from './helpers/browser';
import { connect, paragraphText, waitFor, type Client } from './helpers/ws';

warnIfSkipped('tests/browser-authors.test.ts');

describe.skipIf(!runBrowserTests)('Show authors in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let chair: TestUser;
  let gov: TestUser;
  let civil: TestUser;
  const clients: Client[] = [];

  beforeAll(async () => {
    await ensureClientBuilt();
    server = await startTestServer();
    chair = await server.createUser('chair', 'Chiara Rossi', 'government');
    gov = await server.createUser('editor', 'Gina Government', 'government');
    civil = await server.createUser('editor', 'Cyril Civil', 'civil-society');
    const markdown = '# Authors\n\n## Privacy {#privacy}\n\nImported text.\n';
    expect((await server.api('/api/documents', { method: 'POST', token: chair.token, body: { id: 'authors', title: 'Authors', markdown } })).status).toBe(201);
    const [g, c] = await Promise.all([connect(server.wsUrl, 'authors', gov.token), connect(server.wsUrl, 'authors', civil.token)]);
    clients.push(g!, c!);
    for (const [client, words] of [[g!, ' Governments shall publish.'], [c!, ' Civil society reviews it.']] as const) {
      const p = paragraphText(client.doc, 'privacy');
      p.insert(p.length, words);
      await waitFor(() => clients.every((x) => paragraphText(x.doc, 'privacy').toString().endsWith(words)), 10_000, words);
    }
    browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    clients.forEach((c) => c.destroy());
    await browser?.close();
    await server?.close();
  });

  it('colours the text by person and by group, names who wrote each passage, and counts contributions', async () => {
    const { page } = await signInWithToken(browser, server.url, chair, '/doc/authors');
    await page.click('#tab-authors-panel');
    await page.waitForSelector('#authors-panel .contributions-report');
    await expectAccessible(page, 'the Authors tab');

    await page.check('#show-authors');
    const govText = page.locator(`#editor .authored[data-author="${gov.id}"]`);
    await govText.first().waitFor({ timeout: 10_000 });
    expect(await govText.first().innerText()).toContain('Governments shall publish.');
    expect(await govText.first().getAttribute('title')).toMatch(new RegExp(`^Gina Government \\(${gov.organization}\\), writing since `));
    expect(await page.locator(`#editor .authored[data-author="${civil.id}"]`).first().innerText()).toContain('Civil society reviews it.');
    // Imported text has no known author: not coloured.
    expect(await page.locator('#editor .authored', { hasText: 'Imported' }).count()).toBe(0);
    const legend = await page.locator('#author-legend').innerText();
    expect(legend).toContain(`Gina Government — ${gov.organization} (Government)`);
    expect(legend).toContain(`Cyril Civil — ${civil.organization} (Civil society)`);
    const personColours = await page.locator('#editor .authored').evaluateAll((els) => new Set(els.map((e) => (e as HTMLElement).style.backgroundColor)).size);
    expect(personColours).toBe(2);
    await expectAccessible(page, 'the text coloured by person');

    await page.check('#author-colour-group');
    await expect.poll(() => page.locator('#author-legend').innerText()).toMatch(/^Government\s+Civil society$/);
    const groupOf = async (id: string) => page.locator(`#editor .authored[data-author="${id}"]`).first().evaluate((e) => (e as HTMLElement).style.backgroundColor);
    expect(await groupOf(gov.id)).toBe('rgb(187, 222, 251)');
    expect(await groupOf(civil.id)).toBe('rgb(200, 230, 201)');
    await expectAccessible(page, 'the text coloured by stakeholder group');
    await page.screenshot({ path: '/tmp/accord-authors-group.png' });

    // Typing shows up in the writer's colour once the server names the new writer.
    const p = paragraphText(clients[1]!.doc, 'privacy');
    p.insert(p.length, ' Late words.');
    await expect.poll(() => page.locator(`#editor .authored[data-author="${civil.id}"]`).allInnerTexts().then((t) => t.join(' ')), { timeout: 10_000 }).toContain('Late words.');

    const report = page.locator('#authors-panel .contributions-report');
    await page.selectOption('#contributions-version', 'live');
    await expect.poll(() => report.locator('table.by-group').first().innerText()).toMatch(/Government\s+3/);
    // The live text's contributions follow it while the panel is open.
    const g = paragraphText(clients[0]!.doc, 'privacy');
    g.insert(g.length, ' More from government.');
    await expect.poll(() => report.locator('table.by-group').first().innerText(), { timeout: 15_000 }).toMatch(/Government\s+6/);
    expect(await report.locator('table.by-organization').first().innerText()).toContain(civil.organization);
    await page.locator('#authors-panel details[data-section="privacy"] summary').click();
    await expectAccessible(page, 'the contributions of the live text');
    await page.screenshot({ path: '/tmp/accord-authors.png' });

    // The chair decides who sees all this: chairs only, with the shares by group public.
    await page.selectOption('#attribution-visibility', 'chairs');
    await page.check('#attribution-public-shares');
    await page.click('#attribution-policy-save');
    await expect.poll(() => page.locator('.attribution-policy [role=status]').innerText()).toContain('Saved.');
    expect(await (await server.api('/api/documents/authors/attribution/policy')).json()).toEqual({ visibility: 'chairs', publicShares: true });
    expect((await server.api('/api/documents/authors/attribution/clients', { token: gov.token })).status).toBe(404);
    await expectAccessible(page, 'the attribution policy saved');

    await page.uncheck('#show-authors');
    await expect.poll(() => page.locator('#editor .authored').count()).toBe(0);
  }, 120_000);
});
