// Amendment figures (issue "Amendments"): the time to accept an amendment
// with 100 open amendments on a 15,000-word document (target <= 20 ms), and
// the cost of resolving the anchors of 1,000 open amendments when the panel
// and the inline redline render (target <= 50 ms), each next to a naive
// baseline measured in the same run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { EditorState } from 'prosemirror-state';
import { initProseMirrorDoc, prosemirrorToYXmlFragment, ySyncPlugin } from 'y-prosemirror';
import * as Y from 'yjs';
import type { Amendment, User } from '../core/api';
import { anchorQuote, decodeAnchor, encodeAnchor, findSection, plainText, readAnchor, sectionRuns } from '../core/amendment-anchors';
import { amendmentKind, occurrenceAt } from '../core/amendment-text';
import { parseMarkdown, serializeMarkdown } from '../core/markdown';
import { CONTENT_FIELD, schema } from '../core/schema';
import { encodeBase64 } from '../core/tlog/base64';
import { resolveAmendments } from '../client/editor/amendment-decorations';
import { AmendmentService } from '../server/amendments/service';
import { Rooms } from '../server/collab/rooms';
import { DocumentService, liveNode } from '../server/documents/service';
import { initialState } from '../server/documents/state';
import { loadOrCreateLogKey } from '../server/transparency/key';
import { openSqliteStore } from '../server/store/sqlite';
import { median, mulberry32, quantile, round } from './stats';

type Figures = Record<string, number | string>;

const WORDS = 15_000;


/** A Markdown document of `words` words: sections of 20 paragraphs of 40-110 words. */
function syntheticMarkdown(words: number, seed = 7): string {
  const rand = mulberry32(seed);
  const syllables = 'pri va cy se cu ri ty de vi ce da ta con sent net work pol ic trans par en gov ern ance stake hold er'.split(' ');
  const stop = 'the of and to a in is that for it as with be on by this are or their an which from at not can should'.split(' ');
  const word = () => {
    if (rand() < 0.4) return stop[Math.floor(rand() * stop.length)]!;
    let w = '';
    for (let i = 0, n = 2 + Math.floor(rand() * 3); i < n; i++) w += syllables[Math.floor(rand() * syllables.length)];
    return w;
  };
  const out = ['# Synthetic paper', ''];
  let total = 0;
  for (let s = 1; total < words; s++) {
    out.push(`## Section ${s} {#s${s}}`, '');
    for (let p = 0; p < 20 && total < words; p++) {
      const n = Math.min(40 + Math.floor(rand() * 70), words - total);
      total += n;
      out.push(`${Array.from({ length: n }, word).join(' ')}.`, '');
    }
  }
  return out.join('\n');
}

interface Quote {
  section: string;
  quote: string;
  occurrence: number;
  text: Y.XmlText;
  index: number;
}

/** `count` quotes of 3-6 words at random places of the document, with their occurrence numbers. */
function randomQuotes(doc: Y.Doc, count: number, seed: number): Quote[] {
  const rand = mulberry32(seed);
  const sections = doc.getXmlFragment(CONTENT_FIELD).toArray() as Y.XmlElement[];
  const out: Quote[] = [];
  while (out.length < count) {
    const section = sections[Math.floor(rand() * sections.length)]!;
    const id = section.getAttribute('id') as string;
    const runs = sectionRuns(findSection(doc, id)!);
    const plain = runs.map(plainText);
    const r = 1 + Math.floor(rand() * (runs.length - 1)); // skip the heading
    const words = [...plain[r]!.matchAll(/\S+/g)];
    const n = 3 + Math.floor(rand() * 4);
    if (words.length <= n) continue;
    const first = Math.floor(rand() * (words.length - n));
    const start = words[first]!.index!;
    const last = words[first + n - 1]!;
    const quote = plain[r]!.slice(start, last.index! + last[0].length);
    out.push({ section: id, quote, occurrence: occurrenceAt(plain, quote, r, start)!, text: runs[r]!, index: start });
  }
  return out;
}

const user = (role: User['role'], n: number): User => ({
  id: `bench-${role}-${n}`,
  name: `Bench ${role} ${n}`,
  email: `${role}${n}@bench.example`,
  organization: `Org ${n}`,
  stakeholderGroup: 'civil-society',
  role,
});

