// JSON request bodies, bounded before they are parsed: a size limit that
// depends on who is asking (anonymous callers only ever send small forms),
// a linear scan that refuses deep nesting before JSON.parse sees it, and a
// check that refuses control characters anywhere in the parsed strings.
// Runs after `identify`, which reads headers only.
import express, { type RequestHandler } from 'express';
import { forbiddenCharacter } from '../../core/text-safety';
import { HttpError, msg } from './errors';
import type { ErrorText } from '../../core/i18n/messages/errors';
import { currentUser } from './identity';

export interface JsonBodyLimits {
  /** Bytes for a signed-in caller (a 1 MB document as escaped JSON fits). */
  signedIn: string;
  /** Bytes for an anonymous caller (sign-in, endorsement forms). */
  anonymous: string;
  /** Deepest nesting of arrays and objects accepted. */
  maxDepth: number;
}

export const DEFAULT_JSON_LIMITS: JsonBodyLimits = { signedIn: '4mb', anonymous: '64kb', maxDepth: 32 };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = new Set([0x5b, 0x7b]);
const CLOSE = new Set([0x5d, 0x7d]);

/** The nesting depth of a JSON text, stopping as soon as it exceeds `max`. Bytes of UTF-8 multi-byte characters never equal these ASCII codes. */
export function exceedsDepth(bytes: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) inString = true;
    else if (OPEN.has(b)) {
      if (++depth > max) return true;
    } else if (CLOSE.has(b)) depth--;
  }
  return false;
}

/** Path and character of the first string (key or value) holding a forbidden character. */
export function findForbiddenText(value: unknown, path = 'body'): ErrorText | null {
  if (typeof value === 'string') {
    const character = forbiddenCharacter(value);
    return character ? msg('http.controlCharacter', { path, character }) : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findForbiddenText(value[i], `${path}.${i}`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const found = findForbiddenText(key, `${path} key`) ?? findForbiddenText(inner, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}

export function jsonBody(limits: JsonBodyLimits = DEFAULT_JSON_LIMITS): RequestHandler {
  const verify = (_req: unknown, _res: unknown, buf: Buffer) => {
    if (exceedsDepth(buf, limits.maxDepth)) throw new HttpError(400, 'too_deep', msg('http.tooDeep', { max: limits.maxDepth }));
  };
  const signedIn = express.json({ limit: limits.signedIn, verify });
  const anonymous = express.json({ limit: limits.anonymous, verify });
  return (req, res, next) => {
    const parse = currentUser(req) ? signedIn : anonymous;
    parse(req, res, (err?: unknown) => {
      if (err) return next(err);
      const bad = findForbiddenText(req.body);
      if (bad) return next(new HttpError(422, 'invalid_text', bad));
      next();
    });
  };
}
