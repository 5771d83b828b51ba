// Freezing a version of a 15,000-word document through the real path:
// live text → canonical JSON and hash → Markdown → SQLite row + log leaf +
// Merkle hashes + signed checkpoint, in one transaction.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rooms } from '../server/collab/rooms';
import { DocumentService } from '../server/documents/service';
import { loadOrCreateLogKey } from '../server/transparency/key';
import { openSqliteStore } from '../server/store/sqlite';
import { VersionService } from '../server/versions/service';
import { BundleService } from '../server/transparency/bundle';
import { paragraphText } from '../tests/helpers/ws';
import { TransparencyLog } from '../server/transparency/service';
import { median, round } from './stats';
import { syntheticPaper } from './paper-fixture';

export async function benchVersions(): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'accord-versions-'));
  const key = loadOrCreateLogKey(dir, 'bench.accord.example/log');
  const store = openSqliteStore(join(dir, 'accord.sqlite'), key.signCheckpoint);
  const rooms = new Rooms(store.updates, { compactEvery: 500, log: () => {} });
  const documents = new DocumentService(store, rooms);
  const versions = new VersionService(store, documents);
  const transparency = new TransparencyLog(store, key);
  const bundles = new BundleService(store, documents, transparency);
  await documents.create('big', 'Benchmark paper', syntheticPaper(15_000));
  const actor = { id: 'chair', name: 'Chair', organization: 'Bench' };
  const { room, release } = await rooms.acquire('big'); // keep the document open, as during a meeting
  const times: number[] = [];
  for (let i = 0; i < 60; i++) {
    const start = performance.now();
    await versions.freeze('big', `Draft ${i}`, null, actor);
    times.push(performance.now() - start);
  }
  // After an edit the text must be read again (in the worker when there is one; here, this thread).
  const edited: number[] = [];
  const text = paragraphText(room.doc, 's0');
  for (let i = 0; i < 10; i++) {
    text.insert(0, 'x');
    const start = performance.now();
    await versions.freeze('big', `Edited ${i}`, null, actor);
    edited.push(performance.now() - start);
  }
  let start = performance.now();
  const bundle = await bundles.json('big');
  const buildMs = performance.now() - start;
  release();
  await rooms.closeAll();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    'freeze a version of a 15,000-word document, text unchanged since the last read (row, leaf, checkpoint), median ms (target <= 5)': round(median(times.slice(10))),
    'freeze right after an edit (read, check, hash, Markdown in this thread, then row, leaf, checkpoint), median ms': round(median(edited)),
    'bundle of that document with 60 versions (15k words each): build ms': round(buildMs),
    'bundle size (MB)': round(bundle.length / 1e6),
  };
}
