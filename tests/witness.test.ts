// Stakeholder witnesses end to end: two `accord witness` processes, servers
// that submit to them, cosignatures checked by an independent implementation
// (raw node:crypto), a forked log refused, and `accord verify --quorum`.
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../cli/main';
import { verifyBundle } from '../core/bundle';
import { makeSignerKey, parseSignerKey, signNote, splitNote } from '../core/tlog/note';
import { ed25519 } from '@noble/curves/ed25519.js';
import { makeCosignerVerifierKey } from '../core/tlog/cosignature';
import { createServer } from 'node:http';
import { loadOrCreateLogKey } from '../server/transparency/key';
import { startWitness } from '../server/witness/http';
import { loadOrCreateWitnessKey } from '../server/witness/key';
import { SUBMIT_TIMEOUT_MS } from '../server/witness/submitter';
import { freePort, ROOT } from './helpers/process';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';
import { spawnWitness, type WitnessProcess } from './helpers/witness';

const run = promisify(execFile);
const ORIGIN = 'test.accord.example/log';
const tmp = mkdtempSync(join(tmpdir(), 'accord-witness-'));
const serverDir = join(tmp, 'server');
let logKey: string;
let w1: WitnessProcess;
let w2: WitnessProcess;
let server: TestServer;
let editor: TestUser;
let chair: TestUser;

const witnessConfig = () => [
  { url: w1.url, verifierKey: w1.verifierKey },
  { url: w2.url, verifierKey: w2.verifierKey },
];

beforeAll(async () => {
  // The log key exists before the server starts, so the witnesses can be told to follow it.
  mkdirSync(serverDir, { recursive: true });
  logKey = loadOrCreateLogKey(serverDir, ORIGIN).verifierKey;
  [w1, w2] = await Promise.all([
    spawnWitness({ dataDir: join(tmp, 'w1'), logKey, name: 'witness.example/government' }),
    spawnWitness({ dataDir: join(tmp, 'w2'), logKey, name: 'witness.example/civil-society' }),
  ]);
  server = await startTestServer({ dataDir: serverDir, config: { logOrigin: ORIGIN, witnesses: witnessConfig() } });
  editor = await server.createUser('editor', 'Ed');
  chair = await server.createUser('chair', 'Cho');
});

afterAll(async () => {
  await server?.close();
  await Promise.all([w1?.stop(), w2?.stop()]);
  rmSync(tmp, { recursive: true, force: true });
});

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const checkpointOf = async (s: TestServer) => (await s.api('/api/log/checkpoint')).text();
const sizeOf = (note: string) => Number(splitNote(note).text.split('\n')[1]);

/** Waits until the served checkpoint has size >= `size` and carries `count` cosignature lines. */
function cosignedCheckpoint(s: TestServer, count: number, size = 0): Promise<string> {
  return waitFor(`${count} cosignatures`, async () => {
    const note = await checkpointOf(s);
    return sizeOf(note) >= size && splitNote(note).signatureLines.length === 1 + count ? note : null;
  });
}

async function freeze(s: TestServer, label: string): Promise<number> {
  const res = await s.api('/api/documents/gpp/versions', { method: 'POST', token: editor.token, body: { label } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { logIndex: number }).logIndex;
}

/**
 * C2SP tlog-cosignature checked with node:crypto alone (none of Accord's
 * modules): the key ID is SHA-256(name || "\n" || 0x04 || key)[:4], the
 * signed message the `cosignature/v1` and `time` lines and the checkpoint body.
 */
function independentlyVerify(vkey: string, body: string, signatureLines: string[]): { timestamp: number } {
  const [, name, idHex, keyB64] = /^([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(vkey)!;
  const keyBytes = Buffer.from(keyB64!, 'base64');
  expect(keyBytes[0]).toBe(0x04);
  const publicKey = keyBytes.subarray(1);
  const keyId = createHash('sha256').update(Buffer.concat([Buffer.from(`${name}\n`, 'utf8'), Buffer.from([0x04]), publicKey])).digest().subarray(0, 4);
  expect(keyId.toString('hex')).toBe(idHex);
  const line = signatureLines.find((l) => l.startsWith(`\u2014 ${name} `));
  expect(line, `a signature line by ${name}`).toBeDefined();
  const raw = Buffer.from(line!.split(' ')[2]!, 'base64');
  expect(raw.length).toBe(4 + 8 + 64);
  expect(raw.subarray(0, 4).equals(keyId)).toBe(true);
  const timestamp = Number(raw.readBigUInt64BE(4));
  const message = Buffer.from(`cosignature/v1\ntime ${timestamp}\n${body}`, 'utf8');
  const spki = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), publicKey]), format: 'der', type: 'spki' });
  expect(nodeVerify(null, message, spki, raw.subarray(12))).toBe(true);
  return { timestamp };
}

