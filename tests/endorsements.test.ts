// The call for commitment end to end over HTTP: submit, confirm the address
// with the one-time link, a chair confirms, the supporter is public, logged
// and in the bundle that verifies; duplicates, validation, roles, rate limit,
// re-affirmation for a newer version, exports; and no contact name or e-mail
// address anywhere in public output or the signed log.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle } from '../core/bundle';
import { decodeEntry } from '../core/log-entries';
import type { MailMessage, MailTransport } from '../server/mail/transport';
import { consoleTransport } from '../server/mail/console';
import { ROOT, spawnServer } from './helpers/process';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';

const run = promisify(execFile);

let server: TestServer;
let chair: TestUser;
let editor: TestUser;
let stakeholder: TestUser;
const mail: MailMessage[] = [];
const capture: MailTransport = {
  async send(message) {
    mail.push(message);
  },
};
const dir = mkdtempSync(join(tmpdir(), 'accord-endorse-'));

/** Every contact name and address used below: none may ever show up in public output or the log. */
const contacts: { name: string; email: string }[] = [];
let contactCounter = 0;
function contact(): { contactName: string; email: string } {
  const n = ++contactCounter;
  const c = { name: `Zelda Quixote-Contact${n}`, email: `zelda.q${n}@private-mail.example` };
  contacts.push(c);
  return { contactName: c.name, email: c.email };
}

