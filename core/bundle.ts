// The offline bundle: one JSON file with a document's versions, its other log
// entries with their inclusion proofs, every leaf of the log up to a signed
// checkpoint, and that checkpoint, so that anyone can check the document's
// whole history without the server (the CLI's `accord verify`, the history
// panel and the offline verify.html all call verifyBundle).
// Pure: verifying trusts nothing in the file but what the checkpoint signature
// and the hashes prove; with every leaf shipped, a left-out entry is seen.
import { contentHash } from './canonical';
import { decodeEntry, logActorOf, type LogActor, type LogEntry } from './log-entries';
import type { PMJSON } from './schema';
import { decodeBase64, encodeBase64 } from './tlog/base64';
import { parseCheckpoint, type Checkpoint } from './tlog/checkpoint';
import { equalHashes, inclusionProof, inclusionProofRanges, leafHash, MemoryHashStore, rangeHash, treeHash, EMPTY_TREE_ROOT } from './tlog/merkle';
import { keyId, parseVerifierKey, splitNote, verifyNote, type VerifierKey } from './tlog/note';
import { checkWitnessQuorum, type WitnessOptions, type WitnessedBy } from './bundle-witnesses';

/** Version 2 added `leaves`; a version 1 bundle cannot show completeness and is refused. */
export const BUNDLE_FORMAT = 'accord-bundle/2';

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
  /** The signed checkpoint note the proofs lead to (with any cosignature lines). */
  checkpoint: string;
  document: { id: string; title: string };
  versions: BundleVersion[];
  entries: BundleEntry[];
  /**
   * Every leaf of the log, log index 0 to the checkpoint's size - 1, base64.
   * Their tree must hash to the checkpoint's root, so none can be left out,
   * and every leaf of this document among them must be in versions or entries.
   */
  leaves: string[];
}

export interface BundleInput {
  verifierKey: string;
  checkpoint: string;
  document: { id: string; title: string };
  /** Every leaf of the log up to the checkpoint's size, in log order. */
  leaves: Uint8Array[];
  /** The text of each version of the document in those leaves; the rest of its record comes from its leaf. */
  versions: { title: string; content: PMJSON; markdown: string; logIndex: number }[];
}

/** Assembles a bundle; throws if the data disagrees with itself (a server bug, never a bundle to ship). */
export function buildBundle(input: BundleInput): Bundle {
  const checkpoint = checkpointOf(input.checkpoint);
  if (input.leaves.length !== checkpoint.size) {
    throw new Error(`${input.leaves.length} leaves given for a checkpoint of size ${checkpoint.size}`);
  }
  const tree = MemoryHashStore.fromLeaves(input.leaves);
  if (!equalHashes(tree.root(), checkpoint.rootHash)) throw new Error('the leaves do not hash to the checkpoint root');
  const proofOf = (logIndex: number) => inclusionProof(logIndex, checkpoint.size, tree).map(encodeBase64);
  const texts = new Map(input.versions.map((v) => [v.logIndex, v]));
  const versions: BundleVersion[] = [];
  const entries: BundleEntry[] = [];
  input.leaves.forEach((leaf, logIndex) => {
    const entry = decodeEntry(leaf);
    if (entry.document !== input.document.id) return;
    if (entry.kind !== 'version') {
      entries.push({ logIndex, leaf: encodeBase64(leaf), inclusionProof: proofOf(logIndex) });
      return;
    }
    const v = texts.get(logIndex);
    if (!v) throw new BundleBuildError(`version ${entry.number}`, `the stored record has no text for version ${entry.number} (log index ${logIndex}), which the signed log lists`);
    if (contentHash(v.title, v.content) !== entry.contentHash) {
      throw new BundleBuildError(
        `version ${entry.number}`,
        `the stored text of version ${entry.number} (${entry.label}) no longer matches what was signed when it was frozen: it was changed afterwards, outside Accord`,
      );
    }
    versions.push({
      number: entry.number,
      label: entry.label,
      meeting: entry.meeting,
      createdAt: entry.time,
      createdBy: entry.actor,
      contentHash: entry.contentHash,
      title: v.title,
      content: v.content,
      markdown: v.markdown,
      logIndex,
      leaf: encodeBase64(leaf),
      inclusionProof: proofOf(logIndex),
    });
  });
  if (versions.length !== input.versions.length) throw new Error('a version text was given for a leaf that is not one of its versions');
  return {
    format: BUNDLE_FORMAT,
    origin: checkpoint.origin,
    verifierKey: input.verifierKey,
    checkpoint: input.checkpoint,
    document: { ...input.document },
    versions: versions.sort((a, b) => a.number - b.number),
    entries,
    leaves: input.leaves.map(encodeBase64),
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
  /** The earlier checkpoint (`since`) this bundle's log was shown to extend. */
  extends?: { treeSize: number; rootHash: string };
  warnings: string[];
  /** The witnesses (of those given) whose cosignature on the checkpoint verified; only when witnesses were given. */
  witnesses?: WitnessedBy[];
}

export interface VerifyOptions {
  /** The log's verifier key from a source you trust; the bundle's own key otherwise. */
  verifierKey?: string;
  /** An earlier signed checkpoint of the same log: fail unless the bundle's log extends it (no fork). */
  since?: string;
}

export type VerifyResult = { ok: true; summary: BundleSummary } | { ok: false; error: string; keySource?: KeySource };

/** Thrown inside verification; `item` names what failed. */
/** The store's texts disagree with the signed log, so no honest bundle can be built; `item` names what. */
export class BundleBuildError extends Error {
  override name = 'BundleBuildError';
  constructor(
    readonly item: string,
    message: string,
  ) {
    super(message);
  }
}

class BundleFailure extends Error {
  constructor(item: string, problem: string) {
    super(`${item}: ${problem}`);
  }
}

/**
 * Checks everything a bundle claims: the checkpoint signature; that its leaves
 * are the whole log up to the checkpoint; every version's content hash, leaf
 * and inclusion proof, the numbering and order of versions; every other entry;
 * that no entry of the document in the log is missing from the bundle; and,
 * given `since`, that the log extends that earlier checkpoint. Stops at the
 * first failure and names it.
 */
export function verifyBundle(bundle: unknown, opts: VerifyOptions & WitnessOptions = {}): VerifyResult {
  const keySource: KeySource = opts.verifierKey === undefined ? 'bundle' : 'argument';
  try {
    const summary = verifyOrThrow(bundle, opts, keySource);
    // The checkpoint's own signature has verified: now the witnesses' cosignatures on it.
    const witnesses = checkWitnessQuorum((bundle as Bundle).checkpoint, opts, (problem) => new BundleFailure('witnesses', problem));
    return { ok: true, summary: witnesses ? { ...summary, witnesses } : summary };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, error: err instanceof BundleFailure ? message : `bundle: ${message}`, keySource };
  }
}

