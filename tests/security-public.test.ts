// Security probes of the call for commitment (issue 19, item 7): a rotating
// X-Forwarded-For, a pending endorsement squatting an organisation's name,
// look-alike names, plus-addressing as a spam relay, a 409 that reveals
// unreviewed submissions, and a HEAD or GET that confirms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailMessage } from '../server/mail/transport';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';
import { organizationKey } from '../core/endorsements';
import { mailboxKey } from '../server/endorsements/service';
import { configFromEnv } from '../server/config';
import { parseTrustedProxies } from '../server/http/client-address';

let counter = 0;
const contact = (email?: string) => ({ contactName: 'Probe Person', email: email ?? `probe${++counter}@example.org` });
const endorsement = (organization: string, email?: string) => ({ organization, stakeholderGroup: 'civil-society', country: 'KE', ...contact(email), version: 1 });

async function errorOf(res: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await res.json()) as { error: { code: string; message: string } };
  return { status: res.status, ...body.error };
}

describe('names and addresses are compared the way people read them', () => {
  it('organisation keys fold case, spacing, punctuation, width, invisible characters and look-alike letters', () => {
    const key = organizationKey('Acme Foundation');
    for (const lookAlike of [
      'ACME  FOUNDATION',
      'Acme\u200B Foundation', // zero-width space
      'Ac\u200Dme\u2060 Foun\u00ADdation', // joiner, word joiner, soft hyphen
      '\u0410cme Foundation', // Cyrillic А
      'Асmе Fоundаtiоn', // Cyrillic а, с, е, о
      '\u0391CME FOUNDATION', // Greek Alpha
      'Ａｃｍｅ Ｆｏｕｎｄａｔｉｏｎ', // full width
      'Acme-Foundation',
      'Acme Foundation.',
      'Acmé Foundation',
    ]) {
      expect(organizationKey(lookAlike), JSON.stringify(lookAlike)).toBe(key);
    }
    expect(organizationKey('Acme Foundations')).not.toBe(key);
    expect(organizationKey('Acne Foundation')).not.toBe(key);
  });

  it('contact mailboxes fold case and sub-addressing', () => {
    expect(mailboxKey('Ann+news@Example.ORG')).toBe('ann@example.org');
    expect(mailboxKey('ann+1+2@example.org')).toBe('ann@example.org');
    expect(mailboxKey('a.n.n+x@googlemail.com')).toBe('ann@gmail.com');
    expect(mailboxKey('a.n.n@example.org')).toBe('a.n.n@example.org');
  });

  it('ACCORD_TRUSTED_PROXIES: none by default; addresses, CIDR ranges and named ranges; anything else refused', () => {
    expect(configFromEnv({}).trustedProxies).toEqual([]);
    expect(configFromEnv({ ACCORD_TRUSTED_PROXIES: '10.0.0.1, 192.168.0.0/16,loopback, ::1' }).trustedProxies).toEqual(['10.0.0.1', '192.168.0.0/16', 'loopback', '::1']);
    expect(() => parseTrustedProxies('everyone')).toThrow(/ACCORD_TRUSTED_PROXIES/);
    expect(() => parseTrustedProxies('10.0.0.0/33')).toThrow(/ACCORD_TRUSTED_PROXIES/);
  });
});

