// C2SP signed-note (c2sp.org/signed-note) with Ed25519 keys, byte-compatible
// with Go's golang.org/x/mod/sumdb/note: the same key strings, the same note
// bytes (Ed25519 is deterministic), the same acceptance rules.
// Pure: it is handed a seed and text, and never reads keys from anywhere itself.
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '../sha256';
import { bytesToHex, concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { decodeBase64, encodeBase64 } from './base64';

/** Signature type byte for Ed25519 in key strings and key hashes. */
const ALG_ED25519 = 0x01;
const SIGNATURE_PREFIX = '\u2014 '; // em dash, space
const MAX_SIGNATURES = 100; // as Go: bounds the work an adversarial note can cause

export interface VerifierKey {
  name: string;
  /** First four bytes of SHA-256(name || "\n" || 0x01 || publicKey), big-endian. */
  keyHash: number;
  publicKey: Uint8Array;
}

export interface SignerKey extends VerifierKey {
  /** The 32-byte Ed25519 seed (RFC 8032 private key). */
  seed: Uint8Array;
}

export interface VerifiedNote {
  /** The signed text, ending in a newline. */
  text: string;
  /** The name and key hash of the key whose signature verified. */
  name: string;
  keyHash: number;
  /** Signatures by keys the verifier does not know: ignored, as the spec requires. */
  unknownSignatures: { name: string; keyHash: number }[];
}

export class NoteError extends Error {
  override name = 'NoteError';
}

/** Key names are non-empty, have no Unicode spaces and no '+' (they are '+'-separated in key strings). */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s\u0085+]/u.test(name) && isWellFormed(name);
}

export function keyHash(name: string, publicKey: Uint8Array): number {
  const digest = sha256(concatBytes(utf8ToBytes(name), new Uint8Array([0x0a, ALG_ED25519]), publicKey));
  return ((digest[0]! << 24) | (digest[1]! << 16) | (digest[2]! << 8) | digest[3]!) >>> 0;
}

/** `<name>+<hex8 key hash>+<base64(0x01 || publicKey)>`, as `GET /api/log/key` serves it. */
export function makeVerifierKey(name: string, publicKey: Uint8Array): string {
  if (!isValidKeyName(name)) throw new NoteError(`invalid key name ${JSON.stringify(name)}`);
  if (publicKey.length !== 32) throw new NoteError('an Ed25519 public key is 32 bytes');
  return `${name}+${hex8(keyHash(name, publicKey))}+${encodeBase64(concatBytes(new Uint8Array([ALG_ED25519]), publicKey))}`;
}

/** Go's private key string: `PRIVATE+KEY+<name>+<hex8 key hash>+<base64(0x01 || seed)>`. */
export function makeSignerKey(name: string, seed: Uint8Array): string {
  if (seed.length !== 32) throw new NoteError('an Ed25519 seed is 32 bytes');
  const publicKey = ed25519.getPublicKey(seed);
  makeVerifierKey(name, publicKey); // validates the name
  return `PRIVATE+KEY+${name}+${hex8(keyHash(name, publicKey))}+${encodeBase64(concatBytes(new Uint8Array([ALG_ED25519]), seed))}`;
}

/** Splits on '+' into at most `n` fields: the last (base64) field may itself contain '+', as in Go's chop. */
function splitFields(text: string, n: number): string[] {
  const parts = text.split('+');
  return parts.length <= n ? parts : [...parts.slice(0, n - 1), parts.slice(n - 1).join('+')];
}

export function parseVerifierKey(text: string): VerifierKey {
  const parts = splitFields(text, 3);
  if (parts.length !== 3) throw new NoteError('a verifier key is <name>+<key hash>+<key>');
  const [name, hash, key] = parts as [string, string, string];
  const keyBytes = decodeKeyField(name, hash, key, 'verifier');
  const publicKey = keyBytes.subarray(1);
  checkKeyHash(name, hash, publicKey);
  return { name, keyHash: keyHash(name, publicKey), publicKey };
}

export function parseSignerKey(text: string): SignerKey {
  const parts = splitFields(text, 5);
  if (parts.length !== 5 || parts[0] !== 'PRIVATE' || parts[1] !== 'KEY') {
    throw new NoteError('a signer key is PRIVATE+KEY+<name>+<key hash>+<key>');
  }
  const [, , name, hash, key] = parts as [string, string, string, string, string];
  const seed = decodeKeyField(name, hash, key, 'signer').subarray(1);
  const publicKey = ed25519.getPublicKey(seed);
  checkKeyHash(name, hash, publicKey);
  return { name, keyHash: keyHash(name, publicKey), publicKey, seed };
}

/** Signs `text` (which must end in a newline) and returns the complete note. Deterministic. */
export function signNote(text: string, signer: SignerKey): string {
  checkNoteCharacters(text);
  if (!text.endsWith('\n')) throw new NoteError('note text must end in a newline');
  return signNoteWith(text, signer, ed25519.sign(utf8ToBytes(text), signer.seed));
}

/**
 * The complete note for `text` and an Ed25519 `signature` of it made elsewhere
 * (the server signs with node:crypto, which is faster than the pure-JS signer).
 */
