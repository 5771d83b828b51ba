// C2SP tlog-cosignature (c2sp.org/tlog-cosignature), Ed25519 `cosignature/v1`:
// a witness's timestamped note signature over a checkpoint body, its verifier
// keys (type 0x04), and the quorum check a verifier runs over a cosigned note.
// Pure and isomorphic: it is handed keys, text and times, and reads nothing.
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '../sha256';
import { bytesToHex, concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { decodeBase64, encodeBase64 } from './base64';
import { isValidKeyName, NoteError, splitNote } from './note';

/** Signature type byte of Ed25519 cosignature/v1 in key IDs and verifier keys. */
export const ALG_COSIGNATURE_V1 = 0x04;
const SIGNATURE_PREFIX = '\u2014 '; // em dash, space
const MAX_TIMESTAMP = 2n ** 63n - 1n;

export interface CosignerKey {
  name: string;
  /** SHA-256(name || "\n" || 0x04 || publicKey)[:4], big-endian. */
  keyId: number;
  publicKey: Uint8Array;
}

export interface Cosignature {
  name: string;
  keyId: number;
  /** POSIX seconds at which the witness signed. */
  timestamp: number;
}

export function cosignerKeyId(name: string, publicKey: Uint8Array): number {
  const digest = sha256(concatBytes(utf8ToBytes(name), new Uint8Array([0x0a, ALG_COSIGNATURE_V1]), publicKey));
  return ((digest[0]! << 24) | (digest[1]! << 16) | (digest[2]! << 8) | digest[3]!) >>> 0;
}

/** `<name>+<hex8 key ID>+<base64(0x04 || publicKey)>`: the witness verifier key (vkey). */
export function makeCosignerVerifierKey(name: string, publicKey: Uint8Array): string {
  if (!isValidKeyName(name)) throw new NoteError(`invalid key name ${JSON.stringify(name)}`);
  if (publicKey.length !== 32) throw new NoteError('an Ed25519 public key is 32 bytes');
  return `${name}+${hex8(cosignerKeyId(name, publicKey))}+${encodeBase64(concatBytes(new Uint8Array([ALG_COSIGNATURE_V1]), publicKey))}`;
}

export function parseCosignerVerifierKey(text: string): CosignerKey {
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (second < 0) throw new NoteError('a witness verifier key is <name>+<key ID>+<key>');
  const name = text.slice(0, first);
  const id = text.slice(first + 1, second);
  if (!isValidKeyName(name)) throw new NoteError('invalid key name in witness verifier key');
  if (!/^[0-9a-f]{8}$/.test(id)) throw new NoteError('witness key ID must be 8 lowercase hex digits');
  let bytes: Uint8Array;
  try {
    bytes = decodeBase64(text.slice(second + 1));
  } catch {
    throw new NoteError('witness verifier key is not valid base64');
  }
  if (bytes.length !== 33 || bytes[0] !== ALG_COSIGNATURE_V1) {
    throw new NoteError('not an Ed25519 cosignature/v1 key (type 0x04 followed by 32 bytes)');
  }
  const publicKey = bytes.subarray(1);
  const keyId = cosignerKeyId(name, publicKey);
  if (hex8(keyId) !== id) throw new NoteError(`witness key ID ${id} does not match the key (expected ${hex8(keyId)})`);
  return { name, keyId, publicKey };
}

/** The exact bytes a cosigner signs: `cosignature/v1\ntime <t>\n` + the checkpoint body. */
export function cosignedMessage(checkpointBody: string, timestamp: number): string {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0 || BigInt(timestamp) > MAX_TIMESTAMP) throw new NoteError(`invalid cosignature timestamp ${timestamp}`);
  if (!checkpointBody.endsWith('\n')) throw new NoteError('checkpoint body must end in a newline');
  return `cosignature/v1\ntime ${timestamp}\n${checkpointBody}`;
}

/** `— <name> base64(key ID || u64 timestamp || signature)\n`. */
export function formatCosignatureLine(key: { name: string; keyId: number }, timestamp: number, signature: Uint8Array): string {
  if (signature.length !== 64) throw new NoteError('an Ed25519 signature is 64 bytes');
  const head = new Uint8Array(12);
  const view = new DataView(head.buffer);
  view.setUint32(0, key.keyId);
  view.setBigUint64(4, BigInt(timestamp));
  return `${SIGNATURE_PREFIX}${key.name} ${encodeBase64(concatBytes(head, signature))}\n`;
}

/** Cosigns `checkpointBody` at `timestamp` with the 32-byte Ed25519 `seed`. Deterministic. */
export function signCosignature(checkpointBody: string, timestamp: number, name: string, seed: Uint8Array): string {
  const publicKey = ed25519.getPublicKey(seed);
  const signature = ed25519.sign(utf8ToBytes(cosignedMessage(checkpointBody, timestamp)), seed);
  return formatCosignatureLine({ name, keyId: cosignerKeyId(name, publicKey) }, timestamp, signature);
}

