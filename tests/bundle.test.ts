import { describe, expect, it } from 'vitest';
import { buildBundle, verifyBundle, type Bundle, type BundleInput } from '../core/bundle';
import { contentHash, textHash } from '../core/canonical';
import { encodeEntry, type LogActor, type LogEntry } from '../core/log-entries';
import type { PMJSON } from '../core/schema';
import { formatCheckpoint } from '../core/tlog/checkpoint';
import { MemoryHashStore, treeHash } from '../core/tlog/merkle';
import { makeSignerKey, makeVerifierKey, parseSignerKey, signNote, type SignerKey } from '../core/tlog/note';

const ORIGIN = 'accord.example/log';
const serverKey = parseSignerKey(makeSignerKey(ORIGIN, new Uint8Array(32).fill(1)));
const otherKey = parseSignerKey(makeSignerKey(ORIGIN, new Uint8Array(32).fill(2)));
const SERVER_VERIFIER = makeVerifierKey(ORIGIN, serverKey.publicKey);
const OTHER_VERIFIER = makeVerifierKey(ORIGIN, otherKey.publicKey);

const chair: LogActor = { id: 'u1', name: 'Ana Chair', organization: 'IGF Secretariat' };
const LABELS = ['IGF 2016 Guadalajara draft', 'IGF 2017 Geneva draft', 'IGF 2018 Paris draft', 'IGF 2019 Berlin draft', 'Final'];

