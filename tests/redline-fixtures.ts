// Random documents and edits for the redline tests (fast-check), built as a
// small model and turned into ProseMirror JSON per core/schema.ts.
import fc from 'fast-check';
import type { PMJSON } from '../core/schema';

export interface ModelWord {
  w: string;
  marks: ('em' | 'strong' | 'link')[];
}
export type BlockKind = 'p' | 'h3' | 'bullet' | 'ordered' | 'quote';
export interface ModelBlock {
  kind: BlockKind;
  words: ModelWord[];
}
export interface ModelSection {
  id: string;
  heading: ModelWord[];
  blocks: ModelBlock[];
}
export interface ModelDoc {
  title: string;
  sections: ModelSection[];
}

export const VOCABULARY = [
  'the', 'of', 'and', 'a', 'to', 'in', 'is', 'for', 'that', 'by', 'with', 'on',
  'policy', 'data', 'privacy', 'security', 'users', 'devices', 'must', 'should',
  'be', 'protected', 'default', 'transparency', 'IoT', 'good', 'practice',
  'stakeholders', 'network', 'consent', 'risk', 'control', 'choice', 'affordable',
  '(DC)', '"shared"', 'end.', 'life-cycle,', 'rights;', 'e.g.', 'Article 5', '—', 'über', '10%',
];

const word = fc.record({
  w: fc.constantFrom(...VOCABULARY),
  marks: fc.oneof(
    { weight: 8, arbitrary: fc.constant([] as ModelWord['marks']) },
    { weight: 1, arbitrary: fc.subarray(['em', 'strong', 'link'] as ModelWord['marks']) },
  ),
});

const block = fc.record({
  kind: fc.oneof(
    { weight: 6, arbitrary: fc.constant<BlockKind>('p') },
    { weight: 1, arbitrary: fc.constantFrom<BlockKind>('h3', 'bullet', 'ordered', 'quote') },
  ),
  words: fc.array(word, { minLength: 0, maxLength: 30 }),
});

export const modelDoc: fc.Arbitrary<ModelDoc> = fc
  .array(
    fc.record({
      heading: fc.array(word, { minLength: 1, maxLength: 4 }),
      blocks: fc.array(block, { minLength: 0, maxLength: 7 }),
    }),
    { minLength: 1, maxLength: 5 },
  )
  .map((sections) => ({ title: 'Random', sections: sections.map((s, i) => ({ id: `s${i + 1}`, ...s })) }));

export type Edit =
  | { t: 'replace' | 'insert' | 'delete'; s: number; b: number; p: number; w: string; n: number }
  | { t: 'toggle'; s: number; b: number; p: number }
  | { t: 'addBlock' | 'dropBlock'; s: number; b: number; words: string[] }
  | { t: 'moveBlock'; s: number; b: number; to: number; s2: number }
  | { t: 'moveSection' | 'dropSection' | 'addSection'; s: number; to: number }
  | { t: 'kind'; s: number; b: number; kind: BlockKind };

export const wordEdit: fc.Arbitrary<Edit> = fc.record({
  t: fc.constantFrom('replace' as const, 'insert' as const, 'delete' as const),
  s: fc.nat(),
  b: fc.nat(),
  p: fc.nat(),
  w: fc.constantFrom(...VOCABULARY),
  n: fc.integer({ min: 1, max: 3 }),
});

export const anyEdit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 6, arbitrary: wordEdit },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('toggle' as const), s: fc.nat(), b: fc.nat(), p: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constantFrom('addBlock' as const, 'dropBlock' as const), s: fc.nat(), b: fc.nat(), words: fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 20 }) }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('moveBlock' as const), s: fc.nat(), b: fc.nat(), to: fc.nat(), s2: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constantFrom('moveSection' as const, 'dropSection' as const, 'addSection' as const), s: fc.nat(), to: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('kind' as const), s: fc.nat(), b: fc.nat(), kind: fc.constantFrom<BlockKind>('p', 'h3', 'bullet', 'ordered', 'quote') }) },
);