/**
 * The cosignature of `key` among `signatureLines` over `checkpointBody`, or
 * null when it has none. A line under the key's name and ID that does not
 * verify is an error: the note was altered or the line forged.
 */
export function findCosignature(checkpointBody: string, signatureLines: readonly string[], key: CosignerKey): Cosignature | null {
  let found: Cosignature | null = null;
  for (const line of signatureLines) {
    const parsed = parseLine(line);
    if (!parsed || parsed.name !== key.name || parsed.bytes.length < 4) continue;
    if (readU32(parsed.bytes, 0) !== key.keyId) continue;
    if (parsed.bytes.length !== 4 + 8 + 64) throw new NoteError(`cosignature by ${key.name} is ${parsed.bytes.length - 4} bytes, a cosignature/v1 is 72`);
    const stamp = new DataView(parsed.bytes.buffer, parsed.bytes.byteOffset + 4, 8).getBigUint64(0);
    if (stamp > BigInt(Number.MAX_SAFE_INTEGER)) throw new NoteError(`cosignature by ${key.name} has an impossible timestamp`);
    const timestamp = Number(stamp);
    const message = utf8ToBytes(cosignedMessage(checkpointBody, timestamp));
    if (!ed25519.verify(parsed.bytes.subarray(12), message, key.publicKey, { zip215: false })) {
      throw new NoteError(`cosignature by ${key.name}+${hex8(key.keyId)} does not verify: the checkpoint or the cosignature was altered`);
    }
    if (!found || timestamp > found.timestamp) found = { name: key.name, keyId: key.keyId, timestamp };
  }
  return found;
}

export interface QuorumResult {
  /** The witnesses whose cosignature verified, in the order given. */
  cosigned: Cosignature[];
  /** One line per witness without a valid cosignature. */
  missing: string[];
  ok: boolean;
}

/**
 * Checks that at least `quorum` of `witnesses` (verifier key strings) cosigned
 * the checkpoint in `note`. Unknown signature lines are ignored, as C2SP
 * requires; a witness named twice counts once. Never throws for a bad
 * cosignature: it is reported in `missing`.
 */
export function checkCosignatureQuorum(note: string, witnesses: readonly string[], quorum: number): QuorumResult {
  if (!Number.isSafeInteger(quorum) || quorum < 0) throw new NoteError(`quorum must be a non-negative integer, not ${quorum}`);
  const keys = new Map<string, CosignerKey>();
  for (const text of witnesses) {
    const key = parseCosignerVerifierKey(text);
    keys.set(`${key.name}+${hex8(key.keyId)}`, key);
  }
  if (quorum > keys.size) throw new NoteError(`quorum ${quorum} is more than the ${keys.size} distinct witness key(s) given`);
  const { text, signatureLines } = splitNote(note);
  const cosigned: Cosignature[] = [];
  const missing: string[] = [];
  for (const [id, key] of keys) {
    try {
      const found = findCosignature(text, signatureLines, key);
      if (found) cosigned.push(found);
      else missing.push(`${id}: no cosignature`);
    } catch (err) {
      missing.push(`${id}: ${(err as Error).message}`);
    }
  }
  return { cosigned, missing, ok: cosigned.length >= quorum };
}

/** The names on a note's signature lines after the first (the log's own): who cosigned it, unverified. */
export function cosignerNames(note: string): string[] {
  let lines: string[];
  try {
    lines = splitNote(note).signatureLines;
  } catch {
    return [];
  }
  return lines.slice(1).flatMap((line) => {
    const parsed = parseLine(line);
    return parsed ? [parsed.name] : [];
  });
}

/** Appends signature lines (each ending in a newline) to a signed note. */
export function appendSignatureLines(note: string, lines: readonly string[]): string {
  return lines.reduce((out, line) => out + (line.endsWith('\n') ? line : `${line}\n`), note);
}

function parseLine(line: string): { name: string; bytes: Uint8Array } | null {
  if (!line.startsWith(SIGNATURE_PREFIX)) return null;
  const rest = line.slice(SIGNATURE_PREFIX.length).replace(/\n$/, '');
  const space = rest.indexOf(' ');
  if (space <= 0) return null;
  try {
    return { name: rest.slice(0, space), bytes: decodeBase64(rest.slice(space + 1)) };
  } catch {
    return null;
  }
}

function readU32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

function hex8(n: number): string {
  return bytesToHex(new Uint8Array([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]));
}

/** `<name>+<hex8 key ID>`: how a witness is named in messages. */
export function cosignerId(key: { name: string; keyId: number }): string {
  return `${key.name}+${hex8(key.keyId)}`;
}
