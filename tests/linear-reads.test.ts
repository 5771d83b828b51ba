// Issue 19 item 3: anonymous reads never block the server. Markdown is
// serialised in linear time, a long unbroken token no longer makes the PDF
// quadratic, and the document view is rendered in the worker pool and cached
// by content, so /healthz answers while a large document is read.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../core/schema';
import { parseMarkdown, serializeMarkdown } from '../core/markdown';
import { cleanPdf } from '../server/export/pdf';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';
import { connect, paragraphText } from './helpers/ws';
import { manySections } from './helpers/documents';

/** The fastest of `runs` timings of `work`, in ms (the machine may be busy: the minimum is the least disturbed). */
async function fastest(runs: number, work: () => unknown): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

describe('linear-time rendering', () => {
  // Growth, not absolute speed, tells linear from quadratic on a busy machine: 4x the input
  // costs about 4x (linear) or 16x (quadratic) the time.
  it('serialises Markdown in linear time (4x the sections, well under 16x the time) and reads it back', async () => {
    const small = schema.nodeFromJSON(manySections(5_000));
    const large = schema.nodeFromJSON(manySections(20_000));
    const smallMs = await fastest(3, () => serializeMarkdown('Big', small));
    const largeMs = await fastest(2, () => serializeMarkdown('Big', large));
    expect(largeMs / smallMs).toBeLessThan(9);
    const markdown = serializeMarkdown('Big', large);
    expect(markdown.startsWith('# Big\n\n## S0 {#s0}\n\nP0\n\n## S1 {#s1}')).toBe(true);
    expect(markdown.endsWith('## S19999 {#s19999}\n\nP19999\n')).toBe(true);
    const text = serializeMarkdown('Small', schema.nodeFromJSON(manySections(50)));
    expect(serializeMarkdown('Small', parseMarkdown(text).doc)).toBe(text);
  });

  it('renders a long unbroken token to PDF in linear time', async () => {
    const docWith = (token: string) => ({ type: 'doc', content: [{ type: 'section', attrs: { id: 'a' }, content: [{ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'A' }] }, { type: 'paragraph', content: [{ type: 'text', text: token }] }] }] });
    const shortMs = await fastest(2, () => cleanPdf('Token', docWith('x'.repeat(20_000))));
    const longMs = await fastest(2, () => cleanPdf('Token', docWith('x'.repeat(80_000))));
    expect(longMs / shortMs).toBeLessThan(9);
    const pdf = await cleanPdf('Token', docWith('y'.repeat(80_000)));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });
});

/** The longest the event loop was held while `work` ran, in ms (the server runs in this process; its worker does not). */
async function longestHold(work: () => Promise<unknown>): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  try {
    await work();
  } finally {
    histogram.disable();
  }
  return histogram.max / 1e6;
}

/** How long `work` took on this thread, in ms. */
function timed(work: () => unknown): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

