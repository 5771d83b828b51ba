// Continuous history with two server processes on one PostgreSQL and one
// Redis: both hold the document while two editors type, one on each, so both
// see every change and both want a point after the pause. Each state is
// recorded once (numbers unique, no two points of the same stored state),
// the point names both editors, and it rebuilds to the live text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { startTestServer, type TestServer } from './helpers/server';
import { createTestDatabase, type TestDatabase } from './helpers/postgres';
import { connect, paragraphText, waitFor, type Client } from './helpers/ws';
import { openPostgresStore } from '../server/store/postgres';
import type { HistoryPointSummary, HistoryPointView } from '../core/history';

const REDIS_URL = process.env.ACCORD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('history across processes', () => {
  let db: TestDatabase;
  let a: TestServer;
  let b: TestServer;
  const clients: Client[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = {
      databaseUrl: db.url,
      redisUrl: REDIS_URL,
      redisPrefix: `history-${randomBytes(4).toString('hex')}`,
      logKeyInDatabase: true,
      historyTiming: { pauseMs: 300, activityMs: 20_000 },
    };
    a = await startTestServer({ config });
    b = await startTestServer({ config });
  });
  afterAll(async () => {
    clients.forEach((c) => c.destroy());
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  it('records each state once when both processes hold the document', { timeout: 60_000 }, async () => {
    const alice = await a.createUser('editor', 'Alice');
    const bob = await a.createUser('editor', 'Bob');
    const onA = await connect(a.wsUrl, 'gpp', alice.token);
    const onB = await connect(b.wsUrl, 'gpp', bob.token);
    clients.push(onA, onB);
    for (let i = 0; i < 5; i++) {
      paragraphText(onA.doc, 'privacy').insert(0, `a${i} `);
      paragraphText(onB.doc, 'security').insert(0, `b${i} `);
      await new Promise((r) => setTimeout(r, 20));
    }
    await waitFor(() => paragraphText(onA.doc, 'security').toString().startsWith('b4 ') && paragraphText(onB.doc, 'privacy').toString().startsWith('a4 '), 10_000, 'convergence');

    const read = async (server: TestServer) => ((await (await server.api('/api/documents/gpp/history', { token: server.adminToken })).json()) as { points: HistoryPointSummary[] }).points;
    const started = Date.now();
    let points = await read(a);
    const named = (ps: HistoryPointSummary[]) => new Set(ps.flatMap((p) => p.accounts.map((x) => x.name)));
    while (named(points).size < 2) {
      if (Date.now() - started > 15_000) throw new Error(`the points do not name both editors: ${JSON.stringify(points)}`);
      await new Promise((r) => setTimeout(r, 100));
      points = await read(b);
    }
    // Both processes' timers have fired by now; give the second a moment to merge into the first's point.
    await new Promise((r) => setTimeout(r, 500));
    points = await read(a);
    expect(points.map((p) => p.number)).toEqual(points.map((_, i) => i + 1));
    const store = await openPostgresStore(db.url, () => 'unused', { max: 1 });
    try {
      const stored = await store.history.list('gpp');
      expect(new Set(stored.map((p) => p.upto)).size).toBe(stored.length);
    } finally {
      await store.close();
    }
    // Both processes saw the same last change and recorded it once: the newest point names both (the second merged into it).
    const last = points.at(-1)!;
    expect(last.accounts.map((x) => x.name).sort()).toEqual(['Alice', 'Bob']);
    const view = (await (await b.api(`/api/documents/gpp/history/${last.number}`)).json()) as HistoryPointView;
    const live = (await (await a.api('/api/documents/gpp')).json()) as { markdown: string };
    expect(view.markdown).toBe(live.markdown);
  });
});
