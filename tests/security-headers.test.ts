// Issue 19, part B: response headers. A strict Content-Security-Policy and
// no framing on every response (app, public pages, HTML exports), nosniff,
// no source maps, and a session cookie that is Secure exactly when the
// request came over HTTPS. The app must run under its policy in Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { CLIENT_DIR } from '../server/paths';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';
import { ensureClientBuilt, expectAccessible, launchChromium, runBrowserTests, warnIfSkipped } from './helpers/browser';

warnIfSkipped('tests/security-headers.test.ts');

let server: TestServer;
let chair: TestUser;

beforeAll(async () => {
  await ensureClientBuilt();
  // X-Forwarded-Proto counts only from a trusted proxy (ACCORD_TRUSTED_PROXIES): here the loopback one.
  server = await startTestServer({ config: { trustedProxies: ['loopback'] } });
  chair = await server.createUser('chair', 'Chair');
});
afterAll(async () => {
  await server?.close();
});

function directives(csp: string | null): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (csp ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out.set(name, values.join(' '));
  }
  return out;
}

describe('headers on every response', () => {
  it('the app, the API, /healthz, public pages and errors: CSP without inline script, no framing, nosniff', async () => {
    for (const path of ['/', '/healthz', '/api/documents', '/api/documents/gpp', '/endorse/gpp', '/api/nothing', '/doc/gpp']) {
      const res = await fetch(`${server.url}${path}`);
      const csp = directives(res.headers.get('content-security-policy'));
      expect(csp.get('frame-ancestors'), path).toBe("'none'");
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      const script = csp.get('script-src') ?? csp.get('default-src') ?? '';
      expect(script, path).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    }
  });

  it('HTML exports (redline, clean text, amendment compilation) carry a policy that allows no script at all', async () => {
    for (const path of [
      '/api/documents/gpp/redline?from=1&to=2&format=html',
      '/api/documents/gpp/export?version=1&format=html',
      '/api/documents/gpp/amendments/export?format=html',
    ]) {
      const res = await server.api(path, { token: chair.token });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      const csp = directives(res.headers.get('content-security-policy'));
      expect(csp.get('default-src'), path).toBe("'none'");
      expect(csp.has('script-src'), path).toBe(false);
      expect(csp.get('frame-ancestors'), path).toBe("'none'");
    }
  });

  it('the built page has no inline script, and no source map is built or served', async () => {
    const index = readFileSync(join(CLIENT_DIR, 'index.html'), 'utf8');
    for (const tag of index.match(/<script\b[^>]*>/g) ?? []) expect(tag).toMatch(/\bsrc=/);
    const assets = readdirSync(join(CLIENT_DIR, 'assets'));
    expect(assets.filter((f) => f.endsWith('.map'))).toEqual([]);
    // One left behind in the output directory is still not served.
    const stray = join(CLIENT_DIR, 'assets', 'stray-test.js.map');
    writeFileSync(stray, '{"version":3}');
    try {
      expect((await fetch(`${server.url}/assets/stray-test.js.map`)).status).toBe(404);
    } finally {
      if (existsSync(stray)) rmSync(stray);
    }
  });
});

describe('the session cookie', () => {
  const signIn = (base: string, headers: Record<string, string> = {}) =>
    fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ email: chair.email, password: chair.password }) });

  it('is Secure when the request came over HTTPS through the (loopback) proxy, and not over plain HTTP', async () => {
    const https = await signIn(server.url, { 'x-forwarded-proto': 'https' });
    expect(https.status).toBe(200);
    expect(https.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
    const plain = await signIn(server.url);
    expect(plain.headers.get('set-cookie')).not.toMatch(/;\s*Secure/i);
  });

  it('does not follow PUBLIC_URL: an https PUBLIC_URL served over plain HTTP still signs in', async () => {
    const other = await startTestServer({ config: { publicUrl: 'https://accord.example.org' } });
    try {
      const user = await other.createUser('editor');
      const res = await fetch(`${other.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: user.email, password: user.password }) });
      expect(res.status).toBe(200);
      expect(res.headers.get('set-cookie')).not.toMatch(/;\s*Secure/i);
      // No trusted proxy here: a claimed X-Forwarded-Proto is ignored.
      const claimed = await fetch(`${other.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' }, body: JSON.stringify({ email: user.email, password: user.password }) });
      expect(claimed.status).toBe(200);
      expect(claimed.headers.get('set-cookie')).not.toMatch(/;\s*Secure/i);
    } finally {
      await other.close();
    }
  });
});

describe.skipIf(!runBrowserTests)('the app under its policy in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('signs in, edits live and shows a redline with no policy violation', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __violations: string[] }).__violations = seen;
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const page = await context.newPage();
    const consoleViolations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) consoleViolations.push(m.text());
    });
    await page.goto(`${server.url}/#/login?next=${encodeURIComponent('/doc/gpp')}`);
    await page.fill('#login-token', chair.token);
    await page.click('#login-token-submit');
    await page.waitForSelector('#editor .ProseMirror', { timeout: 15_000 });
    await expectAccessible(page, 'the document page under its policy');
    await page.waitForSelector('#connection-status[data-status=online]', { timeout: 15_000 });
    await page.click('#editor .ProseMirror p');
    await page.keyboard.type(' typed under CSP');
    await page.waitForSelector('#versions li[data-version="2"]');
    await page.selectOption('#redline-from', '1');
    await page.selectOption('#redline-to', '2');
    await page.click('#redline-show');
    const frame = page.frameLocator('#redline-frame');
    await expect.poll(() => frame.locator('ins').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    // The redline's own style sheet applies inside the srcdoc frame (allowed by its hash).
    const insColor = await frame.locator('ins').first().evaluate((el) => getComputedStyle(el).color);
    expect(insColor).toBe('rgb(10, 107, 42)');
    const violations = await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
    expect(violations).toEqual([]);
    expect(consoleViolations).toEqual([]);
    await context.close();
  });
});