let ipCounter = 0;
const freshIp = () => `10.1.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

function submit(body: Record<string, unknown> | string, ip = freshIp(), docId = 'gpp'): Promise<Response> {
  return server.api(`/api/documents/${docId}/endorsements`, { method: 'POST', body, headers: { 'x-forwarded-for': ip } });
}

function endorsement(organization: string, version: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { organization, stakeholderGroup: 'civil-society', country: 'KE', ...contact(), version, ...extra };
}

async function errorOf(res: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await res.json()) as { error: { code: string; message: string } };
  return { status: res.status, ...body.error };
}

/** The confirmation link last mailed to `email`, as a path on the test server (publicUrl names another port). */
function linkTo(email: string): { url: string; path: string } {
  const message = [...mail].reverse().find((m) => m.to === email);
  if (!message) throw new Error(`no mail to ${email}`);
  const url = /https?:\/\/\S+/.exec(message.text)?.[0];
  if (!url) throw new Error(`no link in the mail to ${email}`);
  const parsed = new URL(url);
  return { url, path: `${parsed.pathname}${parsed.search}` };
}

/** Presses Confirm on the page the link opens: a POST to the same URL (opening it changes nothing). */
async function confirmAddress(email: string): Promise<Response> {
  return server.api(linkTo(email).path, { method: 'POST' });
}

async function decide(id: string, decision: 'confirm' | 'reject', token = chair.token, reason?: string): Promise<Response> {
  return server.api(`/api/documents/gpp/endorsements/${id}/decision`, { method: 'POST', token, body: reason ? { decision, reason } : { decision } });
}

/** Submits, confirms the address and has the chair confirm: a public supporter. */
async function supporter(organization: string, version: number, extra: Record<string, unknown> = {}): Promise<{ id: string; email: string; logIndex: number }> {
  const body = endorsement(organization, version, extra);
  const res = await submit(body);
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  expect((await confirmAddress(body.email as string)).status).toBe(200);
  const decided = await decide(id, 'confirm');
  expect(decided.status).toBe(200);
  const { logIndex } = (await decided.json()) as { logIndex: number };
  return { id, email: body.email as string, logIndex };
}

interface PublicItem {
  id: string;
  organization: string;
  stakeholderGroup: string;
  country: string;
  version: number;
  contentHash: string;
  logIndex: number;
  confirmedAt: string;
}

const publicList = async (): Promise<PublicItem[]> => (await (await server.api('/api/documents/gpp/endorsements')).json()) as PublicItem[];
const versionHash = async (n: number): Promise<string> => ((await (await server.api(`/api/documents/gpp/versions/${n}`)).json()) as { contentHash: string }).contentHash;

beforeAll(async () => {
  // The tests stand behind a proxy on loopback that names each client in X-Forwarded-For.
  server = await startTestServer({ config: { mail: capture, endorsementRateLimit: { max: 3, windowMs: 60_000 }, trustedProxies: ['loopback'] } });
  chair = await server.createUser('chair', 'Chidi Chair');
  editor = await server.createUser('editor', 'Edda Editor');
  stakeholder = await server.createUser('stakeholder', 'Stella Stake');
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('endorsements', () => {
  it('submit, confirm the address, chair confirms, show: pending entries are not public', async () => {
    const body = endorsement('Open Rights Collective', 3, { statement: 'We support this paper.' });
    const res = await submit(body);
    expect(res.status).toBe(202);
    const created = (await res.json()) as { id: string; status: string };
    expect(created).toMatchObject({ id: expect.any(String), status: 'pending' });

    // The confirmation mail: a one-time http:// link with token=, to the contact.
    const message = mail.at(-1)!;
    expect(message.to).toBe(body.email);
    const { url } = linkTo(body.email as string);
    expect(url).toMatch(/^http:\/\/[^/]+\/endorse\/gpp\/confirm\?token=[A-Za-z0-9_-]+$/);

    // Pending: not in the public list, not on the public page, but visible to chairs with status.
    expect((await publicList()).map((e) => e.id)).not.toContain(created.id);
    expect(await (await server.api('/endorse/gpp')).text()).not.toContain('Open Rights Collective');
    const asStakeholder = (await (await server.api('/api/documents/gpp/endorsements', { token: stakeholder.token })).json()) as { id: string }[];
    expect(asStakeholder.map((e) => e.id)).not.toContain(created.id);
    const asChair = (await (await server.api('/api/documents/gpp/endorsements', { token: chair.token })).json()) as { id: string; status: string; emailConfirmed: boolean; email: string }[];
    expect(asChair.find((e) => e.id === created.id)).toMatchObject({ status: 'pending', emailConfirmed: false, email: body.email });

    // A chair cannot decide before the contact has confirmed the address.
    expect(await errorOf(await decide(created.id, 'confirm'))).toMatchObject({ status: 409 });

    // The link confirms once; a second use says so clearly; a made-up token is invalid.
    const first = await confirmAddress(body.email as string);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/text\/html/);
    expect(await first.text()).toContain('Address confirmed');
    const second = await confirmAddress(body.email as string);
    expect(second.status).toBe(410);
    expect(await second.text()).toMatch(/already been used/);
    const bogus = await server.api('/endorse/gpp/confirm?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', { method: 'POST' });
    expect(bogus.status).toBe(404);
    expect(await bogus.text()).toMatch(/invalid/);
    const chairView = (await (await server.api('/api/documents/gpp/endorsements', { token: chair.token })).json()) as { id: string; emailConfirmed: boolean }[];
    expect(chairView.find((e) => e.id === created.id)!.emailConfirmed).toBe(true);
    expect((await publicList()).map((e) => e.id)).not.toContain(created.id);

    // Only chairs (and admins) decide.
    expect((await server.api(`/api/documents/gpp/endorsements/${created.id}/decision`, { method: 'POST', body: { decision: 'confirm' } })).status).toBe(401);
    expect((await decide(created.id, 'confirm', editor.token)).status).toBe(403);
    expect((await decide(created.id, 'confirm', stakeholder.token)).status).toBe(403);
    expect((await decide(created.id, 'maybe' as 'confirm')).status).toBe(422);
    expect((await decide('no-such-endorsement', 'confirm')).status).toBe(404);

    const sizeBefore = ((await (await server.api('/api/log/entries')).json()) as { size: number }).size;
    const decided = await decide(created.id, 'confirm');
    expect(decided.status).toBe(200);
    const confirmed = (await decided.json()) as { status: string; logIndex: number; confirmedAt: string };
    expect(confirmed.status).toBe('confirmed');
    expect(confirmed.logIndex).toBe(sizeBefore);
    expect(await errorOf(await decide(created.id, 'reject'))).toMatchObject({ status: 409 });
    expect(await errorOf(await decide(created.id, 'confirm'))).toMatchObject({ status: 409 });

    // Public now, with exactly the contract's fields (and a few extras).
    const item = (await publicList()).find((e) => e.id === created.id)!;
    expect(item).toMatchObject({
      id: created.id,
      organization: 'Open Rights Collective',
      stakeholderGroup: 'civil-society',
      country: 'KE',
      version: 3,
      contentHash: await versionHash(3),
      logIndex: confirmed.logIndex,
      confirmedAt: confirmed.confirmedAt,
    });
    const page = await (await server.api('/endorse/gpp')).text();
    expect(page).toContain('Open Rights Collective');
    expect(page).toContain('Kenya');
    expect(page).toContain(await versionHash(3));

    // The log entry: organisation, group, country, version number and content hash, time.
    const entries = (await (await server.api(`/api/log/entries?start=${confirmed.logIndex}&end=${confirmed.logIndex + 1}`)).json()) as { leaves: string[] };
    const entry = decodeEntry(new Uint8Array(Buffer.from(entries.leaves[0]!, 'base64')));
    expect(entry).toEqual({
      kind: 'endorsement',
      document: 'gpp',
      endorsement: created.id,
      organization: 'Open Rights Collective',
      stakeholderGroup: 'civil-society',
      country: 'KE',
      version: 3,
      contentHash: await versionHash(3),
      time: confirmed.confirmedAt,
    });
  });

  it('the bundle carries the endorsements and verifies, also with `accord verify`', async () => {
    const { logIndex } = await supporter('Bundle Check Institute', 2);
    const key = (await (await server.api('/api/log/key')).text()).trim();
    const bundle = (await (await server.api('/api/documents/gpp/bundle')).json()) as { entries: { logIndex: number }[] };
    expect(bundle.entries.map((e) => e.logIndex)).toContain(logIndex);
    const result = verifyBundle(bundle, { verifierKey: key });
    if (!result.ok) throw new Error(result.error);
    expect(result.summary.endorsements).toContainEqual({ organization: 'Bundle Check Institute', stakeholderGroup: 'civil-society', country: 'KE', version: 2, logIndex });

    const file = join(dir, 'bundle.json');
    writeFileSync(file, JSON.stringify(bundle));
    const { stdout } = await run(process.execPath, [join(ROOT, 'bin/accord.mjs'), 'verify', file, '--key', key], { cwd: ROOT });
    expect(stdout).toMatch(/^OK/);
    expect(stdout).toContain('Bundle Check Institute');
  });

  it('refuses a duplicate: the same organisation (any case or spacing) for the same version', async () => {
    const first = await submit(endorsement('Digital Futures Lab', 1));
    expect(first.status).toBe(202);
    // A pending one does not block (nor reveal itself); only confirmed ones are duplicates.
    expect((await submit(endorsement('  digital   FUTURES lab ', 1))).status).toBe(202);
    // Another version is another endorsement.
    expect((await submit(endorsement('Digital Futures Lab', 2))).status).toBe(202);
    // Confirmed counts.
    await supporter('Tele Example SA', 1, { stakeholderGroup: 'private-sector', country: 'FR' });
    expect(await errorOf(await submit(endorsement('TELE EXAMPLE SA', 1)))).toMatchObject({ status: 409 });
    // A rejected one does not block a new submission.
    const spam = endorsement('Rejected Org', 1);
    const { id } = (await (await submit(spam)).json()) as { id: string };
    await confirmAddress(spam.email as string);
    expect((await decide(id, 'reject', chair.token, 'not a real organisation')).status).toBe(200);
    expect((await submit(endorsement('Rejected Org', 1))).status).toBe(202);
    // Rejected ones stay private.
    expect((await publicList()).map((e) => e.id)).not.toContain(id);
  });

  it('400/422 for missing or invalid fields, 404 for an unknown version or document', async () => {
    const good = endorsement('Validation Org', 3);
    const without = (field: string) => Object.fromEntries(Object.entries(good).filter(([k]) => k !== field));
    for (const field of ['organization', 'stakeholderGroup', 'country', 'contactName', 'email', 'version']) {
      expect((await submit(without(field))).status, field).toBe(400);
    }
    expect((await submit({ ...good, version: '3' })).status).toBe(400);
    expect((await submit('not json at all')).status).toBe(400);
    expect((await submit({ ...good, email: 'not-an-address' })).status).toBe(422);
    expect((await submit({ ...good, country: 'XX' })).status).toBe(422);
    expect((await submit({ ...good, country: 'France' })).status).toBe(422);
    expect((await submit({ ...good, stakeholderGroup: 'aliens' })).status).toBe(422);
    expect((await submit({ ...good, organization: '   ' })).status).toBe(422);
    expect((await submit({ ...good, version: 0 })).status).toBe(422);
    expect(await errorOf(await submit({ ...good, version: 99 }))).toMatchObject({ status: 404, code: 'not_found' });
    expect((await submit(good, freshIp(), 'no-such-doc')).status).toBe(404);
    // Nothing was stored or mailed by any of these.
    expect(mail.some((m) => m.to === good.email)).toBe(false);
  });

  it('429 when one address submits too often, with Retry-After; other addresses are unaffected', async () => {
    const ip = '203.0.113.9';
    for (let i = 0; i < 3; i++) expect((await submit(endorsement(`Rate Org ${i}`, 3), ip)).status).toBe(202);
    const refused = await submit(endorsement('Rate Org 3', 3), ip);
    expect(await errorOf(refused)).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await submit(endorsement('Rate Org 3', 3), '203.0.113.10')).status).toBe(202);
    // Re-affirmations count against the same limit.
    const target = (await publicList())[0]!;
    expect((await server.api(`/api/documents/gpp/endorsements/${target.id}/reaffirm`, { method: 'POST', headers: { 'x-forwarded-for': ip } })).status).toBe(429);
  });

  it('a chair publishes a newer version; earlier supporters show on their version and re-affirm in one step', async () => {
    const earlier = await supporter('Reaffirming Association', 3, { stakeholderGroup: 'academia', country: 'BR' });
    const open = (await (await server.api('/api/documents/gpp/endorsement-version')).json()) as { version: number; setAt: string | null };
    // The import opened its latest draft, on the record.
    expect(open).toMatchObject({ version: 3, setAt: expect.any(String), setBy: { id: 'import' } });

    const frozen = await server.api('/api/documents/gpp/versions', { method: 'POST', token: chair.token, body: { label: 'Final for endorsement' } });
    expect(frozen.status).toBe(201);
    const v4 = (await frozen.json()) as { number: number; contentHash: string };
    // Freezing is not opening: version 3 stays open until a chair says otherwise.
    expect(((await (await server.api('/api/documents/gpp/endorsement-version')).json()) as { version: number }).version).toBe(3);
    expect((await server.api('/api/documents/gpp/endorsement-version', { method: 'PUT', token: editor.token, body: { version: v4.number } })).status).toBe(403);
    expect((await server.api('/api/documents/gpp/endorsement-version', { method: 'PUT', token: chair.token, body: { version: 42 } })).status).toBe(404);
    const set = await server.api('/api/documents/gpp/endorsement-version', { method: 'PUT', token: chair.token, body: { version: v4.number } });
    expect(set.status).toBe(200);
    expect(await set.json()).toMatchObject({ version: v4.number, label: 'Final for endorsement', contentHash: v4.contentHash, setBy: { id: chair.id } });

    const page = await (await server.api('/endorse/gpp')).text();
    expect(page).toContain(v4.contentHash);
    expect(page).toContain(`Re-affirm for version ${v4.number}`);
    expect(page).toMatch(new RegExp(`data-endorsement="${earlier.id}" data-version="3"`));

    const reaffirm = await server.api(`/api/documents/gpp/endorsements/${earlier.id}/reaffirm`, { method: 'POST', headers: { 'x-forwarded-for': freshIp() } });
    expect(reaffirm.status).toBe(202);
    const pending = (await reaffirm.json()) as { id: string; status: string; version: number };
    expect(pending).toMatchObject({ status: 'pending', version: v4.number });
    // The link goes to the contact on record, and only following it makes the re-affirmation confirmable.
    expect(mail.at(-1)!.to).toBe(earlier.email);
    expect(await errorOf(await decide(pending.id, 'confirm'))).toMatchObject({ status: 409 });
    // A second click while the first is pending sends another link (pending never blocks).
    const firstLink = linkTo(earlier.email).path;
    expect((await server.api(`/api/documents/gpp/endorsements/${earlier.id}/reaffirm`, { method: 'POST', headers: { 'x-forwarded-for': freshIp() } })).status).toBe(202);
    expect((await server.api(firstLink, { method: 'POST' })).status).toBe(200);
    expect((await decide(pending.id, 'confirm')).status).toBe(200);

    const list = await publicList();
    expect(list.filter((e) => e.organization === 'Reaffirming Association').map((e) => [e.version, e.contentHash])).toEqual([
      [3, await versionHash(3)],
      [v4.number, v4.contentHash],
    ]);
    // Pending, rejected or unknown endorsements cannot be re-affirmed; nor one already on the open version.
    expect((await server.api(`/api/documents/gpp/endorsements/${pending.id}/reaffirm`, { method: 'POST', headers: { 'x-forwarded-for': freshIp() } })).status).toBe(409);
    expect((await server.api('/api/documents/gpp/endorsements/nope/reaffirm', { method: 'POST', headers: { 'x-forwarded-for': freshIp() } })).status).toBe(404);

    const key = (await (await server.api('/api/log/key')).text()).trim();
    const result = verifyBundle(await (await server.api('/api/documents/gpp/bundle')).json(), { verifierKey: key });
    if (!result.ok) throw new Error(result.error);
    expect(result.summary.endorsements.filter((e) => e.organization === 'Reaffirming Association').map((e) => e.version)).toEqual([3, v4.number]);
  });

  it('exports the supporters as CSV and as a printable HTML list', async () => {
    await supporter('Export "Quoted", Inc.', 3, { stakeholderGroup: 'private-sector', country: 'JP' });
    await supporter('=HYPERLINK("evil")', 3, { stakeholderGroup: 'government', country: 'NZ' });
    const csv = await server.api('/api/documents/gpp/endorsements/export?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const text = await csv.text();
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('organization,stakeholder_group,country,country_name,region,version,version_label,content_hash,confirmed_at,log_index,endorsement_id,reaffirms,statement');
    expect(lines.length - 1).toBe((await publicList()).length);
    expect(text).toContain('"Export ""Quoted"", Inc.",private-sector,JP,Japan,Asia,3,');
    expect(text).toContain(`"'=HYPERLINK(""evil"")",government,NZ,New Zealand,Oceania,3,`);

    const printable = await server.api('/api/documents/gpp/endorsements/export?format=html');
    expect(printable.status).toBe(200);
    const html = await printable.text();
    expect(html).toContain('Export &quot;Quoted&quot;, Inc.');
    expect(html).toContain('Reaffirming Association');
    expect(html).toMatch(/id="counts-by-region"/);
    expect((await server.api('/api/documents/gpp/endorsements/export?format=xml')).status).toBe(422);
  });

  it('counts supporters by stakeholder group and by region on the public page', async () => {
    const html = await (await server.api('/endorse/gpp')).text();
    const count = (table: string, key: string) => new RegExp(`<table id="${table}">[\\s\\S]*?<tr data-key="${key}"><td>[^<]*</td><td class="num">(\\d+)</td>`).exec(html)?.[1];
    const supporters = (await publicList()).reduce((orgs, e) => orgs.add(e.organization.toLowerCase()), new Set<string>()).size;
    const byGroup = ['Government', 'Private sector', 'Civil society', 'Technical community', 'Academia', 'Intergovernmental'].map((g) => Number(count('counts-by-group', g)));
    const byRegion = ['Africa', 'Americas', 'Asia', 'Europe', 'Oceania'].map((r) => Number(count('counts-by-region', r)));
    expect(byGroup.reduce((a, b) => a + b)).toBe(supporters);
    expect(byRegion.reduce((a, b) => a + b)).toBe(supporters);
    expect(Number(count('counts-by-region', 'Oceania'))).toBeGreaterThanOrEqual(1);
    expect(html).toContain('<pre id="checkpoint">test.accord.example/log\n');
  });

  it('redacts the contact from a published statement', async () => {
    const body = endorsement('Statement Org', 3);
    body.statement = `Signed on behalf of the board by ${String(body.contactName)} (${String(body.email)}).`;
    const res = await submit(body);
    const { id } = (await res.json()) as { id: string };
    await confirmAddress(body.email as string);
    await decide(id, 'confirm');
    const item = (await publicList()).find((e) => e.id === id) as PublicItem & { statement: string };
    expect(item.statement).toBe('Signed on behalf of the board by [contact] ([contact]).');
  });

  it('never shows a contact name or e-mail address in public output, the bundle or the log', async () => {
    expect(contacts.length).toBeGreaterThan(10);
    const log = (await (await server.api('/api/log/entries')).json()) as { leaves: string[]; entries: unknown[]; size: number };
    expect(log.leaves.length).toBe(log.size);
    const outputs: [string, string][] = [
      ['public list', await (await server.api('/api/documents/gpp/endorsements')).text()],
      ['public list with a stakeholder identity', await (await server.api('/api/documents/gpp/endorsements', { token: stakeholder.token })).text()],
      ['public page', await (await server.api('/endorse/gpp')).text()],
      ['bundle', await (await server.api('/api/documents/gpp/bundle')).text()],
      ['log entries', JSON.stringify(log)],
      ...log.leaves.map((leaf, i): [string, string] => [`leaf ${i}`, Buffer.from(leaf, 'base64').toString('utf8')]),
      ['CSV export', await (await server.api('/api/documents/gpp/endorsements/export?format=csv')).text()],
      ['HTML export', await (await server.api('/api/documents/gpp/endorsements/export?format=html')).text()],
      ['open version', await (await server.api('/api/documents/gpp/endorsement-version')).text()],
    ];
    expect(log.leaves.map((l) => JSON.parse(Buffer.from(l, 'base64').toString('utf8')) as { kind: string }).filter((e) => e.kind === 'endorsement').length).toBeGreaterThan(5);
    for (const [name, text] of outputs) {
      const lower = text.toLowerCase();
      for (const c of contacts) {
        expect(lower.includes(c.name.toLowerCase()), `${name} contains the contact name ${c.name}`).toBe(false);
        expect(lower.includes(c.email.toLowerCase()), `${name} contains the e-mail ${c.email}`).toBe(false);
        expect(lower.includes(c.email.split('@')[0]!.toLowerCase()), `${name} contains part of the e-mail ${c.email}`).toBe(false);
      }
      expect(text).not.toContain('private-mail.example');
    }
    // Chairs do see contact details (to check who asked).
    const chairList = await (await server.api('/api/documents/gpp/endorsements', { token: chair.token })).text();
    expect(chairList).toContain(contacts[0]!.email);
  });

  it('the default transport prints each message, link included, to standard output', async () => {
    let printed = '';
    const transport = consoleTransport((text) => (printed += text));
    await transport.send({ to: 'x@example.org', subject: 'Confirm', text: 'Open http://127.0.0.1:4000/endorse/gpp/confirm?token=abc once.' });
    expect(printed).toContain('To: x@example.org');
    expect(printed).toContain('http://127.0.0.1:4000/endorse/gpp/confirm?token=abc');
  });

  it('a server started with npm start prints the confirmation mail, full link included, to its standard output', async () => {
    const dataDir = join(dir, 'spawned');
    const proc = await spawnServer({ DATA_DIR: dataDir, ACCORD_ENDORSE_RATE_MAX: '2', ACCORD_ENDORSE_RATE_WINDOW: '60' });
    try {
      const body = { organization: 'Stdout Org', stakeholderGroup: 'academia', country: 'DE', contactName: 'Printed Person', email: 'printed@example.org', version: 1 };
      const post = () => fetch(`${proc.url}/api/documents/gpp/endorsements`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect((await post()).status).toBe(202);
      await expect.poll(() => proc.output(), { timeout: 5000 }).toMatch(/To: printed@example\.org/);
      const link = new RegExp(`${proc.url.replace(/[.]/g, '\\.')}/endorse/gpp/confirm\\?token=[A-Za-z0-9_-]+`).exec(proc.output())?.[0];
      expect(link).toBeDefined();
      expect((await fetch(link!)).status).toBe(200); // the page with the Confirm button
      expect((await fetch(link!, { method: 'POST' })).status).toBe(200);
      expect((await fetch(link!)).status).toBe(410);
      // The limit comes from the environment: 2 per window (a pending duplicate is not refused).
      expect((await post()).status).toBe(202);
      expect((await post()).status).toBe(429);
    } finally {
      await proc.stop();
    }
  });

  it('serves a 404 page for an unknown document', async () => {
    const res = await server.api('/endorse/no-such-doc');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect((await server.api('/api/documents/no-such-doc/endorsements')).status).toBe(404);
  });
});
