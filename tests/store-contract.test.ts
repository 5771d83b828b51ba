// The storage port's contract, run by every implementation (SQLite and
// PostgreSQL): every repository method, what must be one transaction, what
// must hold under concurrency (several calls, and for PostgreSQL several
// stores on one database, as several processes would be), and crash points
// (an encoder or a check that throws mid-transaction leaves nothing behind).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { openSqliteStore } from '../server/store/sqlite';
import { openPostgresStore } from '../server/store/postgres';
import { ConflictError } from '../server/errors';
import type { CheckpointSigner, Store, VersionDraft, VersionRecord } from '../server/store/types';
import { foldUpdates } from '../server/store/fold';
import { MemoryHashStore, inclusionProof, inclusionProofIndexes, prefetchedReader, verifyInclusion, leafHash } from '../core/tlog/merkle';
import { encodeBase64, decodeBase64 } from '../core/tlog/base64';
import { createTestDatabase, type TestDatabase } from './helpers/postgres';

/** A checkpoint the tests can read back: size and root, unsigned. */
const signer: CheckpointSigner = (size, root) => `test\n${size}\n${encodeBase64(root)}\n`;
const checkpointOf = (note: string) => {
  const [, size, root] = note.split('\n');
  return { size: Number(size), root: decodeBase64(root!) };
};

interface Implementation {
  name: string;
  /** Opens a store on fresh storage; `again` opens a second store on the same storage (another process). */
  open(): Promise<{ store: Store; again(): Promise<Store>; close(): Promise<void> }>;
}

