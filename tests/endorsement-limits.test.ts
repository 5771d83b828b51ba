// Rate limits fit for a venue: 50 organisations submitting from one shared
// address within ten minutes are all accepted; mistyped submissions do not use
// up the allowance; a flood from one address and repeated mails to one contact
// get 429; the counters live in the store and survive a restart; unconfirmed
// submissions expire; GET on the mailed link confirms nothing, POST does.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailMessage } from '../server/mail/transport';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';

let server: TestServer;
let chair: TestUser;
const mail: MailMessage[] = [];

const VENUE = '198.51.100.7';
let n = 0;
const body = (organization: string, email = `contact${++n}@org${n}.example`) => ({
  organization,
  stakeholderGroup: 'civil-society',
  country: 'KE',
  contactName: 'Delegate',
  email,
  version: 3,
});
const submit = (payload: unknown, from = VENUE) =>
  server.api('/api/documents/gpp/endorsements', { method: 'POST', body: payload, headers: { 'x-forwarded-for': from } });

interface ChairItem { id: string; organization: string; status: string; emailConfirmed: boolean }
const chairList = async (): Promise<ChairItem[]> => (await (await server.api('/api/documents/gpp/endorsements', { token: chair.token })).json()) as ChairItem[];

beforeAll(async () => {
  // Default limits; the tests stand behind a proxy on loopback that names each client.
  server = await startTestServer({ config: { mail: { send: async (m) => void mail.push(m) }, trustedProxies: ['loopback'] } });
  chair = await server.createUser('chair', 'Chiara Chair');
});
afterAll(async () => {
  await server.close();
});

describe('endorsement limits for a venue', () => {
  it('accepts 50 organisations from one address, mistyped ones in between costing nothing', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) {
      // Every fifth delegate first gets the form wrong (no country), then right.
      if (i % 5 === 0) expect((await submit({ ...body(`Venue Org ${i}`), country: '' })).status).toBeGreaterThanOrEqual(400);
      statuses.push((await submit(body(`Venue Org ${i}`))).status);
    }
    expect(statuses.every((s) => s === 202)).toBe(true);
    expect((await chairList()).filter((e) => e.organization.startsWith('Venue Org'))).toHaveLength(50);
  });

  it('a flood from one address gets 429 with Retry-After, and the counters survive a restart', async () => {
    const flood = '198.51.100.66';
    const statuses: number[] = [];
    for (let i = 0; i < 250; i++) statuses.push((await submit(body(`Flood Org ${i}`), flood)).status);
    const accepted = statuses.filter((s) => s === 202).length;
    expect(accepted).toBe(100);
    expect(statuses.slice(100).every((s) => s === 429)).toBe(true);
    const refused = await submit(body('Flood Org late'), flood);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/try again in \d+ (seconds|minutes)/);
    // Another address is not affected.
    expect((await submit(body('Elsewhere Org'), '198.51.100.67')).status).toBe(202);

    await server.restart();
    expect((await submit(body('Flood Org after restart'), flood)).status).toBe(429);
  });

  it('a flood of invalid requests from one address is capped too', async () => {
    const noisy = '198.51.100.88';
    const statuses: number[] = [];
    for (let i = 0; i < 310; i++) statuses.push((await submit({ organization: '' }, noisy)).status);
    expect(statuses.slice(0, 300).every((s) => s === 400 || s === 422)).toBe(true);
    expect(statuses.slice(300).every((s) => s === 429)).toBe(true);
    expect((await submit(body('Valid but too late'), noisy)).status).toBe(429);
  });

  it('repeats of one contact email get 429 after five mails, whatever the address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await submit(body(`Same Contact Org ${i}`, 'same.person@example.org'), `203.0.113.${i + 1}`)).status);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429, 429]);
    expect(mail.filter((m) => m.to === 'same.person@example.org')).toHaveLength(5);
  });

  it('GET on the link confirms nothing, POST does; unconfirmed submissions expire', async () => {
    expect((await submit(body('Linked Org', 'linked@example.org'), '203.0.113.50')).status).toBe(202);
    const url = new URL(/https?:\/\/\S+/.exec(mail.filter((m) => m.to === 'linked@example.org').at(-1)!.text)![0]);
    const path = `${url.pathname}${url.search}`;
    const page = await server.api(path);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<button[^>]*type="submit"[^>]*>[^<]*Confirm/);
    expect((await chairList()).find((e) => e.organization === 'Linked Org')!.emailConfirmed).toBe(false);
    expect((await server.api(path, { method: 'POST' })).status).toBe(200);
    expect((await chairList()).find((e) => e.organization === 'Linked Org')!.emailConfirmed).toBe(true);

    // A submission whose link expired unconfirmed is gone; a confirmed one stays.
    expect((await submit(body('Forgotten Org', 'forgotten@example.org'), '203.0.113.51')).status).toBe(202);
    const db = new Database(join(server.dataDir, 'accord.sqlite'));
    db.prepare("UPDATE endorsements SET link_expires_at = '2000-01-01T00:00:00.000Z' WHERE organization IN ('Forgotten Org', 'Linked Org')").run();
    db.close();
    const after = await chairList();
    expect(after.some((e) => e.organization === 'Forgotten Org')).toBe(false);
    expect(after.some((e) => e.organization === 'Linked Org')).toBe(true);
  });
});
