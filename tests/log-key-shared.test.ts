// One signing key for every process (issue 14): ACCORD_LOG_KEY_FILE is created
// once, mode 0600, by whichever process finds it missing, and never
// overwritten; ACCORD_LOG_KEY=database keeps one key in PostgreSQL, generated once.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSignerKey, loadOrCreateLogKeyFile } from '../server/transparency/key';
import { openPostgresStore } from '../server/store/postgres';
import { createTestDatabase } from './helpers/postgres';

const dir = mkdtempSync(join(tmpdir(), 'accord-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the shared log key', () => {
  it('a key file is created once (0600) and every later open, racing or not, gets the same key', () => {
    const file = join(dir, 'log-signing-key');
    const keys = Array.from({ length: 5 }, () => loadOrCreateLogKeyFile(file, 'example.org/accord').verifierKey);
    expect(new Set(keys).size).toBe(1);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const before = readFileSync(file, 'utf8');
    loadOrCreateLogKeyFile(file, 'another.example/accord');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('an existing key file is used as it is', () => {
    const file = join(dir, 'given-key');
    const signer = generateSignerKey('given.example/accord');
    writeFileSync(file, `${signer}\n`, { mode: 0o600 });
    expect(loadOrCreateLogKeyFile(file, 'given.example/accord').origin).toBe('given.example/accord');
    expect(readFileSync(file, 'utf8')).toBe(`${signer}\n`);
  });

  it('ACCORD_LOG_KEY=database: the first store stores its key; every other gets that one', async () => {
    const db = await createTestDatabase();
    try {
      const a = await openPostgresStore(db.url, () => 'unused', { max: 2 });
      const b = await openPostgresStore(db.url, () => 'unused', { max: 2 });
      const [ka, kb] = await Promise.all([a.sharedSignerKey(() => generateSignerKey('db.example/accord')), b.sharedSignerKey(() => generateSignerKey('db.example/accord'))]);
      expect(ka).toBe(kb);
      expect(await a.sharedSignerKey(() => generateSignerKey('db.example/accord'))).toBe(ka);
      await a.close();
      await b.close();
    } finally {
      await db.drop();
    }
  });
});
