// The C2SP tlog-checkpoint body (c2sp.org/tlog-checkpoint): the text a log
// signs as a note. `origin\nsize\nbase64(root)\n` plus optional extension lines.
// Parsing is strict, byte for byte: format(parse(x)) === x for every accepted x.
import { decodeBase64, encodeBase64 } from './base64';
import { HASH_SIZE, type Hash } from './merkle';

export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Hash;
  /** Opaque non-empty lines after the root hash (NOT RECOMMENDED by the spec; we never write any). */
  extensions: string[];
}

export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

export function formatCheckpoint(checkpoint: Checkpoint): string {
  const { origin, size, rootHash, extensions } = checkpoint;
  if (origin === '' || origin.includes('\n')) throw new CheckpointError('checkpoint origin must be one non-empty line');
  if (!Number.isSafeInteger(size) || size < 0) throw new CheckpointError(`invalid tree size ${size}`);
  if (rootHash.length !== HASH_SIZE) throw new CheckpointError('root hash must be 32 bytes');
  for (const line of extensions) {
    if (line === '' || line.includes('\n')) throw new CheckpointError('extension lines must be non-empty single lines');
  }
  return [origin, String(size), encodeBase64(rootHash), ...extensions].map((line) => `${line}\n`).join('');
}

export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw new CheckpointError('checkpoint must end in a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw new CheckpointError('checkpoint needs origin, tree size and root hash lines');
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin === '') throw new CheckpointError('checkpoint origin is empty');
  // No sign, no spaces, no leading zeros: one size has one spelling.
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText)) throw new CheckpointError(`malformed tree size ${JSON.stringify(sizeText)}`);
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) throw new CheckpointError(`tree size ${sizeText} is too large`);
  let rootHash: Hash;
  try {
    rootHash = decodeBase64(rootText);
  } catch {
    throw new CheckpointError('root hash is not valid base64');
  }
  if (rootHash.length !== HASH_SIZE) throw new CheckpointError(`root hash is ${rootHash.length} bytes, not 32`);
  if (extensions.some((line) => line === '')) throw new CheckpointError('checkpoint has an empty extension line');
  return { origin, size, rootHash, extensions };
}