function docContent(n: number): PMJSON {
  return {
    type: 'doc',
    content: [
      {
        type: 'section',
        attrs: { id: 'privacy' },
        content: [
          { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Privacy' }] },
          { type: 'paragraph', content: [{ type: 'text', text: `Text of version ${n}.` }] },
        ],
      },
    ],
  };
}

function signCheckpoint(store: MemoryHashStore, size: number, key: SignerKey = serverKey): string {
  return signNote(formatCheckpoint({ origin: ORIGIN, size, rootHash: treeHash(size, store), extensions: [] }), key);
}

/** A log with five versions of "gpp", interleaved with another document's entries, decisions and endorsements. */
function fixture() {
  const store = new MemoryHashStore();
  const leaves: Uint8Array[] = [];
  const append = (entry: LogEntry) => {
    const leaf = encodeEntry(entry);
    leaves.push(leaf);
    return { logIndex: store.append(leaf), leaf };
  };
  const time = (i: number) => new Date(Date.UTC(2016, 0, 1) + i * 86_400_000).toISOString();
  const versions: BundleInput['versions'] = [];
  LABELS.forEach((label, i) => {
    const n = i + 1;
    append({ kind: 'version', document: 'other', number: n, label: 'other', meeting: null, contentHash: textHash(`o${n}`), actor: chair, time: time(i) });
    const content = docContent(n);
    const title = 'Good Practice Paper';
    const logged = append({
      kind: 'version',
      document: 'gpp',
      number: n,
      label,
      meeting: label.startsWith('IGF') ? label.slice(0, 8) : null,
      contentHash: contentHash(title, content),
      actor: chair,
      time: time(i),
    });
    versions.push({ title, content, markdown: `# ${title}\n\n## Privacy {#privacy}\n\nText of version ${n}.\n`, logIndex: logged.logIndex });
    if (n === 2) {
      append({
          kind: 'amendment-decision',
          document: 'gpp',
          amendment: 'a1',
          section: 'privacy',
          decision: 'accept',
          reason: 'Consensus in the room',
          quoteHash: textHash('version 2'),
          proposedHash: textHash('version two'),
          actor: chair,
          time: time(i),
        });
      append({ kind: 'amendment-withdrawal', document: 'gpp', amendment: 'a2', actor: { id: 'u2', name: 'Sam', organization: 'NGO' }, time: time(i) });
    }
    if (n === 3) {
      append({
          kind: 'endorsement',
          document: 'gpp',
          endorsement: 'e1',
          organization: 'Example Telecom',
          stakeholderGroup: 'private-sector',
          country: 'FR',
          version: 3,
          contentHash: contentHash(title, content),
          time: time(i),
        });
    }
  });
  append({ kind: 'version', document: 'other', number: 6, label: 'after', meeting: null, contentHash: textHash('o6'), actor: chair, time: time(9) });
  const input: BundleInput = {
    verifierKey: SERVER_VERIFIER,
    checkpoint: signCheckpoint(store, store.size),
    document: { id: 'gpp', title: 'Good Practice Paper' },
    leaves,
    versions,
  };
  return { store, leaves, input, bundle: buildBundle(input) };
}

/** A deep copy to tamper with, as a verifier would receive it: parsed JSON. */
function copy(bundle: Bundle): Bundle {
  return JSON.parse(JSON.stringify(bundle)) as Bundle;
}

function expectFailure(bundle: unknown, pattern: RegExp, verifierKey: string | undefined = SERVER_VERIFIER) {
  const result = verifyBundle(bundle, verifierKey === undefined ? {} : { verifierKey });
  expect(result.ok, JSON.stringify(result)).toBe(false);
  if (!result.ok) expect(result.error).toMatch(pattern);
}

describe('bundle', () => {
  const { store, input, bundle } = fixture();

  it('verifies an untouched bundle with the given key and summarises it', () => {
    const result = verifyBundle(copy(bundle), { verifierKey: SERVER_VERIFIER });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;
    expect(result.summary.keySource).toBe('argument');
    expect(result.summary.versions.map((v) => v.label)).toEqual(LABELS);
    expect(result.summary.amendmentDecisions).toBe(1);
    expect(result.summary.amendmentWithdrawals).toBe(1);
    expect(result.summary.endorsements).toEqual([{ organization: 'Example Telecom', stakeholderGroup: 'private-sector', country: 'FR', version: 3, logIndex: 8 }]);
    expect(result.summary.treeSize).toBe(store.size);
    expect(result.summary.warnings).toEqual([]);
  });

  it('says so when it could only use the key inside the bundle', () => {
    const result = verifyBundle(copy(bundle));
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.summary.keySource).toBe('bundle');
      expect(result.summary.warnings.join(' ')).toMatch(/key inside the bundle/);
    }
  });

  it('carries no contact names or e-mail addresses', () => {
    expect(JSON.stringify(bundle)).not.toMatch(/contact|email|@/i);
  });

  it('rejects changed text', () => {
    const b = copy(bundle);
    b.versions[2]!.content.content![0]!.content![1]!.content![0]!.text = 'Text of version 3, improved.';
    expectFailure(b, /^version 3 \(IGF 2018 Paris draft\): content hash mismatch/);
  });

  it('rejects changed text whose content hash was updated too', () => {
    const b = copy(bundle);
    const v = b.versions[2]!;
    v.content = docContent(99);
    v.contentHash = contentHash(v.title, v.content);
    expectFailure(b, /^version 3 \(IGF 2018 Paris draft\): content hash "sha256:[0-9a-f]+" differs from the logged/);
  });

  it('rejects a changed title', () => {
    const b = copy(bundle);
    b.versions[0]!.title = 'Bad Practice Paper';
    expectFailure(b, /^version 1 \(IGF 2016 Guadalajara draft\): content hash mismatch/);
  });

  it('rejects a changed label', () => {
    const b = copy(bundle);
    b.versions[1]!.label = 'IGF 2017 Geneva final';
    expectFailure(b, /^version 2 \(IGF 2017 Geneva final\): label "IGF 2017 Geneva final" differs from the logged "IGF 2017 Geneva draft"/);
  });

  it('rejects a removed version', () => {
    const b = copy(bundle);
    b.versions.splice(2, 1);
    expectFailure(b, /^version 4 \(IGF 2019 Berlin draft\): found where version 3 should be/);
  });

  it('rejects a removed version when the later ones were renumbered', () => {
    const b = copy(bundle);
    b.versions.splice(2, 1);
    b.versions.forEach((v, i) => (v.number = i + 1));
    expectFailure(b, /^version 3 \(IGF 2019 Berlin draft\): number 3 differs from the logged 4/);
  });

  it('rejects two versions swapped', () => {
    const b = copy(bundle);
    [b.versions[1], b.versions[2]] = [b.versions[2]!, b.versions[1]!];
    expectFailure(b, /^version 3 \(IGF 2018 Paris draft\): found where version 2 should be/);
  });

  it('rejects two versions swapped and renumbered', () => {
    const b = copy(bundle);
    [b.versions[1], b.versions[2]] = [b.versions[2]!, b.versions[1]!];
    b.versions[1]!.number = 2;
    b.versions[2]!.number = 3;
    expectFailure(b, /^version 2 \(IGF 2018 Paris draft\): number 2 differs from the logged 3/);
  });

  it('rejects a checkpoint replaced by an older one (log truncated below the versions)', () => {
    const b = copy(bundle);
    b.checkpoint = signCheckpoint(store, bundle.versions[3]!.logIndex); // version 4 and later not covered
    expectFailure(b, /^log: the bundle holds 14 leaves, more than the checkpoint's 10/);
    // With the leaves cut to that smaller tree too, the first version beyond it is named.
    const small = buildBundle({ ...input, checkpoint: b.checkpoint, leaves: input.leaves.slice(0, 10), versions: input.versions.slice(0, 3) });
    small.versions.push(copy(bundle).versions[3]!);
    expectFailure(small, /^version 4 \(IGF 2019 Berlin draft\): log index \d+ is beyond the checkpoint's tree size/);
  });

  it('rejects proofs that do not match the checkpoint (log rewritten or proof truncated)', () => {
    const b = copy(bundle);
    b.versions[4]!.inclusionProof.pop();
    expectFailure(b, /^version 5 \(Final\): inclusion proof .* does not lead to the checkpoint's root/);
    const rewritten = MemoryHashStore.fromLeaves(fixture().leaves.map((l, i) => (i === 0 ? new Uint8Array([0]) : l)));
    const c = copy(bundle);
    c.checkpoint = signCheckpoint(rewritten, rewritten.size);
    expectFailure(c, /^log: the 14 leaves do not hash to the checkpoint's root/);
  });

  it('rejects a checkpoint signed by another key when --key is given', () => {
    const b = copy(bundle);
    b.checkpoint = signCheckpoint(store, store.size, otherKey);
    b.verifierKey = OTHER_VERIFIER;
    expectFailure(b, /^checkpoint: note has no signature by accord\.example\/log\+[0-9a-f]{8} .*\(checked with the given key\)/);
    // Without --key the forgery is self-consistent: the result must say which key it trusted.
    const result = verifyBundle(b);
    expect(result.ok && result.summary.keySource).toBe('bundle');
  });

  it('rejects an altered checkpoint', () => {
    const b = copy(bundle);
    b.checkpoint = b.checkpoint.replace(`\n${store.size}\n`, `\n${store.size + 1}\n`);
    expectFailure(b, /^checkpoint: signature by .* does not verify/);
  });

  it('rejects a tampered, reordered or foreign entry', () => {
    const reordered = copy(bundle);
    reordered.entries.reverse();
    expectFailure(reordered, /^entry 2 \(log index \d+\): log index is not after the previous entry's/);

    const forged = copy(bundle);
    const endorsement = forged.entries[2]!;
    const leaf = JSON.parse(Buffer.from(endorsement.leaf, 'base64').toString('utf8')) as LogEntry;
    endorsement.leaf = Buffer.from(encodeEntry({ ...leaf, organization: 'Someone Else' } as LogEntry)).toString('base64');
    expectFailure(forged, /^entry 3 \(log index 8\): leaf is not the log's leaf at log index 8/);
    forged.leaves[8] = endorsement.leaf;
    expectFailure(forged, /^log: the 14 leaves do not hash to the checkpoint's root/);

    const foreign = copy(bundle);
    foreign.entries.push({ logIndex: 0, leaf: Buffer.from(fixture().leaves[0]!).toString('base64'), inclusionProof: [] });
    foreign.entries.sort((x, y) => x.logIndex - y.logIndex);
    expectFailure(foreign, /^entry 1 \(log index 0\): leaf belongs to document "other", not "gpp"/);
  });

  it('rejects malformed bundles with the path of the problem', () => {
    expectFailure(null, /^bundle: bundle must be an object/);
    expectFailure({ ...copy(bundle), format: 'accord-bundle/0' }, /^bundle: format is "accord-bundle\/0"/);
    const b = copy(bundle) as unknown as { versions: { leaf: string }[] };
    b.versions[1]!.leaf = 'not base64!';
    expectFailure(b, /^version 2 \(IGF 2017 Geneva draft\): leaf is not the log's leaf at log index 3/);
    const c = copy(bundle);
    c.leaves[4] = 'not base64!';
    expectFailure(c, /^log index 4: leaf is not valid base64/);
    const { leaves: _leaves, ...withoutLeaves } = copy(bundle);
    expectFailure(withoutLeaves, /^bundle: leaves must be an array/);
    expectFailure({ ...copy(bundle), format: 'accord-bundle/1' }, /^bundle: format is "accord-bundle\/1", made before bundles carried every leaf/);
    expectFailure(copy(bundle), /^verifier key \(--key\): /, 'not-a-key');
  });

  it('does not check the derived Markdown', () => {
    const b = copy(bundle);
    b.versions[0]!.markdown = 'anything';
    expect(verifyBundle(b, { verifierKey: SERVER_VERIFIER }).ok).toBe(true);
  });
});

describe('complete bundles: every entry of the document up to the checkpoint', () => {
  const { bundle } = fixture();
  const missing = (what: string) => new RegExp(`^${what.replace(/[()]/g, '\\$&')}: in the log up to the checkpoint but missing from the bundle$`);

  it('rejects the newest version removed', () => {
    const b = copy(bundle);
    b.versions.pop();
    expectFailure(b, missing('version 5 (Final, log index 12)'));
  });

  it('rejects the newest version removed with its leaf (the tree no longer matches)', () => {
    const b = copy(bundle);
    b.versions.pop();
    b.leaves.splice(12, 1);
    expectFailure(b, /^log: the bundle holds 13 leaves but the checkpoint covers 14: 1 entry was removed or the tail was truncated$/);
  });

  it('rejects a removed amendment decision, withdrawal or endorsement', () => {
    const cases: [number, string][] = [
      [0, 'decision to accept amendment a1 in section privacy (log index 4)'],
      [1, 'withdrawal of amendment a2 (log index 5)'],
      [2, 'endorsement e1 by Example Telecom of version 3 (log index 8)'],
    ];
    for (const [index, name] of cases) {
      const b = copy(bundle);
      b.entries.splice(index, 1);
      expectFailure(b, missing(name));
    }
  });

  it('rejects a truncated tail', () => {
    const b = copy(bundle);
    b.versions.pop();
    b.leaves = b.leaves.slice(0, 11);
    expectFailure(b, /^log: the bundle holds 11 leaves but the checkpoint covers 14: 3 entries were removed or the tail was truncated$/);
  });
});

describe('fork detection: the bundle must extend an earlier checkpoint (--since)', () => {
  const { store, leaves, bundle } = fixture();

  it('accepts an earlier checkpoint of the same log, and the same checkpoint', () => {
    for (const size of [0, 1, 7, store.size]) {
      const result = verifyBundle(copy(bundle), { verifierKey: SERVER_VERIFIER, since: signCheckpoint(store, size) });
      expect(result.ok, JSON.stringify(result)).toBe(true);
      if (result.ok) expect(result.summary.extends).toEqual({ treeSize: size, rootHash: Buffer.from(treeHash(size, store)).toString('base64') });
    }
  });

  it('names the fork when the earlier checkpoint saw another history', () => {
    const forked = MemoryHashStore.fromLeaves(leaves.map((l, i) => (i === 5 ? encodeEntry({ kind: 'amendment-withdrawal', document: 'gpp', amendment: 'a9', actor: chair, time: '2016-01-02T00:00:00.000Z' }) : l)));
    const result = verifyBundle(copy(bundle), { verifierKey: SERVER_VERIFIER, since: signCheckpoint(forked, 7) });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/^fork: the bundle's log does not extend the earlier checkpoint: at tree size 7 .* two different histories$/);
  });

  it('names a rollback when the earlier checkpoint is larger than the bundle', () => {
    const longer = MemoryHashStore.fromLeaves([...leaves, leaves[0]!]);
    const result = verifyBundle(copy(bundle), { verifierKey: SERVER_VERIFIER, since: signCheckpoint(longer, longer.size) });
    expect(!result.ok && result.error).toMatch(/^fork: the bundle's log \(tree size 14\) is shorter than the earlier checkpoint \(tree size 15\)/);
  });

  it('refuses an earlier checkpoint not signed by the log key', () => {
    const result = verifyBundle(copy(bundle), { verifierKey: SERVER_VERIFIER, since: signCheckpoint(store, 7, otherKey) });
    expect(!result.ok && result.error).toMatch(/^earlier checkpoint \(--since\): note has no signature by/);
  });
});