async function addCheckpoint(w: WitnessProcess, body: string): Promise<{ status: number; type: string; text: string }> {
  const res = await fetch(`${w.url}/add-checkpoint`, { method: 'POST', body });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

describe('accord witness', () => {
  it('prints a type 0x04 verifier key, serves it at /key, and keeps its key file at mode 0600', async () => {
    for (const w of [w1, w2]) {
      expect(Buffer.from(w.verifierKey.split('+').slice(2).join('+'), 'base64')[0]).toBe(0x04);
      expect((await (await fetch(`${w.url}/key`)).text()).trim()).toBe(w.verifierKey);
      expect(statSync(join(w.dataDir, 'witness-key')).mode & 0o777).toBe(0o600);
    }
    expect(w1.verifierKey.startsWith('witness.example/government+')).toBe(true);
  });

  it('both witnesses cosign every new checkpoint; the cosignatures verify independently', async () => {
    const first = await cosignedCheckpoint(server, 2);
    const before = sizeOf(first);
    const logIndex = await freeze(server, 'Witnessed draft');
    expect(logIndex).toBe(before);
    const note = await cosignedCheckpoint(server, 2, before + 1);
    const { text, signatureLines } = splitNote(note);
    expect(sizeOf(note)).toBe(before + 1);
    expect(signatureLines[0]!.startsWith(`\u2014 ${ORIGIN} `)).toBe(true);
    const now = Date.now() / 1000;
    for (const w of [w1, w2]) {
      const { timestamp } = independentlyVerify(w.verifierKey, text, signatureLines.slice(1));
      expect(Math.abs(timestamp - now)).toBeLessThan(120);
    }
  });

  it('shows which witnesses cosigned: publicly, with details for chairs, and on the public endorsement page', async () => {
    await cosignedCheckpoint(server, 2);
    const pub = (await (await server.api('/api/log/witnesses')).json()) as { treeSize: number; witnesses: Record<string, unknown>[] };
    expect(pub.witnesses.map((w) => [w.name, w.state])).toEqual([
      ['witness.example/government', 'cosigned'],
      ['witness.example/civil-society', 'cosigned'],
    ]);
    expect(pub.witnesses[0]).not.toHaveProperty('url');
    const detailed = (await (await server.api('/api/log/witnesses', { token: chair.token })).json()) as { witnesses: { url: string; cosignedSize: number }[] };
    expect(detailed.witnesses.map((w) => w.url)).toEqual([w1.url, w2.url]);
    expect(detailed.witnesses[0]!.cosignedSize).toBe(pub.treeSize);
    const page = await (await server.api('/endorse/gpp')).text();
    expect(page).toMatch(/Witnessed by<\/strong>[^<]*<\/p>\s*<ul[^>]*>\s*<li>witness\.example\/government<\/li>\s*<li>witness\.example\/civil-society<\/li>/);
  });

  it('bundles carry the cosignatures; accord verify --witness … --quorum k passes and fails correctly', async () => {
    await cosignedCheckpoint(server, 2);
    const bundle = (await (await server.api('/api/documents/gpp/bundle')).json()) as { checkpoint: string };
    expect(splitNote(bundle.checkpoint).signatureLines).toHaveLength(3);
    const file = join(tmp, 'bundle.json');
    writeFileSync(file, JSON.stringify(bundle));
    const cli = (args: string[]) => run(process.execPath, [join(ROOT, 'bin/accord.mjs'), 'verify', file, '--key', logKey, ...args], { cwd: tmp });

    const ok = await cli(['--witness', w1.verifierKey, '--witness', w2.verifierKey, '--quorum', '2']);
    expect(ok.stdout).toMatch(/^OK: the bundle verifies/);
    expect(ok.stdout).toContain('witness.example/civil-society');

    // A third witness that never cosigned: 2 of 3 is not a quorum of 3.
    const stranger = makeCosignerKeyFor('witness.example/academia');
    // (In process, to spare a second CLI start: the same main() the binary runs.)
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((m: unknown) => void errors.push(String(m)));
    const code = await main(['verify', file, '--key', logKey, '--witness', w1.verifierKey, '--witness', w2.verifierKey, '--witness', stranger, '--quorum', '3']);
    spy.mockRestore();
    expect(code).toBe(1);
    expect(errors.join('\n')).toMatch(/^FAIL: witnesses: 2 of the 3 given witness\(es\) cosigned the checkpoint, 3 required \(witness\.example\/academia\+[0-9a-f]{8}: no cosignature\)/);

    // The same checks in process: the default quorum is every named witness; a removed or altered cosignature fails.
    expect(verifyBundle(bundle, { verifierKey: logKey, witnesses: [w1.verifierKey, w2.verifierKey] }).ok).toBe(true);
    expect(verifyBundle(bundle, { verifierKey: logKey, witnesses: [w1.verifierKey, stranger], quorum: 1 }).ok).toBe(true);
    const lines = bundle.checkpoint.trimEnd().split('\n');
    const withoutW2 = { ...bundle, checkpoint: `${lines.filter((l) => !l.startsWith('\u2014 witness.example/civil-society ')).join('\n')}\n` };
    const r1 = verifyBundle(withoutW2, { verifierKey: logKey, witnesses: [w1.verifierKey, w2.verifierKey], quorum: 2 });
    expect(r1).toMatchObject({ ok: false, error: expect.stringMatching(/^witnesses: 1 of the 2/) });
    const altered = { ...bundle, checkpoint: bundle.checkpoint.replace(/(\u2014 witness\.example\/government \S{20})(\S)/, (_m, a: string, c: string) => a + (c === 'A' ? 'B' : 'A')) };
    expect(verifyBundle(altered, { verifierKey: logKey, witnesses: [w1.verifierKey], quorum: 1 }).ok).toBe(false);
  });
});

/** A witness key that cosigned nothing here. */
function makeCosignerKeyFor(name: string): string {
  return makeCosignerVerifierKey(name, ed25519.getPublicKey(new Uint8Array(32).fill(5)));
}

describe('a forked log is refused', () => {
  let forkB: TestServer;

  afterAll(async () => {
    await forkB?.close();
  });

  it('two servers from one copied DATA_DIR: the witness cosigns one branch, refuses the other with 409, and an inconsistent proof with 422', async () => {
    await cosignedCheckpoint(server, 2);
    const base = sizeOf(await checkpointOf(server));
    await server.close();
    const forkDir = join(tmp, 'fork');
    cpSync(serverDir, forkDir, { recursive: true });
    server = await startTestServer({ dataDir: serverDir, config: { logOrigin: ORIGIN, witnesses: witnessConfig() } });
    const forkA = server;
    forkB = await startTestServer({ dataDir: forkDir, config: { logOrigin: ORIGIN, witnesses: witnessConfig() } });
    // Each branch resubmits the same checkpoint at first: both may carry the cosignatures.
    await cosignedCheckpoint(forkB, 2, base);

    await freeze(forkA, 'Branch A');
    const noteA = await cosignedCheckpoint(forkA, 2, base + 1);
    await freeze(forkB, 'Branch B');
    // B's checkpoint has the same size and a different root: both witnesses refuse it.
    const statuses = await waitFor('the witnesses to refuse branch B', async () => {
      const body = (await (await forkB.api('/api/log/witnesses', { token: chair.token })).json()) as { witnesses: { state: string; lastError: string | null }[] };
      return body.witnesses.every((w) => w.state === 'refused') ? body.witnesses : null;
    });
    expect(statuses[0]!.lastError).toMatch(/409.*different tree of size/);
    const noteB = await checkpointOf(forkB);
    expect(sizeOf(noteB)).toBe(base + 1);
    expect(splitNote(noteB).text).not.toBe(splitNote(noteA).text);
    expect(splitNote(noteB).signatureLines).toHaveLength(1);

    // Straight to the witness, with the right log key's signature: 409 and the size it cosigned.
    for (const w of [w1, w2]) {
      const answer = await addCheckpoint(w, `old ${base + 1}\n\n${noteB}`);
      expect(answer).toEqual({ status: 409, type: 'text/x.tlog.size', text: `${base + 1}\n` });
      expect(await addCheckpoint(w, `old ${base}\n\n${noteB}`)).toEqual({ status: 409, type: 'text/x.tlog.size', text: `${base + 1}\n` });
    }

    // B grows on: its consistency proof from size base+1 is of its own tree, not of the one the witness cosigned.
    await freeze(forkB, 'Branch B, later');
    const noteB2 = await checkpointOf(forkB);
    const proof = (await (await forkB.api(`/api/log/proof/consistency?from=${base + 1}&to=${base + 2}`)).json()) as { hashes: string[] };
    const inconsistent = await addCheckpoint(w1, `old ${base + 1}\n${proof.hashes.map((h) => `${h}\n`).join('')}\n${noteB2}`);
    expect(inconsistent.status).toBe(422);

    // Branch A grows on with a valid proof and is cosigned (nothing stored from B's attempts).
    await freeze(forkA, 'Branch A, later');
    await cosignedCheckpoint(forkA, 2, base + 2);
  });

  it('answers 404 for an unknown origin, 403 for a checkpoint not signed by the log key, 400 for malformed bodies', async () => {
    const note = await checkpointOf(server);
    const { text } = splitNote(note);
    const size = sizeOf(note);
    const impostor = parseSignerKey(makeSignerKey(ORIGIN, new Uint8Array(32).fill(3)));
    expect((await addCheckpoint(w1, `old ${size}\n\n${signNote(text, impostor)}`)).status).toBe(403);
    const other = parseSignerKey(makeSignerKey('other.example/log', new Uint8Array(32).fill(4)));
    const unknown = await addCheckpoint(w1, `old 0\n\n${signNote(text.replace(ORIGIN, 'other.example/log'), other)}`);
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text)).toMatchObject({ error: { code: 'unknown_log' } });
    expect((await addCheckpoint(w1, 'hello')).status).toBe(400);
    expect((await addCheckpoint(w1, `old ${size + 1}\n\n${note}`)).status).toBe(400);
    // The right checkpoint, resubmitted at its own size: cosigned again.
    const again = await addCheckpoint(w1, `old ${size}\n\n${note}`);
    expect(again.status).toBe(200);
    independentlyVerify(w1.verifierKey, text, [again.text.trimEnd()]);
  });

  it('accord witness keeps its key and its state across restarts', async () => {
    const key = w2.verifierKey;
    const size = sizeOf(await cosignedCheckpoint(server, 2));
    await w2.stop();
    w2 = await spawnWitness({ dataDir: w2.dataDir, logKey, name: 'ignored/once-created', port: w2.port });
    expect(w2.verifierKey).toBe(key);
    // It remembers the size it cosigned: a submission from size 0 gets 409 and that size.
    expect(await addCheckpoint(w2, `old 0\n\n${await checkpointOf(server)}`)).toEqual({ status: 409, type: 'text/x.tlog.size', text: `${size}\n` });
  });

  it('a witness that hangs or is down never blocks a freeze; the server retries it in the background', async () => {
    // A third witness, not running yet; in its place, a port that accepts connections and never answers.
    const w3Dir = join(tmp, 'w3');
    mkdirSync(w3Dir);
    const w3Key = loadOrCreateWitnessKey(w3Dir, 'witness.example/academia').verifierKey;
    const hang = createServer(() => {});
    await new Promise<void>((resolve) => hang.listen(0, '127.0.0.1', resolve));
    const port = (hang.address() as { port: number }).port;
    await server.close();
    server = await startTestServer({
      dataDir: serverDir,
      config: { logOrigin: ORIGIN, witnesses: [{ url: w1.url, verifierKey: w1.verifierKey }, { url: `http://127.0.0.1:${port}`, verifierKey: w3Key }] },
    });
    const start = Date.now();
    await freeze(server, 'While a witness hangs');
    expect(Date.now() - start).toBeLessThan(SUBMIT_TIMEOUT_MS);
    const size = sizeOf(await checkpointOf(server));
    // The live witness cosigns at once; the hanging one times out and is marked failing.
    expect(splitNote(await cosignedCheckpoint(server, 1, size)).signatureLines[1]).toMatch(/^\u2014 witness\.example\/government /);
    const failing = await waitFor('the hanging witness to show as failing', async () => {
      const body = (await (await server.api('/api/log/witnesses', { token: chair.token })).json()) as { witnesses: { state: string; lastError: string | null }[] };
      return body.witnesses[1]!.state === 'failing' ? body.witnesses[1] : null;
    });
    expect(failing.lastError).toMatch(/no answer within/);
    hang.close();
    hang.closeAllConnections?.();

    // The witness comes up on that port: the server's next retry is cosigned.
    const w3 = await startWitness({ dataDir: w3Dir, port, logs: [logKey] });
    try {
      const cosigned = await cosignedCheckpoint(server, 2, size);
      independentlyVerify(w3Key, splitNote(cosigned).text, splitNote(cosigned).signatureLines.slice(1));
    } finally {
      await w3.close();
    }
  });

  it('a restarted server keeps serving the cosignatures it collected, even with every witness unreachable', async () => {
    const note = await cosignedCheckpoint(server, 2);
    await server.close();
    const dead = `http://127.0.0.1:${await freePort()}`;
    server = await startTestServer({
      dataDir: serverDir,
      config: { logOrigin: ORIGIN, witnesses: [w1.verifierKey, loadOrCreateWitnessKey(join(tmp, 'w3'), '-').verifierKey].map((verifierKey) => ({ url: dead, verifierKey })) },
    });
    expect(await checkpointOf(server)).toBe(note);
    const bundle = (await (await server.api('/api/documents/gpp/bundle')).json()) as { checkpoint: string };
    expect(verifyBundle(bundle, { verifierKey: logKey, witnesses: [w1.verifierKey, loadOrCreateWitnessKey(join(tmp, 'w3'), '-').verifierKey], quorum: 2 }).ok).toBe(true);
  });
});
