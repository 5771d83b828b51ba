// The history repository's contract on both stores (SQLite and PostgreSQL):
// numbering, the chain from the nearest base, merging into a point that
// already covers a state, stale deltas, visits, and for PostgreSQL two stores
// on one database (two processes) recording the same point: stored once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { openSqliteStore } from '../server/store/sqlite';
import { openPostgresStore } from '../server/store/postgres';
import type { Store } from '../server/store/types';
import type { NewHistoryPoint } from '../server/store/history-types';
import { rebuildPoint } from '../server/history/delta';
import { createTestDatabase } from './helpers/postgres';
import { numberedMigrations, MIGRATIONS } from '../server/store/sqlite-schema';

const signer = (size: number) => `test\n${size}\n`;

interface Opened {
  store: Store;
  again(): Promise<Store>;
  close(): Promise<void>;
}

const implementations: { name: string; open(): Promise<Opened> }[] = [
  {
    name: 'sqlite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'accord-history-'));
      const store = openSqliteStore(join(dir, 'accord.sqlite'), signer);
      return {
        store,
        again: async () => store,
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
      const db = await createTestDatabase();
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

describe('migrations', () => {
  it('are numbered by place or explicitly, and must increase', () => {
    expect(numberedMigrations(MIGRATIONS).map((m) => m.version).slice(0, 6)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(numberedMigrations(MIGRATIONS).some((m) => m.version === 9)).toBe(true);
    expect(() => numberedMigrations(['a', { version: 9, sql: 'b' }, 'c'])).toThrow(/listed after/);
  });
});

for (const impl of implementations) {
  describe(`history store (${impl.name})`, () => {
    let opened: Opened;
    let store: Store;
    beforeAll(async () => {
      opened = await impl.open();
      store = opened.store;
      await store.documents.create({ id: 'doc', title: 'Doc' }, Y.encodeStateAsUpdate(new Y.Doc()));
    });
    afterAll(async () => {
      await opened?.close();
    });

    const doc = new Y.Doc();
    const text = doc.getText('t');
    let upto = 0;
    const point = (after: number | null, base: boolean, previous: Uint8Array | null, extra: Partial<NewHistoryPoint> = {}): NewHistoryPoint => ({
      docId: 'doc',
      at: new Date().toISOString(),
      version: null,
      accounts: [],
      upto: ++upto,
      after,
      base,
      data: base || previous === null ? Y.encodeStateAsUpdate(doc) : Y.encodeStateAsUpdate(doc, previous),
      stateVector: Y.encodeStateVector(doc),
      ...extra,
    });

    it('numbers points, rebuilds each from its nearest base, and merges into a point that covers the state', async () => {
      expect(await store.history.head('doc')).toBeNull();
      text.insert(0, 'alpha ');
      const first = await store.history.record(point(null, true, null, { accounts: ['u2', 'u1'] }));
      expect(first).toMatchObject({ kind: 'recorded', point: { number: 1, base: true, accounts: ['u1', 'u2'] } });
      let sv = Y.encodeStateVector(doc);
      text.insert(6, 'beta ');
      const second = await store.history.record(point(1, false, sv, { accounts: ['u3'] }));
      expect(second).toMatchObject({ kind: 'recorded', point: { number: 2, base: false } });
      sv = Y.encodeStateVector(doc);
      text.delete(0, 6);
      const third = await store.history.record(point(2, false, sv));
      expect(third.kind).toBe('recorded');
      const head = (await store.history.head('doc'))!;
      expect(head).toMatchObject({ number: 3, deltasSinceBase: 2 });
      expect(head.sinceBase).toBeGreaterThan(0);
      expect(head.baseBytes).toBe((await store.history.get('doc', 1))!.bytes);
      expect(rebuildPoint((await store.history.chain('doc', 2))!).getText('t').toString()).toBe('alpha beta ');
      expect(rebuildPoint((await store.history.chain('doc', 3))!).getText('t').toString()).toBe('beta ');
      expect(await store.history.chain('doc', 9)).toBeNull();

      // The same state again (another process, or a visit with nothing new): merged into point 3.
      const covered = await store.history.record({ ...point(2, false, sv, { accounts: ['u9'], version: 1 }), upto: head.upto });
      expect(covered).toMatchObject({ kind: 'covered', point: { number: 3, accounts: ['u9'], version: 1 } });
      // A delta computed against an older point is stale.
      text.insert(0, 'gamma ');
      const stale = await store.history.record(point(2, false, sv));
      expect(stale).toMatchObject({ kind: 'stale', head: { number: 3 } });
      // A base after which the chain starts again.
      const base = await store.history.record(point(3, true, null));
      expect(base).toMatchObject({ kind: 'recorded', point: { number: 4, base: true } });
      expect(await store.history.chain('doc', 4)).toHaveLength(1);
      expect((await store.history.list('doc')).map((p) => [p.number, p.base, p.version])).toEqual([
        [1, true, null],
        [2, false, null],
        [3, false, 1],
        [4, true, null],
      ]);
    });

    it('remembers the point each account last saw', async () => {
      expect(await store.history.lastVisit('doc', 'u1')).toBeNull();
      await store.history.markVisit({ docId: 'doc', userId: 'u1', point: 2, at: '2026-01-01T00:00:00.000Z' });
      await store.history.markVisit({ docId: 'doc', userId: 'u1', point: 3, at: '2026-01-02T00:00:00.000Z' });
      expect(await store.history.lastVisit('doc', 'u1')).toEqual({ docId: 'doc', userId: 'u1', point: 3, at: '2026-01-02T00:00:00.000Z' });
    });

    it('records a point once when two stores (processes) record the same state at the same time', async () => {
      const other = await opened.again();
      const head = (await store.history.head('doc'))!;
      text.insert(0, 'delta ');
      const same = point(head.number, false, head.stateVector);
      const outcomes = await Promise.all([store.history.record({ ...same, accounts: ['a'] }), other.history.record({ ...same, accounts: ['b'] })]);
      expect(outcomes.map((o) => o.kind).sort()).toEqual(['covered', 'recorded']);
      const points = await store.history.list('doc');
      expect(points).toHaveLength(head.number + 1);
      expect(points.at(-1)!.accounts).toEqual(['a', 'b']);
    });
  });
}
