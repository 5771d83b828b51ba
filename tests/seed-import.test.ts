// Issue 19 item 11: the first-start import of the Good Practice Paper never
// stays half done. A bad file fails the start before anything is written; a
// start interrupted after some drafts is completed by the next start.
import { afterEach, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rooms } from '../server/collab/rooms';
import { DocumentService } from '../server/documents/service';
import { importSeedDocuments } from '../server/documents/seed';
import { openSqliteStore, type SqliteStore } from '../server/store/sqlite';
import { VersionService } from '../server/versions/service';
import { ROOT } from './helpers/process';

const dirs: string[] = [];
const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setUp() {
  const dir = mkdtempSync(join(tmpdir(), 'accord-seed-'));
  dirs.push(dir);
  const documentsDir = join(dir, 'documents');
  cpSync(join(ROOT, 'documents'), documentsDir, { recursive: true });
  const store = openSqliteStore(join(dir, 'accord.sqlite'), (size) => `test\n${size}\n`);
  stores.push(store);
  const rooms = new Rooms(store.updates, { compactEvery: 500, log: () => {} });
  const documents = new DocumentService(store, rooms);
  const versions = new VersionService(store, documents);
  const manifestFile = join(documentsDir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { drafts: { file: string; label: string }[] };
  return { store, documents, versions, documentsDir, manifestFile, manifest, run: () => importSeedDocuments(store, documents, versions, documentsDir) };
}

describe('first-start import', () => {
  it('a start interrupted after the first draft is completed by the next start, in order', async () => {
    const s = setUp();
    const full = JSON.stringify(s.manifest);
    // The first start "crashes" after recording one draft: as if the manifest ended there.
    writeFileSync(s.manifestFile, JSON.stringify({ ...s.manifest, drafts: s.manifest.drafts.slice(0, 1) }));
    await s.run();
    expect(await s.versions.list('gpp')).toHaveLength(1);
    writeFileSync(s.manifestFile, full);
    expect(await s.run()).toEqual({ id: 'gpp', versions: s.manifest.drafts.length });
    const labels = (await s.versions.list('gpp')).map((v) => v.label);
    expect(labels).toEqual(s.manifest.drafts.map((d) => d.label));
    expect(await s.store.documents.list()).toHaveLength(1);
    // Done once: a further start imports nothing.
    expect(await s.run()).toBeNull();
    expect(await s.versions.list('gpp')).toHaveLength(s.manifest.drafts.length);
  });

  it('a draft that cannot be read fails the start with nothing written', async () => {
    const s = setUp();
    const last = s.manifest.drafts[s.manifest.drafts.length - 1]!;
    writeFileSync(join(s.documentsDir, last.file), 'text before any section\n');
    await expect(s.run()).rejects.toThrow(/section/);
    expect(await s.store.documents.list()).toEqual([]);
  });
});
