// Witness cosignatures with several processes on one PostgreSQL (issue 14):
// they are kept in the shared store, so a cosignature collected by one
// process is served by every other, even one that cannot reach the witness,
// and a process that finds a checkpoint cosigned does not submit it again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from './helpers/server';
import { createTestDatabase, type TestDatabase } from './helpers/postgres';
import { freePort } from './helpers/process';
import { startWitness, type RunningWitness } from '../server/witness/http';
import { loadOrCreateLogKeyFile } from '../server/transparency/key';
import { splitNote } from '../core/tlog/note';
import { verifyBundle, type Bundle } from '../core/bundle';

const ORIGIN = 'test.accord.example/log';

async function waitFor<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 20_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('witness cosignatures across processes', () => {
  let db: TestDatabase;
  let tmp: string;
  let witness: RunningWitness;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    db = await createTestDatabase();
    tmp = mkdtempSync(join(tmpdir(), 'accord-witness-mp-'));
    // The log key exists before any process starts, so the witness can be told to follow it.
    const logKeyFile = join(tmp, 'log-key');
    const logKey = loadOrCreateLogKeyFile(logKeyFile, ORIGIN).verifierKey;
    witness = await startWitness({ dataDir: join(tmp, 'witness'), port: 0, logs: [logKey], name: 'witness.example/government' });
    const shared = { databaseUrl: db.url, logKeyFile, logOrigin: ORIGIN };
    // A reaches the witness; B is configured with the same witness at an address where nothing answers.
    a = await startTestServer({ config: { ...shared, witnesses: [{ url: witness.url, verifierKey: witness.verifierKey }] } });
    const dead = `http://127.0.0.1:${await freePort()}`;
    b = await startTestServer({ config: { ...shared, witnesses: [{ url: dead, verifierKey: witness.verifierKey }] } });
  }, 60_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await witness?.close();
    await db?.drop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('a cosignature collected through A is served by B, whose own witness address is dead', { timeout: 60_000 }, async () => {
    const cosigned = (s: TestServer) =>
      waitFor('a cosigned checkpoint', async () => {
        const note = await (await s.api('/api/log/checkpoint')).text();
        return splitNote(note).signatureLines.length === 2 ? note : null;
      });
    const onA = await cosigned(a);
    const onB = await cosigned(b);
    expect(onB).toBe(onA);
    expect(splitNote(onB).signatureLines[1]).toMatch(/^\u2014 witness\.example\/government /);
    const bundle = (await (await b.api('/api/documents/gpp/bundle')).json()) as Bundle;
    expect(verifyBundle(bundle, { witnesses: [witness.verifierKey], quorum: 1 }).ok).toBe(true);
    // B reports the witness as having cosigned its current checkpoint.
    const status = (await (await b.api('/api/log/witnesses')).json()) as { witnesses: { state: string }[] };
    expect(status.witnesses[0]!.state).toBe('cosigned');
  });
});
