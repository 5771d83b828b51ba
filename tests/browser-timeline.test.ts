// The continuous history in Chromium: the timeslider of the History panel is
// moved to a point recorded between two frozen versions and shows the text as
// it was then, read-only, while the live editor stays connected; "compare with
// current" shows the redline. "Changes since my last visit": an account
// visits, leaves, someone else edits, and on its return it sees a redline of
// exactly those changes. Every view goes through axe-core.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';
import { ensureClientBuilt, expectAccessible, launchChromium, runBrowserTests, signInWithToken, warnIfSkipped } from './helpers/browser';
import { connect, paragraphText } from './helpers/ws';
import type { HistoryPointSummary, HistoryVisitView } from '../core/history';

warnIfSkipped('tests/browser-timeline.test.ts');

/** The marks of the changes themselves, not of the legend's examples. */
const CHANGES = { ins: 'ins:not(.legend *)', del: 'del:not(.legend *)' };

describe.skipIf(!runBrowserTests)('history timeline in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let chair: TestUser;
  let alice: TestUser;
  let olga: TestUser;

  beforeAll(async () => {
    await ensureClientBuilt();
    server = await startTestServer({ config: { historyTiming: { pauseMs: 150, activityMs: 10_000 } } });
    chair = await server.createUser('chair', 'Chiara Rossi', 'government');
    alice = await server.createUser('editor', 'Alice Mwangi', 'civil-society');
    olga = await server.createUser('observer', 'Olga Petrova', 'academia');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const points = async (): Promise<HistoryPointSummary[]> => ((await (await server.api('/api/documents/gpp/history', { token: server.adminToken })).json()) as { points: HistoryPointSummary[] }).points;

  async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
    const started = Date.now();
    for (;;) {
      const value = await read();
      if (ok(value)) return value;
      if (Date.now() - started > 15_000) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Alice types `text` at the start of a section's first paragraph, then leaves; resolves once a point holds it. */
  async function aliceTypes(text: string, section: string): Promise<HistoryPointSummary> {
    const before = (await points()).length;
    const client = await connect(server.wsUrl, 'gpp', alice.token);
    paragraphText(client.doc, section).insert(0, text);
    await new Promise((r) => setTimeout(r, 100));
    client.destroy();
    return (await until(points, (p) => p.length > before && p.at(-1)!.accounts.some((a) => a.id === alice.id), 'a point')).at(-1)!;
  }

  async function freeze(label: string): Promise<number> {
    const res = await server.api('/api/documents/gpp/versions', { method: 'POST', token: chair.token, body: { label } });
    expect(res.status).toBe(201);
    return ((await res.json()) as { number: number }).number;
  }

  it('moves the timeslider to a point between two versions and shows the text as it was, read-only', async () => {
    await aliceTypes('Before the first freeze. ', 'privacy');
    await freeze('Morning draft');
    const between = await aliceTypes('Written between the two versions. ', 'security');
    await aliceTypes('Written just before the second. ', 'transparency');
    await freeze('Afternoon draft');
    await aliceTypes('Written after both. ', 'introduction');

    const { page, context } = await signInWithToken(browser, server.url, chair);
    const slider = page.locator('#history-slider');
    await expect.poll(async () => Number(await slider.getAttribute('max')), { timeout: 10_000 }).toBe(between.number + 2); // the second freeze marks the point before it: nothing changed since
    await expectAccessible(page, 'the History tab with its timeline');
    await slider.fill(String(between.number));
    await expect.poll(() => slider.getAttribute('aria-valuetext')).toMatch(new RegExp(`^Point ${between.number} of \\d+: .*edited by Alice Mwangi`));
    expect(await page.locator('#history-point-info').innerText()).toContain('Alice Mwangi');

    await page.click('#history-show');
    const text = page.locator('#history-text');
    await expect.poll(() => text.innerText(), { timeout: 10_000 }).toContain('Written between the two versions.');
    expect(await text.innerText()).toContain('Before the first freeze.');
    expect(await text.innerText()).not.toContain('Written just before the second.');
    expect(await text.innerText()).not.toContain('Written after both.');
    expect(await text.getAttribute('contenteditable')).toBeNull();
    // The live editor underneath stays connected and holds the latest text.
    expect(await page.locator('#connection-status').getAttribute('data-status')).toBe('online');
    expect(await page.locator('#editor .ProseMirror').innerText()).toContain('Written after both.');
    await expectAccessible(page, 'the text at a history point');
    await page.screenshot({ path: '/tmp/accord-timeline.png' });

    // Moving the slider moves the text shown.
    await slider.fill(String(between.number + 2));
    await expect.poll(() => text.innerText(), { timeout: 10_000 }).toContain('Written after both.');

    await slider.fill(String(between.number));
    await page.click('#history-compare');
    const frame = page.frameLocator('#redline-frame');
    await expect.poll(() => frame.locator(CHANGES.ins).allInnerTexts(), { timeout: 15_000 }).toEqual(expect.arrayContaining([expect.stringContaining('Written after both.')]));
    expect(await frame.locator(CHANGES.del).count()).toBe(0);
    expect(await page.locator('#redline-view h2').innerText()).toMatch(new RegExp(`^Changes from point ${between.number} `));
    await expectAccessible(page, 'the redline from a history point to the live text');
    await page.click('#redline-close');
    await context.close();
  });

  it('shows an account exactly the changes made since its last visit', async () => {
    const first = await signInWithToken(browser, server.url, olga);
    await first.context.close();
    const seen = await until(
      async () => ((await (await server.api('/api/documents/gpp/history/last-visit', { token: olga.token })).json()) as { visit: HistoryVisitView | null }).visit,
      (v) => v !== null,
      "Olga's visit",
    );
    expect(seen!.changed).toBe(false);
    await aliceTypes('Added while Olga was away. ', 'security');

    const { page, context } = await signInWithToken(browser, server.url, olga);
    await page.waitForSelector('#last-visit-banner');
    expect(await page.locator('#last-visit-banner').innerText()).toContain('changed since your last visit');
    await expectAccessible(page, 'the document with the note on changes since the last visit');
    await page.click('#last-visit-changes');
    const frame = page.frameLocator('#redline-frame');
    await expect.poll(() => frame.locator(CHANGES.ins).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect((await frame.locator(CHANGES.ins).allInnerTexts()).join('').replace(/\s+/g, ' ').trim()).toBe('Added while Olga was away.');
    expect(await frame.locator(CHANGES.del).count()).toBe(0);
    await expectAccessible(page, 'the redline of changes since the last visit');
    await page.screenshot({ path: '/tmp/accord-last-visit.png' });
    await context.close();
  });
});
