// The witness's one operation, C2SP tlog-witness `add-checkpoint`: check the
// log's signature, the old size against what it last cosigned, and the
// consistency proof, then store the new checkpoint and cosign it. Answers are
// plain values (status, type, body); only http.ts knows the socket.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { decodeBase64 } from '../../core/tlog/base64';
import { parseCheckpoint, type Checkpoint } from '../../core/tlog/checkpoint';
import { equalHashes, verifyConsistency } from '../../core/tlog/merkle';
import { parseVerifierKey, splitNote, type VerifierKey } from '../../core/tlog/note';
import { parseAddCheckpoint, type AddCheckpointRequest } from '../../core/tlog/witness-request';
import type { WitnessKey } from './key';
import type { WitnessState } from './state';

export const TLOG_SIZE_TYPE = 'text/x.tlog.size';

export interface WitnessAnswer {
  status: number;
  contentType: string;
  body: string;
}

interface LogKey extends VerifierKey {
  keyObject: KeyObject;
}

// SPKI DER prefix of an Ed25519 public key; the 32 key bytes follow it.
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export class Witness {
  private readonly logs = new Map<string, LogKey[]>();

  constructor(
    readonly key: WitnessKey,
    private readonly state: WitnessState,
    logVerifierKeys: readonly string[],
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    for (const text of logVerifierKeys) {
      const parsed = parseVerifierKey(text);
      const keyObject = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, parsed.publicKey]), format: 'der', type: 'spki' });
      this.logs.set(parsed.name, [...(this.logs.get(parsed.name) ?? []), { ...parsed, keyObject }]);
    }
  }

  /** The origins this witness follows (a log's origin is its key name). */
  get origins(): string[] {
    return [...this.logs.keys()];
  }

  addCheckpoint(body: string): WitnessAnswer {
    let request: AddCheckpointRequest;
    let text: string;
    let signatureLines: string[];
    let checkpoint: Checkpoint;
    try {
      request = parseAddCheckpoint(body);
      ({ text, signatureLines } = splitNote(request.note));
      checkpoint = parseCheckpoint(text);
    } catch (err) {
      return error(400, 'malformed', (err as Error).message);
    }
    const keys = this.logs.get(checkpoint.origin);
    if (!keys) return error(404, 'unknown_log', `this witness does not follow the log "${checkpoint.origin}"`);
    if (!signedByAny(text, signatureLines, keys)) {
      return error(403, 'bad_signature', `the checkpoint carries no valid signature by a key this witness trusts for "${checkpoint.origin}"`);
    }
    const { oldSize, proof } = request;
    if (oldSize > checkpoint.size) return error(400, 'malformed', `old size ${oldSize} is larger than the checkpoint's size ${checkpoint.size}`);
    if (oldSize === 0 && proof.length > 0) return error(400, 'malformed', 'the consistency proof must be empty when the old size is 0');

    return this.state.update(checkpoint.origin, (stored) => {
      const knownSize = stored?.size ?? 0;
      if (oldSize !== knownSize) return { store: null, result: sizeConflict(knownSize) };
      if (stored && oldSize === checkpoint.size) {
        if (!equalHashes(stored.rootHash, checkpoint.rootHash)) {
          this.state.recordEvidence(checkpoint.origin, `different root hash at size ${oldSize}`, body);
          return { store: null, result: sizeConflict(knownSize) };
        }
        if (proof.length > 0) return { store: null, result: error(422, 'bad_proof', 'the consistency proof between equal sizes must be empty') };
      } else if (stored && oldSize > 0 && !verifyConsistency(oldSize, checkpoint.size, proof, stored.rootHash, checkpoint.rootHash)) {
        this.state.recordEvidence(checkpoint.origin, `inconsistent with the cosigned tree of size ${oldSize}`, body);
        return {
          store: null,
          result: error(422, 'bad_proof', `the consistency proof does not show that the tree of size ${checkpoint.size} extends the cosigned tree of size ${oldSize}`),
        };
      }
      const timestamp = this.now();
      const cosignedAt = new Date(timestamp * 1000).toISOString();
      return {
        store: { size: checkpoint.size, rootHash: checkpoint.rootHash, note: request.note, cosignedAt },
        result: { status: 200, contentType: 'text/plain; charset=utf-8', body: this.key.cosign(text, timestamp) },
      };
    });
  }
}

/** True when a signature line by one of `keys` verifies over `text` (lines by other keys are ignored). */
function signedByAny(text: string, signatureLines: readonly string[], keys: readonly LogKey[]): boolean {
  const message = Buffer.from(text, 'utf8');
  for (const line of signatureLines) {
    const match = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!match) continue;
    let bytes: Uint8Array;
    try {
      bytes = decodeBase64(match[2]!);
    } catch {
      continue;
    }
    if (bytes.length !== 68) continue;
    const id = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
    for (const key of keys) {
      if (key.name === match[1] && key.keyHash === id && verify(null, message, key.keyObject, bytes.subarray(4))) return true;
    }
  }
  return false;
}

function sizeConflict(size: number): WitnessAnswer {
  return { status: 409, contentType: TLOG_SIZE_TYPE, body: `${size}\n` };
}

function error(status: number, code: string, message: string): WitnessAnswer {
  return { status, contentType: 'application/json; charset=utf-8', body: JSON.stringify({ error: { code, message } }) };
}
