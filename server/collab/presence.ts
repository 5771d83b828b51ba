// Presence (awareness) as the server accepts it. y-protocols trusts its
// peers; we do not: every entry of an awareness update is decoded here,
// bounded in size, checked field by field where other clients would crash on
// a bad value (the cursor), and re-encoded before the room applies it.
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { isPresenceCursor, isRecord } from '../../core/presence';

/** One client's presence as carried by an awareness update; `state` null means "gone". */
export interface PresenceEntry {
  clientId: number;
  clock: number;
  state: Record<string, unknown> | null;
}

export type PresenceVerdict = { ok: true; entry: PresenceEntry } | { ok: false; reason: string };

/** Decodes an awareness update into raw entries (JSON not yet parsed). Throws on malformed bytes. */
export function decodePresenceUpdate(update: Uint8Array): { clientId: number; clock: number; json: string }[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const entries: { clientId: number; clock: number; json: string }[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const json = decoding.readVarString(decoder);
    entries.push({ clientId, clock, json });
  }
  return entries;
}

/** Encodes entries back into an awareness update (the y-protocols layout). */
export function encodePresenceUpdate(entries: readonly PresenceEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(encoder, e.clientId);
    encoding.writeVarUint(encoder, e.clock);
    encoding.writeVarString(encoder, JSON.stringify(e.state));
  }
  return encoding.toUint8Array(encoder);
}

/** Parses and checks one entry: size, shape, and a cursor every client can resolve. */
export function checkPresenceEntry(raw: { clientId: number; clock: number; json: string }, maxBytes: number): PresenceVerdict {
  // UTF-16 length is a lower bound of UTF-8 bytes; checking it first avoids parsing a huge string.
  if (raw.json.length > maxBytes || utf8Length(raw.json) > maxBytes) return { ok: false, reason: `presence state over ${maxBytes} bytes` };
  if (!Number.isSafeInteger(raw.clientId) || !Number.isSafeInteger(raw.clock)) return { ok: false, reason: 'presence ids out of range' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.json);
  } catch {
    return { ok: false, reason: 'presence state is not JSON' };
  }
  if (parsed === null) return { ok: true, entry: { clientId: raw.clientId, clock: raw.clock, state: null } };
  if (!isRecord(parsed)) return { ok: false, reason: 'presence state is not an object' };
  const state: Record<string, unknown> = { ...parsed };
  // y-prosemirror's cursor plugin throws on a cursor it cannot resolve, and stops applying remote edits.
  if ('cursor' in state && state.cursor !== null && !isPresenceCursor(state.cursor)) delete state.cursor;
  return { ok: true, entry: { clientId: raw.clientId, clock: raw.clock, state } };
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
