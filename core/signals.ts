// Signals: small messages the server sends next to the document, on the same
// y-websocket connection, never stored in the Y.Doc (so they are neither
// replayed by every client nor kept forever). Message type 100 is Accord's;
// the stock y-websocket client passes it to `provider.messageHandlers[100]`.
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';

export const MESSAGE_SIGNAL = 100;

/**
 * Close code of a socket whose credential was revoked, whose account was
 * disabled or signed out everywhere (4000–4999: application codes; y-websocket
 * does not reconnect after 4400–4499). The client sends the person to sign in.
 */
export const CLOSE_SIGNED_OUT = 4401;

export type AmendmentChange = 'proposed' | 'supported' | 'commented' | 'withdrawn' | 'accepted' | 'rejected' | 'updated';

/** What changed, so a client refetches only when it matters to it. */
export type AccordSignal = { kind: 'amendments'; amendment: string; change: AmendmentChange } | { kind: 'versions'; number: number };

export function encodeSignal(signal: AccordSignal): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SIGNAL);
  encoding.writeVarString(encoder, JSON.stringify(signal));
  return encoding.toUint8Array(encoder);
}

/** Reads the signal after the message type; null for anything this client does not know. */
export function readSignal(decoder: decoding.Decoder): AccordSignal | null {
  try {
    const value: unknown = JSON.parse(decoding.readVarString(decoder));
    if (typeof value !== 'object' || value === null) return null;
    const v = value as Record<string, unknown>;
    if (v.kind === 'amendments' && typeof v.amendment === 'string' && typeof v.change === 'string') {
      return { kind: 'amendments', amendment: v.amendment, change: v.change as AmendmentChange };
    }
    if (v.kind === 'versions' && typeof v.number === 'number') return { kind: 'versions', number: v.number };
    return null;
  } catch {
    return null;
  }
}
