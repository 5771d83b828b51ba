// Panels re-render around the person using them (issue 18): someone typing
// a comment in the Amendments panel keeps the focus, the text and the caret
// while others support, comment and propose, and the list changes around
// them; the same text box (the same DOM node) stays under their fingers.
// The Versions panel keeps a label being typed while a version frozen
// elsewhere arrives, and the Endorsements panel keeps a reason typed for one
// endorsement while the list re-renders after a decision on another.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Amendment } from '../core/api';
import type { MailMessage } from '../server/mail/transport';
import { ensureClientBuilt, expectAccessible, launchChromium, runBrowserTests, signInWithToken, warnIfSkipped } from './helpers/browser';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';

warnIfSkipped('tests/browser-live-panels.test.ts');

/** The focused element as the test sees it: which field, its text, its caret, and whether it is the node marked earlier. */
async function focusState(page: Page, marker: string): Promise<{ field: string | null; value: string; start: number | null; end: number | null; sameNode: boolean }> {
  return page.evaluate((marker) => {
    const el = document.activeElement as (HTMLInputElement | HTMLTextAreaElement) & { dataset: DOMStringMap };
    return {
      field: el?.getAttribute('data-field') ?? el?.id ?? null,
      value: el?.value ?? '',
      start: el?.selectionStart ?? null,
      end: el?.selectionEnd ?? null,
      sameNode: el?.dataset.testMarker === marker,
    };
  }, marker);
}

/** Marks the focused element, so the test can tell a kept node from a new one that merely looks the same. */
const markFocused = (page: Page, marker: string): Promise<void> => page.evaluate((marker) => void ((document.activeElement as HTMLElement).dataset.testMarker = marker), marker);

