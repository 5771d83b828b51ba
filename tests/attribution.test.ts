// Attribution the server can stand behind, over a real server and real
// WebSockets: three accounts of three stakeholder groups type into one
// section; the live text and a frozen version give each its own words
// exactly; a client reusing another account's client id is refused and its
// change is not applied; an accepted amendment is its proposer's, the chair
// noted; the policy decides who sees names and who sees shares.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Attribution } from '../core/attribution';
import type { ContributionsReport } from '../core/api';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';
import { connect, paragraphText, waitFor, type Client } from './helpers/ws';
import { rawClient } from './helpers/raw-client';
import { updateFrame } from './helpers/rooms';
import JSZip from 'jszip';
import { resolveTrackedChanges, soffice } from './helpers/libreoffice';
import type { Redline } from '../core/redline/types';
import { ensureClientBuilt } from './helpers/browser';

let server: TestServer;
let chair: TestUser;
let gov: TestUser;
let civil: TestUser;
let business: TestUser;
const clients: Client[] = [];

const MARKDOWN = '# Attribution\n\n## Privacy {#privacy}\n\nImported start.\n\n## Security {#security}\n\nUntouched text.\n';

beforeAll(async () => {
  await ensureClientBuilt(); // the meeting package carries dist/client/verify.html
  server = await startTestServer();
  chair = await server.createUser('chair', 'Chair Person', 'intergovernmental');
  gov = await server.createUser('editor', 'Gina Government', 'government');
  civil = await server.createUser('editor', 'Cyril Civil', 'civil-society');
  business = await server.createUser('editor', 'Bea Business', 'private-sector');
  const created = await server.api('/api/documents', { method: 'POST', token: chair.token, body: { id: 'attr', title: 'Attribution', markdown: MARKDOWN } });
  expect(created.status).toBe(201);
}, 300_000);

afterAll(async () => {
  clients.splice(0).forEach((c) => c.destroy());
  await server?.close();
});

/** The words of a section by author id ('' for nobody). */
function wordsByAuthor(a: Attribution, section: string): Map<string, string[]> {
  const s = a.sections.find((x) => x.id === section);
  if (!s) throw new Error(`no section ${section}`);
  const out = new Map<string, string[]>();
  for (const r of s.runs) {
    const words = r.text.split(/\s+/).filter(Boolean);
    const key = r.author?.id ?? '';
    out.set(key, [...(out.get(key) ?? []), ...words]);
  }
  return out;
}

async function attribution(query = '', token = chair.token): Promise<Attribution> {
  const res = await server.api(`/api/documents/attr/attribution${query}`, { token });
  expect(res.status).toBe(200);
  return (await res.json()) as Attribution;
}

/** Appends `text` at the end of the first paragraph of `section` and waits until the server relayed it to `others`. */
async function type(client: Client, others: Client[], section: string, text: string): Promise<void> {
  const p = paragraphText(client.doc, section);
  p.insert(p.length, text);
  const expected = p.toString();
  await waitFor(() => others.every((o) => paragraphText(o.doc, section).toString() === expected), 10_000, `"${text}" everywhere`);
}

