// Texts prepared for the redline (core/redline/prepared.ts: flattened and
// tokenised once, kept in memory or as bytes) give exactly the redline of the
// documents themselves, whatever other redlines ran in between; bytes that are
// not a prepared text are refused, never misread.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../core/markdown';
import { redline, redlineFlat } from '../core/redline/index';
import { decodePrepared, encodePrepared, prepareText } from '../core/redline/prepared';
import type { PMJSON } from '../core/schema';
import { CORPUS } from './redline-corpus';
import { anyEdit, applyEdits, modelDoc, toPM } from './redline-fixtures';
import { ROOT } from './helpers/process';

const md = (markdown: string) => parseMarkdown(markdown).doc.toJSON() as PMJSON;

/** The redline of two documents, from their prepared texts passed through bytes (as the server keeps them on disk). */
function viaBytes(a: PMJSON, b: PMJSON) {
  const pa = decodePrepared(encodePrepared(prepareText(a)))!;
  const pb = decodePrepared(encodePrepared(prepareText(b)))!;
  return redlineFlat({ ref: 1, title: 'A', sections: pa.sections }, { ref: 2, title: 'B', sections: pb.sections });
}

const direct = (a: PMJSON, b: PMJSON) => redline({ ref: 1, title: 'A', doc: a }, { ref: 2, title: 'B', doc: b });

describe('prepared texts', () => {
  it('give the same redline as the documents for every pair of the adversarial corpus and the drafts', () => {
    for (const pair of CORPUS) expect(viaBytes(md(pair.old), md(pair.new)), pair.name).toEqual(direct(md(pair.old), md(pair.new)));
    const drafts = ['documents/drafts/02-usa-igf-2018-washington.md', 'documents/drafts/03-igf-2018-paris-draft.md', 'documents/gpp.md'].map((f) => md(readFileSync(join(ROOT, f), 'utf8')));
    for (let i = 0; i + 1 < drafts.length; i++) expect(viaBytes(drafts[i]!, drafts[i + 1]!)).toEqual(direct(drafts[i]!, drafts[i + 1]!));
  });

  it('give the same redline as the documents for random edits, formatting and moves included', () => {
    fc.assert(
      fc.property(modelDoc, fc.array(anyEdit, { maxLength: 10 }), (doc, edits) => {
        const a = toPM(doc);
        const b = toPM(applyEdits(doc, edits));
        expect(viaBytes(a, b)).toEqual(direct(a, b));
      }),
      { numRuns: 150 },
    );
  });

  it('stay valid while other redlines run (they own their tokens; the engine reuses only its own)', () => {
    const a = md('# T\n\n## A {#a}\n\nThe first text, as prepared.\n\n## B {#b}\n\n物联网设备应当保护用户隐私。\n');
    const b = md('# T\n\n## A {#a}\n\nThe first text, as kept.\n\n## B {#b}\n\n物联网设备必须保护用户隐私。\n');
    const pa = prepareText(a);
    const pb = prepareText(b);
    const expected = direct(a, b);
    // Other redlines in between reset and refill the engine's shared token chunks.
    for (const pair of CORPUS.slice(0, 5)) direct(md(pair.old), md(pair.new));
    expect(redlineFlat({ ref: 1, title: 'A', sections: pa.sections }, { ref: 2, title: 'B', sections: pb.sections })).toEqual(expected);
    // The same prepared text on both sides is a text against itself: all unchanged.
    const same = redlineFlat({ ref: 1, title: 'A', sections: pa.sections }, { ref: 1, title: 'A', sections: pa.sections });
    expect(same.sections.every((s) => s.status === 'unchanged')).toBe(true);
  });

  it('refuses bytes that are not a prepared text of this format', () => {
    const bytes = encodePrepared(prepareText(md('# T\n\n## A {#a}\n\nSome text.\n')));
    expect(decodePrepared(bytes)).not.toBeNull();
    expect(decodePrepared(new Uint8Array(0))).toBeNull();
    expect(decodePrepared(new TextEncoder().encode('{"sections":[]}'))).toBeNull();
    expect(decodePrepared(bytes.subarray(0, bytes.length - 4))).toBeNull();
    const otherFormat = bytes.slice();
    otherFormat[3] = 0x7f;
    expect(decodePrepared(otherFormat)).toBeNull();
    const garbled = bytes.slice();
    garbled.fill(0xff, 12, 40);
    expect(decodePrepared(garbled)).toBeNull();
    // Not 4-byte aligned (a view into a larger buffer): still read.
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect(decodePrepared(shifted.subarray(1))?.sections[0]?.blocks[1]?.text).toBe('Some text.');
  });
});
