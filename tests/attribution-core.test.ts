// The pure attribution core (core/attribution.ts), the redline's author
// annotation (core/redline/authors.ts) and client id ownership
// (server/collab/ownership.ts), without a server.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { attribute, attributeState, clientRuns, unattributed, withoutNames, wordsByAuthor, wordsOfState, type ClientAuthorship } from '../core/attribution';
import { parseMarkdown } from '../core/markdown';
import { redline } from '../core/redline/index';
import { annotateAuthors } from '../core/redline/authors';
import { CONTENT_FIELD, type PMJSON } from '../core/schema';
import { initialState } from '../server/documents/state';
import { ClientOwnership } from '../server/collab/ownership';
import type { ClientClaim } from '../server/store/attribution-types';
import { paragraphText } from './helpers/ws';
import { liveNode } from '../server/documents/service';

const author = (id: string, group: ClientAuthorship['author']['stakeholderGroup'], org = `Org ${id}`): ClientAuthorship => ({
  author: { id, name: `Name ${id}`, organization: org, stakeholderGroup: group },
  at: `2026-01-0${id.length}T00:00:00.000Z`,
});

/** A document imported from Markdown (client 1), then edited by the given clients. */
function docFrom(markdown: string): Y.Doc {
  const doc = new Y.Doc({ gc: false });
  Y.applyUpdate(doc, initialState(parseMarkdown(markdown).doc));
  return doc;
}

/** The client id the import wrote under. */
const importer = (doc: Y.Doc): number => [...doc.store.clients.keys()].find((c) => c >= 1000)!; // test clients are below 1000

function as<T>(doc: Y.Doc, client: number, fn: () => T): T {
  const was = doc.clientID;
  doc.clientID = client;
  try {
    return fn();
  } finally {
    doc.clientID = was;
  }
}

const MD = '# T\n\n## One {#one}\n\nAlpha beta.\n\nSecond paragraph.\n\n## Two {#two}\n\nGamma.\n';

describe('core/attribution', () => {
  it('reads each section as client runs, blocks joined by a newline; deleted text and empty blocks leave nothing', () => {
    const doc = docFrom(MD);
    const imported = importer(doc);
    const p = paragraphText(doc, 'one');
    as(doc, 11, () => p.insert(5, ' inserted'));
    as(doc, 12, () => p.insert(p.length, ' tail'));
    as(doc, 12, () => p.delete(0, 6)); // "Alpha" by the importer and the space of 11's, deleted by 12: gone from the text
    const second = paragraphText(doc, 'one', 1);
    as(doc, 11, () => second.delete(0, second.length)); // an emptied paragraph: no block, no separator
    const sections = clientRuns(doc.getXmlFragment(CONTENT_FIELD));
    expect(sections.map((s) => s.id)).toEqual(['one', 'two']);
    const one = sections[0]!;
    expect(one.title).toBe('One');
    expect(one.runs.map((r) => r.text).join('')).toBe('One\ninserted beta. tail');
    expect(one.runs.map((r) => [r.text, r.client])).toEqual([
      ['One', imported],
      ['\n', null],
      ['inserted', 11],
      [' beta.', imported],
      [' tail', 12],
    ]);
    // Each run's clocks are consecutive: the clock of its first character.
    expect(one.runs[2]!.clock).toBe(1); // 11 wrote " inserted" at clocks 0..8; its space is deleted
    // The same text as the ProseMirror reading of that state, section by section.
    const pm = unattributed(liveNode(doc).toJSON() as PMJSON);
    expect(pm.sections.map((s) => s.runs.map((r) => r.text).join(''))).toEqual(sections.map((s) => s.runs.map((r) => r.text).join('')));
  });

  it('resolves clients to authors, merges neighbours of one author (across a block break), counts words by first character', () => {
    const doc = docFrom('# T\n\n## One {#one}\n\nx\n');
    const p = paragraphText(doc, 'one');
    as(doc, 21, () => p.insert(1, 'yz word'));
    as(doc, 22, () => p.insert(p.length, 's more'));
    const owners = new Map([
      [21, author('a', 'government')],
      [22, author('bb', 'civil-society')],
    ]);
    const a = attribute(clientRuns(doc.getXmlFragment(CONTENT_FIELD)), owners);
    const runs = a.sections[0]!.runs;
    expect(runs.map((r) => [r.text, r.author?.id ?? null])).toEqual([
      ['One\nx', null],
      ['yz word', 'a'],
      ['s more', 'bb'],
    ]);
    // "xyz" began in the imported run, "words" began with a: b's "s" does not count as a word of b's.
    expect(a.shares.byGroup).toEqual({ government: 1, 'civil-society': 1 });
    expect(wordsByAuthor(runs).get(null)).toBe(2);
    expect(runs[1]!.at).toBe('2026-01-01T00:00:00.000Z');
    const hidden = withoutNames(a);
    expect(hidden.sections[0]!.runs).toEqual([{ text: 'One\nxyz words more', author: null }]);
    expect(hidden.shares.byOrganization).toEqual({});
    // From the encoded state: the same.
    expect(attributeState(Y.encodeStateAsUpdate(doc), owners)).toEqual(a);
  });
});