const implementations: Implementation[] = [
  {
    name: 'sqlite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'accord-contract-'));
      const file = join(dir, 'accord.sqlite');
      const store = openSqliteStore(file, signer);
      return {
        store,
        again: async () => store, // one process owns a SQLite file
        async close() {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'postgres',
    async open() {
      const db: TestDatabase = await createTestDatabase();
      const opened: Store[] = [];
      const open = async () => {
        const s = await openPostgresStore(db.url, signer, { max: 4 });
        opened.push(s);
        return s;
      };
      const store = await open();
      return {
        store,
        again: open,
        async close() {
          for (const s of opened) await s.close();
          await db.drop();
        },
      };
    },
  },
];

const text = (update: Uint8Array | null, parts: Uint8Array[] = []): string => {
  const doc = new Y.Doc();
  const all = update ? [update, ...parts] : parts;
  if (all.length) Y.applyUpdate(doc, Y.mergeUpdates(all));
  return doc.getText('t').toString();
};

/** An update appending `s` to the text `t` of a document with client id `client`. */
function typed(client: number, s: string, base?: Y.Doc): { update: Uint8Array; doc: Y.Doc } {
  const doc = base ?? new Y.Doc();
  doc.clientID = client;
  const before = Y.encodeStateVector(doc);
  doc.getText('t').insert(doc.getText('t').length, s);
  return { update: Y.encodeStateAsUpdate(doc, before), doc };
}

const newUser = (email: string) => ({
  name: 'Ada',
  email,
  organization: 'Org',
  stakeholderGroup: 'civil-society' as const,
  role: 'editor' as const,
  passwordHash: null,
});

const actor = { id: 'u1', name: 'Ada', organization: 'Org' };
const participant = { ...actor, stakeholderGroup: 'civil-society' as const };

const draftVersion = (docId: string, label: string): VersionDraft => ({
  docId,
  label,
  meeting: null,
  title: 'T',
  contentJson: JSON.stringify({ type: 'doc', content: [] }),
  markdown: '# T\n',
  contentHash: 'h',
  createdAt: new Date().toISOString(),
  createdBy: actor,
});
const leafOfVersion = (v: VersionRecord) => new TextEncoder().encode(`version ${v.docId} ${v.number} ${v.logIndex}`);

async function verifyLog(store: Store): Promise<number> {
  const size = await store.log.size();
  const leaves = await store.log.leaves(0, size);
  expect(leaves).toHaveLength(size);
  const tree = MemoryHashStore.fromLeaves(leaves);
  const latest = await store.log.latestCheckpoint();
  if (size === 0) return 0;
  const cp = checkpointOf(latest!);
  expect(cp.size).toBe(size);
  expect(encodeBase64(cp.root)).toBe(encodeBase64(tree.root()));
  // Every checkpoint on the way is consistent with the one tree: never a fork.
  for (let n = 1; n <= size; n++) {
    const note = await store.log.checkpointCovering(n);
    const c = checkpointOf(note!);
    expect(c.size).toBe(n);
    expect(encodeBase64(c.root)).toBe(encodeBase64(MemoryHashStore.fromLeaves(leaves.slice(0, n)).root()));
  }
  // Stored hashes serve proofs.
  const i = size - 1;
  const indexes = inclusionProofIndexes(i, size);
  const proof = inclusionProof(i, size, prefetchedReader(indexes, await store.log.readHashes(indexes)));
  expect(verifyInclusion(i, size, leafHash(leaves[i]!), proof, tree.root())).toBe(true);
  return size;
}

for (const impl of implementations) {
  describe(`store contract: ${impl.name}`, () => {
    let env: Awaited<ReturnType<Implementation['open']>>;
    let store: Store;
    beforeAll(async () => {
      env = await impl.open();
      store = env.store;
    }, 30_000);
    afterAll(async () => env?.close());

    it('users: create, read, unique e-mail (any case), disable, count', async () => {
      const u = await store.users.create(newUser('ada@example.org'));
      expect(await store.users.byId(u.id)).toEqual(u);
      await expect(store.users.create(newUser('ADA@example.org'))).rejects.toBeInstanceOf(ConflictError);
      const cred = await store.users.credentials('Ada@Example.org');
      expect(cred?.user.id).toBe(u.id);
      expect(cred?.passwordHash).toBeNull();
      expect((await store.users.setDisabled(u.id, '2026-01-01T00:00:00.000Z'))?.disabledAt).toBe('2026-01-01T00:00:00.000Z');
      expect((await store.users.account(u.id))?.disabledAt).toBe('2026-01-01T00:00:00.000Z');
      expect(await store.users.setDisabled('nobody', null)).toBeNull();
      expect((await store.users.list()).map((a) => a.user.id)).toContain(u.id);
      expect(await store.users.count()).toBe(1);
      expect(await store.users.byId('nobody')).toBeNull();
      // The interface language: none until chosen, then remembered (issue 17).
      expect(u.language).toBeNull();
      expect((await store.users.setLanguage(u.id, 'ar'))?.language).toBe('ar');
      expect((await store.users.byId(u.id))?.language).toBe('ar');
      expect((await store.users.credentials('ada@example.org'))?.user.language).toBe('ar');
      expect(await store.users.setLanguage('nobody', 'fr')).toBeNull();
    });

    it('tokens: only live ones resolve; list, revoke one, revoke all of some kinds, delete', async () => {
      const u = await store.users.create(newUser('tok@example.org'));
      const now = new Date();
      const api = await store.tokens.create('h-api', u.id, 'api', null);
      const session = await store.tokens.create('h-s1', u.id, 'session', new Date(now.getTime() + 60_000), 'admin-hash');
      await store.tokens.create('h-old', u.id, 'session', new Date(now.getTime() - 1000));
      expect((await store.tokens.resolve('h-api', now))?.id).toBe(api.id);
      expect((await store.tokens.resolve('h-s1', now))?.adminTokenHash).toBe('admin-hash');
      expect(await store.tokens.resolve('h-old', now)).toBeNull();
      expect((await store.tokens.byId(session.id, now))?.kind).toBe('session');
      expect((await store.tokens.list(u.id, now)).map((t) => t.id).sort()).toEqual([api.id, session.id].sort());
      expect((await store.tokens.revoke(u.id, api.id))?.id).toBe(api.id);
      expect(await store.tokens.revoke(u.id, api.id)).toBeNull();
      const gone = await store.tokens.revokeAll(u.id, ['session']);
      expect(gone).toHaveLength(2);
      expect(await store.tokens.list(u.id, now)).toEqual([]);
      await store.tokens.create('h-x', u.id, 'api', null);
      expect((await store.tokens.delete('h-x'))?.kind).toBe('api');
      expect(await store.tokens.delete('h-x')).toBeNull();
    });

    it('documents: create with its first state in one transaction; a duplicate id changes nothing', async () => {
      const first = typed(1, 'hello');
      await store.documents.create({ id: 'd1', title: 'One' }, first.update);
      expect(await store.documents.get('d1')).toEqual({ id: 'd1', title: 'One', language: 'en' });
      await store.documents.create({ id: 'd-ar', title: 'عربي', language: 'ar' }, typed(3, 'x').update);
      expect((await store.documents.list()).find((d) => d.id === 'd-ar')?.language).toBe('ar');
      const head = await store.updates.head('d1');
      await expect(store.documents.create({ id: 'd1', title: 'Again' }, typed(2, 'x').update)).rejects.toBeInstanceOf(ConflictError);
      expect(await store.updates.head('d1')).toBe(head);
      expect(text(null, (await store.updates.load('d1')).tail)).toBe('hello');
      expect((await store.documents.list()).map((d) => d.id)).toContain('d1');
      expect(await store.documents.get('none')).toBeNull();
    });

    it('updates: append, load, since, head; compaction folds, is forward-only and deletes only what it folded', async () => {
      const base = typed(7, 'a');
      await store.documents.create({ id: 'd2', title: 'Two' }, base.update);
      const seqs: number[] = [];
      for (const ch of 'bcdef') seqs.push(await store.updates.append('d2', typed(7, ch, base.doc).update));
      expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
      expect(await store.updates.head('d2')).toBe(seqs[4]);
      const loaded = await store.updates.load('d2');
      expect(loaded.upto).toBe(seqs[4]);
      expect(text(loaded.snapshot, loaded.tail)).toBe('abcdef');
      const after = await store.updates.since('d2', seqs[2]!);
      expect(after.snapshot).toBeNull();
      expect(after.tail).toHaveLength(2);
      expect(after.tailSeqs).toEqual([seqs[3], seqs[4]]);

      const c = await store.updates.compact('d2', seqs[2]!);
      expect(c).toEqual({ upto: seqs[2], folded: 4 });
      expect(await store.updates.compact('d2', seqs[1]!)).toEqual({ upto: seqs[2], folded: 0 });
      const reloaded = await store.updates.load('d2');
      expect(reloaded.snapshot).not.toBeNull();
      expect(reloaded.tail).toHaveLength(2);
      expect(reloaded.tailSeqs).toEqual([seqs[3], seqs[4]]);
      expect(text(reloaded.snapshot, reloaded.tail)).toBe('abcdef');
      expect(await store.updates.head('d2')).toBe(seqs[4]);
      // Behind the snapshot, "since" answers with the snapshot and what follows.
      const behind = await store.updates.since('d2', seqs[0]!);
      expect(behind.snapshot).not.toBeNull();
      expect(text(behind.snapshot, behind.tail)).toBe('abcdef');
      expect(behind.upto).toBe(seqs[4]);
    });

    it('updates: compactions racing appends and each other lose nothing', async () => {
      const base = typed(9, '');
      await store.documents.create({ id: 'd3', title: 'Three' }, base.update);
      const other = await env.again();
      const writes: Promise<number>[] = [];
      const compactions: Promise<unknown>[] = [];
      let expected = '';
      for (let i = 0; i < 60; i++) {
        const ch = String.fromCharCode(65 + (i % 26));
        expected += ch;
        const update = typed(9, ch, base.doc).update;
        writes.push((i % 2 ? other : store).updates.append('d3', update));
        if (i % 10 === 5) {
          const upto = await store.updates.head('d3');
          compactions.push(store.updates.compact('d3', upto), other.updates.compact('d3', upto + 3));
        }
      }
      await Promise.all(writes);
      await Promise.all(compactions);
      const loaded = await store.updates.load('d3');
      expect(text(loaded.snapshot, loaded.tail)).toBe(expected);
      await store.updates.compact('d3', loaded.upto);
      const folded = await other.updates.load('d3');
      expect(folded.tail).toEqual([]);
      expect(text(folded.snapshot, folded.tail)).toBe(expected);
      expect(text(foldUpdates(folded.snapshot, []))).toBe(expected);
    });

    it('versions: numbered in the transaction that appends their leaf; concurrent freezes from two stores never collide or fork the log', async () => {
      await store.documents.create({ id: 'v', title: 'V' }, typed(3, 'v').update);
      const other = await env.again();
      const made = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? other : store).versions.create(draftVersion('v', `L${i}`), leafOfVersion)));
      expect(made.map((v) => v.number).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      expect(new Set(made.map((v) => v.logIndex)).size).toBe(12);
      const listed = await store.versions.list('v');
      expect(listed.map((v) => v.number)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      const v3 = await store.versions.get('v', 3);
      expect(v3?.content).toEqual({ type: 'doc', content: [] });
      expect(v3?.contentJson).toBe(JSON.stringify({ type: 'doc', content: [] }));
      expect(await store.versions.get('v', 99)).toBeNull();
      expect(v3?.createdBy).toEqual(actor);
      // The head is the version without its text (what a redline of prepared texts reads).
      const head = await store.versions.head('v', 3);
      const { content: _content, contentJson: _json, markdown: _markdown, ...fields } = v3!;
      expect(head).toEqual(fields);
      expect(head && 'contentJson' in head).toBe(false);
      expect(await store.versions.head('v', 99)).toBeNull();
      const leaves = await store.log.leaves(0, await store.log.size());
      for (const v of listed) expect(new TextDecoder().decode(leaves[v.logIndex])).toBe(`version v ${v.number} ${v.logIndex}`);
      await verifyLog(store);
      expect(await store.versions.get('v', 99)).toBeNull();
    });

    it('attribution: client ids claimed once (the first owner keeps them, across stores), deletions, version states, policies', async () => {
      await store.documents.create({ id: 'att', title: 'Att' }, typed(5, 'a').update);
      const other = await env.again();
      const at = '2026-01-01T00:00:00.000Z';
      expect(await store.attribution.claim('att', [{ clientId: 4_000_000_000, userId: 'u1', claimedAt: at, note: null }])).toEqual([]);
      // Racing claims of one id for two accounts from two stores: exactly one wins, the other is told who holds it.
      const [a, b] = await Promise.all([
        store.attribution.claim('att', [{ clientId: 42, userId: 'u1', claimedAt: at, note: null }]),
        other.attribution.claim('att', [{ clientId: 42, userId: 'u2', claimedAt: at, note: 'amendment 1, accepted by C' }]),
      ]);
      expect([...a, ...b]).toHaveLength(1);
      const winner = (await store.attribution.claims('att')).find((c) => c.clientId === 42)!;
      expect([...a, ...b][0]).toEqual(winner);
      // The same account claiming again is no loss.
      expect(await store.attribution.claim('att', [{ clientId: 42, userId: winner.userId, claimedAt: at, note: null }])).toEqual([]);
      expect((await other.attribution.claims('att')).find((c) => c.clientId === 4_000_000_000)).toEqual({ clientId: 4_000_000_000, userId: 'u1', claimedAt: at, note: null });
      expect(await store.attribution.claims('none')).toEqual([]);

      const v = await store.versions.create(draftVersion('att', 'One'), leafOfVersion);
      expect(await store.attribution.versionState('att', v.number)).toBeNull();
      await store.attribution.saveVersionState('att', v.number, new Uint8Array([1, 2, 3]));
      expect([...(await other.attribution.versionState('att', v.number))!]).toEqual([1, 2, 3]);
      // Versions frozen again from the same text share the state (a chain of them still reads in one step).
      const v2 = await store.versions.create(draftVersion('att', 'Two'), leafOfVersion);
      const v3 = await store.versions.create(draftVersion('att', 'Three'), leafOfVersion);
      await store.attribution.saveVersionStateSameAs('att', v2.number, v.number);
      await other.attribution.saveVersionStateSameAs('att', v3.number, v2.number);
      expect([...(await store.attribution.versionState('att', v3.number))!]).toEqual([1, 2, 3]);
      expect(await store.attribution.versionState('att', 99)).toBeNull();

      expect(await store.attribution.deletions('att')).toEqual([]);
      await store.attribution.recordDeletions('att', [
        { clientId: 4_000_000_000, clock: 3, len: 2, userId: 'u1', deletedAt: at },
        { clientId: 42, clock: 0, len: 1, userId: 'u2', deletedAt: at },
      ]);
      await other.attribution.recordDeletions('att', [{ clientId: 42, clock: 9, len: 4, userId: 'u1', deletedAt: at }]);
      await store.attribution.recordDeletions('att', []);
      expect(await other.attribution.deletions('att')).toEqual([
        { clientId: 4_000_000_000, clock: 3, len: 2, userId: 'u1', deletedAt: at },
        { clientId: 42, clock: 0, len: 1, userId: 'u2', deletedAt: at },
        { clientId: 42, clock: 9, len: 4, userId: 'u1', deletedAt: at },
      ]);

      expect(await store.attribution.policy('att')).toBeNull();
      await store.attribution.setPolicy('att', { visibility: 'chairs', publicShares: true, setBy: 'u1', setAt: at });
      await other.attribution.setPolicy('att', { visibility: 'public', publicShares: false, setBy: 'u2', setAt: at });
      expect(await store.attribution.policy('att')).toEqual({ visibility: 'public', publicShares: false, setBy: 'u2', setAt: at });
    });

    it('crash point: an encoder that throws inside the transaction leaves no version and no leaf', async () => {
      const size = await store.log.size();
      const count = (await store.versions.list('v')).length;
      await expect(
        store.versions.create(draftVersion('v', 'boom'), () => {
          throw new Error('crash mid-transaction');
        }),
      ).rejects.toThrow(/crash/);
      expect(await store.log.size()).toBe(size);
      expect(await store.versions.list('v')).toHaveLength(count);
      expect(checkpointOf((await store.log.latestCheckpoint())!).size).toBe(size);
      await verifyLog(store);
    });

    it('amendments: numbered per document, support once, closed once with its leaf and text change in one transaction', async () => {
      const base = typed(11, 'the quote');
      await store.documents.create({ id: 'am', title: 'A' }, base.update);
      const other = await env.again();
      const drafts = Array.from({ length: 6 }, (_, i) => ({
        id: `a${i}`,
        docId: 'am',
        section: 's',
        quote: 'quote',
        proposed: 'text',
        justification: 'j',
        occurrence: 1,
        anchorStart: new Uint8Array([1, 2]),
        anchorEnd: new Uint8Array([3]),
        proposer: participant,
        createdAt: new Date().toISOString(),
      }));
      const made = await Promise.all(drafts.map((d, i) => (i % 2 ? other : store).amendments.create(d)));
      expect(made.map((a) => a.number).sort()).toEqual([1, 2, 3, 4, 5, 6]);
      await store.amendments.support('a0', { supporter: { ...participant, id: 'u2' }, at: new Date().toISOString() });
      await expect(store.amendments.support('a0', { supporter: { ...participant, id: 'u2' }, at: new Date().toISOString() })).rejects.toBeInstanceOf(ConflictError);
      await store.amendments.comment('a0', { id: 'c1', author: participant, text: 'why', at: new Date().toISOString() });
      const got = await store.amendments.get('am', 'a0');
      expect(got?.amendment.anchorStart).toEqual(new Uint8Array([1, 2]));
      expect(got?.supporters).toHaveLength(1);
      expect(got?.comments.map((c) => c.text)).toEqual(['why']);

      const headBefore = await store.updates.head('am');
      const change = typed(11, ' changed', base.doc).update;
      const event = { amendmentId: 'a0', kind: 'decision' as const, decision: 'accept' as const, reason: 'ok', actor: participant, time: new Date().toISOString() };
      const leaf = (e: { amendmentId: string; logIndex: number }) => new TextEncoder().encode(`amendment ${e.amendmentId} ${e.logIndex}`);
      // Two processes decide at once: one wins; the loser records nothing (no leaf, no text change).
      const size = await store.log.size();
      const results = await Promise.allSettled([
        store.amendments.close(event, leaf, { docId: 'am', update: change }),
        other.amendments.close(event, leaf, { docId: 'am', update: change }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(loser.reason).toBeInstanceOf(ConflictError);
      expect(await store.log.size()).toBe(size + 1);
      const won = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<Awaited<ReturnType<Store['amendments']['close']>>>).value;
      expect(won.updateSeq).toBeGreaterThan(headBefore);
      expect(await store.updates.head('am')).toBe(won.updateSeq);
      const loaded = await store.updates.load('am');
      expect(text(loaded.snapshot, loaded.tail)).toBe('the quote changed');
      await expect(store.amendments.support('a0', { supporter: { ...participant, id: 'u3' }, at: new Date().toISOString() })).rejects.toBeInstanceOf(ConflictError);
      const withdrawn = await store.amendments.close({ ...event, amendmentId: 'a1', kind: 'withdrawal', decision: null }, leaf);
      expect(withdrawn.updateSeq).toBeNull();
      const listed = await store.amendments.list('am');
      expect(listed.map((s) => s.amendment.number)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(listed.find((s) => s.amendment.id === 'a0')?.closed?.decision).toBe('accept');
      expect(listed.find((s) => s.amendment.id === 'a1')?.closed?.kind).toBe('withdrawal');
      await verifyLog(store);
    });

    it('endorsements: submit, confirm the address once, decide once with the leaf; a confirmed organisation blocks another', async () => {
      await store.documents.create({ id: 'en', title: 'E' }, typed(13, 'e').update);
      await store.versions.create(draftVersion('en', 'v1'), leafOfVersion);
      const draft = {
        docId: 'en',
        version: 1,
        contentHash: 'h',
        organization: 'ACME',
        stakeholderGroup: 'private-sector' as const,
        country: 'DE',
        contactName: 'C',
        email: 'c@example.org',
        statement: null,
        reaffirms: null,
        submittedAt: new Date().toISOString(),
        linkExpiresAt: new Date(Date.now() + 3600_000).toISOString(),
      };
      const e1 = await store.endorsements.submit(draft, 'acme', 't1');
      const e2 = await store.endorsements.submit(draft, 'acme', 't2'); // pending ones never block
      const now = new Date().toISOString();
      expect(await store.endorsements.peekEmail('en', 't1', now)).toBe('ready');
      expect(await store.endorsements.peekEmail('en', 'nope', now)).toBe('invalid');
      const decision = { decision: 'confirm' as const, reason: null, actor, at: now };
      const leaf = (r: { id: string; decision: { logIndex: number | null } | null }) => new TextEncoder().encode(`endorsement ${r.id} ${r.decision?.logIndex}`);
      await expect(store.endorsements.decide('en', e1.id, decision, leaf)).rejects.toBeInstanceOf(ConflictError); // address not confirmed
      expect((await store.endorsements.confirmEmail('en', 't1', now)).outcome).toBe('confirmed');
      expect((await store.endorsements.confirmEmail('en', 't1', now)).outcome).toBe('already-used');
      expect((await store.endorsements.confirmEmail('en', 't2', now)).outcome).toBe('confirmed');
      const size = await store.log.size();
      const done = await store.endorsements.decide('en', e1.id, decision, leaf);
      expect(done.decision?.logIndex).toBe(size);
      await expect(store.endorsements.decide('en', e1.id, decision, leaf)).rejects.toBeInstanceOf(ConflictError);
      await expect(store.endorsements.decide('en', e2.id, decision, leaf)).rejects.toBeInstanceOf(ConflictError); // ACME already endorses v1
      expect(await store.log.size()).toBe(size + 1);
      expect(await store.endorsements.hasConfirmed('en', 1, 'acme')).toBe(true);
      await expect(store.endorsements.submit(draft, 'acme', 't3')).rejects.toBeInstanceOf(ConflictError);
      const rejected = await store.endorsements.decide('en', e2.id, { ...decision, decision: 'reject', reason: 'dup' }, leaf);
      expect(rejected.decision?.logIndex).toBeNull();
      expect((await store.endorsements.list('en')).map((e) => e.id)).toEqual([e1.id, e2.id]);
      const e4 = await store.endorsements.submit({ ...draft, organization: 'Other' }, 'other', 't4');
      await store.endorsements.discard('en', e4.id);
      expect(await store.endorsements.get('en', e4.id)).toBeNull();
      // Unconfirmed submissions whose link expired are forgotten; anything with an event stays.
      const e5 = await store.endorsements.submit({ ...draft, organization: 'Late', linkExpiresAt: '2000-01-01T00:00:00.000Z' }, 'late', 't5');
      expect(await store.endorsements.expireUnconfirmed(now)).toBe(1);
      expect(await store.endorsements.get('en', e5.id)).toBeNull();
      expect(await store.endorsements.get('en', e1.id)).not.toBeNull();
      expect(await store.endorsements.openVersion('en')).toBeNull();
      await store.endorsements.setOpenVersion({ docId: 'en', version: 1, setAt: now, setBy: actor });
      expect((await store.endorsements.openVersion('en'))?.version).toBe(1);
      await verifyLog(store);
    });

    it('rate limits: a sliding window per key, shared by every store on the database; forgive and sweep', async () => {
      const other = await env.again();
      const window = { max: 3, windowMs: 10 * 60_000 };
      const key = `addr-${impl.name}-${Date.now()}`;
      const t0 = Date.UTC(2026, 0, 1, 12, 0, 0);
      // Six concurrent attempts from two stores: exactly three are counted.
      const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? other : store).rateLimits.take(key, t0, window)));
      expect(answers.filter((a) => a.allowed)).toHaveLength(3);
      const refused = answers.find((a) => !a.allowed);
      expect(refused && !refused.allowed && refused.retryAfterSeconds).toBeGreaterThan(0);
      expect((await other.rateLimits.peek(key, t0, window)).allowed).toBe(false);
      await store.rateLimits.forgive(key, t0, window);
      expect((await other.rateLimits.peek(key, t0, window)).allowed).toBe(true);
      expect((await store.rateLimits.take(key, t0, window)).allowed).toBe(true);
      expect((await store.rateLimits.take(key, t0, window)).allowed).toBe(false);
      // Past the window, the key is free again; a sweep forgets what is older.
      expect((await store.rateLimits.take(key, t0 + 11 * 60_000, window)).allowed).toBe(true);
      await store.rateLimits.sweep(t0 + 60 * 60_000);
      expect((await other.rateLimits.peek(key, t0 + 11 * 60_000, window)).allowed).toBe(true);
    });

    it('witness cosignatures: kept by checkpoint and witness, the first one stays, seen by every store on the database', async () => {
      const other = await env.again();
      const body = `test\n7\n${impl.name}-root\n`;
      expect(await store.cosignatures.get(body, 'w1')).toBeNull();
      expect(await store.cosignatures.largestSize('w1')).toBeNull();
      expect((await store.cosignatures.all(body)).size).toBe(0);
      await store.cosignatures.put(body, 7, 'w1', { line: '\u2014 w1 first\n', timestamp: 1_700_000_000 });
      // Stored through one store (process), read through another.
      expect(await other.cosignatures.get(body, 'w1')).toEqual({ line: '\u2014 w1 first\n', timestamp: 1_700_000_000 });
      // Another process collecting the same witness's cosignature later changes nothing.
      await other.cosignatures.put(body, 7, 'w1', { line: '\u2014 w1 second\n', timestamp: 1_700_000_099 });
      expect((await store.cosignatures.get(body, 'w1'))?.line).toBe('\u2014 w1 first\n');
      await other.cosignatures.put(body, 7, 'w2', { line: '\u2014 w2\n', timestamp: 1_700_000_001 });
      await store.cosignatures.put(`test\n3\n${impl.name}-older\n`, 3, 'w1', { line: '\u2014 w1 older\n', timestamp: 1_600_000_000 });
      expect(await store.cosignatures.all(body)).toEqual(
        new Map([
          ['w1', { line: '\u2014 w1 first\n', timestamp: 1_700_000_000 }],
          ['w2', { line: '\u2014 w2\n', timestamp: 1_700_000_001 }],
        ]),
      );
      expect(await other.cosignatures.largestSize('w1')).toBe(7);
      expect(await other.cosignatures.largestSize('w3')).toBeNull();
    });

    it('exclusive: one holder of a named lock at a time, across stores', async () => {
      const other = await env.again();
      let inside = 0;
      let most = 0;
      const run = (s: Store) =>
        s.exclusive('seed', async () => {
          inside++;
          most = Math.max(most, inside);
          await new Promise((r) => setTimeout(r, 30));
          inside--;
        });
      await Promise.all([run(store), run(other), run(store), run(other)]);
      expect(most).toBe(1);
      await store.ping();
    });
  });
}
