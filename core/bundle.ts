// The offline bundle: one JSON file with a document's versions, its other log
// entries, their leaves and inclusion proofs, and a signed checkpoint, so that
// anyone can check the document's history without the server (the CLI's
// `accord verify` and the browser both call verifyBundle).
// Pure: building reads hashes through a HashReader; verifying trusts nothing in
// the file but what the checkpoint signature and the hashes prove.
import { contentHash } from './canonical';
import { decodeEntry, type LogActor, type LogEntry } from './log-entries';
import type { PMJSON } from './schema';
import { decodeBase64, encodeBase64 } from './tlog/base64';
import { parseCheckpoint, type Checkpoint } from './tlog/checkpoint';
import { InclusionBatchVerifier } from './tlog/inclusion-batch';
import { inclusionProof, inclusionProofIndexes, leafHash, type HashReader } from './tlog/merkle';
import { keyId, parseVerifierKey, splitNote, verifyNote } from './tlog/note';
import { checkWitnessQuorum, type WitnessOptions, type WitnessedBy } from './bundle-witnesses';

export const BUNDLE_FORMAT = 'accord-bundle/1';

export interface BundleVersion {
  number: number;
  label: string;
  meeting: string | null;
  createdAt: string;
  createdBy: LogActor;
  contentHash: string;
  title: string;
  content: PMJSON;
  /** Derived from content for reading; not covered by any hash, so never verified. */
  markdown: string;
  logIndex: number;
  /** The exact leaf bytes, base64. */
  leaf: string;
  /** RFC 9162 audit path against the checkpoint's tree, base64 hashes. */
  inclusionProof: string[];
}

/** Any other entry of the document: amendment decisions, withdrawals, endorsements. */
export interface BundleEntry {
  logIndex: number;
  leaf: string;
  inclusionProof: string[];
}

export interface Bundle {
  format: typeof BUNDLE_FORMAT;
  origin: string;
  /** The key the server says it signs with; verify with a key you got elsewhere when you can. */
  verifierKey: string;
  /** The signed checkpoint note the proofs lead to. */
  checkpoint: string;
  document: { id: string; title: string };
  versions: BundleVersion[];
  entries: BundleEntry[];
}

export interface BundleInput {
  verifierKey: string;
  checkpoint: string;
  document: { id: string; title: string };
  /** The rest of each version's record comes from its leaf, so the two cannot disagree. */
  versions: { title: string; content: PMJSON; markdown: string; logIndex: number; leaf: Uint8Array }[];
  entries: { logIndex: number; leaf: Uint8Array }[];
}

/** Every stored-hash index buildBundle(input, …) reads: prefetch these from an asynchronous store. */
export function bundleHashIndexes(input: BundleInput): number[] {
  const { size } = checkpointOf(input.checkpoint);
  const indexes = new Set<number>();
  for (const item of [...input.versions, ...input.entries]) {
    for (const index of inclusionProofIndexes(item.logIndex, size)) indexes.add(index);
  }
  return [...indexes];
}

/** Assembles a bundle; throws if the data disagrees with itself (a server bug, never a bundle to ship). */
export function buildBundle(input: BundleInput, reader: HashReader): Bundle {
  const checkpoint = checkpointOf(input.checkpoint);
  const proofOf = (logIndex: number) => inclusionProof(logIndex, checkpoint.size, reader).map(encodeBase64);
  const versions = input.versions.map((v): BundleVersion => {
    const entry = decodeEntry(v.leaf);
    if (entry.kind !== 'version') throw new Error(`log index ${v.logIndex} is a ${entry.kind} entry, not a version`);
    if (contentHash(v.title, v.content) !== entry.contentHash) {
      throw new Error(`version ${entry.number}: title and content do not hash to the logged content hash`);
    }
    return {
      number: entry.number,
      label: entry.label,
      meeting: entry.meeting,
      createdAt: entry.time,
      createdBy: entry.actor,
      contentHash: entry.contentHash,
      title: v.title,
      content: v.content,
      markdown: v.markdown,
      logIndex: v.logIndex,
      leaf: encodeBase64(v.leaf),
      inclusionProof: proofOf(v.logIndex),
    };
  });
  const entries = [...input.entries]
    .sort((a, b) => a.logIndex - b.logIndex)
    .map((e): BundleEntry => ({ logIndex: e.logIndex, leaf: encodeBase64(e.leaf), inclusionProof: proofOf(e.logIndex) }));
  return {
    format: BUNDLE_FORMAT,
    origin: checkpoint.origin,
    verifierKey: input.verifierKey,
    checkpoint: input.checkpoint,
    document: { ...input.document },
    versions: versions.sort((a, b) => a.number - b.number),
    entries,
  };
}

