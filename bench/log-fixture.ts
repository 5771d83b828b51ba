// The signed-log benchmarks' shared input: one document with 20 versions of
// a paper-sized text and 9,980 endorsements, a log of 10,000 entries.
import type { BundleInput } from '../core/bundle';
import { contentHash } from '../core/canonical';
import { encodeEntry, type LogActor } from '../core/log-entries';
import type { PMJSON } from '../core/schema';
import { MemoryHashStore } from '../core/tlog/merkle';

export const ORIGIN = 'bench.accord.example/log';
export const actor: LogActor = { id: 'u1', name: 'Bench Chair', organization: 'Bench' };

export interface DocumentLog {
  store: MemoryHashStore;
  title: string;
  versions: BundleInput['versions'];
  leaves: Uint8Array[];
}

/** The log of one document: 20 versions, then endorsements of them up to 10,000 entries. */
export function documentLogOf10k(): DocumentLog {
  const store = new MemoryHashStore();
  const title = 'Good Practice Paper';
  const versions: BundleInput['versions'] = [];
  const leaves: Uint8Array[] = [];
  const hashes: string[] = [];
  for (let n = 1; n <= 20; n++) {
    const content = paperContent(n);
    const hash = contentHash(title, content);
    hashes.push(hash);
    const leaf = encodeEntry({ kind: 'version', document: 'gpp', number: n, label: `Draft ${n}`, meeting: null, contentHash: hash, actor, time: time(n) });
    leaves.push(leaf);
    versions.push({ title, content, markdown: '', logIndex: store.append(leaf) });
  }
  for (let i = 0; leaves.length < 10_000; i++) {
    const version = 1 + (i % 20);
    const leaf = encodeEntry({
      kind: 'endorsement',
      document: 'gpp',
      endorsement: `e${i}`,
      organization: `Organisation ${i}`,
      stakeholderGroup: 'civil-society',
      country: 'DE',
      version,
      contentHash: hashes[version - 1]!,
      time: time(100 + i),
    });
    leaves.push(leaf);
    store.append(leaf);
  }
  return { store, title, versions, leaves };
}

function paperContent(n: number): PMJSON {
  // About 30 sections of 5 paragraphs: the size of a real paper (~100 KB of JSON).
  return {
    type: 'doc',
    content: Array.from({ length: 30 }, (_, s) => ({
      type: 'section',
      attrs: { id: `s${s}` },
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: `Section ${s}` }] },
        ...Array.from({ length: 5 }, (_, p) => ({
          type: 'paragraph',
          content: [{ type: 'text', text: `Draft ${n}, section ${s}, paragraph ${p}: ${'policy text '.repeat(50)}` }],
        })),
      ],
    })),
  };
}

/** A small log entry (a withdrawal) for trees that only need many leaves. */
export function leafBytes(i: number): Uint8Array {
  return encodeEntry({ kind: 'amendment-withdrawal', document: 'bench', amendment: `a${i}`, actor, time: time(i) });
}

export function time(i: number): string {
  return new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString();
}
