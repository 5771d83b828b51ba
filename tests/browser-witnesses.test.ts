// The History panel's witness block in Chromium: everyone sees which
// organisations' witnesses cosigned the current checkpoint; a chair also sees
// each witness's health, including one that is down.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { loadOrCreateLogKey } from '../server/transparency/key';
import { startWitness, type RunningWitness } from '../server/witness/http';
import { freePort } from './helpers/process';
import { startTestServer, type TestServer } from './helpers/server';
import { ensureClientBuilt, expectAccessible, launchChromium, runBrowserTests, signInWithToken, warnIfSkipped } from './helpers/browser';

warnIfSkipped('tests/browser-witnesses.test.ts');

describe.skipIf(!runBrowserTests)('witnesses in the history panel', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'accord-bw-'));
  let server: TestServer;
  let witness: RunningWitness;
  let browser: Browser;

  beforeAll(async () => {
    await ensureClientBuilt();
    const dataDir = join(tmp, 'server');
    mkdirSync(dataDir);
    const logKey = loadOrCreateLogKey(dataDir, 'test.accord.example/log').verifierKey;
    witness = await startWitness({ dataDir: join(tmp, 'w'), port: 0, logs: [logKey], name: 'witness.example/academia' });
    // A second witness that never answers: nothing listens on its port.
    const down = await startWitness({ dataDir: join(tmp, 'down'), port: await freePort(), logs: [logKey], name: 'witness.example/government' });
    await down.close();
    server = await startTestServer({
      dataDir,
      config: { logOrigin: 'test.accord.example/log', witnesses: [{ url: witness.url, verifierKey: witness.verifierKey }, { url: down.url, verifierKey: down.verifierKey }] },
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await witness?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('names the witnessing organisations to everyone, and the failing witness to chairs', async () => {
    await expect
      .poll(async () => ((await (await server.api('/api/log/witnesses')).json()) as { witnesses: { state: string }[] }).witnesses.map((w) => w.state), { timeout: 15_000 })
      .toEqual(['cosigned', 'failing']);

    const observer = await server.createUser('observer', 'Olu Observer');
    const seen = await signInWithToken(browser, server.url, observer);
    await seen.page.waitForSelector('#witnessed-by');
    expect(await seen.page.locator('#witnessed-by').innerText()).toMatch(/^Witnessed by witness\.example\/academia \(1 of 2/);
    expect(await seen.page.locator('#witnesses li').count()).toBe(0);
    await expectAccessible(seen.page, 'the History tab\'s witness line for an observer');
    await seen.context.close();

    const chair = await server.createUser('chair', 'Chiara Chair');
    const { page } = await signInWithToken(browser, server.url, chair);
    await page.waitForSelector('#witnesses li[data-witness="witness.example/government"]');
    expect(await page.locator('#witnesses li[data-state=cosigned]').innerText()).toMatch(/^witness\.example\/academia: cosigned/);
    expect(await page.locator('#witnesses li[data-state=failing]').innerText()).toMatch(/unreachable, retrying · .*unreachable/);
    await expectAccessible(page, 'the History tab\'s witness health for a chair');
  });
});