/** Accepting through the service (the whole path but HTTP): anchor check, event + signed leaf + text change in one transaction. */
async function acceptTimes(): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'accord-bench-amend-'));
  const key = loadOrCreateLogKey(dir, 'bench.accord.example/log');
  const store = openSqliteStore(join(dir, 'accord.sqlite'), key.signCheckpoint);
  const rooms = new Rooms(store.updates, { compactEvery: 500, log: () => undefined });
  const documents = new DocumentService(store, rooms);
  const service = new AmendmentService(store, rooms, documents);
  const markdown = syntheticMarkdown(WORDS);
  await documents.create('bench', 'Synthetic paper', markdown);
  const chair = user('chair', 1);
  const accepts = 40;
  // Keep the room open, as it is while people are editing.
  const { room, release } = await rooms.acquire('bench');
  try {
    const quotes = randomQuotes(room.doc, 2 * (100 + accepts), 11);
    // Distinct places: drop quotes overlapping an earlier one.
    const taken: Quote[] = [];
    for (const q of quotes) {
      if (taken.length === 100 + accepts) break;
      if (taken.some((t) => t.text === q.text && q.index < t.index + t.quote.length && t.index < q.index + q.quote.length)) continue;
      taken.push(q);
    }
    const proposed: Amendment[] = [];
    for (const [i, q] of taken.entries()) {
      proposed.push(await service.propose('bench', { section: q.section, quote: q.quote, proposed: `${q.quote} (amended ${i})`, justification: 'Bench.', occurrence: q.occurrence }, user('stakeholder', i)));
    }
    const times: number[] = [];
    for (const a of proposed.slice(0, accepts)) {
      const t0 = performance.now();
      const result = await service.decide('bench', a.id, chair, 'accept', 'Bench.');
      times.push(performance.now() - t0);
      if (result.status !== 'accepted') throw new Error(`amendment ${a.number} not accepted`);
    }
    const open = (await service.list('bench')).filter((a) => a.status === 'open').length;
    const text = liveNode(room.doc).textContent;
    if (proposed.slice(0, accepts).some((a) => !text.includes(a.proposed))) throw new Error('an accepted proposal is missing from the text');
    const t0 = performance.now();
    await service.list('bench');
    const listMs = performance.now() - t0;

    // Naive baseline: find the quote by searching the whole text and rebuild the document from Markdown.
    const naive: number[] = [];
    for (const a of proposed.slice(accepts, accepts + 10)) {
      const t1 = performance.now();
      const node = liveNode(room.doc);
      const md = serializeMarkdown('Synthetic paper', node);
      const at = md.indexOf(a.quote);
      if (at === -1) throw new Error('baseline: quote not found');
      const next = md.slice(0, at) + a.proposed + md.slice(at + a.quote.length);
      initialState(parseMarkdown(next).doc);
      naive.push(performance.now() - t1);
    }
    return {
      'accept: open amendments during the run': `${open + accepts} → ${open}`,
      'accept: median ms (target <= 20)': round(median(times)),
      'accept: p95 ms': round(quantile(times, 0.95)),
      'accept baseline (search + rebuild from Markdown): median ms': round(median(naive)),
      [`list ${proposed.length} amendments with status (GET): ms`]: round(listMs),
    };
  } finally {
    release();
    await rooms.closeAll();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Resolving 1,000 anchors the way the panel and the inline redline do, against a naive re-search of every quote. */
function anchorResolution(): Figures {
  const ydoc = new Y.Doc();
  const fragment = ydoc.getXmlFragment(CONTENT_FIELD);
  prosemirrorToYXmlFragment(parseMarkdown(syntheticMarkdown(WORDS)).doc, fragment);
  const quotes = randomQuotes(ydoc, 1000, 23);
  const amendments = quotes.map((q, i): Amendment => {
    const anchor = encodeAnchor(anchorQuote(q.text, q.index, q.quote.length));
    return {
      id: `a${i}`,
      number: i + 1,
      document: 'bench',
      section: q.section,
      quote: q.quote,
      proposed: `${q.quote} amended`,
      justification: 'Bench.',
      occurrence: q.occurrence,
      kind: amendmentKind(q.quote, `${q.quote} amended`),
      status: 'open',
      currentText: q.quote,
      anchor: { start: encodeBase64(anchor.start), end: encodeBase64(anchor.end) },
      proposer: { id: 'u', name: 'U', organization: 'O', stakeholderGroup: 'academia' },
      supporters: [],
      comments: [],
      decision: null,
      withdrawal: null,
      logIndex: null,
      createdAt: new Date().toISOString(),
    };
  });
  // The editor's state as the browser has it: the ySync plugin with its Y type -> node mapping.
  const { doc, mapping } = initProseMirrorDoc(fragment, schema);
  const state = EditorState.create({ schema, doc, plugins: [ySyncPlugin(fragment, { mapping })] });

  const runs = 15;
  const client: number[] = [];
  let resolved = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    resolved = resolveAmendments(state, amendments).length;
    client.push(performance.now() - t0);
  }
  if (resolved !== amendments.length) throw new Error(`resolved ${resolved} of ${amendments.length}`);

  const server: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    for (const a of amendments) readAnchor(ydoc, decodeAnchor({ start: Buffer.from(a.anchor.start, 'base64'), end: Buffer.from(a.anchor.end, 'base64') }));
    server.push(performance.now() - t0);
  }

  // Naive: for every amendment, search its quote (the n-th occurrence) in the whole text and map the offset to a position.
  const naive: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    for (const a of amendments) {
      const blocks: { pos: number; text: string }[] = [];
      doc.descendants((node, pos) => {
        if (node.isTextblock) blocks.push({ pos: pos + 1, text: node.textContent });
        return !node.isTextblock;
      });
      let seen = 0;
      let found = -1;
      for (const b of blocks) {
        for (let i = b.text.indexOf(a.quote); i !== -1 && found === -1; i = b.text.indexOf(a.quote, i + 1)) if (++seen === a.occurrence) found = b.pos + i;
        if (found !== -1) break;
      }
      if (found === -1) throw new Error('baseline: quote not found');
    }
    naive.push(performance.now() - t0);
  }
  return {
    'anchors: 1,000 resolved to editor positions + text check, median ms (target <= 50)': round(median(client)),
    'anchors: 1,000 resolved on the server (list status), median ms': round(median(server)),
    'anchors baseline (re-search each quote in the whole document): median ms': round(median(naive)),
  };
}

export async function benchAmendments(): Promise<Figures> {
  return { 'document words': WORDS, ...(await acceptTimes()), ...anchorResolution() };
}