let added = 0;

export function applyEdits(doc: ModelDoc, edits: readonly Edit[]): ModelDoc {
  const out: ModelDoc = structuredClone(doc);
  for (const e of edits) {
    const secs = out.sections;
    if (secs.length === 0) break;
    const sec = secs[e.s % secs.length]!;
    switch (e.t) {
      case 'replace':
      case 'insert':
      case 'delete': {
        const target = sec.blocks.length && e.b % (sec.blocks.length + 1) !== 0 ? sec.blocks[e.b % sec.blocks.length]!.words : sec.heading;
        const p = target.length ? e.p % (target.length + (e.t === 'insert' ? 1 : 0)) : 0;
        if (e.t === 'insert') target.splice(p, 0, ...Array.from({ length: e.n }, () => ({ w: e.w, marks: [] as ModelWord['marks'] })));
        else if (target.length > (target === sec.heading ? e.n : 0)) {
          if (e.t === 'delete') target.splice(p, e.n);
          else target.splice(p, e.n, { w: e.w, marks: [] });
        }
        break;
      }
      case 'toggle': {
        const b = sec.blocks[e.b % Math.max(1, sec.blocks.length)];
        const w = b?.words[e.p % Math.max(1, b.words.length)];
        if (w) w.marks = w.marks.includes('strong') ? w.marks.filter((m) => m !== 'strong') : [...w.marks, 'strong'];
        break;
      }
      case 'addBlock':
        sec.blocks.splice(e.b % (sec.blocks.length + 1), 0, { kind: 'p', words: e.words.map((w) => ({ w, marks: [] })) });
        break;
      case 'dropBlock':
        if (sec.blocks.length) sec.blocks.splice(e.b % sec.blocks.length, 1);
        break;
      case 'moveBlock': {
        if (!sec.blocks.length) break;
        const [moved] = sec.blocks.splice(e.b % sec.blocks.length, 1);
        const dest = secs[e.s2 % secs.length]!;
        dest.blocks.splice(e.to % (dest.blocks.length + 1), 0, moved!);
        break;
      }
      case 'moveSection': {
        const [moved] = secs.splice(e.s % secs.length, 1);
        secs.splice(e.to % (secs.length + 1), 0, moved!);
        break;
      }
      case 'dropSection':
        if (secs.length > 1) secs.splice(e.s % secs.length, 1);
        break;
      case 'addSection':
        secs.splice(e.to % (secs.length + 1), 0, {
          id: `new${++added}`,
          heading: [{ w: 'Added', marks: [] }],
          blocks: [{ kind: 'p', words: [{ w: 'fresh', marks: [] }, { w: 'text', marks: [] }] }],
        });
        break;
      case 'kind': {
        const b = sec.blocks[e.b % Math.max(1, sec.blocks.length)];
        if (b) b.kind = e.kind;
        break;
      }
    }
  }
  return out;
}

function inline(words: readonly ModelWord[]): PMJSON[] {
  const nodes: PMJSON[] = [];
  words.forEach((w, i) => {
    const marks = w.marks.map((m) => (m === 'link' ? { type: 'link', attrs: { href: 'https://example.org/x', title: null } } : { type: m }));
    nodes.push(marks.length ? { type: 'text', text: w.w, marks } : { type: 'text', text: w.w });
    if (i < words.length - 1) nodes.push({ type: 'text', text: ' ' });
  });
  // Merge neighbouring unmarked text, as ProseMirror would.
  const merged: PMJSON[] = [];
  for (const n of nodes) {
    const last = merged[merged.length - 1];
    if (last && !last.marks && !n.marks) last.text += n.text!;
    else merged.push({ ...n });
  }
  return merged;
}

function paragraph(words: readonly ModelWord[]): PMJSON {
  return words.length ? { type: 'paragraph', content: inline(words) } : { type: 'paragraph' };
}

