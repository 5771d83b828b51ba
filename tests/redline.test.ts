import { diffArrays } from 'diff';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../core/markdown';
import { blockText, redline, sectionText, splitTokens, splitWords, type Redline, type RedlineOp } from '../core/redline/index';
import { myers } from '../core/redline/myers';
import { docFromJSON, type PMJSON } from '../core/schema';
import { anyEdit, applyEdits, modelDoc, proseDoc, proseEdit, sectionWords, toPM, type ModelDoc } from './redline-fixtures';

function md(markdown: string): PMJSON {
  return parseMarkdown(markdown).doc.toJSON() as PMJSON;
}

function diffMd(a: string, b: string): Redline {
  return redline({ ref: 1, title: 'A', doc: md(a) }, { ref: 2, title: 'B', doc: md(b) });
}

const opsOf = (r: Redline, id: string) => r.sections.find((s) => s.id === id)!.blocks.flatMap((b) => b.ops);
const show = (ops: readonly RedlineOp[]) =>
  ops.map((o) => (o.op === 'equal' ? o.text : o.op === 'insert' ? `[+${o.text}]` : `[-${o.text}]`)).join('');

/**
 * Words of the ops of a section, as the contract's property reads them: the
 * texts of a block's ops concatenated in order (an op may end inside a word,
 * at punctuation: `outset[-.][+,]`), blocks apart, except where a split or
 * merge put the two halves of one paragraph of this side in two blocks.
 */
function opWords(r: Redline, id: string, side: 'from' | 'to'): string[] {
  const skip = side === 'from' ? 'insert' : 'delete';
  let text = '';
  let join = false;
  for (const b of r.sections.find((s) => s.id === id)!.blocks) {
    text += (join ? '' : ' ') + b.ops.filter((o) => o.op !== skip).map((o) => o.text).join('');
    join = b.paragraphBreak === (side === 'from' ? 'inserted' : 'deleted');
  }
  return splitWords(text);
}

const EDGE = /[\p{P}\p{S}]/u;

function checkWordProperty(from: PMJSON, to: PMJSON, r: Redline): void {
  const fromWords = sectionWords(from);
  const toWords = sectionWords(to);
  for (const section of r.sections) {
    expect(opWords(r, section.id, 'from')).toEqual(fromWords.get(section.id) ?? []);
    expect(opWords(r, section.id, 'to')).toEqual(toWords.get(section.id) ?? []);
    // An op boundary inside a word is always at punctuation, never between two letters.
    for (const block of section.blocks) {
      for (const skip of ['insert', 'delete']) {
        const ops = block.ops.filter((o) => o.op !== skip);
        for (let k = 1; k < ops.length; k++) {
          const a = ops[k - 1]!.text.slice(-1);
          const z = ops[k]!.text.slice(0, 1);
          if (a && z && /\S/.test(a) && /\S/.test(z)) expect(EDGE.test(a) || EDGE.test(z), `${ops[k - 1]!.text}|${ops[k]!.text}`).toBe(true);
        }
      }
    }
  }
  for (const id of fromWords.keys()) expect(r.sections.some((s) => s.id === id)).toBe(true);
  for (const id of toWords.keys()) expect(r.sections.some((s) => s.id === id)).toBe(true);
}

const DOC = `# Paper

## Introduction {#intro}

The coalition was formed at the 2008 forum in Hyderabad.

Its purpose is to build a shared understanding of good practice.

The paper is open to comment from anyone.

## Privacy {#privacy}

Personal data must be protected by default.

Users should not have to take any action to protect their data.

## Security {#security}

Devices must be secure by design.
`;

