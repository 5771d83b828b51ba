// Canonical JSON and the content hash of a version: the one byte string that
// stands for a JSON value, so that a hash computed by the server today can be
// recomputed by anyone, anywhere, from the same data.
//
// canonicalJSON follows RFC 8785 (JCS): object keys sorted by UTF-16 code
// units, no whitespace, strings and numbers exactly as ECMAScript's
// JSON.stringify writes them, UTF-8 bytes. It refuses what JSON cannot say
// unambiguously (NaN, Infinity, undefined, lone surrogates, cycles, class
// instances) instead of silently dropping or converting it.
//
// contentHash(title, content) = "sha256:" + lowercase hex of
//   SHA-256(UTF-8(canonicalJSON({ "title": title, "content": content })))
// where content is the ProseMirror JSON of the document (node.toJSON()).
import { sha256 } from './sha256';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { PMJSON } from './schema';

export class CanonicalJSONError extends Error {
  override name = 'CanonicalJSONError';
}

export function canonicalJSON(value: unknown): string {
  return serialize(value, { ancestors: new Set(), path: [] });
}

export function canonicalJSONBytes(value: unknown): Uint8Array {
  return utf8ToBytes(canonicalJSON(value));
}

/** "sha256:<hex>" of the canonical JSON of { title, content }. See the module comment. */
export function contentHash(title: string, content: PMJSON): string {
  return sha256Digest(canonicalJSONBytes({ title, content }));
}

/** "sha256:<hex>" of a text's UTF-8 bytes (amendment quotes and proposals in the log). */
export function textHash(text: string): string {
  return sha256Digest(utf8ToBytes(text));
}

export const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${bytesToHex(sha256(bytes))}`;
}

/**
 * Where the serialiser is: the containers above (for cycles) and the keys and
 * indexes leading here, turned into a "$.content[3].text" path only for an
 * error, so that hashing a large document builds no path strings.
 */
interface Walk {
  ancestors: Set<object>;
  path: (string | number)[];
}

function pathOf(walk: Walk): string {
  return walk.path.reduce<string>((out, step) => (typeof step === 'number' ? `${out}[${step}]` : `${out}.${step}`), '$');
}

function serialize(value: unknown, walk: Walk): string {
  switch (typeof value) {
    case 'string':
      return serializeString(value, walk);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJSONError(`${pathOf(walk)}: ${value} is not a JSON number`);
      // ECMAScript number-to-string is exactly JCS's number form; -0 becomes 0.
      return JSON.stringify(value);
    case 'object':
      if (value === null) return 'null';
      return serializeContainer(value, walk);
    default:
      throw new CanonicalJSONError(`${pathOf(walk)}: ${typeof value} is not JSON`);
  }
}

function serializeContainer(value: object, walk: Walk): string {
  if (walk.ancestors.has(value)) throw new CanonicalJSONError(`${pathOf(walk)}: cycle`);
  walk.ancestors.add(value);
  let out: string;
  if (Array.isArray(value)) {
    out = '[';
    for (let i = 0; i < value.length; i++) {
      walk.path.push(i);
      out += (i === 0 ? '' : ',') + serialize(value[i], walk);
      walk.path.pop();
    }
    out += ']';
  } else {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) throw new CanonicalJSONError(`${pathOf(walk)}: not a plain object`);
    const record = value as Record<string, unknown>;
    // Default sort compares UTF-16 code units, which is what RFC 8785 §3.2.3 asks.
    const keys = Object.keys(record).sort();
    out = '{';
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const key = serializeString(k, walk);
      walk.path.push(k);
      out += (i === 0 ? '' : ',') + key + ':' + serialize(record[k], walk);
      walk.path.pop();
    }
    out += '}';
  }
  walk.ancestors.delete(value);
  return out;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** String.prototype.isWellFormed where the engine has it (much faster than the pattern), else the pattern. */
const wellFormed: (text: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
    ? (text) => (text as string & { isWellFormed(): boolean }).isWellFormed()
    : (text) => !LONE_SURROGATE.test(text);

function serializeString(text: string, walk: Walk): string {
  if (!wellFormed(text)) {
    throw new CanonicalJSONError(`${pathOf(walk)}: string with a lone surrogate`);
  }
  return JSON.stringify(text);
}
