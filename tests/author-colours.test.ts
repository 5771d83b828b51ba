// The colours of the people shown together in the Authors view: distinct up
// to the size of the palette, the same whatever order people come in.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AUTHOR_COLOURS, personColours } from '../client/editor/authors';

describe('person colours', () => {
  it('gives people shown together different colours, up to the size of the palette', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.uuid(), { minLength: 1, maxLength: AUTHOR_COLOURS.length }), (ids) => {
        const colours = personColours(ids);
        expect(colours.size).toBe(ids.length);
        expect(new Set(colours.values()).size).toBe(ids.length);
      }),
      { numRuns: 300 },
    );
  });

  it('uses every colour before repeating one beyond the palette', () => {
    const ids = Array.from({ length: AUTHOR_COLOURS.length * 2 + 3 }, (_, i) => `account-${i}`);
    const colours = [...personColours(ids).values()];
    expect(new Set(colours).size).toBe(AUTHOR_COLOURS.length);
  });

  it('is the same whatever the order the people come in, and a person alone keeps their own colour', () => {
    const ids = ['b7', 'a1', 'zz', 'q0', 'm3'];
    expect(personColours(ids)).toEqual(personColours([...ids].reverse()));
    for (const id of ids) expect(personColours([id]).get(id)).toBe(personColours([id, id]).get(id));
  });

  it('the first in account-id order always has their own colour, whoever else is shown', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.uuid(), { minLength: 1, maxLength: 30 }), (ids) => {
        const first = [...ids].sort()[0]!;
        expect(personColours(ids).get(first)).toBe(personColours([first]).get(first));
      }),
      { numRuns: 200 },
    );
  });
});
