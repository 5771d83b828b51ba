// Anonymous reads of a large document through the real server (issue 19,
// item 3): `GET /api/documents/:id` and the PDF export of a 1 MB,
// 60,000-section document, with /healthz probed all the while, plus the
// Markdown serialiser against prosemirror-markdown's own (quadratic) one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schema } from '../core/schema';
import { serializeMarkdown, serializeMarkdownNaive } from '../core/markdown';
import { startServer } from '../server/app';
import { configFromEnv } from '../server/config';
import { median, round } from './stats';

const SECTIONS = 60_000;

/** Runs `work` while /healthz is asked every 10 ms; returns its time and the slowest /healthz answer. */
async function withHealthProbe<T>(url: string, work: () => Promise<T>): Promise<{ ms: number; worstHealthMs: number; result: T }> {
  let running = true;
  let worst = 0;
  const probe = (async () => {
    while (running) {
      const t = performance.now();
      await fetch(`${url}/healthz`);
      worst = Math.max(worst, performance.now() - t);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const start = performance.now();
  const result = await work();
  const ms = performance.now() - start;
  running = false;
  await probe;
  return { ms, worstHealthMs: worst, result };
}

function sectionsDoc(n: number) {
  return schema.nodeFromJSON({
    type: 'doc',
    content: Array.from({ length: n }, (_, i) => ({
      type: 'section',
      attrs: { id: `s${i}` },
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: `S${i}` }] },
        { type: 'paragraph', content: [{ type: 'text', text: `P${i}` }] },
      ],
    })),
  });
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
  const server = await startServer({ ...configFromEnv({}), port: 0, host: '127.0.0.1', dataDir: dir, adminToken, quiet: true });
  const auth = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  try {
    const markdown = `# Big\n\n${Array.from({ length: SECTIONS }, (_, i) => `## S${i}\n\nAbc\n\n`).join('')}`;
    const created = await fetch(`${server.url}/api/documents`, { method: 'POST', headers: auth, body: JSON.stringify({ id: 'big', title: 'Big', markdown }) });
    if (created.status !== 201) throw new Error(`create: ${created.status} ${await created.text()}`);

    const get = () => fetch(`${server.url}/api/documents/big`).then((r) => r.text());
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

    return {
      'document (Markdown bytes, sections)': `${markdown.length}, ${SECTIONS}`,
      'Markdown serialisation, 60,000 sections: linear ms': round(linearFull),
      'Markdown serialisation, 8,000 sections: linear ms / prosemirror-markdown serialize ms (baseline)': `${round(linearMid)} / ${round(naiveMid)}`,
      'GET /api/documents/:id, first read (worker render, no room open) ms': round(cold.ms),
      'GET /api/documents/:id, first read: slowest /healthz meanwhile ms (target <= 50)': round(cold.worstHealthMs),
      'GET /api/documents/:id, unchanged text (cached by content), median of 5 ms (target <= 300)': round(median(warm)),
      'GET /api/documents/:id, unchanged text: slowest /healthz meanwhile ms (target <= 50)': round(worstWarmHealth),
      'PDF of that version, first render (worker) ms (target <= 3000)': round(firstPdf.ms),
      'PDF, first render: slowest /healthz meanwhile ms (target <= 50)': round(firstPdf.worstHealthMs),
      'PDF, cached ms': round(cachedPdf.ms),
      'PDF bytes': firstPdf.result,
    };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