describe('the document view and heavy work on a large document, off the event loop', () => {
  let server: TestServer;
  let chair: TestUser;
  beforeAll(async () => {
    server = await startTestServer();
    chair = await server.createUser('chair');
  });
  afterAll(async () => {
    await server.close();
  });

  it('a large document is read while /healthz keeps answering; the second read is served from the cache; an edit shows at once', async () => {
    const markdown = `# Big\n\n${Array.from({ length: 20_000 }, (_, i) => `## S${i}\n\nP${i}\n\n`).join('')}`;
    expect((await server.api('/api/documents', { method: 'POST', token: chair.token, body: { id: 'big', title: 'Big', markdown } })).status).toBe(201);

    let reading = true;
    let worst = 0;
    const probe = (async () => {
      while (reading) {
        const t = performance.now();
        await fetch(`${server.url}/healthz`);
        worst = Math.max(worst, performance.now() - t);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const first = await server.api('/api/documents/big');
    reading = false;
    await probe;
    expect(first.status).toBe(200);
    const view = (await first.json()) as { title: string; sections: unknown[]; markdown: string };
    expect(view.sections).toHaveLength(20_000);
    expect(view.markdown).toBe(markdown.replace(/## S(\d+)\n/g, '## S$1 {#s$1}\n').trimEnd() + '\n');
    // Rendering the view (tens of seconds of work on the old event loop) happens in the worker.
    expect(worst).toBeLessThan(3_000);

    const start = performance.now();
    const again = await server.api('/api/documents/big');
    expect(performance.now() - start).toBeLessThan(5_000);
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(((await again.json()) as { markdown: string }).markdown).toBe(view.markdown);

    // An edit in an open room is read at once (the cache follows the text's version).
    const smallText = `# Small\n\n${Array.from({ length: 10 }, (_, i) => `## S${i}\n\nP${i}\n\n`).join('')}`;
    expect((await server.api('/api/documents', { method: 'POST', token: chair.token, body: { id: 'small', title: 'Small', markdown: smallText } })).status).toBe(201);
    expect(((await (await server.api('/api/documents/small')).json()) as { markdown: string }).markdown).toContain('## S7 {#s7}\n\nP7\n');
    const client = await connect(server.wsUrl, 'small', chair.token);
    paragraphText(client.doc, 's7').insert(0, 'Edited ');
    let markdownNow = '';
    for (let i = 0; i < 100 && !markdownNow.includes('Edited P7'); i++) {
      markdownNow = ((await (await server.api('/api/documents/small')).json()) as { markdown: string }).markdown;
      if (!markdownNow.includes('Edited P7')) await new Promise((r) => setTimeout(r, 50));
    }
    client.destroy();
    expect(markdownNow).toContain('## S7 {#s7}\n\nEdited P7\n');
  });

  // 40,000 sections: importing took about 1.5 s of this thread, the bundle and compilation
  // hundreds of ms each, before they moved to the worker.
  it('importing it, freezing and reading a version, its bundle, its PDF and the amendment compilation', async () => {
    const markdown = `# Huge\n\n${Array.from({ length: 40_000 }, (_, i) => `## S${i}\n\nP${i} text\n\n`).join('')}`;
    const reference = timed(() => parseMarkdown(markdown));
    const holds: Record<string, number> = {};
    holds.import = await longestHold(async () => {
      const res = await server.api('/api/documents', { method: 'POST', token: chair.token, body: { id: 'huge', title: 'Huge', markdown } });
      expect(res.status).toBe(201);
    });
    // An editor has the document open, as in a meeting (loading a room is itself on the loop; its
    // cost is the Yjs decoding): freezing reads the live room, the compilation reads its anchors there.
    const editor = await connect(server.wsUrl, 'huge', chair.token);
    paragraphText(editor.doc, 's39999').insert(0, 'Last ');
    holds.freeze = await longestHold(async () => {
      const frozen = await server.api('/api/documents/huge/versions', { method: 'POST', token: chair.token, body: { label: 'Big v1' } });
      expect(frozen.status).toBe(201);
    });
    holds.versionRead = await longestHold(async () => {
      const res = await server.api('/api/documents/huge/versions/1');
      const version = (await res.json()) as { number: number; markdown: string; content: { content: unknown[] } };
      expect(version.number).toBe(1);
      expect(version.content.content).toHaveLength(40_000);
      expect(version.markdown.endsWith('## S39999 {#s39999}\n\nLast P39999 text\n')).toBe(true);
    });
    holds.bundle = await longestHold(async () => {
      const res = await server.api('/api/documents/huge/bundle');
      expect(res.status).toBe(200);
      const bundle = (await res.json()) as { versions: { content: { content: unknown[] } }[] };
      expect(bundle.versions[0]!.content.content).toHaveLength(40_000);
    });
    holds.pdf = await longestHold(async () => {
      const res = await server.api('/api/documents/huge/export?version=1&format=pdf');
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    });
    holds.compilation = await longestHold(async () => {
      const res = await server.api('/api/documents/huge/amendments/export?format=docx', { token: chair.token });
      expect(res.status).toBe(200);
    });
    editor.destroy();
    // A busy machine slows everything, the loop's own share of the work included (other test
    // files run beside this one). So the bound is relative to the machine's speed at this moment:
    // what parsing this Markdown costs on this thread (about 1.6 s on a quiet machine, where the
    // import held the loop about 0.14 s; the import on the loop held it 2.3 s), measured before
    // and after the holds, the slower of the two taken. A third of it, at least 500 ms, plus three
    // times what an idle loop was delayed just now (timers on a busy machine).
    const onThisThread = Math.max(reference, timed(() => parseMarkdown(markdown)));
    const idle = await longestHold(() => new Promise((r) => setTimeout(r, 2_000)));
    const bound = Math.max(500, onThisThread / 3) + 3 * idle;
    for (const [what, ms] of Object.entries(holds)) expect(ms, `${what} held the event loop ${Math.round(ms)} ms (bound ${Math.round(bound)} ms: parsing on this thread ${Math.round(onThisThread)} ms, idle ${Math.round(idle)} ms)`).toBeLessThan(bound);
  }, 120_000);
});


describe('the view of a stored text outlives a restart', () => {
  it('the first read after a restart is the saved view; after an edit, a fresh one', async () => {
    const server = await startTestServer();
    try {
      const chair = await server.createUser('chair');
      const markdown = `# Kept\n\n${Array.from({ length: 2_000 }, (_, i) => `## S${i}\n\nP${i}\n\n`).join('')}`;
      expect((await server.api('/api/documents', { method: 'POST', token: chair.token, body: { id: 'kept', title: 'Kept', markdown } })).status).toBe(201);
      const before = await server.api('/api/documents/kept');
      const body = await before.text();
      // Saved in the background (beside the seeded paper's): wait for the file whose key is this read's ETag.
      const views = join(server.dataDir, 'views');
      const key = before.headers.get('etag')!.slice(1, -1);
      const fileOfKept = () => (existsSync(views) ? readdirSync(views).filter((f) => f.endsWith('.view')).find((f) => readFileSync(join(views, f), 'utf8').startsWith(`${key}\n`)) : undefined);
      for (let i = 0; i < 200 && !fileOfKept(); i++) await new Promise((r) => setTimeout(r, 20));
      const file = fileOfKept();
      expect(file).toBeDefined();
      expect(statSync(join(views, file!)).mode & 0o777).toBe(0o600);

      await server.restart();
      // Proof that the read comes from the file: a marker planted in the saved view (same key) is served.
      const saved = readFileSync(join(views, file!), 'utf8');
      writeFileSync(join(views, file!), saved.replace('"P1999"', '"P1999 (from the saved view)"'));
      const after = await server.api('/api/documents/kept');
      expect(after.headers.get('etag')).toBe(before.headers.get('etag'));
      const served = await after.text();
      expect(served.includes('"P1999 (from the saved view)"'), 'the saved view is served').toBe(true);
      expect(served === body.replace('"P1999"', '"P1999 (from the saved view)"')).toBe(true);

      // An edit changes the stored head: the saved view no longer matches and is not served.
      const client = await connect(server.wsUrl, 'kept', chair.token);
      paragraphText(client.doc, 's5').insert(0, 'Edited ');
      await new Promise((r) => setTimeout(r, 200));
      client.destroy();
      await server.restart();
      const edited = (await (await server.api('/api/documents/kept')).json()) as { markdown: string };
      expect(edited.markdown).toContain('Edited P5');
      expect(edited.markdown).not.toContain('from the saved view');
    } finally {
      await server.close();
    }
  }, 60_000);
});