export function signNoteWith(text: string, signer: { name: string; keyHash: number }, signature: Uint8Array): string {
  checkNoteCharacters(text);
  if (!text.endsWith('\n')) throw new NoteError('note text must end in a newline');
  if (signature.length !== 64) throw new NoteError('an Ed25519 signature is 64 bytes');
  return `${text}\n${SIGNATURE_PREFIX}${signer.name} ${encodeBase64(concatBytes(keyHashBytes(signer.keyHash), signature))}\n`;
}

/** Splits a note into its text and signature lines without checking any signature. */
export function splitNote(note: string): { text: string; signatureLines: string[] } {
  checkNoteCharacters(note);
  // The text ends at the last blank line; the signature block follows it.
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('malformed note: no blank line before the signatures');
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (block === '' || !block.endsWith('\n')) throw new NoteError('malformed note: no signature lines');
  return { text, signatureLines: block.slice(0, -1).split('\n') };
}

/**
 * Verifies `note` against one trusted key. Signatures by other keys are
 * ignored (c2sp: a known name with an unknown key hash is still unknown); a
 * signature by the trusted key that fails rejects the whole note.
 * Throws NoteError saying what is wrong; returns the verified text.
 */
export function verifyNote(note: string, verifierKey: string | VerifierKey): VerifiedNote {
  const key = typeof verifierKey === 'string' ? parseVerifierKey(verifierKey) : verifierKey;
  const { text, signatureLines } = splitNote(note);
  if (signatureLines.length > MAX_SIGNATURES) throw new NoteError('malformed note: too many signatures');
  const message = utf8ToBytes(text);
  const unknownSignatures: VerifiedNote['unknownSignatures'] = [];
  let verified = false;
  for (const line of signatureLines) {
    const signature = parseSignatureLine(line);
    if (signature.name !== key.name || signature.keyHash !== key.keyHash) {
      unknownSignatures.push({ name: signature.name, keyHash: signature.keyHash });
      continue;
    }
    if (signature.bytes.length !== 64) {
      throw new NoteError(`signature by ${key.name} is ${signature.bytes.length} bytes, an Ed25519 signature is 64`);
    }
    // zip215: false is RFC 8032's strict decoding, as Go's crypto/ed25519.
    if (!ed25519.verify(signature.bytes, message, key.publicKey, { zip215: false })) {
      throw new NoteError(`signature by ${key.name}+${hex8(key.keyHash)} does not verify: the note was altered or signed by another key`);
    }
    verified = true;
  }
  if (!verified) {
    const seen = unknownSignatures.map((s) => `${s.name}+${hex8(s.keyHash)}`).join(', ');
    throw new NoteError(`note has no signature by ${key.name}+${hex8(key.keyHash)} (signed by: ${seen})`);
  }
  return { text, name: key.name, keyHash: key.keyHash, unknownSignatures };
}

function parseSignatureLine(line: string): { name: string; keyHash: number; bytes: Uint8Array } {
  if (!line.startsWith(SIGNATURE_PREFIX)) throw new NoteError('malformed note: signature line does not start with "— "');
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  const name = space < 0 ? rest : rest.slice(0, space);
  const encoded = space < 0 ? '' : rest.slice(space + 1);
  if (!isValidKeyName(name)) throw new NoteError(`malformed note: invalid key name in signature line`);
  let raw: Uint8Array;
  try {
    raw = decodeBase64(encoded);
  } catch {
    throw new NoteError(`malformed note: signature by ${name} is not valid base64 (truncated?)`);
  }
  if (raw.length < 5) throw new NoteError(`malformed note: signature by ${name} is too short`);
  const hash = ((raw[0]! << 24) | (raw[1]! << 16) | (raw[2]! << 8) | raw[3]!) >>> 0;
  return { name, keyHash: hash, bytes: raw.subarray(4) };
}

function decodeKeyField(name: string, hash: string, key: string, what: string): Uint8Array {
  if (!isValidKeyName(name)) throw new NoteError(`invalid key name in ${what} key`);
  if (!/^[0-9a-f]{8}$/.test(hash)) throw new NoteError(`${what} key hash must be 8 lowercase hex digits`);
  let bytes: Uint8Array;
  try {
    bytes = decodeBase64(key);
  } catch {
    throw new NoteError(`${what} key is not valid base64`);
  }
  if (bytes[0] !== ALG_ED25519 || bytes.length !== 33) {
    throw new NoteError(`${what} key is not an Ed25519 key (0x01 followed by 32 bytes)`);
  }
  return bytes;
}

function checkKeyHash(name: string, hash: string, publicKey: Uint8Array): void {
  const expected = hex8(keyHash(name, publicKey));
  if (hash !== expected) throw new NoteError(`key hash ${hash} does not match the key (expected ${expected})`);
}

/** Notes must be valid UTF-8 with no control characters other than newline. */
function checkNoteCharacters(text: string): void {
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) throw new NoteError('malformed note: control character');
  if (!isWellFormed(text)) throw new NoteError('malformed note: not valid Unicode');
}

/** String.prototype.isWellFormed is not in Node 20's lib: no lone surrogates. */
function isWellFormed(text: string): boolean {
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

function keyHashBytes(hash: number): Uint8Array {
  return new Uint8Array([hash >>> 24, (hash >>> 16) & 255, (hash >>> 8) & 255, hash & 255]);
}

/** `<name>+<hex8 key hash>`: how a key is named in messages and summaries. */
export function keyId(key: VerifierKey): string {
  return `${key.name}+${hex8(key.keyHash)}`;
}

function hex8(hash: number): string {
  return bytesToHex(keyHashBytes(hash));
}
