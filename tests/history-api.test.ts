// The continuous history over HTTP, against the real server: points recorded
// while two editors type (after a pause) and at a freeze, with who was active;
// the text of a point; redlines between points, versions and the live text
// (JSON and HTML); the contract's error shape; and "changes since my last
// visit" for an account that left while someone else edited. Compaction runs
// often here, and the points do not depend on the rows it removes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';
import { connect, paragraphText, waitFor } from './helpers/ws';
import type { HistoryPointSummary, HistoryPointView, HistoryVisitView } from '../core/history';
import type { Redline } from '../core/redline/types';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let chair: TestUser;
let olga: TestUser;

beforeAll(async () => {
  server = await startTestServer({ config: { compactEvery: 3, historyTiming: { pauseMs: 150, activityMs: 10_000 } } });
  alice = await server.createUser('editor', 'Alice');
  bob = await server.createUser('editor', 'Bob');
  chair = await server.createUser('chair', 'Chair');
  olga = await server.createUser('observer', 'Olga');
});
afterAll(() => server.close());

async function points(): Promise<HistoryPointSummary[]> {
  const res = await server.api('/api/documents/gpp/history', { token: server.adminToken });
  expect(res.status).toBe(200);
  return ((await res.json()) as { points: HistoryPointSummary[] }).points;
}

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() - started > 10_000) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

/** Every inserted run of a redline, joined and trimmed. */
function insertedText(redline: Redline): string {
  return redline.sections
    .flatMap((s) => s.blocks.flatMap((b) => b.ops.filter((o) => o.op === 'insert').map((o) => o.text)))
    .join('')
    .trim();
}

async function typeInto(token: string, text: string, section = 'privacy'): Promise<void> {
  const client = await connect(server.wsUrl, 'gpp', token);
  let at = 0;
  for (const word of text.split(/(?<= )/)) {
    paragraphText(client.doc, section).insert(at, word);
    at += word.length;
    await new Promise((r) => setTimeout(r, 5));
  }
  await waitFor(() => client.provider.wsconnected && (client.provider as unknown as { _synced: boolean })._synced, 5_000, 'synced');
  await new Promise((r) => setTimeout(r, 50));
  client.destroy();
}