function verifyOrThrow(input: unknown, opts: VerifyOptions, keySource: KeySource): BundleSummary {
  const bundle = checkShape(input);
  const { key, keyOrigin, warnings } = trustedKey(bundle, opts.verifierKey, keySource);
  const checkpoint = signedCheckpoint('checkpoint', bundle.checkpoint, key, keyOrigin);
  if (checkpoint.origin !== bundle.origin) {
    throw new BundleFailure('checkpoint', `origin "${checkpoint.origin}" is not the bundle's origin "${bundle.origin}"`);
  }
  const log = provenLog(bundle.leaves, checkpoint);
  const prove = entryProver(bundle, checkpoint, log);
  const versions = checkVersions(bundle, prove);
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
  checkEntries(bundle, prove, versions, summary);
  missingEntry(log.entries, bundle);
  if (opts.since !== undefined) summary.extends = extendsSince(opts.since, key, keyOrigin, checkpoint, log.tree);
  return summary;
}

/** The key the checkpoint is checked with (given, or the bundle's own), and what to warn about it. */
function trustedKey(bundle: Bundle, argumentKey: string | undefined, keySource: KeySource): { key: VerifierKey; keyOrigin: string; warnings: string[] } {
  const warnings: string[] = [];
  const keyLabel = keySource === 'argument' ? 'verifier key (--key)' : 'verifier key (in the bundle)';
  let key: VerifierKey;
  try {
    key = parseVerifierKey(argumentKey ?? bundle.verifierKey);
  } catch (err) {
    throw new BundleFailure(keyLabel, (err as Error).message);
  }
  if (keySource === 'bundle') {
    warnings.push('the checkpoint was checked with the key inside the bundle itself; pass --key with the server key you trust to rule out a forged bundle');
  } else if (argumentKey !== bundle.verifierKey) {
    warnings.push('the bundle names a different verifier key than the one given; the given key was used');
  }
  return { key, keyOrigin: keySource === 'argument' ? 'the given key' : 'the key in the bundle', warnings };
}

/** Checks one claimed entry (its leaf, document and inclusion proof) against the proven log; returns the logged entry. */
type EntryProver = (item: string, logIndex: number, leafText: string, proofText: string[]) => LogEntry;

