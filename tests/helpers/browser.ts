// Chromium for browser tests: Debian's /usr/bin/chromium through
// playwright-core, the client built when stale, and token sign-in.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { TestUser } from './server';

export const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(import.meta.dirname, '..', '..');
export const haveChromium = existsSync(CHROMIUM);
export const inCI = process.env.CI === 'true';
/** Browser tests run when Chromium exists; under CI=true they must run (and fail without it). */
export const runBrowserTests = haveChromium || inCI;

export function warnIfSkipped(file: string): void {
  if (!runBrowserTests) console.warn(`\n!!! ${file} SKIPPED: no Chromium at ${CHROMIUM}. Install it (apt-get install chromium) to run the browser tests. !!!\n`);
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** The server serves dist/client: build it when missing or older than the sources. */
export async function ensureClientBuilt(): Promise<void> {
  const index = join(ROOT, 'dist', 'client', 'index.html');
  const sources = Math.max(newestMtime(join(ROOT, 'client')), newestMtime(join(ROOT, 'core')));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'vite.config.ts'), root: join(ROOT, 'client'), logLevel: 'warn' });
}

export async function launchChromium(): Promise<Browser> {
  if (!haveChromium) throw new Error(`CI=true but there is no Chromium at ${CHROMIUM}`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Signs in through the login page's token form and opens the document. */
export async function signInWithToken(browser: Browser, baseUrl: string, user: TestUser, docPath = '/doc/gpp'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[${user.name}] page error:`, error));
  await page.goto(`${baseUrl}/#/login?next=${encodeURIComponent(docPath)}`);
  await page.fill('#login-token', user.token);
  await page.click('#login-token-submit');
  await page.waitForSelector('#editor .ProseMirror', { timeout: 15_000 });
  await page.waitForSelector('#connection-status[data-status=online]', { timeout: 15_000 });
  return { context, page };
}
