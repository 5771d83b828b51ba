// The cluster bench's store check: every update a process relays is in
// PostgreSQL by the time a client sees it. One watcher connection per process
// (a y-websocket client that never types) records the marks
// `~<author>:<seq>:<time>~` of every update relayed to it; a loop looks in
// PostgreSQL again and again (the rows committed since its last look, and the
// snapshot when compaction has folded rows into it). A mark relayed before a
// look began must be among what that look found: the room relays only after
// the commit, so a look that starts later sees the row. A relay ahead of its
// commit would show up here as a missing mark whenever the look falls between
// the two.
import pg from 'pg';
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import { forEachMark } from './many-authors-client';

export interface StoreCheckResult {
  /** Updates (marks) relayed to the watchers, each counted once per watcher. */
  relayed: number;
  /** Of those, found in PostgreSQL by the first look that began after they were relayed. */
  found: number;
  /** Relayed, and not in PostgreSQL when looked for afterwards. */
  missing: number;
  /** Looks at PostgreSQL while the load ran. */
  looks: number;
}

export interface StoreCheck {
  stop(): Promise<StoreCheckResult>;
}

const LOOK_EVERY_MS = 50;

/** Every mark's "author:seq" in some bytes, as one number (Yjs keeps inserted strings as UTF-8, merged or folded). */
function marksIn(buf: Buffer, into: (mark: number) => void): void {
  forEachMark(buf, 0, (author, seq) => into(markKey(author, seq)));
}

/** One number per (author, seq): authors and updates per author stay far below 2^20 in any run. */
const markKey = (author: number, seq: number): number => author * 1_048_576 + seq;

/** A connection that only listens: sync step 1 with an empty state vector, then every frame is scanned for marks. */
function watch(url: string, onMarks: (marks: number[]) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`the store check's watcher could not connect to ${url}`));
    }, 20_000);
    ws.on('error', reject);
    ws.on('open', () => {
      const step1 = encoding.createEncoder();
      encoding.writeVarUint(step1, 0); // sync
      encoding.writeVarUint(step1, 0); // step 1
      encoding.writeVarUint8Array(step1, new Uint8Array([0])); // an empty state vector
      ws.send(encoding.toUint8Array(step1));
      clearTimeout(timer);
      resolve(ws);
    });
    ws.on('message', (data: Buffer) => {
      const marks: number[] = [];
      marksIn(data, (m) => marks.push(m));
      if (marks.length > 0) onMarks(marks);
    });
  });
}

/** What PostgreSQL holds of a document, read forward: rows after the last look, and the snapshot once it moves. */
class StoredMarks {
  readonly marks = new Set<number>();
  private lastSeq = 0;
  private snapshotUpto = 0;

  constructor(
    private readonly db: pg.Client,
    private readonly docId: string,
  ) {}

  /** Rows first, then the snapshot: a row folded away before the first query is in the snapshot the second one reads. */
  async look(): Promise<void> {
    const rows = await this.db.query<{ seq: string; data: Buffer }>('SELECT seq, data FROM updates WHERE doc_id = $1 AND seq > $2 ORDER BY seq', [this.docId, this.lastSeq]);
    for (const row of rows.rows) {
      marksIn(row.data, (m) => this.marks.add(m));
      this.lastSeq = Math.max(this.lastSeq, Number(row.seq));
    }
    const snapshot = await this.db.query<{ upto: string; data: Buffer }>('SELECT upto, data FROM snapshots WHERE doc_id = $1 AND upto > $2', [this.docId, this.snapshotUpto]);
    for (const row of snapshot.rows) {
      marksIn(row.data, (m) => this.marks.add(m));
      this.snapshotUpto = Number(row.upto);
    }
  }
}

/** Starts a watcher on each of `urls` and the looks at PostgreSQL (`databaseUrl`); `stop` gives the counts. */
export async function startStoreCheck(urls: readonly string[], databaseUrl: string, docId: string): Promise<StoreCheck> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const stored = new StoredMarks(db, docId);
  const result: StoreCheckResult = { relayed: 0, found: 0, missing: 0, looks: 0 };
  /** Marks relayed since the last look began, per watcher (a mark counted once per watcher). */
  let due: number[] = [];
  const seen = urls.map(() => new Set<number>());
  const sockets = await Promise.all(
    urls.map((url, i) =>
      watch(url, (marks) => {
        for (const m of marks) {
          if (seen[i]!.has(m)) continue;
          seen[i]!.add(m);
          due.push(m);
        }
      }),
    ),
  );
  const lookOnce = async () => {
    const check = due;
    due = [];
    await stored.look();
    result.looks++;
    for (const m of check) {
      result.relayed++;
      if (stored.marks.has(m)) result.found++;
      else result.missing++;
    }
  };
  let running = true;
  const loop = (async () => {
    while (running) {
      await lookOnce();
      await new Promise((r) => setTimeout(r, LOOK_EVERY_MS));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await lookOnce();
      for (const ws of sockets) ws.close();
      await db.end();
      return result;
    },
  };
}
