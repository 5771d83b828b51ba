// Documents have a language (issue 17): POST /api/documents takes an optional
// BCP 47 tag (canonicalised, English by default), and the exports carry it:
// HTML lang and dir on the text with dir="auto" per paragraph, DOCX w:lang
// and w:bidi on right-to-left paragraphs, the PDF's /Lang.
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalLanguage, directionOf, directionOfText } from '../core/language';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';

const ARABIC = `# ورقة الممارسات الجيدة

## الخصوصية {#privacy}

يجب أن تحمي الأجهزة خصوصية المستخدمين بشكل افتراضي.

The coalition agreed this paragraph in English.
`;

describe('language tags and directions', () => {
  it('canonicalises BCP 47 tags and refuses what is not one', () => {
    expect(canonicalLanguage('EN-gb')).toBe('en-GB');
    expect(canonicalLanguage('zh-hans')).toBe('zh-Hans');
    expect(canonicalLanguage('not a tag')).toBeNull();
    expect(canonicalLanguage('')).toBeNull();
  });

  it('knows which languages and paragraphs run right to left', () => {
    expect(directionOf('ar')).toBe('rtl');
    expect(directionOf('fa-IR')).toBe('rtl');
    expect(directionOf('he')).toBe('rtl');
    expect(directionOf('ru')).toBe('ltr');
    expect(directionOf('zh-Hans')).toBe('ltr');
    expect(directionOfText('2026: يجب أن تحمي')).toBe('rtl');
    expect(directionOfText('IoT يجب')).toBe('ltr');
    expect(directionOfText('2026 — 42')).toBeNull();
  });
});

describe('a document in Arabic', () => {
  let server: TestServer;
  let chair: TestUser;
  beforeAll(async () => {
    server = await startTestServer();
    chair = await server.createUser('chair');
  });
  afterAll(async () => {
    await server.close();
  });

  it('is created with its language, English by default, and a bad tag is a 422', async () => {
    const made = await server.api('/api/documents', { method: 'POST', token: chair.token, body: { id: 'ar-paper', title: 'ورقة', markdown: ARABIC, language: 'AR' } });
    expect(made.status).toBe(201);
    expect(await made.json()).toMatchObject({ id: 'ar-paper', language: 'ar' });
    const plain = await server.api('/api/documents', { method: 'POST', token: chair.token, body: { id: 'en-paper', title: 'Paper', markdown: '# Paper\n\n## One {#one}\n\nText.\n' } });
    expect(await plain.json()).toMatchObject({ language: 'en' });
    const bad = await server.api('/api/documents', { method: 'POST', token: chair.token, body: { id: 'bad', title: 'Bad', markdown: '# Bad\n\n## One {#one}\n\nText.\n', language: 'not a tag' } });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/BCP 47/);
    const listed = (await (await server.api('/api/documents')).json()) as { id: string; language: string }[];
    expect(listed.find((d) => d.id === 'ar-paper')?.language).toBe('ar');
    expect(((await (await server.api('/api/documents/ar-paper')).json()) as { language: string }).language).toBe('ar');
  });

  it('a document imported with front matter takes its language; the view and the Markdown export keep it', async () => {
    const made = await server.api('/api/documents', { method: 'POST', token: chair.token, body: { id: 'fa-paper', title: 'کاغذ', markdown: `---\nlang: fa\n---\n\n# کاغذ\n\n## حریم خصوصی {#privacy}\n\nمتن.\n` } });
    expect(await made.json()).toMatchObject({ id: 'fa-paper', language: 'fa' });
    const view = (await (await server.api('/api/documents/fa-paper')).json()) as { language: string; markdown: string };
    expect(view.language).toBe('fa');
    expect(view.markdown.startsWith('---\nlang: fa\n---\n')).toBe(true);
  });

  it('exports carry it: HTML lang/dir and dir="auto", DOCX w:lang and w:bidi where a paragraph runs right to left, PDF /Lang', async () => {
    const frozen = await server.api('/api/documents/ar-paper/versions', { method: 'POST', token: chair.token, body: { label: 'أول' } });
    expect(frozen.status).toBe(201);

    const html = await (await server.api('/api/documents/ar-paper/export?version=1&format=html')).text();
    expect(html).toMatch(/<main lang="ar" dir="rtl">/);
    expect(html).toMatch(/<p class="[^"]*" dir="auto">يجب أن تحمي/);

    const docx = await JSZip.loadAsync(await (await server.api('/api/documents/ar-paper/export?version=1&format=docx')).arrayBuffer());
    const styles = await docx.file('word/styles.xml')!.async('string');
    expect(styles).toMatch(/<w:lang w:val="ar" w:bidi="ar"\/>/);
    const body = await docx.file('word/document.xml')!.async('string');
    const paragraphs = body.split('<w:p>').concat(body.split('<w:p ')).filter((p) => p.includes('</w:p>'));
    const arabic = paragraphs.find((p) => p.includes('خصوصية المستخدمين'))!;
    const english = paragraphs.find((p) => p.includes('The coalition agreed'))!;
    expect(arabic).toContain('<w:bidi/>');
    expect(english).not.toContain('<w:bidi/>');

    expect((await (await server.api('/api/documents/ar-paper/export?version=1&format=md')).text()).startsWith('---\nlang: ar\n---\n')).toBe(true);
    const pdf = Buffer.from(await (await server.api('/api/documents/ar-paper/export?version=1&format=pdf')).arrayBuffer()).toString('latin1');
    expect(pdf).toMatch(/\/Lang \(ar\)/);

    const redline = await (await server.api('/api/documents/ar-paper/redline?from=1&to=live&format=html')).text();
    expect(redline).toMatch(/<main class="redline" lang="ar" dir="rtl">/);

    const englishRedline = await (await server.api('/api/documents/en-paper/redline?from=live&to=live&format=html')).text();
    expect(englishRedline).toMatch(/<main class="redline" lang="en" dir="ltr">/);
  });
});

describe('the language in Markdown', () => {
  it('front matter carries a language other than English, both ways; English has none', async () => {
    const { parseMarkdown, serializeMarkdown } = await import('../core/markdown');
    const parsed = parseMarkdown(`---\nlang: AR\n---\n\n# ورقة\n\n## الخصوصية {#privacy}\n\nنص.\n`);
    expect(parsed.language).toBe('ar');
    expect(parsed.title).toBe('ورقة');
    const text = serializeMarkdown(parsed.title, parsed.doc, parsed.language);
    expect(text.startsWith('---\nlang: ar\n---\n\n# ورقة\n')).toBe(true);
    expect(parseMarkdown(text).language).toBe('ar');
    expect(serializeMarkdown('Paper', parseMarkdown('# Paper\n\n## One {#one}\n\nText.\n').doc, 'en').startsWith('# Paper')).toBe(true);
    expect(() => parseMarkdown('---\nlang: not a tag\n---\n\n## One {#one}\n')).toThrow(/line 2: "not a tag" is not a BCP 47/);
    expect(() => parseMarkdown('---\nauthor: x\n---\n\n## One {#one}\n')).toThrow(/line 2: front matter may only hold/);
  });
});
