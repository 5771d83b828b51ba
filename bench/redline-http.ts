// Cold HTTP redline (issue #16): `GET /api/documents/:id/redline?format=json`
// between two versions of a 100,000-word document, next to a plain
// per-section `diffWords` of the same texts in the same run.
//
// "Cold" means: the first request for that pair of versions in a running
// server (nothing of that pair in its memory), after the versions were
// recorded as the server records them. Recording a version does, in the
// background (app.ts): prepare its text for redlines (flattened and
// tokenised, kept under DATA_DIR/redline by content hash: prepared-texts.ts),
// then precompute its JSON redline against each of the 20 most recent earlier
// versions (from the earlier to it) and keep it on disk (redline-pairs.ts).
// The versions are recorded here through the services with those same two
// steps, timed; the server starts afterwards, so a cold request for a forward
// pair reads its precomputed file. Printed separately:
//  (a) the recording-time cost: preparing a text, precomputing one pair, a
//      version's precompute, and the bytes on disk;
//  (b) cold requests for pairs that were NOT precomputed (the reverse
//      direction, from the newer to the older: computed by the worker from
//      the prepared texts), and versions recorded without any preparation
//      (texts read, sent and prepared on the request);
//  (c) the cold figure of the target (forward pairs), the cached request,
//      the body size, the diffWords baseline and the ratio.
import { diffWords } from 'diff';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { serializeMarkdown } from '../core/markdown';
import { docFromJSON, type PMJSON } from '../core/schema';
import { Rooms } from '../server/collab/rooms';
import { IMPORT_ACTOR } from '../server/documents/seed';
import { DocumentService } from '../server/documents/service';
import { loadOrCreateLogKey } from '../server/transparency/key';
import { openSqliteStore } from '../server/store/sqlite';
import { VersionService } from '../server/versions/service';
import { forgetPrepared, preparedDir } from '../server/export/prepared-texts';
import { ExportService, PRECOMPUTED_PAIRS } from '../server/export/service';
import { BundleService } from '../server/transparency/bundle';
import { TransparencyLog } from '../server/transparency/service';
import type { VersionRecord } from '../server/store/types';
import { runTask } from '../server/workers/tasks';
import { startTestServer, type TestServer } from '../tests/helpers/server';
import { median, round } from './stats';
import { sectionTexts, syntheticPair, toPM, type Model } from './redline';

const ORIGIN = 'test.accord.example/log';

function preparedBytes(dir: string): number {
  const files = readdirSync(dir).filter((f) => f.endsWith('.prep'));
  return files.length ? Math.round(files.reduce((n, f) => n + statSync(join(dir, f)).size, 0) / files.length) : 0;
}

/** A copy of `model` with one word of every `every`th paragraph changed. */
function edit(model: Model, every: number): PMJSON {
  const copy: Model = structuredClone(model);
  copy.sections.forEach((s, i) => s.paragraphs.forEach((p, j) => {
    if ((i + j) % every === 0 && p.length > 3) p[1] = `${p[1]}s`;
  }));
  return toPM(copy);
}

type Pair = ReturnType<typeof syntheticPair>;
type Precomputed = Awaited<ReturnType<ExportService['precomputeRedlines']>>;

/** The versions as recorded, and the recording-time cost of preparing them. */
interface Recorded {
  preparedIn: string;
  prepareMs: number[];
  precomputed: Precomputed[];
}

/** One request, timed: its time and the size of its body. */
interface Timed {
  ms: number;
  bytes: number;
}

/** The cold, cached and fallback requests of one running server. */
interface Requests {
  cold: number[];
  bytes: number;
  notPrecomputed: number[];
  warm: Timed;
  fallback: Timed;
  fallbackOne: Timed;
}