function checkpointOf(note: string): Checkpoint {
  return parseCheckpoint(splitNote(note).text);
}

// ---- Verification -----------------------------------------------------------

export type KeySource = 'argument' | 'bundle';

export interface BundleSummary {
  document: string;
  title: string;
  origin: string;
  /** Where the key that verified the checkpoint came from. */
  keySource: KeySource;
  /** `<name>+<hex key hash>` of that key. */
  key: string;
  treeSize: number;
  rootHash: string;
  versions: { number: number; label: string; meeting: string | null; contentHash: string; logIndex: number; createdAt: string }[];
  amendmentDecisions: number;
  amendmentWithdrawals: number;
  endorsements: { organization: string; stakeholderGroup: string; country: string; version: number; logIndex: number }[];
  warnings: string[];
  /** The witnesses (of those given) whose cosignature on the checkpoint verified; only when witnesses were given. */
  witnesses?: WitnessedBy[];
}

export type VerifyResult = { ok: true; summary: BundleSummary } | { ok: false; error: string; keySource?: KeySource };

/** Thrown inside verification; `item` names what failed. */
class BundleFailure extends Error {
  constructor(item: string, problem: string) {
    super(`${item}: ${problem}`);
  }
}

/**
 * Checks everything a bundle claims: the checkpoint signature, every version's
 * content hash, leaf and inclusion proof, the numbering and order of versions,
 * and every other entry. Stops at the first failure and names it.
 */
export function verifyBundle(bundle: unknown, opts: { verifierKey?: string } & WitnessOptions = {}): VerifyResult {
  const keySource: KeySource = opts.verifierKey === undefined ? 'bundle' : 'argument';
  try {
    const summary = verifyOrThrow(bundle, opts.verifierKey, keySource);
    // The checkpoint's own signature has verified: now the witnesses' cosignatures on it.
    const witnesses = checkWitnessQuorum((bundle as Bundle).checkpoint, opts, (problem) => new BundleFailure('witnesses', problem));
    return { ok: true, summary: witnesses ? { ...summary, witnesses } : summary };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, error: err instanceof BundleFailure ? message : `bundle: ${message}`, keySource };
  }
}

