// The witness quorum of a bundle (`accord verify --witness <vkey> … --quorum <k>`):
// at least k of the named witnesses must have cosigned the bundle's checkpoint
// (C2SP tlog-cosignature lines in the checkpoint note). Pure.
import { checkCosignatureQuorum, cosignerId } from './tlog/cosignature';

export interface WitnessOptions {
  /** Witness verifier keys (cosignature/v1, type 0x04) the verifier trusts. */
  witnesses?: readonly string[];
  /** How many of them must have cosigned; default: all of them. */
  quorum?: number;
}

export interface WitnessedBy {
  name: string;
  /** `<name>+<hex key ID>`. */
  key: string;
  /** When the witness cosigned (ISO time). */
  cosignedAt: string;
}

/**
 * Null when no witnesses were asked for; the verified cosigners when the
 * quorum is met; otherwise throws `failure(problem)` naming who is missing.
 */
export function checkWitnessQuorum(note: string, opts: WitnessOptions, failure: (problem: string) => Error): WitnessedBy[] | null {
  if (opts.witnesses === undefined && opts.quorum === undefined) return null;
  const keys = opts.witnesses ?? [];
  let result;
  try {
    result = checkCosignatureQuorum(note, keys, opts.quorum ?? keys.length);
  } catch (err) {
    throw failure((err as Error).message);
  }
  if (!result.ok) {
    const quorum = opts.quorum ?? keys.length;
    throw failure(
      `${result.cosigned.length} of the ${keys.length} given witness(es) cosigned the checkpoint, ${quorum} required (${result.missing.join('; ')})`,
    );
  }
  return result.cosigned.map((c) => ({ name: c.name, key: cosignerId(c), cosignedAt: new Date(c.timestamp * 1000).toISOString() }));
}