describe('the call for commitment resists abuse', () => {
  let direct: TestServer; // no trusted proxies: the default
  let proxied: TestServer; // behind a proxy on loopback
  let chair: TestUser;
  const mail: MailMessage[] = [];
  const capture = { send: async (m: MailMessage) => void mail.push(m) };
  let ip = 0;
  const freshIp = () => `10.9.${Math.floor(++ip / 250)}.${ip % 250}`;

  const submitVia = (server: TestServer, body: unknown, headers: Record<string, string> = {}) =>
    server.api('/api/documents/gpp/endorsements', { method: 'POST', body, headers });
  const submit = (body: unknown) => submitVia(proxied, body, { 'x-forwarded-for': freshIp() });

  function linkPath(email: string): string {
    const message = [...mail].reverse().find((m) => m.to === email);
    const url = message && /https?:\/\/\S+/.exec(message.text)?.[0];
    if (!url) throw new Error(`no link mailed to ${email}`);
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  }
  const decide = (id: string, decision: 'confirm' | 'reject') =>
    proxied.api(`/api/documents/gpp/endorsements/${id}/decision`, { method: 'POST', token: chair.token, body: { decision } });
  const chairList = async (server: TestServer) =>
    (await (await server.api('/api/documents/gpp/endorsements', { token: server === proxied ? chair.token : server.adminToken })).json()) as {
      id: string;
      organization: string;
      emailConfirmed: boolean;
      status: string;
    }[];

  beforeAll(async () => {
    const rateLimit = { max: 3, windowMs: 60_000 };
    direct = await startTestServer({ config: { mail: capture, endorsementRateLimit: rateLimit, endorsementContactLimit: rateLimit } });
    proxied = await startTestServer({ config: { mail: capture, endorsementRateLimit: rateLimit, endorsementContactLimit: rateLimit, trustedProxies: ['loopback'] } });
    chair = await proxied.createUser('chair');
  });
  afterAll(async () => {
    await direct.close();
    await proxied.close();
  });

  it('a rotating X-Forwarded-For does not get around the per-address limit unless the peer is a trusted proxy', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await submitVia(direct, endorsement(`Rotating Org ${i}`), { 'x-forwarded-for': `192.0.2.${i}` })).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
    // Behind a trusted proxy, each forwarded client has its own allowance.
    for (let i = 0; i < 4; i++) expect((await submit(endorsement(`Forwarded Org ${i}`))).status).toBe(202);
  });

  it('a pending endorsement under an organisation\'s name neither blocks nor reveals itself; only a confirmed one is a duplicate', async () => {
    const squat = await submit(endorsement('Real Standards Institute', 'squatter@example.org'));
    expect(squat.status).toBe(202);
    // The real organisation gets the same answer as if nothing were pending.
    const real = await submit(endorsement('Real Standards Institute', 'real@rsi.example'));
    expect(real.status).toBe(202);
    const fresh = await submit(endorsement('Nothing Pending Here', 'np@example.org'));
    const keys = (res: Response) => res.json().then((b: Record<string, unknown>) => Object.keys(b).sort());
    expect(await keys(real)).toEqual(await keys(fresh));

    // Both contacts confirm their address; the chair confirms the real one; the squatter can no longer be confirmed.
    expect((await proxied.api(linkPath('squatter@example.org'), { method: 'POST' })).status).toBe(200);
    expect((await proxied.api(linkPath('real@rsi.example'), { method: 'POST' })).status).toBe(200);
    const all = (await chairList(proxied)).filter((e) => e.organization === 'Real Standards Institute');
    expect(all).toHaveLength(2);
    const [squatter, genuine] = all; // in submission order
    expect((await decide(genuine!.id, 'confirm')).status).toBe(200);
    expect(await errorOf(await decide(squatter!.id, 'confirm'))).toMatchObject({ status: 409 });
    // Now the confirmed, public endorsement is a duplicate for look-alike names.
    for (const lookAlike of ['REAL STANDARDS INSTITUTE', 'Real\u200B Standards Institute', 'R\u0435al Standards Institute', 'Real-Standards  Institute']) {
      expect(await errorOf(await submit(endorsement(lookAlike))), lookAlike).toMatchObject({ status: 409 });
    }
  });

  it('plus-addressing does not get around the per-contact mail limit', async () => {
    const statuses: number[] = [];
    for (const email of ['relay+1@victim.example', 'Relay+2@victim.example', 'relay+3@VICTIM.example', 'relay+4@victim.example']) {
      statuses.push((await submit(endorsement(`Relay Org ${email}`, email))).status);
    }
    expect(statuses).toEqual([202, 202, 202, 429]);
    expect(mail.filter((m) => m.to.toLowerCase().startsWith('relay+'))).toHaveLength(3);
  });

  it('opening the link (GET or HEAD) only shows a Confirm button; a POST confirms', async () => {
    const res = await submit(endorsement('Link Preview Org', 'preview@example.org'));
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const path = linkPath('preview@example.org');
    const confirmed = async () => (await chairList(proxied)).find((e) => e.id === id)!.emailConfirmed;

    expect((await proxied.api(path, { method: 'HEAD' })).status).toBe(200);
    expect(await confirmed()).toBe(false);
    const page = await proxied.api(path);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/<form method="post" action="\/endorse\/gpp\/confirm\?token=[A-Za-z0-9_-]+">/);
    expect(html).toContain('id="confirm-button"');
    expect(await confirmed()).toBe(false);
    expect(await errorOf(await decide(id, 'confirm'))).toMatchObject({ status: 409 });

    const post = await proxied.api(path, { method: 'POST' });
    expect(post.status).toBe(200);
    expect(await post.text()).toContain('data-outcome="confirmed"');
    expect(await confirmed()).toBe(true);
    // Opening it again says it was used, and still changes nothing.
    expect((await proxied.api(path)).status).toBe(410);
  });
});
