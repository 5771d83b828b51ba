import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { startTestServer, type TestServer } from './helpers/server';
import { splitWords } from '../core/redline/index';
import type { PMJSON } from '../core/schema';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

interface RedlineJSON {
  from: unknown;
  to: unknown;
  sections: { id: string; status: string; blocks: { ops: { op: string; text: string }[] }[] }[];
  stats: { wordsInserted: number; wordsDeleted: number };
}

describe('redline and export endpoints', () => {
  it('redlines two versions section by section (contract JSON), words reconstruct both texts', async () => {
    const res = await server.api('/api/documents/gpp/redline?from=1&to=2&format=json');
    expect(res.status).toBe(200);
    const r = (await res.json()) as RedlineJSON;
    expect(r.from).toBe(1);
    expect(r.to).toBe(2);
    expect(r.sections.find((s) => s.id === 'user-choice')?.status).toBe('added');
    expect(r.stats.wordsInserted).toBeGreaterThan(0);
    const v1 = (await (await server.api('/api/documents/gpp/versions/1')).json()) as { content: PMJSON };
    const v2 = (await (await server.api('/api/documents/gpp/versions/2')).json()) as { content: PMJSON };
    const words = (side: 'from' | 'to') =>
      // A block's op texts concatenated (an op may end at punctuation inside a word: `outset[-.][+,]`).
      r.sections.flatMap((s) => s.blocks.flatMap((b) => splitWords(b.ops.filter((o) => o.op === 'equal' || o.op === (side === 'from' ? 'delete' : 'insert')).map((o) => o.text).join(''))));
    // Every word of each version appears, in order.
    const textWords = (node: PMJSON): string[] =>
      node.content?.some((c) => c.type === 'text')
        ? splitWords(node.content.map((c) => c.text ?? ' ').join(''))
        : (node.content ?? []).flatMap(textWords);
    expect(words('from')).toEqual(textWords(v1.content));
    expect(words('to')).toEqual(textWords(v2.content));
  });

  it('redlines a version against the live text in every format', async () => {
    const html = await server.api('/api/documents/gpp/redline?from=3&to=live&format=html');
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    const page = await html.text();
    expect(page).toMatch(/<ins/);
    expect(page).toMatch(/sha256:/);
    const md = await (await server.api('/api/documents/gpp/redline?from=3&to=live&format=md')).text();
    expect(md).toMatch(/\{\+\+|\{--|\{~~/);
    const docx = await server.api('/api/documents/gpp/redline?from=3&to=live&format=docx');
    expect(docx.headers.get('content-disposition')).toMatch(/attachment/);
    const zip = await JSZip.loadAsync(await docx.arrayBuffer());
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(xml).toMatch(/<w:ins /);
    expect(xml).toMatch(/<w:del /);
    const pdf = Buffer.from(await (await server.api('/api/documents/gpp/redline?from=3&to=live&format=pdf')).arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('refuses bad redline and export requests clearly', async () => {
    expect((await server.api('/api/documents/gpp/redline?from=0&to=2')).status).toBe(422);
    expect((await server.api('/api/documents/gpp/redline?from=1&to=99')).status).toBe(404);
    expect((await server.api('/api/documents/gpp/redline?from=1&to=2&format=exe')).status).toBe(422);
    expect((await server.api('/api/documents/nope/redline?from=1&to=2')).status).toBe(404);
    expect((await server.api('/api/documents/gpp/export?version=9&format=pdf')).status).toBe(404);
  });

  it('exports a meeting package: clean text, redline against the previous meeting version, and the bundle', async () => {
    for (const format of ['html', 'md', 'docx', 'pdf']) {
      const res = await server.api(`/api/documents/gpp/export?version=3&format=${format}`);
      expect(res.status, format).toBe(200);
    }
    const res = await server.api('/api/documents/gpp/export?version=3&format=zip');
    expect(res.headers.get('content-type')).toBe('application/zip');
    const zip = await JSZip.loadAsync(await res.arrayBuffer());
    const names = Object.keys(zip.files).sort();
    expect(names).toEqual(
      expect.arrayContaining([
        'gpp-v3.html',
        'gpp-v3.md',
        'gpp-v3.docx',
        'gpp-v3.pdf',
        'gpp-v3-redline-from-v2.html',
        'gpp-v3-redline-from-v2.md',
        'gpp-v3-redline-from-v2.docx',
        'gpp-v3-redline-from-v2.pdf',
        'gpp-v3-redline-from-v2.json',
        'gpp-bundle.json',
        'README.txt',
      ]),
    );
    const md = await zip.file('gpp-v3.md')!.async('string');
    const v3 = (await (await server.api('/api/documents/gpp/versions/3')).json()) as { markdown: string };
    expect(md).toBe(v3.markdown);
  });
});

describe('export cache', () => {
  it('renders the same texts in the same format once: a second download is the same bytes, served from the cache', async () => {
    const get = async (path: string) => {
      const start = performance.now();
      const res = await server.api(path);
      expect(res.status).toBe(200);
      return { body: Buffer.from(await res.arrayBuffer()), ms: performance.now() - start };
    };
    const first = await get('/api/documents/gpp/redline?from=1&to=3&format=pdf');
    const second = await get('/api/documents/gpp/redline?from=1&to=3&format=pdf');
    expect(second.body.equals(first.body)).toBe(true);
    const clean1 = await get('/api/documents/gpp/export?version=2&format=docx');
    const clean2 = await get('/api/documents/gpp/export?version=2&format=docx');
    expect(clean2.body.equals(clean1.body)).toBe(true);
    console.log(`redline PDF v1→v3: first ${first.ms.toFixed(1)} ms, cached ${second.ms.toFixed(1)} ms`);
  });
});