function entryProver(bundle: Bundle, checkpoint: Checkpoint, log: { tree: MemoryHashStore; entries: LogEntry[] }): EntryProver {
  // The leaves proved the tree, so each proof must equal the one that tree
  // gives (proofs are unique): compare strings, each subtree encoded once.
  const encodedRanges = new Map<number, string>();
  const expectedProof = (logIndex: number): string[] =>
    inclusionProofRanges(logIndex, checkpoint.size).map(([lo, hi]) => {
      const key = lo * (checkpoint.size + 1) + hi; // a number, not a string: 140,000 lookups for 10,000 entries
      let encoded = encodedRanges.get(key);
      if (encoded === undefined) {
        encoded = encodeBase64(rangeHash(lo, hi, log.tree));
        encodedRanges.set(key, encoded);
      }
      return encoded;
    });
  return (item, logIndex, leafText, proofText) => {
    if (logIndex >= checkpoint.size) {
      throw new BundleFailure(item, `log index ${logIndex} is beyond the checkpoint's tree size ${checkpoint.size} (log truncated or checkpoint replaced)`);
    }
    if (leafText !== bundle.leaves[logIndex]) {
      throw new BundleFailure(item, `leaf is not the log's leaf at log index ${logIndex}: the entry or its position was altered`);
    }
    const entry = log.entries[logIndex]!;
    if (entry.document !== bundle.document.id) {
      throw new BundleFailure(item, `leaf belongs to document "${entry.document}", not "${bundle.document.id}"`);
    }
    const expected = expectedProof(logIndex);
    if (proofText.length !== expected.length || proofText.some((h, i) => h !== expected[i])) {
      throw new BundleFailure(item, `inclusion proof for log index ${logIndex} does not lead to the checkpoint's root (tree size ${checkpoint.size}): the proof was altered`);
    }
    return entry;
  };
}

interface CheckedVersions {
  /** Log indexes the versions occupy. */
  indexes: Set<number>;
  byNumber: Map<number, { contentHash: string; logIndex: number }>;
}

/** Versions run 1..n in log order; each hashes to its claimed content hash and is the logged version, field by field. */
function checkVersions(bundle: Bundle, prove: EntryProver): CheckedVersions {
  const checked: CheckedVersions = { indexes: new Set(), byNumber: new Map() };
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
    checked.indexes.add(v.logIndex);
    let recomputed: string;
    try {
      recomputed = contentHash(v.title, v.content);
    } catch (err) {
      throw new BundleFailure(item, `content cannot be hashed: ${(err as Error).message}`);
    }
    if (recomputed !== v.contentHash) {
      throw new BundleFailure(item, `content hash mismatch: title and content hash to ${recomputed}, the version says ${v.contentHash}`);
    }
    const entry = prove(item, v.logIndex, v.leaf, v.inclusionProof);
    if (entry.kind !== 'version') throw new BundleFailure(item, `leaf is a ${entry.kind} entry, not a version`);
    const logged: [string, unknown, unknown][] = [
      ['number', v.number, entry.number],
      ['label', v.label, entry.label],
      ['meeting', v.meeting, entry.meeting],
      ['content hash', v.contentHash, entry.contentHash],
      ['createdAt', v.createdAt, entry.time],
      ['createdBy', JSON.stringify(logActorOf(v.createdBy)), JSON.stringify(logActorOf(entry.actor))],
    ];
    for (const [field, claimed, inLog] of logged) {
      if (claimed !== inLog) throw new BundleFailure(item, `${field} ${JSON.stringify(claimed)} differs from the logged ${JSON.stringify(inLog)}`);
    }
    checked.byNumber.set(v.number, { contentHash: v.contentHash, logIndex: v.logIndex });
  });
  return checked;
}

