// Amendments in a real browser: a stakeholder selects words and proposes a
// change; the chair's open page shows it inline and in the panel without a
// reload and accepts it; the stakeholder's page then shows the new text and
// the status, again without a reload.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Amendment } from '../core/api';
import { ensureClientBuilt, expectAccessible, launchChromium, runBrowserTests, signInWithToken, warnIfSkipped } from './helpers/browser';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';

const SCREENSHOT = '/tmp/accord-amendments.png';

warnIfSkipped('tests/browser-amendments.test.ts');




/** Selects the `nth` (1-based) occurrence of `phrase` inside the section's text, as a person dragging would. */
async function selectPhrase(page: Page, section: string, phrase: string, nth: number): Promise<void> {
  await page.evaluate(
    ({ section, phrase, nth }) => {
      const root = document.querySelector(`#editor [data-section-id="${section}"]`)!;
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      let seen = 0;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        for (let i = text.indexOf(phrase); i !== -1; i = text.indexOf(phrase, i + 1)) {
          if (++seen !== nth) continue;
          node.parentElement!.scrollIntoView({ block: 'center' });
          const range = document.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + phrase.length);
          const selection = window.getSelection()!;
          selection.removeAllRanges();
          selection.addRange(range);
          node.parentElement!.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
          return;
        }
      }
      throw new Error(`"${phrase}" #${nth} not found in section ${section}`);
    },
    { section, phrase, nth },
  );
}

/** The section's text as read, without other people's cursors (a read-only reader has a caret too). */
const sectionText = (page: Page, id: string): Promise<string> =>
  page.locator(`#editor [data-section-id=${id}]`).evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('.ProseMirror-yjs-cursor').forEach((cursor) => cursor.remove());
    copy.style.position = 'absolute';
    document.body.append(copy);
    const text = copy.innerText;
    copy.remove();
    return text.replace(/\u2060/g, '');
  });

