import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import { updatesForContributors, type BatchPart } from '../server/collab/fanout';

/** A batch: each contributor types a few updates into its own replica of a shared base; some parts come from the server. */
function makeBatch(shape: { updatesPerContributor: number[]; serverParts: number }): { base: Uint8Array; parts: BatchPart[]; contributors: Set<unknown>; clientOf: Map<unknown, number> } {
  const baseDoc = new Y.Doc();
  baseDoc.getText('t').insert(0, 'the shared text of the paper');
  const base = Y.encodeStateAsUpdate(baseDoc);
  const parts: BatchPart[] = [];
  const contributors = new Set<unknown>();
  const clientOf = new Map<unknown, number>();
  shape.updatesPerContributor.forEach((count, i) => {
    const peer = { name: `peer ${i}` };
    contributors.add(peer);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, base);
    clientOf.set(peer, doc.clientID);
    for (let u = 0; u < count; u++) {
      const before = Y.encodeStateVector(doc);
      doc.getText('t').insert((i * 7 + u) % 20, `${i}.${u} `);
      parts.push({ update: Y.encodeStateAsUpdate(doc, before), origin: peer });
    }
  });
  for (let s = 0; s < shape.serverParts; s++) {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, base);
    const before = Y.encodeStateVector(doc);
    doc.getMap('signals').set(`s${s}`, s);
    parts.push({ update: Y.encodeStateAsUpdate(doc, before), origin: { kind: 'server' } });
  }
  return { base, parts, contributors, clientOf };
}

function clientsIn(update: Uint8Array): Set<number> {
  return new Set(Y.decodeUpdate(update).structs.map((s) => s.id.client));
}

describe('updatesForContributors', () => {
  it('gives every contributor exactly the rest of the batch, never its own changes (few and many contributors)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 2 }), (updatesPerContributor, serverParts) => {
        const { base, parts, contributors, clientOf } = makeBatch({ updatesPerContributor, serverParts });
        const everything = new Y.Doc();
        Y.applyUpdate(everything, base);
        for (const p of parts) Y.applyUpdate(everything, p.update);
        const result = updatesForContributors(parts, contributors);
        expect(result.size).toBe(contributors.size);
        for (const peer of contributors) {
          const updates = result.get(peer)!;
          expect(updates.length).toBeLessThanOrEqual(2);
          // Never its own client's changes.
          for (const u of updates) expect(clientsIn(u).has(clientOf.get(peer)!)).toBe(false);
          // Its replica plus what it receives is the whole batch.
          const replica = new Y.Doc();
          Y.applyUpdate(replica, base);
          for (const p of parts) if (p.origin === peer) Y.applyUpdate(replica, p.update);
          for (const u of updates) Y.applyUpdate(replica, u);
          expect(replica.getText('t').toString()).toBe(everything.getText('t').toString());
          expect(replica.getMap('signals').toJSON()).toEqual(everything.getMap('signals').toJSON());
          expect(Y.encodeStateVector(replica)).toEqual(Y.encodeStateVector(everything));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('gives a lone contributor nothing, and shares one update among the members of a group', () => {
    const single = makeBatch({ updatesPerContributor: [3], serverParts: 0 });
    expect([...updatesForContributors(single.parts, single.contributors).values()]).toEqual([[]]);
    const many = makeBatch({ updatesPerContributor: Array.from({ length: 30 }, () => 1), serverParts: 1 });
    const result = updatesForContributors(many.parts, many.contributors);
    const firsts = new Set([...result.values()].map((u) => u[0]));
    // 30 contributors in ceil(sqrt(30)) = 6 groups: six distinct shared "outside" updates.
    expect(firsts.size).toBe(6);
  });
});
