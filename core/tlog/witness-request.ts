// The body of a C2SP tlog-witness `add-checkpoint` request
// (c2sp.org/tlog-witness): `old <size>`, up to 63 consistency proof hashes in
// base64, a blank line, then the signed checkpoint note. Pure: both the
// witness (parse) and the log submitting to it (format) use this one module.
import { decodeBase64, encodeBase64 } from './base64';
import { HASH_SIZE, type Hash } from './merkle';

export const MAX_PROOF_LINES = 63;

export interface AddCheckpointRequest {
  oldSize: number;
  proof: Hash[];
  /** The checkpoint as a signed note (it may carry several signatures). */
  note: string;
}

/** A malformed request: the witness answers 400. */
export class WitnessRequestError extends Error {
  override name = 'WitnessRequestError';
}

export function formatAddCheckpoint(request: AddCheckpointRequest): string {
  const proof = request.proof.map((h) => `${encodeBase64(h)}\n`).join('');
  return `old ${request.oldSize}\n${proof}\n${request.note}`;
}

export function parseAddCheckpoint(body: string): AddCheckpointRequest {
  const firstEnd = body.indexOf('\n');
  if (firstEnd < 0) throw new WitnessRequestError('the body must start with an "old <size>" line');
  const match = /^old (0|[1-9][0-9]*)$/.exec(body.slice(0, firstEnd));
  if (!match) throw new WitnessRequestError('the first line must be "old <size>" (decimal, no leading zeros)');
  const oldSize = Number(match[1]);
  if (!Number.isSafeInteger(oldSize)) throw new WitnessRequestError('old size is too large');
  const proof: Hash[] = [];
  let at = firstEnd + 1;
  for (;;) {
    const end = body.indexOf('\n', at);
    if (end < 0) throw new WitnessRequestError('no blank line between the consistency proof and the checkpoint');
    const line = body.slice(at, end);
    at = end + 1;
    if (line === '') break;
    if (proof.length === MAX_PROOF_LINES) throw new WitnessRequestError(`more than ${MAX_PROOF_LINES} consistency proof lines`);
    let hash: Uint8Array;
    try {
      hash = decodeBase64(line);
    } catch {
      throw new WitnessRequestError(`consistency proof line ${proof.length + 1} is not base64`);
    }
    if (hash.length !== HASH_SIZE) throw new WitnessRequestError(`consistency proof line ${proof.length + 1} is not a 32-byte hash`);
    proof.push(hash);
  }
  const note = body.slice(at);
  if (note === '') throw new WitnessRequestError('no checkpoint after the blank line');
  return { oldSize, proof, note };
}