describe.skipIf(!runBrowserTests)('panels keep what is being typed through live updates', () => {
  let server: TestServer;
  let browser: Browser;
  let sam: TestUser;
  let tara: TestUser;
  let uma: TestUser;
  let chair: TestUser;
  const mail: MailMessage[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await ensureClientBuilt();
    server = await startTestServer({ config: { mail: { send: async (m) => void mail.push(m) } } });
    sam = await server.createUser('stakeholder', 'Sam Sato', 'civil-society');
    tara = await server.createUser('stakeholder', 'Tara Tanaka', 'private-sector');
    uma = await server.createUser('stakeholder', 'Uma Udeh', 'academia');
    chair = await server.createUser('chair', 'Chiara Rossi', 'intergovernmental');
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await server?.close();
  });

  it('a comment being typed keeps its focus, text and caret while the amendment is supported, commented and the list grows', async () => {
    const proposed = await server.api('/api/documents/gpp/amendments', {
      method: 'POST',
      token: tara.token,
      body: { section: 'privacy', quote: 'a precondition', proposed: 'an essential condition', justification: 'Plainer language.' },
    });
    expect(proposed.status).toBe(201);
    const amendment = (await proposed.json()) as Amendment;

    const { context, page } = await signInWithToken(browser, server.url, sam);
    contexts.push(context);
    await page.click('#tab-amendments');
    const card = page.locator(`#amendments .amendment-card[data-amendment-id="${amendment.id}"]`);
    await card.waitFor({ timeout: 10_000 });
    await card.locator('[data-action=comment]').click();
    // Opening the form puts the focus in its text box.
    await expect.poll(() => focusState(page, '').then((s) => s.field)).toBe('comment');
    await page.keyboard.type('We should keep the original wording here');
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft');
    await markFocused(page, 'typing');
    const before = await focusState(page, 'typing');
    expect(before).toMatchObject({ field: 'comment', value: 'We should keep the original wording here', sameNode: true });
    expect(before.start).toBe(before.value.length - 5);
    await expectAccessible(page, 'an amendment card with a comment being typed');

    // Others act: a support, a comment on this amendment, and a new amendment in a section before it.
    expect((await server.api(`/api/documents/gpp/amendments/${amendment.id}/support`, { method: 'POST', token: uma.token })).status).toBeLessThan(300);
    expect((await server.api(`/api/documents/gpp/amendments/${amendment.id}/comments`, { method: 'POST', token: tara.token, body: { text: 'I still prefer mine.' } })).status).toBeLessThan(300);
    const second = await server.api('/api/documents/gpp/amendments', {
      method: 'POST',
      token: uma.token,
      body: { section: 'introduction', quote: 'Hyderabad', proposed: 'Hyderabad, India', justification: 'Name the country.' },
    });
    expect(second.status).toBe(201);

    // The panel shows all of it without a reload…
    await expect.poll(() => card.locator('.amendment-support').getAttribute('data-supporters'), { timeout: 10_000 }).toBe('1');
    await expect.poll(() => card.locator('.amendment-comments li').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => page.locator('#amendments .amendment-section').count(), { timeout: 10_000 }).toBe(2);
    expect(await page.locator('#amendments .amendment-section').first().getAttribute('data-section')).toBe('introduction');
    // …and the text box is the same one, still focused, with the same text and caret.
    expect(await focusState(page, 'typing')).toEqual(before);

    // Typing goes on where the caret was.
    await page.keyboard.type(' (all of it)');
    expect((await focusState(page, 'typing')).value).toBe('We should keep the original wording (all of it) here');
    await expectAccessible(page, 'the Amendments tab after others acted while a comment was typed');
    await card.locator('[data-action=post-comment]').click();
    await expect.poll(() => card.locator('.amendment-comments li').count(), { timeout: 10_000 }).toBe(2);
    expect(await card.locator('.amendment-comments').innerText()).toContain('We should keep the original wording (all of it) here');
  });

  it('a version label being typed keeps its focus, text and caret while a version frozen elsewhere arrives', async () => {
    const editor = await server.createUser('editor', 'Eda Editor', 'technical-community');
    const { context, page } = await signInWithToken(browser, server.url, editor);
    contexts.push(context);
    const items = page.locator('#versions > li');
    await expect.poll(() => items.count(), { timeout: 10_000 }).toBe(3);
    await page.click('#freeze-label');
    await page.keyboard.type('Outcome of the Tuesday session');
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowLeft');
    await markFocused(page, 'label');
    const before = await focusState(page, 'label');
    expect(before).toMatchObject({ field: 'freeze-label', value: 'Outcome of the Tuesday session', start: 22, sameNode: true });

    const frozen = await server.api('/api/documents/gpp/versions', { method: 'POST', token: chair.token, body: { label: 'Frozen by the chair' } });
    expect(frozen.status).toBe(201);
    await expect.poll(() => items.count(), { timeout: 10_000 }).toBe(4);
    expect(await items.first().innerText()).toContain('Frozen by the chair');
    // The comparison form follows the new list too.
    await expect.poll(() => page.locator('#redline-from option').count()).toBe(4);
    expect(await focusState(page, 'label')).toEqual(before);
    await expectAccessible(page, 'the History tab after a version frozen elsewhere while a label was typed');
  });

  it('a reason typed for one endorsement stays while the list re-renders after a decision on another', async () => {
    const submit = async (organization: string, email: string): Promise<string> => {
      const res = await server.api('/api/documents/gpp/endorsements', {
        method: 'POST',
        body: { organization, stakeholderGroup: 'civil-society', country: 'KE', contactName: 'Contact Person', email, version: 3 },
      });
      expect(res.status).toBe(202);
      const message = [...mail].reverse().find((m) => m.to === email)!;
      const link = new URL(/https?:\/\/\S+/.exec(message.text)![0]);
      expect((await fetch(`${server.url}${link.pathname}${link.search}`, { method: 'POST' })).status).toBe(200);
      return ((await res.json()) as { id: string }).id;
    };
    const first = await submit('First Foundation', 'first@foundation.example');
    const second = await submit('Second Society', 'second@society.example');

    const { context, page } = await signInWithToken(browser, server.url, chair);
    contexts.push(context);
    await page.click('#tab-endorsements');
    const secondItem = page.locator(`#endorsements-pending li[data-endorsement="${second}"]`);
    await secondItem.waitFor({ timeout: 10_000 });
    await secondItem.locator('input.endorsement-reason').click();
    await page.keyboard.type('Checked with their board');
    await markFocused(page, 'reason');

    await page.locator(`#endorsements-pending li[data-endorsement="${first}"] button[data-action=confirm]`).click();
    await page.waitForSelector('#confirm-dialog[open]');
    await page.click('#confirm-dialog-confirm');
    await expect.poll(() => page.locator('#endorsements-confirmed li', { hasText: 'First Foundation' }).count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => page.locator('#endorsements-pending li').count()).toBe(1);
    const kept = await secondItem.locator('input.endorsement-reason').evaluate((el) => ({ value: (el as HTMLInputElement).value, sameNode: (el as HTMLElement).dataset.testMarker === 'reason' }));
    expect(kept).toEqual({ value: 'Checked with their board', sameNode: true });
    await expectAccessible(page, 'the Endorsements tab after a decision, a reason typed for another');
  });
});
