// A text prepared for the redline: its sections and blocks flattened and every
// block's words tokenised (blocks.ts, tokens.ts), which is most of what a
// redline costs besides the diff itself. The server prepares each version once
// (when it is frozen) and keeps the result by content hash, so a redline of two
// versions starts from here instead of parsing and re-tokenising two documents.
// Also a compact binary form of it, to keep on disk. Pure: no I/O.
import type { PMJSON } from '../schema';
import { flattenDocument, type FlatBlock, type FlatSection } from './blocks';
import { tokenizeInto } from './tokens';

export interface PreparedText {
  sections: FlatSection[];
  /** Rough memory held (UTF-16 text and token arrays), for caches that bound their size. */
  bytes: number;
}

/** Reused while tokenising: three integers per token, at most one token per character plus one per block. */
let scratch = new Int32Array(1 << 16);

/** Flattens a document and tokenises every block into one array of its own (never the shared, reused chunks). */
export function prepareText(doc: PMJSON): PreparedText {
  const sections = flattenDocument(doc);
  let most = 0;
  for (const s of sections) for (const b of s.blocks) most += 3 * (b.text.length + 1);
  if (scratch.length < most) scratch = new Int32Array(most);
  const counts: number[] = [];
  let w = 0;
  for (const s of sections) {
    for (const b of s.blocks) {
      const base = w;
      w = tokenizeInto(b.text, scratch, w);
      counts.push((w - base) / 3);
    }
  }
  const data = scratch.slice(0, w);
  let k = 0;
  let base = 0;
  let chars = 0;
  for (const s of sections) {
    for (const b of s.blocks) {
      const count = counts[k++]!;
      b.tokens = { count, data, base };
      base += 3 * count;
      chars += b.text.length;
    }
  }
  return { sections, bytes: 2 * chars + data.byteLength + 200 * counts.length };
}

function blockCount(sections: readonly FlatSection[]): number {
  let n = 0;
  for (const s of sections) n += s.blocks.length;
  return n;
}

// The binary form: "ARP" + format version, a byte-order mark, then three parts,
// each a 32-bit length and its bytes padded to 4: the structure as JSON, every
// block's text in order as UTF-8, and the tokens as 32-bit integers.
const MAGIC = 0x02505241; // "ARP" and format 2, little-endian
const ORDER = 0x01020304;

/** A block's fields but its text and tokens: every one, so a field blocks.ts gains later is kept too. */
type BlockFields = Omit<FlatBlock, 'text' | 'tokens'>;
type BlockMeta = [length: number, tokens: number, fields: BlockFields];
interface Meta {
  sections: { id: string; title: string; blocks: BlockMeta[] }[];
}

function fieldsOf(block: FlatBlock): BlockFields {
  const { text: _text, tokens: _tokens, ...fields } = block;
  return fields;
}

export function encodePrepared(text: PreparedText): Uint8Array {
  const meta: Meta = { sections: [] };
  let all = '';
  let ints = 0;
  for (const s of text.sections) {
    const blocks: BlockMeta[] = [];
    for (const b of s.blocks) {
      const count = b.tokens!.count;
      blocks.push([b.text.length, count, fieldsOf(b)]);
      all += b.text;
      ints += 3 * count;
    }
    meta.sections.push({ id: s.id, title: s.title, blocks });
  }
  const encoder = new TextEncoder();
  const metaBytes = encoder.encode(JSON.stringify(meta));
  const textBytes = encoder.encode(all);
  const pad = (n: number) => (n + 3) & ~3;
  const size = 8 + 4 + pad(metaBytes.length) + 4 + pad(textBytes.length) + 4 + 4 * ints;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, ORDER, true);
  let at = 8;
  view.setUint32(at, metaBytes.length, true);
  out.set(metaBytes, at + 4);
  at += 4 + pad(metaBytes.length);
  view.setUint32(at, textBytes.length, true);
  out.set(textBytes, at + 4);
  at += 4 + pad(textBytes.length);
  view.setUint32(at, ints, true);
  at += 4;
  const tokens = new Int32Array(out.buffer, at, ints);
  let w = 0;
  for (const s of text.sections) {
    for (const b of s.blocks) {
      const t = b.tokens!;
      tokens.set(t.data.subarray(t.base, t.base + 3 * t.count), w);
      w += 3 * t.count;
    }
  }
  return out;
}

/**
 * The prepared text of `encodePrepared`'s bytes, or null when they are not
 * such bytes (another format version, another byte order, truncated). Block
 * texts are slices of one decoded string and tokens a view on `bytes`: nothing
 * is copied per block.
 */
export function decodePrepared(bytes: Uint8Array): PreparedText | null {
  try {
    if (bytes.byteLength < 20) return null;
    // The tokens are viewed in place, which needs them 4-byte aligned.
    if (bytes.byteOffset % 4 !== 0) bytes = bytes.slice();
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.getUint32(0, true) !== MAGIC || view.getUint32(4, true) !== ORDER) return null;
    const pad = (n: number) => (n + 3) & ~3;
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let at = 8;
    const metaLength = view.getUint32(at, true);
    const meta = JSON.parse(decoder.decode(bytes.subarray(at + 4, at + 4 + metaLength))) as Meta;
    at += 4 + pad(metaLength);
    const textLength = view.getUint32(at, true);
    const all = decoder.decode(bytes.subarray(at + 4, at + 4 + textLength));
    at += 4 + pad(textLength);
    const ints = view.getUint32(at, true);
    at += 4;
    if (at + 4 * ints !== bytes.byteLength) return null;
    const data = new Int32Array(bytes.buffer, bytes.byteOffset + at, ints);
    let offset = 0;
    let base = 0;
    const sections: FlatSection[] = meta.sections.map((s) => ({
      id: s.id,
      title: s.title,
      blocks: s.blocks.map(([length, count, fields]): FlatBlock => {
        // Built as blocks.ts builds a block, tokens added after: one hidden class for every block, wherever it came from.
        const { shape, shapeKey, segments, marksKey, sectionHeading, ...more } = fields;
        const block: FlatBlock = { shape, shapeKey, text: all.slice(offset, offset + length), segments, marksKey, sectionHeading };
        for (const [key, value] of Object.entries(more)) (block as unknown as Record<string, unknown>)[key] = value;
        block.tokens = { count, data, base };
        offset += length;
        base += 3 * count;
        return block;
      }),
    }));
    if (offset !== all.length || base !== ints) return null;
    return { sections, bytes: 2 * all.length + bytes.byteLength + 200 * blockCount(sections) };
  } catch {
    return null;
  }
}
