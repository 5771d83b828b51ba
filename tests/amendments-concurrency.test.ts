// Twenty stock y-websocket editors type right before and right after a quoted
// passage (and elsewhere) while a chair accepts the amendment that replaces it.
// Afterwards every client has the same text, the replacement sits exactly
// where the quote was, between the tokens typed before and after it, and no
// one's edit is lost or reordered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Amendment } from '../core/api';
import { plainText } from '../core/amendment-anchors';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';
import { connect, paragraphText, sleep, waitFor, type Client } from './helpers/ws';

const EDITORS = 20;
const ROUNDS = 24;
const QUOTE = 'The quoted passage that will be replaced';
const PROPOSED = 'The new agreed wording';
const MARKDOWN = `# Concurrency

## Terms {#terms}

Opening words. ${QUOTE} sits here. Closing words.

## Notes {#notes}

Unrelated notes.
`;

let server: TestServer;
let chair: TestUser;
let sam: TestUser;
const editors: TestUser[] = [];

beforeAll(async () => {
  process.setMaxListeners(50); // each y-websocket provider in Node adds a process 'exit' listener
  server = await startTestServer({ config: { compactEvery: 200 } });
  chair = await server.createUser('chair', 'Chair');
  sam = await server.createUser('stakeholder', 'Sam');
  for (let i = 0; i < EDITORS; i++) editors.push(await server.createUser('editor', `Editor ${i}`));
  const res = await server.api('/api/documents', { method: 'POST', token: chair.token, body: { id: 'race', title: 'Concurrency', markdown: MARKDOWN } });
  expect(res.status).toBe(201);
});
afterAll(() => server.close());

/** Where an editor types: right before the quote, or right after the last thing it typed after the quote. */
interface Typist {
  client: Client;
  before: Y.RelativePosition;
  after: Y.RelativePosition;
  typed: { before: string[]; after: string[]; notes: string[] };
}

function indexOf(doc: Y.Doc, pos: Y.RelativePosition): number {
  const abs = Y.createAbsolutePositionFromRelativePosition(pos, doc);
  if (!abs) throw new Error('position lost');
  return abs.index;
}

describe('accepting an amendment while 20 editors type around its quote', () => {
  it('converges with the replacement exactly where the quote was and every edit kept', async () => {
    const proposal = await server.api('/api/documents/race/amendments', {
      method: 'POST',
      token: sam.token,
      body: { section: 'terms', quote: QUOTE, proposed: PROPOSED, justification: 'Agreed wording.' },
    });
    expect(proposal.status).toBe(201);
    const amendment = (await proposal.json()) as Amendment;

    const typists: Typist[] = [];
    for (const user of editors) {
      const client = await connect(server.wsUrl, 'race', user.token);
      const text = paragraphText(client.doc, 'terms');
      const start = plainText(text).indexOf(QUOTE);
      typists.push({
        client,
        before: Y.createRelativePositionFromTypeIndex(text, start, 0),
        after: Y.createRelativePositionFromTypeIndex(text, start + QUOTE.length, -1),
        typed: { before: [], after: [], notes: [] },
      });
    }

    const type = async (t: Typist, i: number): Promise<void> => {
      const text = paragraphText(t.client.doc, 'terms');
      const notes = paragraphText(t.client.doc, 'notes');
      for (let k = 0; k < ROUNDS; k++) {
        const b = `<b${i}.${k}>`;
        text.insert(indexOf(t.client.doc, t.before), b);
        t.typed.before.push(b);
        const a = `<a${i}.${k}>`;
        const at = indexOf(t.client.doc, t.after);
        text.insert(at, a);
        t.after = Y.createRelativePositionFromTypeIndex(text, at + a.length, -1);
        t.typed.after.push(a);
        if (k % 4 === 0) {
          const n = `<n${i}.${k}>`;
          notes.insert(plainText(notes).length, n);
          t.typed.notes.push(n);
        }
        await sleep(2 + Math.random() * 8);
      }
    };

    const typing = Promise.all(typists.map((t, i) => type(t, i)));
    await sleep(60);
    const decision = await server.api(`/api/documents/race/amendments/${amendment.id}/decision`, {
      method: 'POST',
      token: chair.token,
      body: { decision: 'accept', reason: 'Accepted mid-typing.' },
    });
    expect(decision.status).toBe(200);
    // The acceptance really landed mid-typing: tokens were typed before and after it.
    const typedAtDecision = typists.reduce((sum, t) => sum + t.typed.before.length, 0);
    expect(typedAtDecision).toBeGreaterThan(0);
    expect(typedAtDecision).toBeLessThan(EDITORS * ROUNDS);
    await typing;

    // Convergence: every client holds the same text as a fresh one.
    const fresh = await connect(server.wsUrl, 'race', chair.token);
    const allEqual = () => typists.every((t) => t.client.text() === fresh.text());
    await waitFor(() => {
      if (!allEqual()) return false;
      return typists.every((t) => t.client.text().includes(t.typed.after.at(-1)!));
    }, 20_000, 'all clients to converge');
    await sleep(300);
    expect(allEqual()).toBe(true);

    const paragraph = plainText(paragraphText(fresh.doc, 'terms'));
    // Remove every typed token: exactly the original sentence with the replacement in place of the quote.
    expect(paragraph.replace(/<[ab]\d+\.\d+>/g, '')).toBe(`Opening words. ${PROPOSED} sits here. Closing words.`);
    expect(paragraph).not.toContain(QUOTE);
    const at = paragraph.indexOf(PROPOSED);
    expect(at).toBeGreaterThan(0);
    for (const [i, t] of typists.entries()) {
      // Every token is there exactly once, on its side of the replacement, in the order typed.
      const positions = (tokens: string[]) => tokens.map((tok) => {
        expect(paragraph.split(tok).length - 1, `token ${tok} of editor ${i}`).toBe(1);
        return paragraph.indexOf(tok);
      });
      const before = positions(t.typed.before);
      const after = positions(t.typed.after);
      expect(Math.max(...before)).toBeLessThan(at);
      expect(Math.min(...after)).toBeGreaterThanOrEqual(at + PROPOSED.length);
      expect(before).toEqual([...before].sort((x, y) => x - y));
      expect(after).toEqual([...after].sort((x, y) => x - y));
      const notes = plainText(paragraphText(fresh.doc, 'notes'));
      for (const n of t.typed.notes) expect(notes).toContain(n);
    }

    // The server's stored text agrees, and the amendment is recorded as accepted.
    const view = (await (await server.api('/api/documents/race')).json()) as { markdown: string };
    expect(view.markdown.replace(/<[abn]\d+\.\d+>/g, '').replace(/\\</g, '')).toContain(`Opening words. ${PROPOSED} sits here.`);
    const listed = (await (await server.api('/api/documents/race/amendments')).json()) as Amendment[];
    expect(listed[0]!.status).toBe('accepted');

    fresh.destroy();
    for (const t of typists) t.client.destroy();
  });
});
