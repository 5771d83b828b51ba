// Anonymous reads of a large document through the real server (issue 19,
// item 3): `GET /api/documents/:id` and the PDF export of a 1 MB,
// 60,000-section document, with /healthz probed all the while, plus the
// Markdown serialiser against prosemirror-markdown's own (quadratic) one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { schema } from '../core/schema';
import { serializeMarkdown, serializeMarkdownNaive } from '../core/markdown';
import { spawn } from 'node:child_process';
import { createServer as createNetServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { manySections } from '../tests/helpers/documents';
import { median, round } from './stats';

const SECTIONS = 60_000;

// The probe runs in its own thread and the server in its own process, so neither the
// benchmark's client (which receives megabytes) nor the probe disturbs what is measured.
const PROBE = `
const { parentPort, workerData } = require('node:worker_threads');
let running = true, worst = 0;
parentPort.on('message', () => { running = false; });
(async () => {
  while (running) {
    const t = performance.now();
    await fetch(workerData.url + '/healthz').then((r) => r.arrayBuffer());
    worst = Math.max(worst, performance.now() - t);
    await new Promise((r) => setTimeout(r, 10));
  }
  parentPort.postMessage(worst);
})();
`;

/** Runs `work` while /healthz is asked every 10 ms; returns its time and the slowest /healthz answer. */
async function withHealthProbe<T>(url: string, work: () => Promise<T>): Promise<{ ms: number; worstHealthMs: number; result: T }> {
  const probe = new Worker(PROBE, { eval: true, workerData: { url } });
  await new Promise((r) => setTimeout(r, 50));
  const start = performance.now();
  const result = await work();
  const ms = performance.now() - start;
  const worst = new Promise<number>((resolve) => probe.once('message', resolve));
  probe.postMessage('stop');
  const worstHealthMs = await worst;
  await probe.terminate();
  return { ms, worstHealthMs, result };
}

async function spawnServer(dir: string, adminToken: string): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await new Promise<number>((resolve) => {
    const probe = createNetServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'server/main.ts')], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dir, ACCORD_ADMIN_TOKEN: adminToken },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) break;
    if (i > 600) throw new Error('the server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function sectionsDoc(n: number) {
  return schema.nodeFromJSON(manySections(n));
}

export async function benchReads(): Promise<Record<string, number | string>> {
  // The serialiser alone: the linear one on the full document, both on 8,000 sections (the naive one takes minutes on 60,000).
  const big = sectionsDoc(SECTIONS);
  let t = performance.now();
  serializeMarkdown('Big', big);
  const linearFull = performance.now() - t;
  const mid = sectionsDoc(8_000);
  t = performance.now();
  serializeMarkdown('Mid', mid);
  const linearMid = performance.now() - t;
  t = performance.now();
  serializeMarkdownNaive('Mid', mid);
  const naiveMid = performance.now() - t;

  const dir = mkdtempSync(join(tmpdir(), 'accord-reads-'));
  const adminToken = 'bench-admin-token-0123456789';
  let server = await spawnServer(dir, adminToken);
  const auth = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  try {
    const markdown = `# Big\n\n${Array.from({ length: SECTIONS }, (_, i) => `## S${i}\n\nAbc\n\n`).join('')}`;
    const create = await withHealthProbe(server.url, async () => {
      const created = await fetch(`${server.url}/api/documents`, { method: 'POST', headers: auth, body: JSON.stringify({ id: 'big', title: 'Big', markdown }) });
      if (created.status !== 201) throw new Error(`create: ${created.status} ${await created.text()}`);
    });

    const get = () => fetch(`${server.url}/api/documents/big`).then((r) => r.arrayBuffer());
    const cold = await withHealthProbe(server.url, get);
    const warm: number[] = [];
    let worstWarmHealth = 0;
    for (let i = 0; i < 5; i++) {
      const run = await withHealthProbe(server.url, get);
      warm.push(run.ms);
      worstWarmHealth = Math.max(worstWarmHealth, run.worstHealthMs);
    }

    const frozen = await fetch(`${server.url}/api/documents/big/versions`, { method: 'POST', headers: auth, body: JSON.stringify({ label: 'Bench' }) });
    if (frozen.status !== 201) throw new Error(`freeze: ${frozen.status}`);
    const pdf = () => fetch(`${server.url}/api/documents/big/export?version=1&format=pdf`).then(async (r) => (await r.arrayBuffer()).byteLength);
    const firstPdf = await withHealthProbe(server.url, pdf);
    const cachedPdf = await withHealthProbe(server.url, pdf);

    // A restarted server has no rendering at hand: the first read renders in the worker.
    await server.stop();
    server = await spawnServer(dir, adminToken);
    const afterRestart = await withHealthProbe(server.url, get);

    return {
      'document (Markdown bytes, sections)': `${markdown.length}, ${SECTIONS}`,
      'Markdown serialisation, 60,000 sections: linear ms': round(linearFull),
      'Markdown serialisation, 8,000 sections: linear ms / prosemirror-markdown serialize ms (baseline)': `${round(linearMid)} / ${round(naiveMid)}`,
      'POST /api/documents (import in the worker) ms': round(create.ms),
      'POST /api/documents: slowest /healthz meanwhile ms (target <= 50)': round(create.worstHealthMs),
      'GET /api/documents/:id, first read after the import (its view rendered with it) ms (target <= 300)': round(cold.ms),
      'GET /api/documents/:id, first read: slowest /healthz meanwhile ms (target <= 50)': round(cold.worstHealthMs),
      'GET /api/documents/:id, first read after a restart (the view saved in DATA_DIR/views) ms (target <= 300)': round(afterRestart.ms),
      'GET /api/documents/:id, first read after a restart: slowest /healthz meanwhile ms (target <= 50)': round(afterRestart.worstHealthMs),
      'GET /api/documents/:id, unchanged text (cached by content), median of 5 ms (target <= 300)': round(median(warm)),
      'GET /api/documents/:id, unchanged text: slowest /healthz meanwhile ms (target <= 50)': round(worstWarmHealth),
      'PDF of that version, first render (worker) ms (target <= 3000)': round(firstPdf.ms),
      'PDF, first render: slowest /healthz meanwhile ms (target <= 50)': round(firstPdf.worstHealthMs),
      'PDF, cached ms': round(cachedPdf.ms),
      'PDF bytes': firstPdf.result,
    };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
