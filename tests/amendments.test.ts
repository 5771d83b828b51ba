// Amendments through the REST API against the real server: every rule of the
// issue (who may propose, support, comment, withdraw, decide), the 401/403/
// 404/409/422 answers, the live text after an acceptance, and the signed log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Amendment } from '../core/api';
import { verifyBundle, type Bundle } from '../core/bundle';
import { textHash } from '../core/canonical';
import { decodeEntry } from '../core/log-entries';
import { decodeBase64 } from '../core/tlog/base64';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';
import { connect, paragraphText, waitFor } from './helpers/ws';
import { MESSAGE_SIGNAL, readSignal } from '../core/signals';
import { CONTENT_FIELD } from '../core/schema';

let server: TestServer;
let chair: TestUser;
let editor: TestUser;
let sam: TestUser; // stakeholder, civil society
let gov: TestUser; // stakeholder, government
let olga: TestUser; // observer

const MARKDOWN = `# Test paper

## Privacy {#privacy}

Devices should collect only the data they need. Data that is needed should be **kept safe** by default.

The data rules apply to all data held on the device.

## Security {#security}

Security updates must be provided for the lifetime of the device.
`;

let docCounter = 0;
async function newDocument(): Promise<string> {
  const id = `amend-${++docCounter}`;
  const res = await server.api('/api/documents', { method: 'POST', token: chair.token, body: { id, title: 'Test paper', markdown: MARKDOWN } });
  expect(res.status).toBe(201);
  return id;
}