describe.skipIf(!runBrowserTests)('amendments in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let sam: TestUser;
  let chiara: TestUser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await ensureClientBuilt();
    server = await startTestServer();
    sam = await server.createUser('stakeholder', 'Sam Sato', 'civil-society');
    chiara = await server.createUser('chair', 'Chiara Rossi', 'intergovernmental');
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await server?.close();
  });

  it('a stakeholder proposes from a selection; the chair sees it inline and accepts; everyone sees the result live', async () => {
    const chair = await signInWithToken(browser, server.url, chiara);
    const stake = await signInWithToken(browser, server.url, sam);
    contexts.push(chair.context, stake.context);
    await chair.page.click('#tab-amendments');
    await chair.page.waitForSelector('#amendments:not([hidden])');
    await expectAccessible(chair.page, 'the Amendments tab, empty');

    // The stakeholder's editor is read-only, but selecting still offers "Propose amendment".
    expect(await stake.page.getAttribute('#editor .ProseMirror', 'aria-readonly')).toBe('true');
    // "a precondition" occurs twice in that paragraph; Sam picks the second.
    await selectPhrase(stake.page, 'privacy', 'a precondition', 2);
    await stake.page.waitForSelector('#propose-amendment:not([hidden])', { timeout: 5000 });
    await expectAccessible(stake.page, 'a stakeholder\'s read-only page with the "Propose amendment" button');
    await stake.page.click('#propose-amendment');
    await stake.page.waitForSelector('#amendment-dialog[open]');
    expect(await stake.page.locator('#amendment-quote').innerText()).toBe('a precondition');
    expect(await stake.page.inputValue('#amendment-proposed')).toBe('a precondition');
    await stake.page.fill('#amendment-proposed', 'an essential condition');
    await stake.page.fill('#amendment-justification', 'Plainer language for a wider readership.');
    await expectAccessible(stake.page, 'the open "Propose amendment" dialog');
    await stake.page.screenshot({ path: SCREENSHOT.replace('.png', '-propose.png') });
    await stake.page.click('#amendment-submit');
    const stakeCard = stake.page.locator('#amendments [data-amendment-id][data-status]');
    await expect.poll(() => stakeCard.getAttribute('data-status'), { timeout: 10_000 }).toBe('open');

    const [proposed] = (await (await server.api('/api/documents/gpp/amendments')).json()) as Amendment[];
    expect(proposed).toMatchObject({ section: 'privacy', quote: 'a precondition', proposed: 'an essential condition', occurrence: 2, status: 'open', proposer: { id: sam.id } });

    // The chair's page shows it without a reload: inline (struck quote, inserted proposal) and in the panel.
    const inline = chair.page.locator(`#editor .amendment-inline[data-amendment-id="${proposed!.id}"]`);
    await inline.waitFor({ timeout: 10_000 });
    // Screen readers hear of it, through a polite live region.
    await expect.poll(() => chair.page.locator('#announcements').textContent(), { timeout: 10_000 }).toMatch(/^Amendment 1 by Sam Sato \(.+\) was proposed\.$/);
    expect(await chair.page.locator('#announcements').getAttribute('aria-live')).toBe('polite');
    expect(await inline.innerText()).toContain('a precondition');
    expect(await chair.page.locator(`#editor .amendment-ins[data-amendment-id="${proposed!.id}"]`).innerText()).toBe('an essential condition');
    const inlineContext = await inline.evaluate((el) => el.closest('p')!.textContent!);
    expect(inlineContext).toMatch(/in turn a precondition/);
    const chairCard = chair.page.locator(`#amendments [data-amendment-id="${proposed!.id}"]`);
    await chairCard.waitFor({ timeout: 10_000 });
    expect(await chairCard.innerText()).toContain('Plainer language for a wider readership.');
    expect(await chairCard.innerText()).toContain('Sam Sato');
    // Filters: by group and by status.
    await chair.page.selectOption('#amendment-filter-group', 'government');
    expect(await chairCard.count()).toBe(0);
    await chair.page.selectOption('#amendment-filter-group', 'civil-society');
    expect(await chairCard.count()).toBe(1);
    await chair.page.selectOption('#amendment-filter-status', 'rejected');
    expect(await chairCard.count()).toBe(0);
    await chair.page.selectOption('#amendment-filter-status', '');
    await expectAccessible(chair.page, 'the chair\'s page with an inline amendment and its card');

    await inline.scrollIntoViewIfNeeded();
    await chair.page.screenshot({ path: SCREENSHOT });

    // The chair accepts with a reason.
    await chairCard.locator('[data-action=accept]').click();
    await chairCard.locator('[data-field=reason]').fill('Agreed in the open meeting.');
    await expectAccessible(chair.page, 'an amendment card with its decision form open');
    await chairCard.locator('[data-action=confirm-decision]').click();
    await expect.poll(() => chairCard.getAttribute('data-status'), { timeout: 10_000 }).toBe('accepted');

    // Both pages show the new text in place, the first occurrence untouched; the stakeholder sees the status.
    for (const page of [chair.page, stake.page]) {
      await expect.poll(() => sectionText(page, 'privacy'), { timeout: 10_000 }).toContain('in turn an essential condition for its long-term success');
      expect(await sectionText(page, 'privacy')).toContain('therefore a precondition for people to trust');
    }
    await expect.poll(() => stakeCard.getAttribute('data-status'), { timeout: 10_000 }).toBe('accepted');
    await expect.poll(() => stake.page.locator('#announcements').textContent(), { timeout: 10_000 }).toContain('was accepted: the text has changed');
    expect(await stakeCard.innerText()).toContain('Agreed in the open meeting.');
    expect(await stakeCard.locator('[data-action=accept]').count()).toBe(0); // stakeholders never get decision buttons
    await expectAccessible(stake.page, 'the stakeholder\'s Amendments tab with an accepted amendment');
    await expectAccessible(chair.page, 'the chair\'s page after accepting');
    await stake.page.screenshot({ path: SCREENSHOT.replace('.png', '-stakeholder.png') });

    const { markdown } = (await (await server.api('/api/documents/gpp')).json()) as { markdown: string };
    expect(markdown).toContain('in turn an essential condition for its long-term success');
  });
});