describe('redline: sections', () => {
  it('a version compared with itself has no changes', () => {
    const r = diffMd(DOC, DOC);
    expect(r.sections.map((s) => s.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(r.stats.wordsInserted + r.stats.wordsDeleted + r.stats.wordsMoved + r.stats.formatChanges).toBe(0);
    expect(r.sections.flatMap((s) => s.blocks).every((b) => b.status === 'unchanged' && b.ops.every((o) => o.op === 'equal'))).toBe(true);
    expect(r.from).toBe(1);
    expect(r.to).toBe(2);
  });

  it('reports added, removed and moved sections', () => {
    const b = DOC.replace(/## Security[\s\S]*$/, '').replace('## Introduction', '## Privacy {#privacy}\n\nPersonal data must be protected by default.\n\nUsers should not have to take any action to protect their data.\n\n## Introduction')
      .replace(/## Privacy \{#privacy\}\n\nPersonal data must be protected by default.\n\nUsers should not have to take any action to protect their data.\n\n$/, '') + '\n## Access {#access}\n\nEveryone can read it.\n';
    const r = diffMd(DOC, b);
    const status = Object.fromEntries(r.sections.map((s) => [s.id, s.status]));
    expect(status).toEqual({ privacy: 'unchanged', intro: 'moved', security: 'removed', access: 'added' });
    // Moved section: order changed, content not.
    const intro = r.sections.find((s) => s.id === 'intro')!;
    expect(intro.changed).toBe(false);
    expect([intro.fromIndex, intro.toIndex]).toEqual([0, 1]);
    expect(opsOf(r, 'security').every((o) => o.op === 'delete')).toBe(true);
    expect(opsOf(r, 'access').every((o) => o.op === 'insert')).toBe(true);
    expect(r.stats.sectionsAdded).toBe(1);
    expect(r.stats.sectionsRemoved).toBe(1);
    expect(r.stats.sectionsMoved).toBe(1);
  });

  it('keeps a removed section next to its old neighbour and reports a renamed title', () => {
    const r = diffMd(DOC, DOC.replace(/## Privacy[\s\S]*?## Security/, '## Security').replace('## Introduction {#intro}', '## Scope and purpose {#intro}'));
    expect(r.sections.map((s) => `${s.id}:${s.status}`)).toEqual(['intro:changed', 'privacy:removed', 'security:unchanged']);
    const intro = r.sections[0]!;
    expect(intro.title).toBe('Scope and purpose');
    expect(intro.fromTitle).toBe('Introduction');
    expect(intro.blocks[0]!.sectionHeading).toBe(true);
    expect(show(intro.blocks[0]!.ops)).toBe('[-Introduction][+Scope and purpose]');
  });
});

describe('redline: blocks', () => {
  it('an inserted paragraph does not smear changes over its neighbours', () => {
    const b = DOC.replace('Its purpose', 'A new paragraph about the coalition and the forum.\n\nIts purpose');
    const r = diffMd(DOC, b);
    const blocks = r.sections[0]!.blocks;
    expect(blocks.map((x) => x.status)).toEqual(['unchanged', 'unchanged', 'inserted', 'unchanged', 'unchanged']);
    expect(r.stats.wordsInserted).toBe(9);
    expect(r.stats.wordsDeleted).toBe(0);
  });

  it('a deleted paragraph next to an edited one stays a deletion', () => {
    const b = DOC.replace('The coalition was formed at the 2008 forum in Hyderabad.\n\n', '').replace('build a shared', 'build a common');
    const r = diffMd(DOC, b);
    const blocks = r.sections[0]!.blocks;
    expect(blocks.map((x) => x.status)).toEqual(['unchanged', 'deleted', 'changed', 'unchanged']);
    expect(show(blocks[2]!.ops)).toBe('Its purpose is to build a [-shared][+common] understanding of good practice.');
  });

  it('a moved paragraph is reported as moved, not as a delete plus an insert', () => {
    const b = DOC.replace('The coalition was formed at the 2008 forum in Hyderabad.\n\n', '').replace('from anyone.', 'from anyone.\n\nThe coalition was formed at the 2008 forum in Hyderabad.');
    const r = diffMd(DOC, b);
    const blocks = r.sections[0]!.blocks;
    const from = blocks.find((x) => x.status === 'moved-from')!;
    const to = blocks.find((x) => x.status === 'moved-to')!;
    expect(from.moveId).toBe('m1');
    expect(to.moveId).toBe('m1');
    expect(from.ops.every((o) => o.op === 'delete' && o.moveId === 'm1')).toBe(true);
    expect(to.ops.every((o) => o.op === 'insert' && o.moveId === 'm1')).toBe(true);
    expect(r.stats.wordsMoved).toBe(10);
    expect(r.stats.wordsInserted + r.stats.wordsDeleted).toBe(0);
    expect(r.stats.blocksMoved).toBe(1);
  });

  it('detects a paragraph moved to another section, edited on the way', () => {
    const b = DOC.replace('The paper is open to comment from anyone.\n\n', '').replace('secure by design.', 'secure by design.\n\nThe paper is open to comments from anyone.');
    const r = diffMd(DOC, b);
    const from = r.sections[0]!.blocks.find((x) => x.status === 'moved-from')!;
    const to = r.sections[2]!.blocks.find((x) => x.status === 'moved-to')!;
    expect(from.moveSection).toBe('security');
    expect(to.moveSection).toBe('intro');
    expect(show(to.moveOps!)).toBe('The paper is open to [-comment][+comments] from anyone.');
    expect(r.sections[0]!.status).toBe('changed');
  });

  it('reports formatting-only changes and block kind changes', () => {
    const b = DOC.replace('must be protected', 'must be **protected**').replace('Devices must be secure by design.', '- Devices must be secure by design.');
    const r = diffMd(DOC, b);
    const privacy = r.sections[1]!;
    const changed = privacy.blocks[1]!;
    expect(changed.status).toBe('changed');
    expect(changed.formatChanges).toBe(1);
    const op = changed.ops.find((o) => o.fromRuns)!;
    expect(op.op).toBe('equal');
    expect(op.runs!.some((run) => run.marks.some((m) => m.type === 'strong'))).toBe(true);
    expect(changed.ops.every((o) => o.op === 'equal')).toBe(true);
    const security = r.sections[2]!.blocks[1]!;
    expect(security.type).toBe('list_item');
    expect(security.shapeFrom?.type).toBe('paragraph');
    expect(r.stats.formatChanges).toBe(2);
    expect(r.stats.wordsInserted + r.stats.wordsDeleted).toBe(0);
  });

  it('handles lists, quotes and subheadings as blocks', () => {
    const a = '## One {#one}\n\n### Sub\n\n- first item\n- second item\n\n> quoted text\n\n1. alpha\n2. beta\n';
    const b = '## One {#one}\n\n### Sub\n\n- first item\n- new item\n- second item\n\n> quoted words\n\n1. alpha\n2. beta\n';
    const r = diffMd(a, b);
    const blocks = r.sections[0]!.blocks;
    expect(blocks.map((x) => `${x.type}:${x.status}`)).toEqual([
      'heading:unchanged', 'heading:unchanged', 'list_item:unchanged', 'list_item:inserted', 'list_item:unchanged', 'paragraph:changed', 'list_item:unchanged', 'list_item:unchanged',
    ]);
    expect(blocks[5]!.quote).toBe(1);
    expect(blocks[7]!.list).toBe('ordered');
    expect(blocks[7]!.number).toBe(2);
  });
});

describe('redline: words', () => {
  it('marks a hard break turned into a space (whitespace only, but a reader sees the line break)', () => {
    const r = diffMd('## A {#a}\n\nSecurity is built in\\\nfrom the outset.\n', '## A {#a}\n\nSecurity is built in from the outset.\n');
    expect(show(opsOf(r, 'a').slice(1))).toBe('Security is built in[-\n][+ ]from the outset.');
    expect(r.sections[0]!.blocks[1]!.status).toBe('changed');
    expect(r.stats.wordsInserted + r.stats.wordsDeleted).toBe(0);
  });

  it('marks changed punctuation alone, and keeps whitespace outside changes', () => {
    const r = diffMd('## A {#a}\n\nThe policy, as drafted, is fine.\n', '## A {#a}\n\nThe policy; as amended, is fine.\n');
    expect(show(opsOf(r, 'a').slice(1))).toBe('The policy[-,][+;] as [-drafted][+amended], is fine.');
    const outset = diffMd('## A {#a}\n\nFrom the outset.\n', '## A {#a}\n\nFrom the outset, always.\n');
    expect(show(opsOf(outset, 'a').slice(1))).toBe('From the outset[+, always].');
    const comma = diffMd('## A {#a}\n\nSecure from the outset. Then\n', '## A {#a}\n\nSecure from the outset, then\n');
    expect(comma.stats.wordsDeleted).toBe(2);
    expect(show(opsOf(comma, 'a').slice(1))).toBe('Secure from the outset[-. Then][+, then]');
    // Punctuation inside a word stays in it.
    expect(show(opsOf(diffMd('## A {#a}\n\nUse TLS 1.3 (e.g. here).\n', '## A {#a}\n\nUse TLS 1.2 (e.g. here).\n'), 'a').slice(1))).toBe('Use TLS [-1.3][+1.2] (e.g. here).');
  });

  it('deletes and inserts at the ends of a paragraph without gluing words', () => {
    const r = diffMd('## A {#a}\n\nThe fox jumps\n', '## A {#a}\n\nA quick fox\n');
    const ops = opsOf(r, 'a').slice(1);
    expect(show(ops)).toBe('[-The][+A quick] fox[- jumps]');
    const end = opsOf(diffMd('## A {#a}\n\nThe fox\n', '## A {#a}\n\nThe fox jumps\n'), 'a').slice(1);
    expect(show(end)).toBe('The fox[+ jumps]');
    expect(splitWords(ops.filter((o) => o.op !== 'insert').map((o) => o.text).join(''))).toEqual(['The', 'fox', 'jumps']);
  });

  it('does not leave a single "the" standing between two changed runs', () => {
    const a = [
      'Manufacturers of connected devices should protect the privacy of their customers. Security updates are provided for five years after sale.',
      'Labels explain what data is collected.',
      'Users can switch off data collection at any time.',
    ];
    const b = [
      'Vendors of smart products must respect the rights of their customers. Security updates are provided for ten years after the last sale.',
      'Clear and honest labels explain which personal data is collected, by whom, and why.',
      'People are able to turn off every kind of data gathering whenever they want.',
    ];
    const doc = (ps: string[]) => `## A {#a}\n\n${ps.join('\n\n')}\n`;
    const r = diffMd(doc(a), doc(b));
    expect(show(r.sections[0]!.blocks[1]!.ops)).toBe(
      '[-Manufacturers of connected devices should protect the privacy][+Vendors of smart products must respect the rights] of their customers. Security updates are provided for [-five][+ten] years after [+the last ]sale.',
    );
    const raw = redline({ ref: 1, title: '', doc: md(doc(a)) }, { ref: 2, title: '', doc: md(doc(b)) }, { cleanup: false });
    expect(show(raw.sections[0]!.blocks[1]!.ops)).toContain('] the [-privacy][+rights] of');
    // The clean-up stays within 1.1x of the minimal diff.
    const marked = (x: Redline) => x.stats.wordsInserted + x.stats.wordsDeleted;
    expect(marked(r)).toBeLessThanOrEqual(1.1 * marked(raw));
  });

  it('equal and delete texts rebuild the old block exactly, equal and insert the new', () => {
    const a = 'Its  purpose is to build a shared, global understanding among all stakeholders of good practice.';
    const b = 'Its purpose is to develop a shared understanding, among all the stakeholders, of good practice today.';
    const r = diffMd(`## A {#a}\n\n${a}\n`, `## A {#a}\n\n${b}\n`);
    const block = r.sections[0]!.blocks[1]!;
    expect(blockText(block, 'to')).toBe(b);
    expect(splitWords(blockText(block, 'from'))).toEqual(splitWords(a));
    expect(sectionText(r.sections[0]!, 'to')).toBe(`A\n${b}`);
  });

  it('rebuilds both texts of a paragraph with hundreds of changes, spacing and punctuation changed among them', () => {
    // More runs than segmentsToOps' reused array first holds (it grows), one change every other word.
    const words = Array.from({ length: 400 }, (_, i) => `w${i}`);
    const a = words.join(' ');
    const b = words.map((w, i) => (i % 2 ? w : i % 6 === 0 ? `${w},` : i % 6 === 2 ? `x${i}` : `${w} `)).join(' ');
    const doc = (text: string): PMJSON => ({ type: 'doc', content: [{ type: 'section', attrs: { id: 'a' }, content: [{ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'A' }] }, { type: 'paragraph', content: [{ type: 'text', text }] }] }] });
    for (const cleanup of [true, false]) {
      const r = redline({ ref: 1, title: '', doc: doc(a) }, { ref: 2, title: '', doc: doc(b) }, { cleanup });
      const block = r.sections[0]!.blocks[1]!;
      expect(blockText(block, 'from')).toBe(a);
      expect(blockText(block, 'to')).toBe(b);
      if (!cleanup) expect(block.ops.filter((o) => o.op !== 'equal').length).toBeGreaterThan(200);
    }
  });

  it('compares the real meeting drafts sensibly', async () => {
    const { readFileSync } = await import('node:fs');
    const a = md(readFileSync('documents/drafts/02-usa-igf-2018-washington.md', 'utf8'));
    const b = md(readFileSync('documents/drafts/03-igf-2018-paris-draft.md', 'utf8'));
    const r = redline({ ref: 2, title: '', doc: a }, { ref: 3, title: '', doc: b });
    checkWordProperty(a, b, r);
    expect(r.stats.wordsInserted).toBeGreaterThan(0);
  });
});

describe('redline: sections renamed without ids', () => {
  it('matches a renamed section by its content when its id is only the heading slug', () => {
    const body = 'Personal data must be protected by default.\n\nUsers choose what is shared.';
    const r = diffMd(`## Privacy\n\n${body}\n\n## Security\n\nSecure by design.\n`, `## Data protection\n\n${body}\n\n## Security\n\nSecure by design.\n`);
    expect(r.sections.map((s) => `${s.id}:${s.status}`)).toEqual(['data-protection:changed', 'security:unchanged']);
    expect(r.sections[0]!.fromTitle).toBe('Privacy');
    expect(r.sections[0]!.blocks.map((b) => b.status)).toEqual(['changed', 'unchanged', 'unchanged']);
    expect(r.stats.wordsInserted + r.stats.wordsDeleted).toBe(3);
  });

  it('keeps explicit ids apart: a section with another {#id} is another section', () => {
    const body = 'Personal data must be protected by default.';
    const r = diffMd(`## Privacy {#privacy}\n\n${body}\n`, `## Data protection {#data}\n\n${body}\n`);
    expect(r.sections.map((s) => s.status)).toEqual(['removed', 'added']);
  });
});

describe('redline: paragraph splits and merges', () => {
  const one = 'Personal data must be protected by default and users should never have to act. Makers publish how long they keep the data and why they keep it.';
  const first = 'Personal data must be protected by default and users should never have to act.';
  const second = 'Makers publish how long they keep the data and why they keep it.';

  it('a split with a two-word edit marks the edit and an inserted paragraph break, not the halves retyped', () => {
    const r = diffMd(`## A {#a}\n\n${one}\n`, `## A {#a}\n\n${first.replace('default', 'design')}\n\n${second}\n`);
    expect(r.stats.wordsInserted + r.stats.wordsDeleted).toBe(2);
    const blocks = r.sections[0]!.blocks;
    expect(blocks[1]!.paragraphBreak).toBe('inserted');
    expect(show(blocks[1]!.ops)).toBe('Personal data must be protected by [-default][+design] and users should never have to act.[- ]');
    expect(show(blocks[2]!.ops)).toBe(second);
    expect(sectionText(r.sections[0]!, 'from')).toBe(`A\n${one}`);
    expect(sectionText(r.sections[0]!, 'to')).toBe(`A\n${first.replace('default', 'design')}\n${second}`);
  });

  it('merging two unchanged paragraphs marks no word, only the deleted paragraph break', () => {
    const r = diffMd(`## A {#a}\n\n${first}\n\n${second}\n`, `## A {#a}\n\n${one}\n`);
    expect(r.stats.wordsInserted + r.stats.wordsDeleted).toBe(0);
    const blocks = r.sections[0]!.blocks;
    expect(blocks[1]!.paragraphBreak).toBe('deleted');
    expect(show(blocks[1]!.ops)).toBe(`${first}[+ ]`);
    expect(sectionText(r.sections[0]!, 'to')).toBe(`A\n${one}`);
    expect(sectionText(r.sections[0]!, 'from')).toBe(`A\n${first}\n${second}`);
  });

  it('a new paragraph after an edited one is not taken for a split', () => {
    const r = diffMd(`## A {#a}\n\n${first}\n`, `## A {#a}\n\n${first.replace('.', ';')}\n\nAffordability, so that good practice does not exclude anyone.\n`);
    expect(r.sections[0]!.blocks.map((b) => b.status)).toEqual(['unchanged', 'changed', 'inserted']);
  });
});

describe('redline: the word diff', () => {
  it('is as small as the diff package\'s Myers (both minimal)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 60 }), fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 60 }), (a, b) => {
        const ours = myers(a.length, b.length, (i, j) => a[i] === b[j])!;
        const theirs = diffArrays(a, b).reduce((n, c) => n + (c.added || c.removed ? c.count : 0), 0);
        expect(ours.reduce((n, s) => n + (s.eq ? 0 : s.o1 - s.o0 + s.n1 - s.n0), 0)).toBe(theirs);
        // The segments cover both sequences, in order, and equal runs really are equal.
        let o = 0;
        let n = 0;
        for (const seg of ours) {
          expect([seg.o0, seg.n0]).toEqual([o, n]);
          if (seg.eq) for (let k = 0; k < seg.o1 - seg.o0; k++) expect(a[seg.o0 + k]).toBe(b[seg.n0 + k]);
          o = seg.o1;
          n = seg.n1;
        }
        expect([o, n]).toEqual([a.length, b.length]);
      }),
      { numRuns: 500 },
    );
  });

  it('never takes two different words for one when their hashes collide', () => {
    const fnv = (w: string) => {
      let h = 0x811c9dc5 | 0;
      for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 16777619);
      return h;
    };
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      const w = `w${i.toString(36)}`;
      const other = seen.get(fnv(w));
      if (other) pair = [other, w];
      else seen.set(fnv(w), w);
    }
    const [x, y] = pair;
    const r = diffMd(`## A {#a}\n\nalpha ${x} omega\n`, `## A {#a}\n\nalpha ${y} omega\n`);
    expect(show(opsOf(r, 'a').slice(1))).toBe(`alpha [-${x}][+${y}] omega`);
  });

  it('handles long, very different paragraphs (the diff package\'s fallback)', () => {
    const words = (seed: number, n: number) => Array.from({ length: n }, (_, i) => `w${(i * seed) % 997}`).join(' ');
    const a = words(7, 700);
    const b = words(13, 700);
    const r = diffMd(`## A {#a}\n\n${a}\n`, `## A {#a}\n\n${b}\n`);
    expect(splitWords(blockText(r.sections[0]!.blocks[1]!, 'from'))).toEqual(splitWords(a));
    expect(splitWords(blockText(r.sections[0]!.blocks[1]!, 'to'))).toEqual(splitWords(b));
  });

  it('aligns long sections on unique paragraphs', () => {
    const paragraphs = Array.from({ length: 150 }, (_, i) => `Paragraph ${i} says something about topic ${i * 7} and more.`);
    const edited = [...paragraphs];
    edited[10] = edited[10]!.replace('something', 'anything');
    edited.splice(40, 1);
    edited.splice(90, 0, 'A brand new paragraph.');
    edited[120] = edited[120]!.replace('and more', 'and much more');
    const doc = (ps: string[]) => `## A {#a}\n\n${ps.join('\n\n')}\n`;
    const r = diffMd(doc(paragraphs), doc(edited));
    const count = (status: string) => r.sections[0]!.blocks.filter((b) => b.status === status).length;
    expect([count('changed'), count('deleted'), count('inserted'), count('unchanged')]).toEqual([2, 1, 1, 1 + 150 - 3]);
    expect(r.stats.wordsInserted).toBe(1 + 4 + 1);
  });
});

