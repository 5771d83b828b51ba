// Synthetic documents for tests and benchmarks of size.
import type { PMJSON } from '../../core/schema';

/** A document of `n` sections, each a heading and one short paragraph: many nodes, little text. */
export function manySections(n: number): PMJSON {
  return {
    type: 'doc',
    content: Array.from({ length: n }, (_, i) => ({
      type: 'section',
      attrs: { id: `s${i}` },
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: `S${i}` }] },
        { type: 'paragraph', content: [{ type: 'text', text: `P${i}` }] },
      ],
    })),
  };
}
