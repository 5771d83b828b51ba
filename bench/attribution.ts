// Attribution figures (issue "Who wrote what"): who wrote each run of the
// 15,000-word document, written by 200 authors in 3,000 edits scattered
// through it (so its text is thousands of Yjs items), target <= 50 ms; beside
// it, in the same run, Yjs's own way (each Y.XmlText's toDelta against an
// empty snapshot with a computeYChange callback, as y-prosemirror's snapshot
// views attribute text) as the naive baseline.
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import type { StakeholderGroup } from '../core/api';
import { STAKEHOLDER_GROUPS } from '../core/api';
import { attribute, attributeState, clientRuns, type ClientAuthorship } from '../core/attribution';
import { parseMarkdown } from '../core/markdown';
import { CONTENT_FIELD } from '../core/schema';
import { initialState } from '../server/documents/state';
import { median, mulberry32, round } from './stats';
import { syntheticPaper } from './paper-fixture';

type Figures = Record<string, number | string>;

const WORDS = 15_000;
const AUTHORS = 200;
const EDITS = 3_000;

/** Every Y.XmlText of the document, in order. */
function texts(fragment: Y.XmlFragment): Y.XmlText[] {
  const out: Y.XmlText[] = [];
  const walk = (el: Y.XmlFragment | Y.XmlElement): void => {
    for (const child of el.toArray()) {
      if (child instanceof Y.XmlText) out.push(child);
      else if (child instanceof Y.XmlElement) walk(child);
    }
  };
  walk(fragment);
  return out;
}

/** The document as 200 authors left it: the imported text, then 3,000 edits (inserts of 1-8 words, some deletions) by one of 200 clients each. */
function writtenDocument(): { doc: Y.Doc; owners: Map<number, ClientAuthorship> } {
  const { doc: pm } = parseMarkdown(syntheticPaper(WORDS));
  const doc = new Y.Doc({ gc: false });
  Y.applyUpdate(doc, initialState(pm));
  const rand = mulberry32(11);
  const owners = new Map<number, ClientAuthorship>();
  const clients: number[] = [];
  for (let a = 0; a < AUTHORS; a++) {
    const client = 1000 + a;
    clients.push(client);
    const group: StakeholderGroup = STAKEHOLDER_GROUPS[a % STAKEHOLDER_GROUPS.length]!;
    owners.set(client, { author: { id: `u${a}`, name: `Author ${a}`, organization: `Organisation ${a % 40}`, stakeholderGroup: group }, at: '2026-01-01T00:00:00.000Z' });
  }
  const all = texts(doc.getXmlFragment(CONTENT_FIELD));
  const original = doc.clientID;
  for (let e = 0; e < EDITS; e++) {
    doc.clientID = clients[Math.floor(rand() * clients.length)]!;
    const t = all[Math.floor(rand() * all.length)]!;
    const at = Math.floor(rand() * (t.length + 1));
    if (rand() < 0.15 && t.length > 20) t.delete(Math.min(at, t.length - 10), 1 + Math.floor(rand() * 8));
    else t.insert(at, ` ${Array.from({ length: 1 + Math.floor(rand() * 8) }, () => `w${Math.floor(rand() * 1000)}`).join(' ')} `);
  }
  doc.clientID = original;
  return { doc, owners };
}

/** Yjs's own attribution: toDelta of every text against an empty snapshot, each insert's ychange naming the item's client. */
function naive(doc: Y.Doc, owners: Map<number, ClientAuthorship>): number {
  const now = Y.snapshot(doc);
  const empty = Y.emptySnapshot;
  let runs = 0;
  for (const t of texts(doc.getXmlFragment(CONTENT_FIELD))) {
    const delta = t.toDelta(now, empty, (_type: 'added' | 'removed', id: Y.ID) => ({ user: owners.get(id.client)?.author.id ?? null })) as { insert: unknown }[];
    runs += delta.length;
  }
  return runs;
}

function timeIt(fn: () => unknown, runs: number): number {
  for (let i = 0; i < 3; i++) fn(); // warm up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

export async function benchAttribution(): Promise<Figures> {
  const { doc, owners } = writtenDocument();
  const fragment = doc.getXmlFragment(CONTENT_FIELD);
  const state = Y.encodeStateAsUpdate(doc);
  const live = attribute(clientRuns(fragment), owners);
  const runs = live.sections.reduce((n, s) => n + s.runs.length, 0);
  const words = Object.values(live.shares.byGroup).reduce((a, b) => a + b, 0);
  const liveMs = timeIt(() => attribute(clientRuns(fragment), owners), 20);
  const versionMs = timeIt(() => attributeState(state, owners), 10);
  const naiveMs = timeIt(() => naive(doc, owners), 5);
  doc.destroy();
  return {
    'document: words / authors / runs by author': `${WORDS} / ${AUTHORS} / ${runs} (${words} words attributed)`,
    'attribution of the live text (runs per section, authors, shares by group and organisation), median ms (target <= 50)': round(liveMs),
    'attribution of a version from its stored Yjs state (decode included), median ms': round(versionMs),
    "baseline: Yjs's toDelta with computeYChange over every text, median ms": round(naiveMs),
  };
}
