// Issue 19 item 3: anonymous reads never block the server. Markdown is
// serialised in linear time, a long unbroken token no longer makes the PDF
// quadratic, and the document view is rendered in the worker pool and cached
// by content, so /healthz answers while a large document is read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema, type PMJSON } from '../core/schema';
import { parseMarkdown, serializeMarkdown } from '../core/markdown';
import { cleanPdf } from '../server/export/pdf';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';
import { connect, paragraphText } from './helpers/ws';

function manySections(n: number): PMJSON {
  return {
    type: 'doc',
    content: Array.from({ length: n }, (_, i) => ({
      type: 'section',
      attrs: { id: `s${i}` },
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: `S${i}` }] },
        { type: 'paragraph', content: [{ type: 'text', text: `P${i}` }] },
      ],
    })),
  };
}

describe('linear-time rendering', () => {
  it('serialises 60,000 sections to Markdown in well under the quadratic minutes (and reads it back)', () => {
    const doc = schema.nodeFromJSON(manySections(60_000));
    const start = performance.now();
    const markdown = serializeMarkdown('Big', doc);
    const ms = performance.now() - start;
    expect(ms).toBeLessThan(5_000);
    expect(markdown.startsWith('# Big\n\n## S0 {#s0}\n\nP0\n\n## S1 {#s1}')).toBe(true);
    expect(markdown.endsWith('## S59999 {#s59999}\n\nP59999\n')).toBe(true);
    const small = serializeMarkdown('Small', schema.nodeFromJSON(manySections(50)));
    expect(serializeMarkdown('Small', parseMarkdown(small).doc)).toBe(small);
  });

  it('renders an 80 KB unbroken token to PDF in linear time', async () => {
    const token = 'x'.repeat(80_000);
    const doc = { type: 'doc', content: [{ type: 'section', attrs: { id: 'a' }, content: [{ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'A' }] }, { type: 'paragraph', content: [{ type: 'text', text: token }] }] }] };
    const start = performance.now();
    const pdf = await cleanPdf('Token', doc);
    expect(performance.now() - start).toBeLessThan(8_000);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('the document view off the event loop', () => {
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
    // Rendering the view (seconds of work on the old event loop) happens in the worker.
    expect(worst).toBeLessThan(1_000);

    const start = performance.now();
    const again = await server.api('/api/documents/big');
    expect(performance.now() - start).toBeLessThan(2_000);
    expect(((await again.json()) as { markdown: string }).markdown).toBe(view.markdown);

    const client = await connect(server.wsUrl, 'big', chair.token);
    paragraphText(client.doc, 's7').insert(0, 'Edited ');
    let markdownNow = '';
    for (let i = 0; i < 100 && !markdownNow.includes('Edited P7'); i++) {
      markdownNow = ((await (await server.api('/api/documents/big')).json()) as { markdown: string }).markdown;
      if (!markdownNow.includes('Edited P7')) await new Promise((r) => setTimeout(r, 50));
    }
    client.destroy();
    expect(markdownNow).toContain('## S7 {#s7}\n\nEdited P7\n');
  });
});