/** The other entries (decisions, withdrawals, endorsements) in log order, each proven; counted and listed in `summary`. */
function checkEntries(bundle: Bundle, prove: EntryProver, versions: CheckedVersions, summary: BundleSummary): void {
  let previousIndex = -1;
  bundle.entries.forEach((e, i) => {
    let item = `entry ${i + 1} (log index ${e.logIndex})`;
    if (e.logIndex <= previousIndex) throw new BundleFailure(item, `log index is not after the previous entry's ${previousIndex}: entries are out of order`);
    if (versions.indexes.has(e.logIndex)) throw new BundleFailure(item, 'log index is also claimed by a version');
    previousIndex = e.logIndex;
    const entry = prove(item, e.logIndex, e.leaf, e.inclusionProof);
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
        const version = versions.byNumber.get(entry.version);
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
}

/** Verifies a signed checkpoint note with the key and parses it; `item` names it in failures. */
function signedCheckpoint(item: string, note: string, key: VerifierKey, keyOrigin: string): Checkpoint {
  let text: string;
  try {
    text = verifyNote(note, key).text;
  } catch (err) {
    throw new BundleFailure(item, `${(err as Error).message} (checked with ${keyOrigin})`);
  }
  try {
    return parseCheckpoint(text);
  } catch (err) {
    throw new BundleFailure(item, (err as Error).message);
  }
}

/** Hashes every shipped leaf into a tree that must be the checkpoint's, and decodes each. */
function provenLog(leaves: string[], checkpoint: Checkpoint): { tree: MemoryHashStore; entries: LogEntry[] } {
  const { size } = checkpoint;
  if (leaves.length < size) {
    const missing = size - leaves.length;
    throw new BundleFailure(
      'log',
      `the bundle holds ${leaves.length} leaves but the checkpoint covers ${size}: ${missing} ${missing === 1 ? 'entry was' : 'entries were'} removed or the tail was truncated`,
    );
  }
  if (leaves.length > size) throw new BundleFailure('log', `the bundle holds ${leaves.length} leaves, more than the checkpoint's ${size}: entries were added`);
  const tree = new MemoryHashStore();
  const bytes = leaves.map((text, i) => {
    const leaf = base64Field(`log index ${i}`, 'leaf', text);
    tree.appendLeafHash(leafHash(leaf));
    return leaf;
  });
  if (!equalHashes(tree.root(), checkpoint.rootHash)) {
    throw new BundleFailure('log', `the ${size} leaves do not hash to the checkpoint's root: a leaf was altered, replaced or reordered`);
  }
  const entries = bytes.map((leaf, i) => {
    try {
      return decodeEntry(leaf);
    } catch (err) {
      throw new BundleFailure(`log index ${i}`, `leaf: ${(err as Error).message}`);
    }
  });
  return { tree, entries };
}

/** Every entry of the document in the log must be in the bundle: names the first that is not. */
function missingEntry(entries: LogEntry[], bundle: Bundle): void {
  const carried = new Set([...bundle.versions, ...bundle.entries].map((e) => e.logIndex));
  entries.forEach((entry, logIndex) => {
    if (entry.document !== bundle.document.id || carried.has(logIndex)) return;
    throw new BundleFailure(describeEntry(entry, logIndex), 'in the log up to the checkpoint but missing from the bundle');
  });
}

/** How a log entry is named in messages: "version 4 (Final, log index 12)". */
export function describeEntry(entry: LogEntry, logIndex: number): string {
  switch (entry.kind) {
    case 'version':
      return `version ${entry.number} (${entry.label}, log index ${logIndex})`;
    case 'amendment-decision':
      return `decision to ${entry.decision} amendment ${entry.amendment} in section ${entry.section} (log index ${logIndex})`;
    case 'amendment-withdrawal':
      return `withdrawal of amendment ${entry.amendment} (log index ${logIndex})`;
    case 'endorsement':
      return `endorsement ${entry.endorsement} by ${entry.organization} of version ${entry.version} (log index ${logIndex})`;
  }
}

/** The bundle's log must extend the earlier checkpoint: same origin, no larger, and the same root at its size. */
function extendsSince(note: string, key: VerifierKey, keyOrigin: string, checkpoint: Checkpoint, tree: MemoryHashStore): BundleSummary['extends'] {
  const earlier = signedCheckpoint('earlier checkpoint (--since)', note, key, keyOrigin);
  if (earlier.origin !== checkpoint.origin) {
    throw new BundleFailure('earlier checkpoint (--since)', `is of log "${earlier.origin}", not of this bundle's log "${checkpoint.origin}"`);
  }
  if (earlier.size > checkpoint.size) {
    throw new BundleFailure(
      'fork',
      `the bundle's log (tree size ${checkpoint.size}) is shorter than the earlier checkpoint (tree size ${earlier.size}), so it does not extend it: the log was rolled back or forked, or this bundle is older than that checkpoint`,
    );
  }
  const root = earlier.size === 0 ? EMPTY_TREE_ROOT : treeHash(earlier.size, tree);
  if (!equalHashes(root, earlier.rootHash)) {
    throw new BundleFailure(
      'fork',
      `the bundle's log does not extend the earlier checkpoint: at tree size ${earlier.size} the earlier checkpoint has root ${encodeBase64(earlier.rootHash)}, this bundle's log has root ${encodeBase64(root)}; the server has shown two different histories`,
    );
  }
  return { treeSize: earlier.size, rootHash: encodeBase64(earlier.rootHash) };
}

// ---- Shape ------------------------------------------------------------------

/** Checks the JSON shape, naming the path of the first problem; after this the types can be trusted. */
function checkShape(input: unknown): Bundle {
  const root = object(input, 'bundle');
  if (root.format === 'accord-bundle/1') {
    throw new BundleFailure('bundle', `format is "accord-bundle/1", made before bundles carried every leaf of the log, so it cannot show that nothing was left out; download the bundle again (format "${BUNDLE_FORMAT}")`);
  }
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
  array(root.leaves, 'leaves').forEach((leaf, i) => string(leaf, `leaves[${i}]`));
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