function verifyOrThrow(input: unknown, argumentKey: string | undefined, keySource: KeySource): BundleSummary {
  const bundle = checkShape(input);
  const warnings: string[] = [];
  const keyText = argumentKey ?? bundle.verifierKey;
  const keyLabel = keySource === 'argument' ? 'verifier key (--key)' : 'verifier key (in the bundle)';
  let key;
  try {
    key = parseVerifierKey(keyText);
  } catch (err) {
    throw new BundleFailure(keyLabel, (err as Error).message);
  }
  if (keySource === 'bundle') {
    warnings.push('the checkpoint was checked with the key inside the bundle itself; pass --key with the server key you trust to rule out a forged bundle');
  } else if (argumentKey !== bundle.verifierKey) {
    warnings.push('the bundle names a different verifier key than the one given; the given key was used');
  }

  let checkpointText: string;
  try {
    checkpointText = verifyNote(bundle.checkpoint, key).text;
  } catch (err) {
    const source = keySource === 'argument' ? 'the given key' : 'the key in the bundle';
    throw new BundleFailure('checkpoint', `${(err as Error).message} (checked with ${source})`);
  }
  let checkpoint: Checkpoint;
  try {
    checkpoint = parseCheckpoint(checkpointText);
  } catch (err) {
    throw new BundleFailure('checkpoint', (err as Error).message);
  }
  if (checkpoint.origin !== bundle.origin) {
    throw new BundleFailure('checkpoint', `origin "${checkpoint.origin}" is not the bundle's origin "${bundle.origin}"`);
  }

  // Proofs share their upper nodes; the batch verifier hashes each node once.
  const inclusion = new InclusionBatchVerifier(checkpoint.size, checkpoint.rootHash);
  const proven = (item: string, logIndex: number, leafText: string, proofText: string[]): LogEntry => {
    if (logIndex >= checkpoint.size) {
      throw new BundleFailure(item, `log index ${logIndex} is beyond the checkpoint's tree size ${checkpoint.size} (log truncated or checkpoint replaced)`);
    }
    const leaf = base64Field(item, 'leaf', leafText);
    const proof = proofText.map((h, i) => base64Field(item, `inclusion proof hash ${i + 1}`, h));
    let entry: LogEntry;
    try {
      entry = decodeEntry(leaf);
    } catch (err) {
      throw new BundleFailure(item, `leaf: ${(err as Error).message}`);
    }
    if (entry.document !== bundle.document.id) {
      throw new BundleFailure(item, `leaf belongs to document "${entry.document}", not "${bundle.document.id}"`);
    }
    if (!inclusion.verify(logIndex, leafHash(leaf), proof)) {
      throw new BundleFailure(item, `inclusion proof for log index ${logIndex} does not lead to the checkpoint's root (tree size ${checkpoint.size}): the leaf, its position or the log was altered`);
    }
    return entry;
  };

  const usedIndexes = new Set<number>();
  const versionHashes = new Map<number, { contentHash: string; logIndex: number }>();
  let previousIndex = -1;
  bundle.versions.forEach((v, i) => {
    const item = `version ${v.number} (${v.label})`;
    if (v.number !== i + 1) {
      throw new BundleFailure(item, `found where version ${i + 1} should be: versions must run 1..n in order, so one is missing or out of order`);
    }
    if (v.logIndex <= previousIndex) {
      throw new BundleFailure(item, `log index ${v.logIndex} is not after the previous version's log index ${previousIndex}: versions are out of order`);
    }
    previousIndex = v.logIndex;
    usedIndexes.add(v.logIndex);
    let recomputed: string;
    try {
      recomputed = contentHash(v.title, v.content);
    } catch (err) {
      throw new BundleFailure(item, `content cannot be hashed: ${(err as Error).message}`);
    }
    if (recomputed !== v.contentHash) {
      throw new BundleFailure(item, `content hash mismatch: title and content hash to ${recomputed}, the version says ${v.contentHash}`);
    }
    const entry = proven(item, v.logIndex, v.leaf, v.inclusionProof);
    if (entry.kind !== 'version') throw new BundleFailure(item, `leaf is a ${entry.kind} entry, not a version`);
    const logged: [string, unknown, unknown][] = [
      ['number', v.number, entry.number],
      ['label', v.label, entry.label],
      ['meeting', v.meeting, entry.meeting],
      ['content hash', v.contentHash, entry.contentHash],
      ['createdAt', v.createdAt, entry.time],
      ['createdBy', JSON.stringify(actorFields(v.createdBy)), JSON.stringify(actorFields(entry.actor))],
    ];
    for (const [field, claimed, inLog] of logged) {
      if (claimed !== inLog) throw new BundleFailure(item, `${field} ${JSON.stringify(claimed)} differs from the logged ${JSON.stringify(inLog)}`);
    }
    versionHashes.set(v.number, { contentHash: v.contentHash, logIndex: v.logIndex });
  });

  const summary: BundleSummary = {
    document: bundle.document.id,
    title: bundle.document.title,
    origin: checkpoint.origin,
    keySource,
    key: keyId(key),
    treeSize: checkpoint.size,
    rootHash: encodeBase64(checkpoint.rootHash),
    versions: bundle.versions.map((v) => ({
      number: v.number,
      label: v.label,
      meeting: v.meeting,
      contentHash: v.contentHash,
      logIndex: v.logIndex,
      createdAt: v.createdAt,
    })),
    amendmentDecisions: 0,
    amendmentWithdrawals: 0,
    endorsements: [],
    warnings,
  };

  previousIndex = -1;
  bundle.entries.forEach((e, i) => {
    let item = `entry ${i + 1} (log index ${e.logIndex})`;
    if (e.logIndex <= previousIndex) throw new BundleFailure(item, `log index is not after the previous entry's ${previousIndex}: entries are out of order`);
    if (usedIndexes.has(e.logIndex)) throw new BundleFailure(item, 'log index is also claimed by a version');
    previousIndex = e.logIndex;
    const entry = proven(item, e.logIndex, e.leaf, e.inclusionProof);
    switch (entry.kind) {
      case 'version':
        throw new BundleFailure(item, `version ${entry.number} belongs in "versions", not in "entries"`);
      case 'amendment-decision':
        summary.amendmentDecisions++;
        break;
      case 'amendment-withdrawal':
        summary.amendmentWithdrawals++;
        break;
      case 'endorsement': {
        item = `endorsement ${entry.endorsement} (${entry.organization})`;
        const version = versionHashes.get(entry.version);
        if (!version) throw new BundleFailure(item, `endorses version ${entry.version}, which is not in the bundle`);
        if (version.contentHash !== entry.contentHash) {
          throw new BundleFailure(item, `content hash ${entry.contentHash} is not that of version ${entry.version} (${version.contentHash})`);
        }
        if (e.logIndex < version.logIndex) throw new BundleFailure(item, `logged before version ${entry.version} existed`);
        summary.endorsements.push({
          organization: entry.organization,
          stakeholderGroup: entry.stakeholderGroup,
          country: entry.country,
          version: entry.version,
          logIndex: e.logIndex,
        });
        break;
      }
    }
  });
  return summary;
}