describe('attribution', () => {
  it('gives three authors of three groups their own words, live and in a frozen version; a reused client id is refused', async () => {
    const [g, c, b] = await Promise.all([gov, civil, business].map((u) => connect(server.wsUrl, 'attr', u.token)));
    clients.push(g!, c!, b!);
    const all = [g!, c!, b!];
    await type(g!, all, 'privacy', ' govOne govTwo');
    await type(c!, all, 'privacy', ' civilOne civilTwo civilThree');
    await type(b!, all, 'privacy', ' bizOne');
    // Typed into the middle as well: runs interleave, and each keeps its author.
    const p = paragraphText(g!.doc, 'privacy');
    p.insert('Imported start.'.length, ' govMiddle');
    await waitFor(() => all.every((x) => paragraphText(x.doc, 'privacy').toString().includes('govMiddle')), 10_000, 'middle insert');

    const expectWords = (a: Attribution) => {
      const words = wordsByAuthor(a, 'privacy');
      expect(words.get(gov.id)).toEqual(['govMiddle', 'govOne', 'govTwo']);
      expect(words.get(civil.id)).toEqual(['civilOne', 'civilTwo', 'civilThree']);
      expect(words.get(business.id)).toEqual(['bizOne']);
      // The imported text and the heading belong to nobody known.
      expect(words.get('')).toEqual(['Privacy', 'Imported', 'start.']);
      expect(wordsByAuthor(a, 'security').get(gov.id)).toBeUndefined();
      const section = a.sections.find((s) => s.id === 'privacy')!;
      expect(section.runs.map((r) => r.text).join('')).toBe('Privacy\nImported start. govMiddle govOne govTwo civilOne civilTwo civilThree bizOne');
      const author = section.runs.find((r) => r.author?.id === civil.id)!.author!;
      expect(author).toEqual({ id: civil.id, name: 'Cyril Civil', organization: civil.organization, stakeholderGroup: 'civil-society' });
      expect(a.shares.byGroup).toEqual({ government: 3, 'civil-society': 3, 'private-sector': 1 });
      expect(a.shares.byOrganization[business.organization]).toBe(1);
    };
    expectWords(await attribution());

    const frozen = await server.api('/api/documents/attr/versions', { method: 'POST', token: chair.token, body: { label: 'Paris' } });
    expect(frozen.status).toBe(201);
    const { number } = (await frozen.json()) as { number: number };
    // Frozen again from the same text: it shares the first one's state, and reads the same.
    const again = (await (await server.api('/api/documents/attr/versions', { method: 'POST', token: chair.token, body: { label: 'Paris, again' } })).json()) as { number: number };
    // Edits after the freeze change the live attribution, never the version's.
    await type(b!, all, 'privacy', ' bizLater');
    expectWords(await attribution(`?version=${number}`));
    expectWords(await attribution(`?version=${again.number}`));
    expect(wordsByAuthor(await attribution(), 'privacy').get(business.id)).toEqual(['bizOne', 'bizLater']);

    // A client that writes under the government editor's client id is refused; nothing of it is applied anywhere.
    const forger = await rawClient(`${server.wsUrl}/collab/attr?token=${civil.token}`);
    forger.doc.clientID = g!.doc.clientID;
    const before = Y.encodeStateVector(forger.doc);
    const forgedText = paragraphText(forger.doc, 'privacy');
    forgedText.insert(forgedText.length, ' forged');
    forger.send(updateFrame(Y.encodeStateAsUpdate(forger.doc, before)));
    await waitFor(() => forger.denials.length > 0, 5000, 'the forger is refused');
    expect(forger.denials[0]).toMatch(/^update refused: client id \d+ belongs to another account/);
    // The others are unharmed: the government editor types on, and nobody ever sees the forged word.
    await type(g!, all, 'security', ' govAfter');
    for (const x of all) expect(paragraphText(x.doc, 'privacy').toString()).not.toContain('forged');
    const doc = (await (await server.api('/api/documents/attr', { token: chair.token })).json()) as { markdown: string };
    expect(doc.markdown).not.toContain('forged');
    expect(doc.markdown).toContain('govAfter');
    expect(wordsByAuthor(await attribution(), 'security').get(gov.id)).toEqual(['govAfter']);
    forger.ws.close();

    // The contributions report: words per group in the version, per section.
    const report = (await (await server.api(`/api/documents/attr/contributions?version=${number}`, { token: chair.token })).json()) as ContributionsReport;
    const privacy = report.sections.find((s) => s.id === 'privacy')!;
    expect(privacy.byGroup).toEqual({ government: 3, 'civil-society': 3, 'private-sector': 1, unattributed: 3 });
    expect(privacy.words).toBe(10);
    expect(report.namesHidden).toBe(false);
  });

  it('attributes an accepted amendment to its proposer, the deciding chair noted', async () => {
    const stakeholder = await server.createUser('stakeholder', 'Sam Stakeholder', 'academia');
    const proposed = await server.api('/api/documents/attr/amendments', {
      method: 'POST',
      token: stakeholder.token,
      body: { section: 'security', quote: 'Untouched text.', proposed: 'Reviewed academic wording.', justification: 'clarity' },
    });
    expect(proposed.status).toBe(201);
    const { id } = (await proposed.json()) as { id: string };
    const decided = await server.api(`/api/documents/attr/amendments/${id}/decision`, { method: 'POST', token: chair.token, body: { decision: 'accept', reason: 'agreed' } });
    expect(decided.status).toBe(200);
    const a = await attribution();
    const run = a.sections.find((s) => s.id === 'security')!.runs.find((r) => r.text.includes('academic'))!;
    expect(run.author?.id).toBe(stakeholder.id);
    expect((run as { note?: string }).note).toBe('amendment 1, accepted by Chair Person (' + chair.organization + ')');
    const report = (await (await server.api('/api/documents/attr/contributions', { token: chair.token })).json()) as ContributionsReport;
    expect(report.amendments.academia).toEqual({ proposed: 1, accepted: 1, rejected: 0 });
    expect(report.sections.find((s) => s.id === 'security')!.amendments.academia).toEqual({ proposed: 1, accepted: 1, rejected: 0 });
  });

  it('follows the document policy: members by default, chairs only, public shares without names', async () => {
    const observer = await server.createUser('observer', 'Olga Observer', 'academia');
    expect((await server.api('/api/documents/attr/attribution')).status).toBe(401);
    expect((await server.api('/api/documents/attr/attribution', { token: observer.token })).status).toBe(200);

    const denied = await server.api('/api/documents/attr/attribution/policy', { method: 'PUT', token: gov.token, body: { visibility: 'chairs', publicShares: true } });
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    const bad = await server.api('/api/documents/attr/attribution/policy', { method: 'PUT', token: chair.token, body: { visibility: 'everyone', publicShares: true } });
    expect(bad.status).toBe(422);
    const set = await server.api('/api/documents/attr/attribution/policy', { method: 'PUT', token: chair.token, body: { visibility: 'chairs', publicShares: true } });
    expect(set.status).toBe(200);

    // Names for chairs; shares by group (no names, no organisations) for everyone else, signed in or not.
    expect(wordsByAuthor(await attribution('', chair.token), 'privacy').get(civil.id)).toHaveLength(3);
    for (const token of [observer.token, undefined]) {
      const res = await server.api('/api/documents/attr/attribution', token ? { token } : {});
      expect(res.status).toBe(200);
      const body = (await res.json()) as Attribution & { namesHidden: boolean };
      expect(body.namesHidden).toBe(true);
      expect(body.sections.every((s) => s.runs.every((r) => r.author === null))).toBe(true);
      expect(JSON.stringify(body)).not.toContain('Cyril');
      expect(body.shares.byGroup['civil-society']).toBe(3);
      expect(body.shares.byOrganization).toEqual({});
      expect((await server.api('/api/documents/attr/attribution/clients', token ? { token } : {})).status).toBe(404);
    }

    await server.api('/api/documents/attr/attribution/policy', { method: 'PUT', token: chair.token, body: { visibility: 'chairs', publicShares: false } });
    expect((await server.api('/api/documents/attr/attribution', { token: observer.token })).status).toBe(403);
    expect((await server.api('/api/documents/attr/contributions')).status).toBe(401);

    await server.api('/api/documents/attr/attribution/policy', { method: 'PUT', token: chair.token, body: { visibility: 'public', publicShares: false } });
    const open = (await (await server.api('/api/documents/attr/attribution')).json()) as Attribution;
    expect(wordsByAuthor(open, 'privacy').get(gov.id)).toEqual(['govMiddle', 'govOne', 'govTwo']);
    expect((await server.api('/api/documents/attr/attribution?version=x')).status).toBe(400);
    expect((await server.api('/api/documents/attr/attribution?version=99')).status).toBe(404);
    await server.api('/api/documents/attr/attribution/policy', { method: 'PUT', token: chair.token, body: { visibility: 'members', publicShares: false } });
  });

  it('names the authors of each change in the redline JSON, HTML and DOCX (real author and time), which LibreOffice opens; the meeting package carries the contributions report', async () => {
    const [g, c] = clients;
    await type(c!, [g!, c!], 'security', ' civilNewWords here');
    await type(g!, [g!, c!], 'privacy', ' govNewWord');
    // The business editor deletes a word the civil society editor wrote: recorded as it arrives.
    const b = clients[2]!;
    const privacy = paragraphText(b.doc, 'privacy');
    privacy.delete(privacy.toString().indexOf('civilTwo '), 'civilTwo '.length);
    await waitFor(() => clients.every((x) => !paragraphText(x.doc, 'privacy').toString().includes('civilTwo')), 10_000, 'the deletion everywhere');
    const frozen = await server.api('/api/documents/attr/versions', { method: 'POST', token: chair.token, body: { label: 'Geneva' } });
    expect(frozen.status).toBe(201);
    const { number } = (await frozen.json()) as { number: number };

    const json = (await (await server.api(`/api/documents/attr/redline?from=1&to=${number}&format=json`, { token: chair.token })).json()) as Redline;
    const inserts = json.sections.flatMap((s) => s.blocks.flatMap((b) => b.ops)).filter((op) => op.op === 'insert');
    const authorsOf = (word: string) => inserts.find((op) => op.text.includes(word))?.authors?.map((a) => a.id);
    expect(authorsOf('civilNewWords')).toEqual([civil.id]);
    expect(authorsOf('govNewWord')).toEqual([gov.id]);
    expect(authorsOf('academic')).toEqual([(await (await server.api('/api/documents/attr/amendments', { token: chair.token })).json() as { proposer: { id: string } }[])[0]!.proposer.id]);
    const deleted = json.sections.flatMap((s) => s.blocks.flatMap((b) => b.ops)).find((op) => op.op === 'delete' && op.text.includes('Untouched'));
    expect(deleted?.authors ?? []).toEqual([]); // imported text: written by nobody known
    // Deleted by the chair's acceptance of Sam's amendment: deleted by the proposer.
    expect(deleted?.deletedBy?.map((p) => p.name)).toEqual(['Sam Stakeholder']);
    const civilTwo = json.sections.flatMap((s) => s.blocks.flatMap((b) => b.ops)).find((op) => op.op === 'delete' && op.text.includes('civilTwo'))!;
    expect(civilTwo.authors?.map((a) => a.id)).toEqual([civil.id]);
    expect(civilTwo.deletedBy?.map((a) => a.id)).toEqual([business.id]);
    // Signed out, under the default policy (members): the same redline names nobody.
    const anonymous = (await (await server.api(`/api/documents/attr/redline?from=1&to=${number}&format=json`)).json()) as Redline;
    expect(JSON.stringify(anonymous)).not.toContain('authors');

    const html = await (await server.api(`/api/documents/attr/redline?from=1&to=${number}&format=html`, { token: chair.token })).text();
    expect(html).toMatch(new RegExp(`<ins title="Inserted, written by Cyril Civil \\(${civil.organization}\\)[^"]*">[^<]*civilNewWords`));

    const res = await server.api(`/api/documents/attr/redline?from=1&to=${number}&format=docx`, { token: chair.token });
    expect(res.status).toBe(200);
    const docx = new Uint8Array(await res.arrayBuffer());
    const xml = await (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string');
    const insAuthors = new Set([...xml.matchAll(/<w:ins [^>]*w:author="([^"]*)"/g)].map((m) => m[1]));
    expect(insAuthors).toContain(`Cyril Civil (${civil.organization})`);
    expect(insAuthors).toContain(`Gina Government (${gov.organization})`);
    expect(xml).toMatch(new RegExp(`<w:del [^>]*w:author="Bea Business \\(${business.organization}\\)"`));
    const civilIns = xml.match(/<w:ins [^>]*w:author="Cyril Civil[^"]*"[^>]*>/)![0];
    expect(civilIns).toMatch(/w:date="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"/);
    const pkg = await JSZip.loadAsync(new Uint8Array(await (await server.api(`/api/documents/attr/export?version=${number}&format=zip`, { token: chair.token })).arrayBuffer()));
    const report = JSON.parse(await pkg.file(`attr-v${number}-contributions.json`)!.async('string')) as ContributionsReport;
    expect(report.version).toBe(number);
    expect(report.total.byGroup['civil-society']).toBe(4);
    expect(report.total.byOrganization[civil.organization]).toBe(4);
    expect(await pkg.file(`attr-v${number}-contributions.md`)!.async('string')).toContain('| Civil society | 4 |');
    const docxInPackage = await JSZip.loadAsync(await pkg.file(`attr-v${number}-redline-from-v${number - 1}.docx`)!.async('uint8array'));
    expect(await docxInPackage.file('word/document.xml')!.async('string')).toContain(`w:author="Cyril Civil (${civil.organization})"`);
    // Signed out: the package leaves the report out and names nobody (default policy: members).
    const open = await JSZip.loadAsync(new Uint8Array(await (await server.api(`/api/documents/attr/export?version=${number}&format=zip`)).arrayBuffer()));
    expect(open.file(`attr-v${number}-contributions.json`)).toBeNull();
    expect(await (await JSZip.loadAsync(await open.file(`attr-v${number}-redline-from-v${number - 1}.docx`)!.async('uint8array'))).file('word/document.xml')!.async('string')).not.toContain('Cyril');

    // Last: LibreOffice takes seconds, past the server's keep-alive, and a pooled connection may be reset after it.
    if (soffice) {
      const resolved = (await resolveTrackedChanges(new Map([['redline', docx]]))).get('redline')!;
      expect(resolved.accept).toContain('civilNewWords');
      expect(resolved.reject).not.toContain('civilNewWords');
      expect(resolved.reject).toContain('civilTwo');
      expect(resolved.accept).not.toContain('civilTwo');
    } else if (process.env.CI === 'true') {
      throw new Error('LibreOffice (soffice) must be installed when CI=true');
    }

  }, 120_000);
});

describe('attribution on PostgreSQL', () => {
  it('keeps owners, refuses a reused client id and attributes a version exactly, with the shared store', async () => {
    const { createTestDatabase } = await import('./helpers/postgres');
    const db = await createTestDatabase();
    const pgServer = await startTestServer({ config: { databaseUrl: db.url, logKeyInDatabase: true } });
    const pgClients: Client[] = [];
    try {
      const boss = await pgServer.createUser('chair', 'Chair PG', 'government');
      const a = await pgServer.createUser('editor', 'Ann Academia', 'academia');
      const t = await pgServer.createUser('editor', 'Tom Technical', 'technical-community');
      expect((await pgServer.api('/api/documents', { method: 'POST', token: boss.token, body: { id: 'attr', title: 'Attribution', markdown: MARKDOWN } })).status).toBe(201);
      const [ca, ct] = await Promise.all([a, t].map((u) => connect(pgServer.wsUrl, 'attr', u.token)));
      pgClients.push(ca!, ct!);
      for (const [c, words] of [[ca!, ' annOne annTwo'], [ct!, ' tomOne']] as const) {
        const p = paragraphText(c.doc, 'privacy');
        p.insert(p.length, words);
        await waitFor(() => pgClients.every((x) => paragraphText(x.doc, 'privacy').toString().endsWith(words)), 10_000, words);
      }
      expect((await pgServer.api('/api/documents/attr/versions', { method: 'POST', token: boss.token, body: { label: 'PG' } })).status).toBe(201);
      const forger = await rawClient(`${pgServer.wsUrl}/collab/attr?token=${t.token}`);
      forger.doc.clientID = ca!.doc.clientID;
      const before = Y.encodeStateVector(forger.doc);
      const p = paragraphText(forger.doc, 'privacy');
      p.insert(p.length, ' forged');
      forger.send(updateFrame(Y.encodeStateAsUpdate(forger.doc, before)));
      await waitFor(() => forger.denials.length > 0, 5000, 'the forger is refused');
      forger.ws.close();
      // After a restart the owners come from the database: Ann's client id is still hers.
      await pgServer.restart();
      const live = (await (await pgServer.api('/api/documents/attr/attribution', { token: boss.token })).json()) as Attribution;
      const frozen = (await (await pgServer.api('/api/documents/attr/attribution?version=1', { token: boss.token })).json()) as Attribution;
      for (const x of [live, frozen]) {
        const words = new Map<string, string[]>();
        for (const r of x.sections.find((s) => s.id === 'privacy')!.runs) words.set(r.author?.id ?? '', [...(words.get(r.author?.id ?? '') ?? []), ...r.text.split(/\s+/).filter(Boolean)]);
        expect(words.get(a.id)).toEqual(['annOne', 'annTwo']);
        expect(words.get(t.id)).toEqual(['tomOne']);
      }
      expect(JSON.stringify(live)).not.toContain('forged');
    } finally {
      pgClients.forEach((c) => c.destroy());
      await pgServer.close();
      await db.drop();
    }
  }, 120_000);
});