export async function benchRedlineHttp(): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'accord-bench-redline-'));
  try {
    // Four related versions (a text, that text with 5% of its words changed, and two more edits of it):
    // every pair is a cold request, with its own two content hashes.
    const pair = syntheticPair(100_000, 0.05, 100_000);
    const recorded = await recordVersions(dir, pair);
    const server = await startTestServer({ dataDir: dir });
    try {
      const requests = await requestRedlines(server);
      return figuresOf(recorded, requests, diffWordsBaseline(pair));
    } finally {
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Seven versions recorded through the services: four prepared and precomputed as the server's freeze does them (timed), three not. */
async function recordVersions(dir: string, pair: Pair): Promise<Recorded> {
  const docs: PMJSON[] = [pair.from, pair.to, edit(pair.toModel, 7), edit(pair.fromModel, 5)];
  const key = loadOrCreateLogKey(dir, ORIGIN);
  const store = openSqliteStore(join(dir, 'accord.sqlite'), key.signCheckpoint);
  const rooms = new Rooms(store.updates, { compactEvery: 500, log: () => {} });
  const documents = new DocumentService(store, rooms);
  // What the server's freeze does (app.ts), in this thread: prepare the version's text, timed.
  const preparedIn = preparedDir(join(dir, 'redline'));
  const prepareMs: number[] = [];
  // Then what it does next: the version's JSON redline against the earlier ones, written to disk, timed.
  const precomputed: Precomputed[] = [];
  let exports!: ExportService;
  const prepare = async (v: VersionRecord) => {
    prepareMs.push((await runTask({ kind: 'prepare', hash: v.contentHash, content: v.contentJson, dir: preparedIn })).ms);
    precomputed.push(await exports.precomputeRedlines(v.docId, v.number));
  };
  const versions = new VersionService(store, documents, undefined, prepare);
  const transparency = new TransparencyLog(store, key);
  exports = new ExportService(documents, versions, transparency, new BundleService(store, documents, transparency, runTask), runTask, { dir: preparedIn });
  await documents.create('bench', 'Synthetic', serializeMarkdown('Synthetic', docFromJSON(docs[0]!)));
  for (const [i, doc] of docs.entries()) {
    await versions.record('bench', 'Synthetic', docFromJSON(doc), `v${i + 1}`, null, IMPORT_ACTOR);
    // (The hook runs after the record resolves, and is not awaited by it: wait for it here, so it is timed alone.)
    for (let tries = 0; precomputed.length < i + 1 && tries < 6000; tries++) await new Promise((r) => setTimeout(r, 5));
  }
  // Three more versions recorded as before this preparation existed: a redline of two of them reads, sends and
  // prepares both texts; of the third and a prepared one, one text.
  const unprepared = new VersionService(store, documents);
  for (const [i, doc] of [edit(pair.toModel, 3), edit(pair.fromModel, 4), edit(pair.toModel, 6)].entries()) {
    await unprepared.record('bench', 'Synthetic', docFromJSON(doc), `v${i + 5}`, null, IMPORT_ACTOR);
  }
  await store.close();
  forgetPrepared();
  return { preparedIn, prepareMs, precomputed };
}

/** The requests, each the first for its pair in this server unless said otherwise, after a warm-up on a pair not measured. */
async function requestRedlines(server: TestServer): Promise<Requests> {
  const get = async (path: string): Promise<Timed> => {
    const start = performance.now();
    const res = await server.api(path);
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body.slice(0, 200)}`);
    return { ms: performance.now() - start, bytes: body.length };
  };
  // The worker and the routes warm up on a pair not measured below.
  await get('/api/documents/bench/versions');
  await get('/api/documents/bench/redline?from=3&to=4&format=json');
  await get('/api/documents/bench/redline?from=4&to=3&format=json');
  const cold: number[] = [];
  let bytes = 0;
  for (const [a, b] of [
    [1, 2],
    [1, 3],
    [2, 3],
    [1, 4],
    [2, 4],
  ] as const) {
    const r = await get(`/api/documents/bench/redline?from=${a}&to=${b}&format=json`);
    cold.push(r.ms);
    bytes = r.bytes;
  }
  // (b) The same pairs the other way round: not precomputed, so the first request computes them.
  const notPrecomputed: number[] = [];
  for (const [a, b] of [
    [2, 1],
    [3, 1],
    [3, 2],
    [4, 1],
    [4, 2],
  ] as const) {
    notPrecomputed.push((await get(`/api/documents/bench/redline?from=${a}&to=${b}&format=json`)).ms);
  }
  const warm = await get('/api/documents/bench/redline?from=1&to=2&format=json');
  const fallback = await get('/api/documents/bench/redline?from=5&to=6&format=json');
  const fallbackOne = await get('/api/documents/bench/redline?from=7&to=1&format=json');
  return { cold, bytes, notPrecomputed, warm, fallback, fallbackOne };
}

/** The baseline: a plain per-section diffWords of the same two texts, three times, in ms. */
function diffWordsBaseline(pair: Pair): number[] {
  const oldTexts = sectionTexts(pair.fromModel);
  const newTexts = sectionTexts(pair.toModel);
  const baselines: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    for (const [id, text] of newTexts) diffWords(oldTexts.get(id) ?? '', text);
    baselines.push(performance.now() - start);
  }
  return baselines;
}

function figuresOf(recorded: Recorded, requests: Requests, baselines: number[]): Record<string, number | string> {
  const { prepareMs, precomputed, preparedIn } = recorded;
  const { cold, bytes, notPrecomputed, warm, fallback, fallbackOne } = requests;
  const out: Record<string, number | string> = {};
  const ms = median(cold);
  const baseline = median(baselines);
  const withPairs = precomputed.filter((p) => p.pairs > 0);
  const pairCount = withPairs.reduce((n, p) => n + p.pairs, 0);
  const perPair = withPairs.reduce((n, p) => n + p.ms, 0) / pairCount;
  out.http_redline_cold_definition =
    'first request for a pair in a running server, after the versions were recorded as the server records them (prepared text + precomputed pairs, in the background)';
  out.http_redline_precomputed = `per version, when recorded, in the background: its flattened and tokenised text (prepared-texts.ts), and the JSON redline (no authors, default language) from each of the ${PRECOMPUTED_PAIRS} most recent earlier versions to it, on disk (redline-pairs.ts); not the reverse direction, not the live text`;
  // (a) Recording-time cost (nobody waits for it: the freeze has answered).
  out.http_redline_prepare_per_version_median_ms = round(median(prepareMs));
  out.http_redline_prepared_bytes_per_version = preparedBytes(preparedIn);
  out.http_redline_precompute_per_pair_ms = round(perPair);
  out.http_redline_precompute_bytes_per_pair = Math.round(withPairs.reduce((n, p) => n + p.bytes, 0) / pairCount);
  out.http_redline_precompute_last_version_ms = round(precomputed.at(-1)!.ms);
  out.http_redline_precompute_last_version_pairs = precomputed.at(-1)!.pairs;
  out.http_redline_precompute_last_version_bytes = precomputed.at(-1)!.bytes;
  // (b) Pairs not precomputed.
  out.http_redline_json_100k_not_precomputed_cold_median_ms = round(median(notPrecomputed));
  out.http_redline_json_100k_not_precomputed_vs_diffWords = round(median(notPrecomputed) / baseline, 4);
  // (c) The target: forward pairs, precomputed.
  out.http_redline_json_100k_cold_median_ms = round(ms);
  out.http_redline_json_100k_cold_max_ms = round(Math.max(...cold));
  out.http_redline_json_100k_cached_ms = round(warm.ms);
  out.http_redline_json_100k_unprepared_ms = round(fallback.ms);
  out.http_redline_json_100k_one_unprepared_ms = round(fallbackOne.ms);
  out.http_redline_json_100k_bytes = bytes;
  out.diffWords_100k_median_ms = round(baseline);
  out.http_redline_json_100k_vs_diffWords = round(ms / baseline, 4);
  out.http_redline_target = 'cold median <= 50 ms and <= 0.05x diffWords';
  out.http_redline_meets_target = ms <= 50 && ms / baseline <= 0.05 ? 'yes' : 'no';
  return out;
}
