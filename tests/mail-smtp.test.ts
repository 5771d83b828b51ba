// Real SMTP: the server sends through nodemailer to ACCORD_SMTP_URL; here a
// local smtp-server receives, and the tests read the delivered messages: the
// endorsement confirmation link (GET confirms nothing, POST does) and the
// decision on an amendment, sent to its proposer and its supporters.
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../server/config';
import { smtpTransport } from '../server/mail/smtp';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';

interface Delivered { from: string; to: string[]; raw: string; text: string }

/** Undoes quoted-printable soft breaks and escapes, enough to read a plain-text body. */
function decodeBody(raw: string): string {
  const body = raw.slice(raw.search(/\r?\n\r?\n/) + 2);
  return /content-transfer-encoding:\s*quoted-printable/i.test(raw)
    ? body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    : body;
}

const delivered: Delivered[] = [];
let smtp: SMTPServer;
let smtpUrl: string;
let server: TestServer;
let chair: TestUser;
let sam: TestUser;
let sol: TestUser;

const waitForMail = async (to: string, subject: RegExp): Promise<Delivered> => {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = delivered.find((m) => m.to.includes(to) && subject.test(m.raw));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no mail to ${to} matching ${subject}; delivered: ${delivered.map((m) => m.to.join(',')).join(' | ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (raw += chunk));
      stream.on('end', () => {
        delivered.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw, text: decodeBody(raw) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  server = await startTestServer({ config: { mail: smtpTransport(smtpUrl, 'Accord test <accord@test.example>'), trustedProxies: ['loopback'] } });
  chair = await server.createUser('chair', 'Chiara Chair');
  sam = await server.createUser('stakeholder', 'Sam Proposer');
  sol = await server.createUser('stakeholder', 'Sol Supporter');
});
afterAll(async () => {
  await server?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

describe('mail over SMTP', () => {
  it('ACCORD_SMTP_URL selects the SMTP transport; anything but smtp(s):// is refused', () => {
    expect(configFromEnv({ ACCORD_SMTP_URL: smtpUrl }).mail).toBeDefined();
    expect(configFromEnv({}).mail).toBeUndefined(); // the console transport stays the default
    expect(() => configFromEnv({ ACCORD_SMTP_URL: 'http://mail.example.org' })).toThrow(/smtp:\/\//);
  });

  it('delivers the endorsement confirmation link; GET on it confirms nothing, POST does', async () => {
    const res = await server.api('/api/documents/gpp/endorsements', {
      method: 'POST',
      body: { organization: 'SMTP Test Trust', stakeholderGroup: 'academia', country: 'DE', contactName: 'Mia Mail', email: 'mia@trust.example', version: 3 },
      headers: { 'x-forwarded-for': '192.0.2.200' },
    });
    expect(res.status).toBe(202);
    const message = await waitForMail('mia@trust.example', /Subject: .*/);
    expect(message.from).toBe('accord@test.example');
    const url = new URL(/https?:\/\/\S+token=[A-Za-z0-9_-]+/.exec(message.text)![0]);
    const path = `${url.pathname}${url.search}`;
    const list = async () => ((await (await server.api('/api/documents/gpp/endorsements', { token: chair.token })).json()) as { organization: string; emailConfirmed: boolean }[]).find((e) => e.organization === 'SMTP Test Trust')!;
    expect((await server.api(path)).status).toBe(200);
    expect((await list()).emailConfirmed).toBe(false);
    expect((await server.api(path, { method: 'POST' })).status).toBe(200);
    expect((await list()).emailConfirmed).toBe(true);
  });

  it('a decision on an amendment is mailed to its proposer and its supporters', async () => {
    const proposed = await server.api('/api/documents/gpp/amendments', {
      method: 'POST',
      token: sam.token,
      body: { section: 'privacy', quote: 'Many IoT devices', proposed: 'Most IoT devices', justification: 'More precise.' },
    });
    expect(proposed.status).toBe(201);
    const { id } = (await proposed.json()) as { id: string };
    expect((await server.api(`/api/documents/gpp/amendments/${id}/support`, { method: 'POST', token: sol.token })).status).toBeLessThan(300);
    const decided = await server.api(`/api/documents/gpp/amendments/${id}/decision`, { method: 'POST', token: chair.token, body: { decision: 'accept', reason: 'Agreed in the room.' } });
    expect(decided.status).toBe(200);

    for (const [person, role] of [[sam, 'proposed'], [sol, 'supported']] as const) {
      const message = await waitForMail(person.email, /Subject: Amendment 1 accepted/);
      expect(message.text).toContain(`which you ${role}, was accepted by Chiara Chair`);
      expect(message.text).toContain('Reason given: Agreed in the room.');
      expect(message.text).toMatch(/\/#\/doc\/gpp/);
    }
    // The chair who decided is not mailed about their own decision.
    expect(delivered.some((m) => m.to.includes(chair.email) && /Amendment 1/.test(m.raw))).toBe(false);
  });
});
