// Witness cosignatures moved from DATA_DIR/witness-cosignatures.sqlite into
// the store (server/witness/legacy-cosignatures.ts): an earlier install's file
// is imported once on start, renamed aside, and what it held is served again.
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../server/store/sqlite';
import { IMPORTED_COSIGNATURES_FILE, importLegacyCosignatures, LEGACY_COSIGNATURES_FILE } from '../server/witness/legacy-cosignatures';
import { witnessKeyFromSeed } from '../server/witness/key';
import { cosignerId, parseCosignerVerifierKey } from '../core/tlog/cosignature';
import { splitNote } from '../core/tlog/note';
import { verifyBundle, type Bundle } from '../core/bundle';
import { startTestServer } from './helpers/server';
import { freePort } from './helpers/process';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'accord-legacy-cosig-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface LegacyRow {
  body: string;
  witness: string;
  size: number;
  line: string;
  timestamp: number;
}

/** The file as servers before the move wrote it (its schema, WAL mode). */
function writeLegacyFile(dataDir: string, rows: LegacyRow[]): void {
  const db = new Database(join(dataDir, LEGACY_COSIGNATURES_FILE));
  db.pragma('journal_mode = WAL');
  db.exec(`
    CREATE TABLE IF NOT EXISTS cosignatures (
      body TEXT NOT NULL,
      witness TEXT NOT NULL,
      tree_size INTEGER NOT NULL,
      line TEXT NOT NULL,
      timestamp INTEGER NOT NULL,
      PRIMARY KEY (body, witness)
    );
    CREATE INDEX IF NOT EXISTS cosignatures_by_witness ON cosignatures (witness, tree_size);
  `);
  const put = db.prepare('INSERT OR REPLACE INTO cosignatures (body, witness, tree_size, line, timestamp) VALUES (?, ?, ?, ?, ?)');
  for (const r of rows) put.run(r.body, r.witness, r.size, r.line, r.timestamp);
  db.close();
}

describe('legacy cosignature file', () => {
  it('is imported into the store once, renamed aside, and never overrides a cosignature the store holds', async () => {
    const dir = tempDir();
    const store = openSqliteStore(join(dir, 'accord.sqlite'), (size) => `test\n${size}\n`);
    try {
      await store.cosignatures.put('body-2\n', 2, 'w1', { line: 'already stored\n', timestamp: 5 });
      writeLegacyFile(dir, [
        { body: 'body-1\n', witness: 'w1', size: 1, line: 'w1 on 1\n', timestamp: 1 },
        { body: 'body-2\n', witness: 'w1', size: 2, line: 'w1 on 2, from the file\n', timestamp: 2 },
        { body: 'body-2\n', witness: 'w2', size: 2, line: 'w2 on 2\n', timestamp: 3 },
      ]);
      const logged: string[] = [];
      expect(await importLegacyCosignatures(dir, store.cosignatures, (m) => logged.push(m))).toBe(3);
      expect(logged.join('\n')).toMatch(/imported 3 witness cosignature/);
      expect(existsSync(join(dir, LEGACY_COSIGNATURES_FILE))).toBe(false);
      expect(existsSync(join(dir, IMPORTED_COSIGNATURES_FILE))).toBe(true);
      expect(await store.cosignatures.get('body-1\n', 'w1')).toEqual({ line: 'w1 on 1\n', timestamp: 1 });
      expect(await store.cosignatures.all('body-2\n')).toEqual(
        new Map([
          ['w1', { line: 'already stored\n', timestamp: 5 }],
          ['w2', { line: 'w2 on 2\n', timestamp: 3 }],
        ]),
      );
      expect(await store.cosignatures.largestSize('w2')).toBe(2);
      // Once: the renamed file is not read again.
      expect(await importLegacyCosignatures(dir, store.cosignatures)).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('a server upgraded in place serves the cosignatures its old file held, with every witness unreachable', async () => {
    const dir = tempDir();
    let server = await startTestServer({ dataDir: dir });
    const note = await (await server.api('/api/log/checkpoint')).text();
    await server.close();
    const body = splitNote(note).text;
    const witness = witnessKeyFromSeed('witness.example/academia', randomBytes(32));
    const line = witness.cosign(body, 1_750_000_000);
    writeLegacyFile(dir, [{ body, witness: cosignerId(parseCosignerVerifierKey(witness.verifierKey)), size: Number(body.split('\n')[1]), line, timestamp: 1_750_000_000 }]);

    const dead = `http://127.0.0.1:${await freePort()}`;
    server = await startTestServer({ dataDir: dir, config: { witnesses: [{ url: dead, verifierKey: witness.verifierKey }] } });
    try {
      expect(existsSync(join(dir, IMPORTED_COSIGNATURES_FILE))).toBe(true);
      const served = await (await server.api('/api/log/checkpoint')).text();
      expect(splitNote(served).signatureLines).toEqual([...splitNote(note).signatureLines, line.trimEnd()]);
      const bundle = (await (await server.api('/api/documents/gpp/bundle')).json()) as Bundle;
      expect(verifyBundle(bundle, { witnesses: [witness.verifierKey], quorum: 1 }).ok).toBe(true);
    } finally {
      await server.close();
    }
  });
});