describe('continuous history over HTTP', () => {
  let version = 0;

  it('records points while people edit and at a freeze, with who was active', async () => {
    await typeInto(alice.token, 'Alpha words here. ');
    const afterAlice = await until(points, (p) => p.some((x) => x.accounts.some((a) => a.name === 'Alice')), "Alice's point");
    expect(afterAlice[0]!.base).toBe(true);
    const res = await server.api('/api/documents/gpp/versions', { method: 'POST', token: chair.token, body: { label: 'After Alice' } });
    expect(res.status).toBe(201);
    version = ((await res.json()) as { number: number }).number;
    const frozen = await points();
    expect(frozen.at(-1)).toMatchObject({ version });
    await typeInto(bob.token, 'Beta more text. ', 'security');
    const all = await until(points, (p) => p.some((x) => x.accounts.some((a) => a.name === 'Bob')), "Bob's point");
    const bobs = all.find((p) => p.accounts.some((a) => a.name === 'Bob'))!;
    expect(bobs.accounts).toEqual([{ id: bob.id, name: 'Bob', organization: bob.organization, stakeholderGroup: bob.stakeholderGroup }]);
    expect(bobs.bytes).toBeLessThan(all[0]!.bytes / 20);
    expect(all.map((p) => p.number)).toEqual(all.map((_, i) => i + 1));
  });

  it('serves the text as it was at a point, read-only, and redlines between any two texts', async () => {
    const all = await points();
    const frozenAt = all.find((p) => p.version === version)!;
    const last = all.at(-1)!;
    const res = await server.api(`/api/documents/gpp/history/${frozenAt.number}`);
    expect(res.status).toBe(200);
    const view = (await res.json()) as HistoryPointView;
    expect(view).toMatchObject({ number: frozenAt.number, version, id: 'gpp' });
    expect(view.markdown).toContain('Alpha words here.');
    expect(view.markdown).not.toContain('Beta more text.');
    expect(view.content.type).toBe('doc');
    expect(view.sections.map((s) => s.id)).toContain('privacy');
    // The version frozen there and the point hold the same text.
    const v = (await (await server.api(`/api/documents/gpp/versions/${version}`)).json()) as { markdown: string };
    expect(view.markdown).toBe(v.markdown);

    const json = await server.api(`/api/documents/gpp/history/redline?from=p${frozenAt.number}&to=p${last.number}`);
    expect(json.status).toBe(200);
    const redline = (await json.json()) as Redline;
    expect(redline.from).toBe(`p${frozenAt.number}`);
    expect(redline.stats.wordsDeleted).toBe(0);
    expect(insertedText(redline)).toBe('Beta more text.');
    expect(redline.sections.find((s) => s.id === 'security')!.status).toBe('changed');

    const html = await server.api(`/api/documents/gpp/history/redline?from=p1&to=v${version}&format=html`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.headers.get('content-security-policy')).toBeTruthy();
    const page = await html.text();
    expect(page).toContain('<ins');
    expect(page).toContain('Alpha');

    const live = (await (await server.api(`/api/documents/gpp/history/redline?from=v${version}`)).json()) as Redline;
    expect(live.to).toBe('live');
    expect(insertedText(live)).toBe('Beta more text.');
  });

  it('names who was active only to those the attribution policy shows names to', async () => {
    type Listed = { points: { number: number; accounts: { name: string }[]; namesHidden?: boolean }[] };
    const list = async (token?: string) => (await (await server.api('/api/documents/gpp/history', token ? { token } : {})).json()) as Listed;
    const named = (l: Listed) => l.points.some((p) => p.accounts.some((a) => a.name === 'Alice'));
    // Members by default: a signed-in observer sees names, an anonymous reader the points without them.
    expect(named(await list(olga.token))).toBe(true);
    const anonymous = await list();
    expect(anonymous.points.length).toBeGreaterThan(0);
    expect(anonymous.points.every((p) => p.accounts.length === 0 && p.namesHidden === true)).toBe(true);
    const one = (await (await server.api(`/api/documents/gpp/history/${anonymous.points[0]!.number}`)).json()) as { accounts: unknown[]; namesHidden?: boolean };
    expect(one).toMatchObject({ accounts: [], namesHidden: true });
    // Chairs only: an observer no longer sees them; the chair does. Public: everyone.
    expect((await server.api('/api/documents/gpp/attribution/policy', { method: 'PUT', token: chair.token, body: { visibility: 'chairs', publicShares: false } })).status).toBe(200);
    expect(named(await list(olga.token))).toBe(false);
    expect(named(await list(chair.token))).toBe(true);
    expect((await server.api('/api/documents/gpp/attribution/policy', { method: 'PUT', token: chair.token, body: { visibility: 'public', publicShares: true } })).status).toBe(200);
    expect(named(await list())).toBe(true);
    expect((await server.api('/api/documents/gpp/attribution/policy', { method: 'PUT', token: chair.token, body: { visibility: 'members', publicShares: false } })).status).toBe(200);
  });

  it('answers bad references and unknown points with the contract error shape', async () => {
    const missing = await server.api('/api/documents/gpp/history/9999');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBeTruthy();
    // Well-formed requests with invalid values: 422, as for the versions' redline.
    expect((await server.api('/api/documents/gpp/history/0')).status).toBe(422);
    const bad = await server.api('/api/documents/gpp/history/redline?from=x1');
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    expect((await server.api('/api/documents/gpp/history/redline?from=p1&format=exe')).status).toBe(422);
    expect((await server.api('/api/documents/gpp/history/redline?from=p9999')).status).toBe(404);
    expect((await server.api('/api/documents/nope/history')).status).toBe(404);
    expect((await server.api('/api/documents/gpp/history/last-visit')).status).toBe(401);
  });

  it('shows an account exactly the changes made since its last visit', async () => {
    const before = await server.api('/api/documents/gpp/history/last-visit', { token: olga.token });
    expect(await before.json()).toEqual({ visit: null });
    // Olga reads the document, then leaves.
    const reading = await connect(server.wsUrl, 'gpp', olga.token);
    reading.destroy();
    const seen = await until(
      async () => ((await (await server.api('/api/documents/gpp/history/last-visit', { token: olga.token })).json()) as { visit: HistoryVisitView | null }).visit,
      (v) => v !== null,
      "Olga's visit",
    );
    expect(seen!.changed).toBe(false);
    // Meanwhile Alice edits.
    await typeInto(alice.token, 'Gamma since Olga left. ', 'transparency');
    const visit = ((await (await server.api('/api/documents/gpp/history/last-visit', { token: olga.token })).json()) as { visit: HistoryVisitView }).visit;
    expect(visit).toMatchObject({ point: seen!.point, changed: true });
    const redline = (await (await server.api(`/api/documents/gpp/history/redline?from=p${visit.point}&to=live`)).json()) as Redline;
    expect(redline.stats.wordsDeleted).toBe(0);
    expect(insertedText(redline)).toBe('Gamma since Olga left.');
    expect(redline.sections.filter((s) => s.status !== 'unchanged').map((s) => s.id)).toEqual(['transparency']);
  });
});
