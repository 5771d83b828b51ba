import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJSON, canonicalJSONBytes, contentHash, textHash } from '../core/canonical';
import { parseMarkdown, serializeMarkdown } from '../core/markdown';
import type { PMJSON } from '../core/schema';

describe('canonicalJSON (RFC 8785)', () => {
  it('sorts keys by UTF-16 code units and drops whitespace', () => {
    expect(canonicalJSON({ b: 1, a: [true, null, 'x'], A: { z: 0, y: -0 } })).toBe('{"A":{"y":0,"z":0},"a":[true,null,"x"],"b":1}');
    // RFC 8785 §3.2.3 example: code-unit order, not code-point or locale order.
    const sorted = { '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis' };
    expect(canonicalJSON(sorted)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('writes numbers and strings as RFC 8785 says', () => {
    // RFC 8785 §3.2.2.3 number samples.
    expect(canonicalJSON([1e21, 1e-7, 333333333.33333329, 4.5, 2e-3, 0.000001, 1e23, 9007199254740991])).toBe(
      '[1e+21,1e-7,333333333.3333333,4.5,0.002,0.000001,1e+23,9007199254740991]',
    );
    expect(canonicalJSON('\u0000\u001f"\\/\u2028é😀')).toBe('"\\u0000\\u001f\\"\\\\/\u2028é😀"');
  });

  it('refuses what JSON cannot say', () => {
    expect(() => canonicalJSON({ a: NaN })).toThrow(/\$\.a: NaN/);
    expect(() => canonicalJSON([Infinity])).toThrow(/not a JSON number/);
    expect(() => canonicalJSON({ a: undefined })).toThrow(/undefined is not JSON/);
    expect(() => canonicalJSON({ a: 1n })).toThrow(/bigint/);
    expect(() => canonicalJSON(new Date(0))).toThrow(/plain object/);
    expect(() => canonicalJSON('\ud800')).toThrow(/lone surrogate/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJSON(cyclic)).toThrow(/cycle/);
  });

  it('is JSON that parses back to the same value, and does not depend on key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJSON(value);
        expect(canonicalJSON(JSON.parse(text))).toBe(text);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        // Re-inserting keys in reverse order changes nothing.
        const reversed = JSON.parse(JSON.stringify(value), (_k, v: unknown) =>
          v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
        ) as unknown;
        expect(canonicalJSON(reversed)).toBe(text);
      }),
    );
  });

  it('encodes as UTF-8', () => {
    expect([...canonicalJSONBytes('é')]).toEqual([0x22, 0xc3, 0xa9, 0x22]);
  });
});

describe('contentHash', () => {
  const content: PMJSON = {
    type: 'doc',
    content: [{ type: 'section', attrs: { id: 'privacy' }, content: [{ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Privacy' }] }] }],
  };

  it('is sha256 of the canonical JSON of { title, content }, recomputable by hand', () => {
    const byHand =
      '{"content":{"content":[{"attrs":{"id":"privacy"},"content":[{"attrs":{"level":2},"content":[{"text":"Privacy","type":"text"}],"type":"heading"}],"type":"section"}],"type":"doc"},"title":"Good Practice"}';
    expect(canonicalJSON({ title: 'Good Practice', content })).toBe(byHand);
    expect(contentHash('Good Practice', content)).toBe(`sha256:${createHash('sha256').update(byHand, 'utf8').digest('hex')}`);
  });

  it('changes with the title and with any character of the text', () => {
    const h = contentHash('Good Practice', content);
    expect(contentHash('Good practice', content)).not.toBe(h);
    const edited = JSON.parse(JSON.stringify(content).replace('Privacy', 'Privacy.')) as PMJSON;
    expect(contentHash('Good Practice', edited)).not.toBe(h);
  });

  it('is stable across a Markdown round trip (what is frozen is what is re-imported)', () => {
    const first = parseMarkdown('# Paper\n\n## Privacy {#privacy}\n\nData *minimisation* first.\n');
    const again = parseMarkdown(serializeMarkdown(first.title, first.doc));
    expect(contentHash(again.title, again.doc.toJSON() as PMJSON)).toBe(contentHash(first.title, first.doc.toJSON() as PMJSON));
  });

  it('textHash is sha256 of UTF-8', () => {
    expect(textHash('café')).toBe(`sha256:${createHash('sha256').update('café', 'utf8').digest('hex')}`);
  });
});
