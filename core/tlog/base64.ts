// Standard base64 (RFC 4648 §4, padded), as used by signed notes, checkpoints
// and bundles. Written out because core/ must run in Node and the browser
// without Buffer, and because decoding must be strict: one byte string has one
// text form, so altered padding or stray characters are errors, not ignored.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE_OF = new Uint8Array(128);
for (let i = 0; i < ALPHABET.length; i++) VALUE_OF[ALPHABET.charCodeAt(i)] = i;
const CANONICAL_SHAPE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const ALPHABET_CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const PAD = 61; // '='
const ascii = new TextDecoder();

export function encodeBase64(bytes: Uint8Array): string {
  // Written into a byte array and decoded once: appending character by character
  // would leave a rope of tiny strings per call, which a 10,000-entry bundle feels.
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  let o = 0;
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i]!;
    const b1 = i + 1 < bytes.length ? bytes[i + 1]! : -1;
    const b2 = i + 2 < bytes.length ? bytes[i + 2]! : -1;
    out[o++] = ALPHABET_CODES[b0 >> 2]!;
    out[o++] = ALPHABET_CODES[((b0 & 3) << 4) | (b1 < 0 ? 0 : b1 >> 4)]!;
    out[o++] = b1 < 0 ? PAD : ALPHABET_CODES[((b1 & 15) << 2) | (b2 < 0 ? 0 : b2 >> 6)]!;
    out[o++] = b2 < 0 ? PAD : ALPHABET_CODES[b2 & 63]!;
  }
  return ascii.decode(out);
}

/** Decodes canonical padded base64; throws on anything else (including non-zero padding bits). */
export function decodeBase64(text: string): Uint8Array {
  if (!CANONICAL_SHAPE.test(text)) throw new Error('not canonical base64');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    // '=' maps to 0 here; the shape check above has placed it only at the end.
    const word =
      (VALUE_OF[text.charCodeAt(i)]! << 18) |
      (VALUE_OF[text.charCodeAt(i + 1)]! << 12) |
      (VALUE_OF[text.charCodeAt(i + 2)]! << 6) |
      VALUE_OF[text.charCodeAt(i + 3)]!;
    if (o < out.length) out[o++] = word >> 16;
    if (o < out.length) out[o++] = (word >> 8) & 255;
    if (o < out.length) out[o++] = word & 255;
  }
  // The shape check leaves one other spelling of the same bytes: non-zero bits
  // in the last character's unused low bits. Refuse it, so one byte string has one text.
  if (padding > 0 && (VALUE_OF[text.charCodeAt(text.length - padding - 1)]! & (padding === 2 ? 15 : 3)) !== 0) {
    throw new Error('not canonical base64');
  }
  return out;
}