async function call(path: string, token: string | undefined, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await server.api(path, { method: body === undefined ? 'GET' : 'POST', token, body });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

const propose = (doc: string, token: string | undefined, body: Record<string, unknown>) => call(`/api/documents/${doc}/amendments`, token, body);
const act = (doc: string, aid: string, action: string, token: string | undefined, body: unknown = {}) =>
  call(`/api/documents/${doc}/amendments/${aid}/${action}`, token, body);
const list = async (doc: string): Promise<Amendment[]> => (await call(`/api/documents/${doc}/amendments`, sam.token)).json as Amendment[];
const markdownOf = async (doc: string): Promise<string> => ((await call(`/api/documents/${doc}`, undefined)).json as { markdown: string }).markdown;

const basic = { section: 'privacy', quote: 'collect only the data they need', proposed: 'collect no more data than they need', justification: 'Clearer.' };

beforeAll(async () => {
  server = await startTestServer();
  chair = await server.createUser('chair', 'Chiara Chair', 'intergovernmental');
  editor = await server.createUser('editor', 'Eddie Editor', 'technical-community');
  sam = await server.createUser('stakeholder', 'Sam Stake', 'civil-society');
  gov = await server.createUser('stakeholder', 'Greta Gov', 'government');
  olga = await server.createUser('observer', 'Olga Observer', 'academia');
});
afterAll(() => server.close());

describe('proposing', () => {
  it('a stakeholder proposes: 201 with the full record, status open', async () => {
    const doc = await newDocument();
    const res = await propose(doc, sam.token, basic);
    expect(res.status).toBe(201);
    const a = res.json as Amendment;
    expect(a).toMatchObject({
      status: 'open',
      number: 1,
      document: doc,
      section: 'privacy',
      quote: basic.quote,
      proposed: basic.proposed,
      justification: 'Clearer.',
      occurrence: 1,
      kind: 'replace',
      currentText: basic.quote,
      proposer: { id: sam.id, name: 'Sam Stake', organization: sam.organization, stakeholderGroup: 'civil-society' },
      supporters: [],
      comments: [],
      decision: null,
      withdrawal: null,
      logIndex: null,
    });
    expect(a.id).toBeTruthy();
    expect(a.anchor.start).toMatch(/^[A-Za-z0-9+/=]+$/);
    const listed = await list(doc);
    expect(listed.map((x) => x.id)).toEqual([a.id]);
    // Editors and chairs are "stakeholders and up" too; the numbering continues.
    expect((await propose(doc, editor.token, { ...basic, proposed: 'gather only the data they need' })).json.number).toBe(2);
    expect((await propose(doc, chair.token, { ...basic, proposed: 'x' })).status).toBe(201);
  });

  it('observers get 403, anonymous callers 401, unknown documents 404', async () => {
    const doc = await newDocument();
    expect((await propose(doc, olga.token, basic)).status).toBe(403);
    expect((await propose(doc, olga.token, basic)).json.error.code).toBe('forbidden');
    expect((await propose(doc, undefined, basic)).status).toBe(401);
    expect((await propose('no-such-doc', sam.token, basic)).status).toBe(404);
    expect(await list(doc)).toEqual([]);
  });

  it('validates the body: empty quote, missing or blank justification, bad types, same text', async () => {
    const doc = await newDocument();
    const status = async (body: Record<string, unknown>) => {
      const res = await propose(doc, sam.token, body);
      expect(res.json.error.message).toBeTruthy();
      return res.status;
    };
    expect([400, 422]).toContain(await status({ ...basic, quote: '' }));
    expect(await status({ ...basic, justification: undefined })).toBe(400);
    expect(await status({ ...basic, justification: '   ' })).toBe(422);
    expect(await status({ ...basic, proposed: 42 })).toBe(400);
    expect(await status({ ...basic, occurrence: 0 })).toBe(422);
    expect([400, 422]).toContain(await status({ ...basic, occurrence: 1.5 }));
    expect(await status({ ...basic, proposed: basic.quote })).toBe(422);
    const malformed = await server.api(`/api/documents/${doc}/amendments`, { method: 'POST', token: sam.token, body: '{"section":', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(await list(doc)).toEqual([]);
  });

  it('422 when the quote is not in the section, the section does not exist, or the occurrence is too high', async () => {
    const doc = await newDocument();
    const notThere = await propose(doc, sam.token, { ...basic, quote: 'collect all the data' });
    expect(notThere.status).toBe(422);
    expect(notThere.json.error.message).toMatch(/not in section "privacy"/);
    // In the document, but in another section.
    expect((await propose(doc, sam.token, { ...basic, quote: 'Security updates' })).status).toBe(422);
    const noSection = await propose(doc, sam.token, { ...basic, section: 'nowhere' });
    expect(noSection.status).toBe(422);
    expect(noSection.json.error.message).toMatch(/no section "nowhere"/);
    const tooHigh = await propose(doc, sam.token, { ...basic, quote: 'data', occurrence: 4 });
    expect(tooHigh.status).toBe(422);
    expect(tooHigh.json.error.message).toMatch(/occurs 3 time\(s\)/);
    // Quotes never cross paragraphs.
    expect((await propose(doc, sam.token, { ...basic, quote: 'by default.\n\nThe data' })).status).toBe(422);
  });

  it('`occurrence` picks which place the quote anchors to', async () => {
    const doc = await newDocument();
    // "data" occurs 3 times in the section (case matters); the 2nd is in "The data rules".
    const res = await propose(doc, sam.token, { section: 'privacy', quote: 'data', proposed: 'information', justification: 'Wording.', occurrence: 2 });
    expect(res.status).toBe(201);
    expect((await act(doc, res.json.id, 'decision', chair.token, { decision: 'accept', reason: 'Agreed.' })).status).toBe(200);
    const md = await markdownOf(doc);
    expect(md).toContain('The information rules apply to all data held on the device.');
    expect(md).toContain('Devices should collect only the data they need. Data that is needed');
  });
});

describe('support and discussion', () => {
  it('one support per person, with the group; 409 twice or by the proposer; 403 for observers', async () => {
    const doc = await newDocument();
    const a = (await propose(doc, sam.token, basic)).json as Amendment;
    const supported = await act(doc, a.id, 'support', gov.token);
    expect(supported.status).toBe(200);
    expect(supported.json.supporters).toEqual([expect.objectContaining({ id: gov.id, stakeholderGroup: 'government', organization: gov.organization })]);
    expect((await act(doc, a.id, 'support', gov.token)).status).toBe(409);
    expect((await act(doc, a.id, 'support', sam.token)).status).toBe(409);
    expect((await act(doc, a.id, 'support', olga.token)).status).toBe(403);
    expect((await act(doc, a.id, 'support', undefined)).status).toBe(401);
    expect((await act(doc, a.id, 'support', chair.token)).status).toBe(200);
    expect((await act(doc, 'no-such-amendment', 'support', gov.token)).status).toBe(404);
    const [listed] = await list(doc);
    expect(listed!.supporters.map((s) => s.stakeholderGroup)).toEqual(['government', 'intergovernmental']);
  });

  it('threaded comments from stakeholders and up; 422 when empty; 403 for observers', async () => {
    const doc = await newDocument();
    const a = (await propose(doc, sam.token, basic)).json as Amendment;
    const first = await act(doc, a.id, 'comments', gov.token, { text: 'Why "no more"?' });
    expect(first.status).toBe(201);
    expect((await act(doc, a.id, 'comments', sam.token, { text: 'It reads as a ceiling.' })).status).toBe(201);
    expect((await act(doc, a.id, 'comments', sam.token, { text: '  ' })).status).toBe(422);
    expect((await act(doc, a.id, 'comments', sam.token, {})).status).toBe(400);
    expect((await act(doc, a.id, 'comments', olga.token, { text: 'Me too' })).status).toBe(403);
    const [listed] = await list(doc);
    expect(listed!.comments.map((c) => [c.author.id, c.text])).toEqual([
      [gov.id, 'Why "no more"?'],
      [sam.id, 'It reads as a ceiling.'],
    ]);
  });
});

describe('withdrawal', () => {
  it('only the proposer withdraws (403 for anyone else, chairs included); then it is closed (409)', async () => {
    const doc = await newDocument();
    const a = (await propose(doc, sam.token, basic)).json as Amendment;
    expect((await act(doc, a.id, 'withdraw', gov.token)).status).toBe(403);
    expect((await act(doc, a.id, 'withdraw', chair.token)).status).toBe(403);
    expect((await act(doc, a.id, 'withdraw', undefined)).status).toBe(401);
    const done = await act(doc, a.id, 'withdraw', sam.token);
    expect(done.status).toBe(200);
    expect(done.json.status).toBe('withdrawn');
    expect(done.json.withdrawal).toMatchObject({ withdrawnBy: { id: sam.id }, logIndex: expect.any(Number) });
    expect(done.json.logIndex).toBe(done.json.withdrawal.logIndex);
    expect((await act(doc, a.id, 'withdraw', sam.token)).status).toBe(409);
    expect((await act(doc, a.id, 'decision', chair.token, { decision: 'accept', reason: '' })).status).toBe(409);
    expect((await act(doc, a.id, 'support', gov.token)).status).toBe(409);
    expect(await markdownOf(doc)).toContain(basic.quote);
  });
});

describe('decisions', () => {
  it('only chairs and editors decide: 403 for stakeholders and observers, 401 without identity', async () => {
    const doc = await newDocument();
    const a = (await propose(doc, sam.token, basic)).json as Amendment;
    for (const token of [sam.token, gov.token, olga.token]) {
      const res = await act(doc, a.id, 'decision', token, { decision: 'accept', reason: 'Mine.' });
      expect(res.status).toBe(403);
      expect(res.json.error.code).toBe('forbidden');
    }
    expect((await act(doc, a.id, 'decision', undefined, { decision: 'accept' })).status).toBe(401);
    expect((await act(doc, a.id, 'decision', chair.token, { decision: 'maybe' })).status).toBe(422);
    expect([400, 422]).toContain((await act(doc, a.id, 'decision', chair.token, {})).status);
    expect((await act(doc, a.id, 'decision', chair.token, { decision: 'reject' })).status).toBe(422); // no reason
    expect((await list(doc))[0]!.status).toBe('open');
    expect(await markdownOf(doc)).toContain(basic.quote);
  });

  it('accepting replaces the text in the live document; connected editors see it at once; a second decision is 409', async () => {
    const doc = await newDocument();
    const watcher = await connect(server.wsUrl, doc, sam.token);
    try {
      const a = (await propose(doc, sam.token, basic)).json as Amendment;
      const res = await act(doc, a.id, 'decision', editor.token, { decision: 'accept', reason: 'Agreed at the meeting.' });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        status: 'accepted',
        decision: { decision: 'accept', reason: 'Agreed at the meeting.', decidedBy: { id: editor.id, stakeholderGroup: 'technical-community' }, logIndex: expect.any(Number) },
      });
      expect(res.json.decision.decidedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      await waitFor(() => watcher.text().includes(basic.proposed), 5000, 'the accepted text at a connected client');
      expect(watcher.text()).not.toContain(basic.quote);
      expect(await markdownOf(doc)).toContain(`Devices should ${basic.proposed}. Data`);
      const again = await act(doc, a.id, 'decision', chair.token, { decision: 'reject', reason: 'Changed my mind.' });
      expect(again.status).toBe(409);
      expect(again.json.error.code).toBe('conflict');
      expect((await act(doc, a.id, 'decision', chair.token, { decision: 'accept' })).status).toBe(409);
      expect((await act(doc, a.id, 'withdraw', sam.token)).status).toBe(409);
    } finally {
      watcher.destroy();
    }
  });

  it('rejecting leaves the text alone and records the reason; then 409', async () => {
    const doc = await newDocument();
    const a = (await propose(doc, sam.token, basic)).json as Amendment;
    const res = await act(doc, a.id, 'decision', chair.token, { decision: 'reject', reason: 'Out of scope.' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'rejected', decision: { decision: 'reject', reason: 'Out of scope.', decidedBy: { id: chair.id } } });
    expect(await markdownOf(doc)).toContain(basic.quote);
    expect((await act(doc, a.id, 'decision', chair.token, { decision: 'accept' })).status).toBe(409);
  });

  it('concurrent decisions on one amendment: exactly one wins, the other is 409', async () => {
    const doc = await newDocument();
    const a = (await propose(doc, sam.token, basic)).json as Amendment;
    const results = await Promise.all([
      act(doc, a.id, 'decision', chair.token, { decision: 'accept', reason: 'Yes.' }),
      act(doc, a.id, 'decision', editor.token, { decision: 'reject', reason: 'No.' }),
      act(doc, a.id, 'decision', editor.token, { decision: 'accept', reason: 'Yes too.' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    const md = await markdownOf(doc);
    expect(md.split(basic.proposed).length - 1).toBeLessThanOrEqual(1);
  });

  it('an amendment whose quote changed is outdated, and accepting it is 409 saying what changed', async () => {
    const doc = await newDocument();
    const a = (await propose(doc, sam.token, basic)).json as Amendment;
    const b = (await propose(doc, gov.token, { section: 'security', quote: 'for the lifetime of the device', proposed: 'for at least five years', justification: 'Concrete.' })).json as Amendment;
    const c = (await propose(doc, gov.token, { section: 'privacy', quote: 'apply to all data', proposed: 'apply to personal data', justification: 'Scope.' })).json as Amendment;
    const ed = await connect(server.wsUrl, doc, editor.token);
    try {
      // An editor rewrites one word inside the first quote, deletes the second quote, and types next to (not in) the third.
      const privacy = paragraphText(ed.doc, 'privacy');
      const at = privacy.toString().indexOf('only the data');
      privacy.delete(at, 'only'.length);
      privacy.insert(at, 'just');
      const security = paragraphText(ed.doc, 'security');
      const s = security.toString().indexOf(' for the lifetime of the device');
      security.delete(s, ' for the lifetime of the device'.length);
      const second = paragraphText(ed.doc, 'privacy', 1);
      second.insert(second.toString().indexOf('apply to all data'), 'really ');
      second.insert(second.toString().indexOf(' held'), ' that is');
      await expect.poll(() => markdownOf(doc), { timeout: 5000 }).toContain('that is held');

      const byId = new Map((await list(doc)).map((x) => [x.id, x]));
      expect(byId.get(a.id)).toMatchObject({ status: 'outdated', currentText: 'collect just the data they need' });
      expect(byId.get(b.id)).toMatchObject({ status: 'outdated', currentText: null });
      expect(byId.get(c.id)).toMatchObject({ status: 'open', currentText: 'apply to all data' });

      const changed = await act(doc, a.id, 'decision', chair.token, { decision: 'accept', reason: 'Fine.' });
      expect(changed.status).toBe(409);
      expect(changed.json.error.message).toContain(`the quoted text "${basic.quote}" now reads "collect just the data they need"`);
      const gone = await act(doc, b.id, 'decision', chair.token, { decision: 'accept', reason: 'Fine.' });
      expect(gone.status).toBe(409);
      expect(gone.json.error.message).toContain('was deleted');
      // The refused acceptances changed nothing and logged nothing; both are still open.
      expect((await list(doc)).filter((x) => x.decision !== null)).toEqual([]);
      // An outdated amendment can still be rejected; the open one can be accepted, exactly in place.
      expect((await act(doc, a.id, 'decision', chair.token, { decision: 'reject', reason: 'Overtaken.' })).status).toBe(200);
      expect((await act(doc, c.id, 'decision', chair.token, { decision: 'accept', reason: 'Fine.' })).status).toBe(200);
      await waitFor(() => ed.text().includes('apply to personal data'), 5000, 'accepted text');
      expect(await markdownOf(doc)).toContain('The data rules really apply to personal data that is held on the device.');
    } finally {
      ed.destroy();
    }
  });

  it('deletions, insertions and formatting: the replacement keeps the formatting of the text it replaces', async () => {
    const doc = await newDocument();
    const del = (await propose(doc, sam.token, { section: 'privacy', quote: ' by default', proposed: '', justification: 'Always.' })).json as Amendment;
    expect(del.kind).toBe('delete');
    const ins = (await propose(doc, sam.token, { section: 'security', quote: 'Security updates', proposed: 'Security updates and fixes', justification: 'Both.' })).json as Amendment;
    expect(ins.kind).toBe('insert');
    const bold = (await propose(doc, sam.token, { section: 'privacy', quote: 'kept safe', proposed: 'kept secure', justification: 'Word.' })).json as Amendment;
    for (const a of [del, ins, bold]) expect((await act(doc, a.id, 'decision', chair.token, { decision: 'accept', reason: 'Ok.' })).status).toBe(200);
    const md = await markdownOf(doc);
    expect(md).toContain('should be **kept secure**.');
    expect(md).toContain('Security updates and fixes must be provided');
  });

  it("undo in another client does not revert an accepted amendment", async () => {
    const doc = await newDocument();
    const ed = await connect(server.wsUrl, doc, editor.token);
    try {
      const text = paragraphText(ed.doc, 'security');
      const undo = new Y.UndoManager(ed.doc.getXmlFragment('content'), { trackedOrigins: new Set(['local']), captureTimeout: 0 });
      ed.doc.transact(() => text.insert(0, 'Local edit. '), 'local');
      const a = (await propose(doc, sam.token, { section: 'security', quote: 'must be provided', proposed: 'shall be provided', justification: 'Stronger.' })).json as Amendment;
      expect((await act(doc, a.id, 'decision', chair.token, { decision: 'accept', reason: 'Ok.' })).status).toBe(200);
      await waitFor(() => ed.text().includes('shall be provided'), 5000, 'accepted text');
      undo.undo();
      undo.undo();
      expect(ed.text()).not.toContain('Local edit.');
      expect(ed.text()).toContain('Security updates shall be provided');
      await new Promise((r) => setTimeout(r, 300));
      expect(await markdownOf(doc)).toContain('Security updates shall be provided');
    } finally {
      ed.destroy();
    }
  });
});

describe('the signed log and live notifications', () => {
  it('every decision and withdrawal is a log entry that verifies in the bundle', async () => {
    const doc = await newDocument();
    const accepted = (await propose(doc, sam.token, basic)).json as Amendment;
    const rejected = (await propose(doc, gov.token, { section: 'security', quote: 'must', proposed: 'should', justification: 'Softer.' })).json as Amendment;
    const withdrawn = (await propose(doc, gov.token, { section: 'security', quote: 'device', proposed: 'product', justification: 'Term.' })).json as Amendment;
    const acc = (await act(doc, accepted.id, 'decision', chair.token, { decision: 'accept', reason: 'Agreed.' })).json as Amendment;
    const rej = (await act(doc, rejected.id, 'decision', editor.token, { decision: 'reject', reason: 'No consensus.' })).json as Amendment;
    const wd = (await act(doc, withdrawn.id, 'withdraw', gov.token)).json as Amendment;

    const bundle = (await call(`/api/documents/${doc}/bundle`, undefined)).json as Bundle;
    const key = (await (await server.api('/api/log/key')).text()).trim();
    const result = verifyBundle(bundle, { verifierKey: key });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.summary.amendmentDecisions).toBe(2);
    expect(result.summary.amendmentWithdrawals).toBe(1);

    const entries = new Map(bundle.entries.map((e) => [e.logIndex, decodeEntry(decodeBase64(e.leaf))]));
    expect(entries.get(acc.logIndex!)).toEqual({
      kind: 'amendment-decision',
      document: doc,
      amendment: accepted.id,
      section: 'privacy',
      decision: 'accept',
      reason: 'Agreed.',
      quoteHash: textHash(basic.quote),
      proposedHash: textHash(basic.proposed),
      actor: { id: chair.id, name: chair.name, organization: chair.organization },
      time: acc.decision!.decidedAt,
    });
    expect(entries.get(rej.logIndex!)).toMatchObject({ kind: 'amendment-decision', decision: 'reject', reason: 'No consensus.', actor: { id: editor.id } });
    expect(entries.get(wd.logIndex!)).toEqual({
      kind: 'amendment-withdrawal',
      document: doc,
      amendment: withdrawn.id,
      actor: { id: gov.id, name: gov.name, organization: gov.organization },
      time: wd.withdrawal!.withdrawnAt,
    });
    // Refused actions (409, 403) left nothing in the log.
    const size = (await (await server.api('/api/log/checkpoint')).text()).split('\n')[1];
    await act(doc, accepted.id, 'decision', chair.token, { decision: 'reject', reason: 'again' });
    await act(doc, rejected.id, 'withdraw', sam.token);
    expect((await (await server.api('/api/log/checkpoint')).text()).split('\n')[1]).toBe(size);
  });

  it('a proposal, a support, a comment and a decision each reach every open connection as a signal, stored nowhere in the document', async () => {
    const doc = await newDocument();
    const client = await connect(server.wsUrl, doc, olga.token);
    const signals: { amendment: string; change: string }[] = [];
    client.provider.messageHandlers[MESSAGE_SIGNAL] = (_encoder, decoder) => {
      const signal = readSignal(decoder);
      if (signal?.kind === 'amendments') signals.push({ amendment: signal.amendment, change: signal.change });
    };
    try {
      const a = (await propose(doc, sam.token, basic)).json as Amendment;
      await waitFor(() => signals.length === 1, 5000, 'signal after proposal');
      await act(doc, a.id, 'support', gov.token);
      await waitFor(() => signals.length === 2, 5000, 'signal after support');
      await act(doc, a.id, 'comments', gov.token, { text: 'Thanks' });
      await waitFor(() => signals.length === 3, 5000, 'signal after comment');
      await act(doc, a.id, 'decision', chair.token, { decision: 'accept', reason: 'Ok' });
      await waitFor(() => signals.length === 4 && client.text().includes(basic.proposed), 5000, 'signal and text after decision');
      expect(signals).toEqual(['proposed', 'supported', 'commented', 'accepted'].map((change) => ({ amendment: a.id, change })));
      expect([...client.doc.share.keys()]).toEqual([CONTENT_FIELD]);
    } finally {
      client.destroy();
    }
  });

  it('amendments, their status and the accepted text survive a restart', async () => {
    const doc = await newDocument();
    const a = (await propose(doc, sam.token, basic)).json as Amendment;
    const b = (await propose(doc, gov.token, { section: 'security', quote: 'must', proposed: 'should', justification: 'Softer.' })).json as Amendment;
    await act(doc, a.id, 'decision', chair.token, { decision: 'accept', reason: 'Ok' });
    await act(doc, b.id, 'support', sam.token);
    await server.restart();
    await server.api('/healthz').catch(() => undefined); // the client's pooled connection died with the old server
    const listed = await list(doc);
    expect(listed.map((x) => [x.number, x.status, x.supporters.length])).toEqual([
      [1, 'accepted', 0],
      [2, 'open', 1],
    ]);
    expect(await markdownOf(doc)).toContain(basic.proposed);
  });
});