describe('core/redline/authors', () => {
  it('names the author of each inserted and deleted run and who deleted it, cutting an op where either changes', () => {
    const base = docFrom('# T\n\n## One {#one}\n\nkeep this sentence whole.\n');
    const from = Y.encodeStateAsUpdate(base);
    const p = paragraphText(base, 'one');
    as(base, 31, () => p.insert(p.length, ' added by a'));
    as(base, 32, () => p.insert(p.length, ' then by b'));
    as(base, 31, () => p.delete(5, 5)); // "this " deleted: written by the importer
    const owners = new Map([
      [31, author('a', 'academia')],
      [32, author('b', 'government')],
    ]);
    const fromDoc = new Y.Doc();
    Y.applyUpdate(fromDoc, from);
    const r = redline({ ref: 1, title: 'T', doc: liveNode(fromDoc).toJSON() as PMJSON }, { ref: 2, title: 'T', doc: liveNode(base).toJSON() as PMJSON });
    const before = JSON.stringify(r.sections.map((s) => s.blocks.map((b) => b.ops.map((o) => (o.op === 'delete' ? '' : o.text)).join(''))));
    // "this" was written by the importer; say client 31 was recorded deleting it.
    const imported = importer(base);
    const fromDoc2 = new Y.Doc();
    Y.applyUpdate(fromDoc2, from);
    let clock = -1;
    for (let item = paragraphText(fromDoc2, 'one')._start; item !== null; item = item.right) {
      if (item.content instanceof Y.ContentString && item.content.str.includes('this')) clock = item.id.clock + item.content.str.indexOf('this');
    }
    const deletions = [{ client: imported, clock, len: 5, by: owners.get(31)!.author, at: '2026-02-02T10:00:00.000Z' }];
    annotateAuthors(r, { sections: wordsOfState(from, owners, deletions) }, { sections: wordsOfState(Y.encodeStateAsUpdate(base), owners) });
    const ops = r.sections[0]!.blocks.flatMap((b) => b.ops);
    const inserted = ops.filter((o) => o.op === 'insert');
    expect(inserted.map((o) => [o.text.trim(), o.authors?.map((x) => x.id)])).toEqual([
      ['added by a', ['a']],
      ['then by b', ['b']],
    ]);
    const deleted = ops.find((o) => o.op === 'delete')!;
    expect(deleted.text.trim()).toBe('this');
    expect(deleted.authors).toBeUndefined(); // imported text: nobody known
    expect(deleted.deletedBy).toEqual([{ ...owners.get(31)!.author, at: '2026-02-02T10:00:00.000Z' }]);
    // The texts are untouched by the annotation: the redline property still holds.
    expect(JSON.stringify(r.sections.map((s) => s.blocks.map((b) => b.ops.map((o) => (o.op === 'delete' ? '' : o.text)).join(''))))).toBe(before);
  });
});