describe('redline: properties (fast-check)', () => {
  it('equal+delete words are the old text and equal+insert words the new, for every section', () => {
    fc.assert(
      fc.property(modelDoc, fc.array(anyEdit, { maxLength: 12 }), (doc, edits) => {
        const from = toPM(doc);
        const to = toPM(applyEdits(doc, edits));
        docFromJSON(from);
        docFromJSON(to);
        checkWordProperty(from, to, redline({ ref: 1, title: '', doc: from }, { ref: 2, title: '', doc: to }));
      }),
      { numRuns: 300 },
    );
  });

  it('a version compared with itself has no changes', () => {
    fc.assert(
      fc.property(modelDoc, (doc) => {
        const pm = toPM(doc);
        const r = redline({ ref: 1, title: '', doc: pm }, { ref: 1, title: '', doc: structuredClone(pm) });
        expect(r.sections.every((s) => s.status === 'unchanged')).toBe(true);
        expect(r.sections.flatMap((s) => s.blocks.flatMap((b) => b.ops)).every((o) => o.op === 'equal' && !o.fromRuns)).toBe(true);
        expect(r.stats.wordsInserted + r.stats.wordsDeleted + r.stats.wordsMoved + r.stats.formatChanges).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('a moved paragraph is reported as moved', () => {
    const uniqueParagraphs = fc.uniqueArray(fc.array(fc.constantFrom('alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'), { minLength: 3, maxLength: 12 }), {
      minLength: 3,
      maxLength: 8,
      selector: (ws) => ws.join(' '),
    });
    fc.assert(
      fc.property(uniqueParagraphs, fc.nat(), fc.nat(), (paragraphs, fromPos, toPos) => {
        const doc: ModelDoc = { title: '', sections: [{ id: 'a', heading: [{ w: 'Head', marks: [] }], blocks: paragraphs.map((ws) => ({ kind: 'p', words: ws.map((w) => ({ w, marks: [] })) })) }] };
        const f = fromPos % paragraphs.length;
        let t = toPos % paragraphs.length;
        if (t === f) t = (f + 2) % paragraphs.length;
        if (t === f) return;
        const moved = applyEdits(doc, [{ t: 'moveBlock', s: 0, b: f, to: t, s2: 0 }]);
        const r = redline({ ref: 1, title: '', doc: toPM(doc) }, { ref: 2, title: '', doc: toPM(moved) });
        const blocks = r.sections[0]!.blocks;
        const froms = blocks.filter((b) => b.status === 'moved-from');
        const tos = blocks.filter((b) => b.status === 'moved-to');
        expect(froms.length).toBeGreaterThanOrEqual(1);
        expect(froms.length).toBe(tos.length);
        expect(new Set(froms.map((b) => b.moveId))).toEqual(new Set(tos.map((b) => b.moveId)));
        expect(blocks.every((b) => b.status === 'unchanged' || b.status === 'moved-from' || b.status === 'moved-to')).toBe(true);
        expect(r.stats.wordsInserted + r.stats.wordsDeleted).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('marks no more than 1.1x the tokens (words and punctuation) a token-level LCS over the section marks', () => {
    // Over the section's words, a minimal diff may match a word at the end of
    // one paragraph with the same word at the start of the next; a redline that
    // keeps paragraphs apart cannot. Such sections (rare) are held to 1.1x of
    // the minimal paragraph-respecting diff instead, and counted.
    let ours = 0;
    let lcs = 0;
    let sections = 0;
    let crossParagraph = 0;
    fc.assert(
      fc.property(proseDoc, fc.array(proseEdit, { minLength: 1, maxLength: 25 }), (doc, edits) => {
        const from = toPM(doc);
        const to = toPM(applyEdits(doc, edits));
        const r = redline({ ref: 1, title: '', doc: from }, { ref: 2, title: '', doc: to });
        const raw = redline({ ref: 1, title: '', doc: from }, { ref: 2, title: '', doc: to }, { cleanup: false });
        const fromWords = sectionWords(from);
        const toWords = sectionWords(to);
        const markedIn = (x: Redline, id: string) =>
          x.sections.find((s) => s.id === id)!.blocks.flatMap((b) => b.ops).reduce((n, o) => n + (o.op === 'equal' ? 0 : splitTokens(o.text).length), 0);
        for (const s of r.sections) {
          const marked = markedIn(r, s.id);
          const minimal = diffArrays((fromWords.get(s.id) ?? []).flatMap(splitTokens), (toWords.get(s.id) ?? []).flatMap(splitTokens)).reduce((n, c) => n + (c.added || c.removed ? c.count : 0), 0);
          const paragraphMinimal = markedIn(raw, s.id);
          if (paragraphMinimal > minimal) crossParagraph++;
          expect(marked).toBeLessThanOrEqual(Math.floor(1.1 * Math.max(minimal, paragraphMinimal)));
          ours += marked;
          lcs += minimal;
          sections++;
        }
      }),
      { numRuns: 400 },
    );
    expect(ours).toBeLessThanOrEqual(1.1 * lcs);
    expect(crossParagraph).toBeLessThanOrEqual(Math.ceil(sections / 100));
  });
});
