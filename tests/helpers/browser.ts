// Chromium for browser tests: Debian's /usr/bin/chromium through
// playwright-core, the client built when stale, token sign-in, and the
// axe-core check every browser test runs on what it opens.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';
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

/**
 * Signs in through the login page's token form and opens the document. With
 * `checkLogin`, the login page goes through axe-core first.
 */
export async function signInWithToken(
  browser: Browser,
  baseUrl: string,
  user: TestUser,
  docPath = '/doc/gpp',
  options: { checkLogin?: boolean; viewport?: { width: number; height: number }; deviceScaleFactor?: number; locale?: string } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  // An English browser unless told otherwise: the interface follows the browser's languages (issue 17).
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1440, height: 900 },
    deviceScaleFactor: options.deviceScaleFactor ?? 1,
    locale: options.locale ?? 'en-US',
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[${user.name}] page error:`, error));
  await page.goto(`${baseUrl}/#/login?next=${encodeURIComponent(docPath)}`);
  if (options.checkLogin) {
    await page.waitForSelector('#login-token');
    await expectAccessible(page, 'the login page');
  }
  await page.fill('#login-token', user.token);
  await page.click('#login-token-submit');
  await page.waitForSelector('#editor .ProseMirror', { timeout: 15_000 });
  await page.waitForSelector('#connection-status[data-status=online]', { timeout: 15_000 });
  return { context, page };
}

// ---- Accessibility: axe-core on every page and panel state a test opens ----

const axeSource = (): string => {
  const require = createRequire(import.meta.url);
  return readFileSync(join(dirname(require.resolve('axe-core')), 'axe.min.js'), 'utf8');
};
let cachedAxe: string | null = null;

/** The rule sets every page is held to: WCAG 2.0, 2.1 and 2.2 levels A and AA, and axe's best practices. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

interface AxeNode { target: unknown[]; html: string; failureSummary?: string }
interface AxeViolation { id: string; impact: string | null; help: string; helpUrl: string; nodes: AxeNode[] }

async function axeViolations(frame: Frame): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, so a page's Content-Security-Policy
  // (script-src, no inline scripts) cannot refuse it, unlike a <script> tag.
  const present = await frame.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!present) await frame.evaluate((cachedAxe ??= axeSource()) + '\n;undefined');
  return frame.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    // No rule is disabled and nothing is excluded: every violation fails the test.
    const { violations } = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'], iframes: false });
    return violations.map(({ id, impact, help, helpUrl, nodes }) => ({ id, impact, help, helpUrl, nodes: nodes.map(({ target, html, failureSummary }) => ({ target, html, failureSummary })) }));
  }, AXE_TAGS);
}

function describeViolations(frameLabel: string, violations: AxeViolation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 4)
        .map((n) => `      - ${JSON.stringify(n.target)}\n        ${n.html.replace(/\s+/g, ' ').slice(0, 240)}${n.failureSummary ? `\n        ${n.failureSummary.replace(/\s*\n\s*/g, ' ').slice(0, 300)}` : ''}`)
        .join('\n');
      const more = v.nodes.length > 4 ? `\n      … and ${v.nodes.length - 4} more` : '';
      return `  ${frameLabel}${v.id} (${v.impact ?? 'n/a'}): ${v.help} <${v.helpUrl}>\n${nodes}${more}`;
    })
    .join('\n');
}

/**
 * The markup of a frame whose sandbox forbids scripts (the redline view's
 * srcdoc): no script, not even one evaluated over the DevTools protocol, can
 * run in it, so the check runs on the same markup opened as a page of its own
 * (which is how "Open in new tab" shows it anyway).
 */
async function scriptlessFrameCopy(frame: Frame): Promise<string | null> {
  const element = await frame.frameElement();
  const sandbox = await element.getAttribute('sandbox');
  if (sandbox === null || sandbox.split(/\s+/).includes('allow-scripts')) return null;
  const srcdoc = await element.getAttribute('srcdoc');
  if (srcdoc !== null) return srcdoc;
  const src = await element.evaluate((el) => (el as HTMLIFrameElement).src);
  return (await frame.page().request.get(src)).text();
}

/**
 * Runs axe-core on the page as it is now, and on each of its frames (each on
 * its own; a script-less sandboxed frame through a copy of its markup), and
 * throws with every violation: rule, impact, help, first targets and their
 * HTML. Wait for what `what` describes to be rendered before calling.
 */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const reports: string[] = [];
  let count = 0;
  for (const frame of page.frames()) {
    if (frame.isDetached()) continue;
    const url = frame.url();
    const main = frame === page.mainFrame();
    if (!main && (url === '' || url === 'about:blank')) continue;
    const label = main ? '' : `[frame ${(await (await frame.frameElement()).getAttribute('id')) || frame.name() || url}] `;
    let violations: AxeViolation[];
    const copy = main ? null : await scriptlessFrameCopy(frame);
    if (copy === null) violations = await axeViolations(frame);
    else {
      const scratch = await page.context().newPage();
      try {
        await scratch.setContent(copy);
        violations = await axeViolations(scratch.mainFrame());
      } finally {
        await scratch.close();
      }
    }
    if (!violations.length) continue;
    count += violations.length;
    reports.push(describeViolations(label, violations));
  }
  if (count) throw new Error(`axe-core: ${count} accessibility violation${count === 1 ? '' : 's'} on ${what}:\n${reports.join('\n')}`);
}