describe('server/collab/ownership', () => {
  const repo = (claims: ClientClaim[] = []) => {
    const written: ClientClaim[][] = [];
    return {
      written,
      claims: async () => claims,
      claim: async (_doc: string, c: readonly ClientClaim[]) => {
        written.push([...c]);
        return [];
      },
      recordDeletions: async () => {},
    };
  };
  const edit = (server: Y.Doc, client: number, text: string): Uint8Array => {
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(server));
    copy.clientID = client; // after the sync: Yjs gives a client that meets its own id in an update a new one
    const sv = Y.encodeStateVector(copy);
    const p = paragraphText(copy, 'one');
    p.insert(p.length, text);
    return Y.encodeStateAsUpdate(copy, sv);
  };

  it('claims an unused client id for its first writer, refuses new items under it from anyone else, and lets old items through', async () => {
    const server = docFrom(MD);
    const store = repo([{ clientId: 77, userId: 'owner', claimedAt: 'x', note: null }]);
    const own = await ClientOwnership.load('d', store);
    const first = edit(server, 41, ' a');
    expect(own.check(server, Y.decodeUpdate(first), 'alice')).toMatchObject({ ok: true });
    expect(own.ownerOf(41)).toBe('alice');
    Y.applyUpdate(server, first);
    expect(own.check(server, Y.decodeUpdate(edit(server, 41, ' b')), 'bob')).toEqual({ ok: false, reason: 'client id 41 belongs to another account' });
    expect(own.check(server, Y.decodeUpdate(edit(server, 77, ' c')), 'bob').ok).toBe(false); // claimed in the store before
    expect(own.check(server, Y.decodeUpdate(edit(server, 41, ' d')), 'alice')).toMatchObject({ ok: true });
    // Items the document already has, sent again by someone else (a resync): nothing new, allowed.
    expect(own.check(server, Y.decodeUpdate(first), 'bob')).toMatchObject({ ok: true });
    // Text from before attribution (the importer's client): nobody may continue it.
    expect(own.check(server, Y.decodeUpdate(edit(server, importer(server), ' e')), 'bob').ok).toBe(false);
    await own.writePending();
    expect(store.written).toEqual([[{ clientId: 41, userId: 'alice', claimedAt: expect.any(String) as string, note: null }]]);
    expect(own.writePending()).toBeNull();
  });

  it('records who deleted what, once: a resync that sends the same deletions again records nothing', async () => {
    const server = docFrom(MD);
    const own = await ClientOwnership.load('d', repo());
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(server));
    const sv = Y.encodeStateVector(copy);
    paragraphText(copy, 'one').delete(0, 6); // "Alpha "
    const update = Y.encodeStateAsUpdate(copy, sv);
    const first = own.deletionsIn(server, update, 'alice');
    expect(first).toEqual([{ clientId: importer(server), clock: expect.any(Number) as number, len: 6, userId: 'alice', deletedAt: expect.any(String) as string }]);
    Y.applyUpdate(server, update);
    expect(own.deletionsIn(server, Y.encodeStateAsUpdate(copy), 'bob')).toEqual([]);
  });

  it('a claim that loses to another process makes the write fail', async () => {
    const server = docFrom(MD);
    const own = await ClientOwnership.load('d', { claims: async () => [], claim: async (_d, c) => c.map((x) => ({ ...x, userId: 'other' })), recordDeletions: async () => {} });
    expect(own.check(server, Y.decodeUpdate(edit(server, 51, ' a')), 'alice').ok).toBe(true);
    await expect(own.writePending()).rejects.toThrow(/claimed by other accounts first/);
  });
});
