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
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { PMJSON } from './schema';

export class CanonicalJSONError extends Error {
  override name = 'CanonicalJSONError';
}

export function canonicalJSON(value: unknown): string {
  return serialize(value, '$', new Set());
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

function serialize(value: unknown, path: string, ancestors: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return serializeString(value, path);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJSONError(`${path}: ${value} is not a JSON number`);
      // ECMAScript number-to-string is exactly JCS's number form; -0 becomes 0.
      return JSON.stringify(value);
    case 'object':
      if (value === null) return 'null';
      return serializeContainer(value, path, ancestors);
    default:
      throw new CanonicalJSONError(`${path}: ${typeof value} is not JSON`);
  }
}

function serializeContainer(value: object, path: string, ancestors: Set<object>): string {
  if (ancestors.has(value)) throw new CanonicalJSONError(`${path}: cycle`);
  ancestors.add(value);
  let out: string;
  if (Array.isArray(value)) {
    out = `[${value.map((item, i) => serialize(item, `${path}[${i}]`, ancestors)).join(',')}]`;
  } else {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) throw new CanonicalJSONError(`${path}: not a plain object`);
    const record = value as Record<string, unknown>;
    // Default sort compares UTF-16 code units, which is what RFC 8785 §3.2.3 asks.
    const keys = Object.keys(record).sort();
    out = `{${keys.map((k) => `${serializeString(k, path)}:${serialize(record[k], `${path}.${k}`, ancestors)}`).join(',')}}`;
  }
  ancestors.delete(value);
  return out;
}

function serializeString(text: string, path: string): string {
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text)) {
    throw new CanonicalJSONError(`${path}: string with a lone surrogate`);
  }
  return JSON.stringify(text);
}