export function toPM(doc: ModelDoc): PMJSON {
  return {
    type: 'doc',
    content: doc.sections.map((s) => {
      const content: PMJSON[] = [{ type: 'heading', attrs: { level: 2 }, content: inline(s.heading) }];
      for (const b of s.blocks) {
        const last = content[content.length - 1];
        if (b.kind === 'p') content.push(paragraph(b.words));
        else if (b.kind === 'h3') content.push({ type: 'heading', attrs: { level: 3 }, ...(b.words.length ? { content: inline(b.words) } : {}) });
        else if (b.kind === 'quote') content.push({ type: 'blockquote', content: [paragraph(b.words)] });
        else {
          const type = b.kind === 'bullet' ? 'bullet_list' : 'ordered_list';
          const item = { type: 'list_item', content: [paragraph(b.words)] };
          if (last?.type === type) last.content!.push(item);
          else content.push({ type, attrs: type === 'ordered_list' ? { order: 1, tight: true } : { tight: true }, content: [item] });
        }
      }
      return { type: 'section', attrs: { id: s.id }, content };
    }),
  };
}

/** Words of each section of a PM document, computed independently of the redline code. */
export function sectionWords(doc: PMJSON): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const section of doc.content ?? []) {
    const texts: string[] = [];
    const walk = (node: PMJSON) => {
      if (node.content?.some((c) => c.type === 'text' || c.type === 'hard_break')) {
        texts.push(node.content.map((c) => (c.type === 'text' ? c.text : c.type === 'hard_break' ? '\n' : '')).join(''));
      } else node.content?.forEach(walk);
    };
    walk(section);
    out.set(String(section.attrs?.id), texts.join(' ').split(/\s+/).filter(Boolean));
  }
  return out;
}

// Prose-like documents for the quality check: real text is made of frequent
// short words and many rarer ones, in paragraphs of a few dozen words.
const STOP = ['the', 'of', 'and', 'to', 'a', 'in', 'is', 'that', 'for', 'it', 'as', 'with', 'be', 'on', 'by', 'this', 'are', 'or', 'their', 'an'];
const CONTENT = Array.from({ length: 300 }, (_, i) => {
  const syllables = ['pri', 'va', 'cy', 'se', 'cu', 'ri', 'ty', 'de', 'vi', 'ce', 'da', 'ta', 'con', 'sent', 'net', 'work', 'pol', 'ic', 'trans', 'par'];
  let w = '';
  for (let n = i + 7; w.length < 4 || n > 0; n = Math.floor(n / 20)) w += syllables[n % 20];
  return i % 9 === 0 ? `${w},` : i % 13 === 0 ? `${w}.` : w;
});
const proseWord = fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...STOP) }, { weight: 3, arbitrary: fc.constantFrom(...CONTENT) });

export const proseDoc: fc.Arbitrary<ModelDoc> = fc
  .array(
    fc.record({
      heading: fc.array(proseWord, { minLength: 1, maxLength: 5 }),
      blocks: fc.array(fc.array(proseWord, { minLength: 10, maxLength: 80 }), { minLength: 1, maxLength: 8 }),
    }),
    { minLength: 1, maxLength: 5 },
  )
  .map((sections) => ({
    title: 'Prose',
    sections: sections.map((s, i) => ({
      id: `s${i + 1}`,
      heading: s.heading.map((w) => ({ w, marks: [] })),
      blocks: s.blocks.map((ws) => ({ kind: 'p' as const, words: ws.map((w) => ({ w, marks: [] })) })),
    })),
  }));

export const proseEdit: fc.Arbitrary<Edit> = fc.record({
  t: fc.constantFrom('replace' as const, 'insert' as const, 'delete' as const),
  s: fc.nat(),
  b: fc.nat(),
  p: fc.nat(),
  w: proseWord,
  n: fc.integer({ min: 1, max: 4 }),
});