function actorFields(a: LogActor): LogActor {
  return { id: a.id, name: a.name, organization: a.organization };
}

// ---- Shape ------------------------------------------------------------------

/** Checks the JSON shape, naming the path of the first problem; after this the types can be trusted. */
function checkShape(input: unknown): Bundle {
  const root = object(input, 'bundle');
  if (root.format !== BUNDLE_FORMAT) {
    throw new BundleFailure('bundle', `format is ${JSON.stringify(root.format)}, expected "${BUNDLE_FORMAT}"`);
  }
  string(root.origin, 'origin');
  string(root.verifierKey, 'verifierKey');
  string(root.checkpoint, 'checkpoint');
  const doc = object(root.document, 'document');
  string(doc.id, 'document.id');
  string(doc.title, 'document.title');
  array(root.versions, 'versions').forEach((item, i) => {
    const path = `versions[${i}]`;
    const v = object(item, path);
    count(v.number, `${path}.number`);
    string(v.label, `${path}.label`);
    if (v.meeting !== null) string(v.meeting, `${path}.meeting`);
    string(v.createdAt, `${path}.createdAt`);
    const by = object(v.createdBy, `${path}.createdBy`);
    for (const f of ['id', 'name', 'organization']) string(by[f], `${path}.createdBy.${f}`);
    string(v.contentHash, `${path}.contentHash`);
    string(v.title, `${path}.title`);
    object(v.content, `${path}.content`);
    string(v.markdown, `${path}.markdown`);
    leafAndProof(v, path);
  });
  array(root.entries, 'entries').forEach((item, i) => leafAndProof(object(item, `entries[${i}]`), `entries[${i}]`));
  return root as unknown as Bundle;
}

function leafAndProof(item: Record<string, unknown>, path: string): void {
  count(item.logIndex, `${path}.logIndex`);
  string(item.leaf, `${path}.leaf`);
  array(item.inclusionProof, `${path}.inclusionProof`).forEach((h, i) => string(h, `${path}.inclusionProof[${i}]`));
}

function object(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new BundleFailure('bundle', `${path} must be an object`);
  return v as Record<string, unknown>;
}
function array(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw new BundleFailure('bundle', `${path} must be an array`);
  return v;
}
function string(v: unknown, path: string): void {
  if (typeof v !== 'string') throw new BundleFailure('bundle', `${path} must be a string`);
}
function count(v: unknown, path: string): void {
  if (!Number.isSafeInteger(v) || (v as number) < 0) throw new BundleFailure('bundle', `${path} must be a non-negative integer`);
}
function base64Field(item: string, field: string, text: string): Uint8Array {
  try {
    return decodeBase64(text);
  } catch {
    throw new BundleFailure(item, `${field} is not valid base64`);
  }
}
