// Every script in the PDF (issue 17): Noto fonts from npm, embedded and
// subset, so French, German, Polish, Turkish, Russian, Chinese and emoji print
// as themselves (pdftotext finds every word) and Arabic is shaped and set right
// to left, marked with its logical text; a text the standard fonts can print
// keeps them (no embedding, no shaping cost).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { redline } from '../core/redline/index';
import type { PMJSON } from '../core/schema';
import { bidiUnits, cleanPdf, redlinePdf } from '../server/export/pdf';

const hasPdftotext = spawnSync('sh', ['-c', 'command -v pdftotext']).status === 0;
const requireTools = process.env.CI === 'true';

function doc(paragraphs: string[], heading = 'Langues · Sprachen · 语言 · اللغات'): PMJSON {
  return {
    type: 'doc',
    content: [
      {
        type: 'section',
        attrs: { id: 'langs' },
        content: [{ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: heading }] }, ...paragraphs.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] }))],
      },
    ],
  };
}

const OLD = [
  'Français : les appareils doivent protéger la vie privée.',
  'Deutsch: Geräte müssen die Privatsphäre schützen.',
  'Polski: Łódź i Gdańsk chronią prywatność.',
  'Türkçe: Işık cihazları güvenli olmalı.',
  'يجب أن تحمي الأجهزة خصوصية المستخدمين.',
  '中文：物联网设备应当默认保护用户的隐私。',
  'Русский: устройства должны быть безопасными.',
  'Emoji: 🔒 security 🌍',
];
const NEW = [
  'Français : les appareils doivent toujours protéger la vie privée.',
  'Deutsch: Geräte müssen die Privatsphäre schützen.',
  'Polski: Łódź i Gdańsk chronią prywatność.',
  'Türkçe: Işık cihazları güvenli olmalıdır.',
  'يجب أن تحمي الأجهزة خصوصية جميع المستخدمين.',
  '中文：物联网设备必须默认保护用户的隐私。',
  'Русский: устройства должны быть защищены.',
  'Emoji: 🔒 security 🌍 ✅',
];

/** The PDF's page content streams, inflated. */
function contents(pdf: Buffer): string {
  const text = pdf.toString('latin1');
  const out: string[] = [];
  for (const m of text.matchAll(/stream\r?\n/g)) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endstream', start);
    try {
      out.push(inflateSync(pdf.subarray(start, end)).toString('latin1'));
    } catch {
      // not a deflated stream (fonts may be stored otherwise)
    }
  }
  return out.join('\n');
}

describe('every script in the PDF', () => {
  it.runIf(hasPdftotext || requireTools)('a multilingual redline: every word of every Latin, Cyrillic and Chinese line and the emoji are in the text; Arabic is shaped, right to left, with its logical text', async () => {
    const r = redline({ ref: 1, title: 'Multilingual', doc: doc(OLD) }, { ref: 2, title: 'Multilingual', doc: doc(NEW) });
    const pdf = await redlinePdf(r, { documentTitle: 'Multilingual · Многоязычный · 多语言', language: 'fr' });
    const file = join(mkdtempSync(join(tmpdir(), 'accord-pdf-')), 'multilingual.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', [file, '-']).toString();
    // Words of the Latin and Cyrillic lines; the Chinese line by its words (the redline puts 应当 and 必须 side by side).
    const words = [...OLD, ...NEW].filter((l) => !/[\u0600-\u06ff\u4e00-\u9fff]/.test(l)).flatMap((line) => line.split(/[\s:.,]+/).filter(Boolean));
    for (const word of [...words, '物联网设备', '应当', '必须', '默认保护用户的隐私', '语言', 'Многоязычный']) expect(text, `"${word}" in the extracted text`).toContain(word);
    expect(text).not.toMatch(/\?{2,}|[a-z]\?[a-z]/);
    const streams = contents(pdf);
    // Arabic runs carry their logical text (/ActualText), which copy and extraction use.
    expect((streams.match(/\/ActualText/g) ?? []).length).toBeGreaterThanOrEqual(3);
    expect(pdf.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansArabic/);
    expect(pdf.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC/);
    expect(pdf.toString('latin1')).toMatch(/\/Lang \(fr\)/);
  });

  it('English text keeps the standard fonts; Polish embeds Noto Sans', async () => {
    const english = (await cleanPdf('Paper', doc(['Privacy by design — “always”, café.'], 'Privacy'))).toString('latin1');
    expect(english).toMatch(/\/BaseFont \/Helvetica/);
    expect(english).not.toMatch(/NotoSans/);
    const polish = (await cleanPdf('Paper', doc(['Łódź chroni prywatność.'], 'Prywatność'))).toString('latin1');
    expect(polish).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSans/);
  });

  it('a right-to-left paragraph is set word by word from the right edge: the first word rightmost, each marked with its text', async () => {
    const words = ['يجب', 'أن', 'تحمي', 'الأجهزة', 'خصوصية', 'المستخدمين.'];
    const streams = contents(await cleanPdf('ورقة', doc([words.join(' ')], 'الخصوصية'), { language: 'ar' }));
    // Each marked word, in the order drawn (reading order), and where it starts.
    const placed = [...streams.matchAll(/\/ActualText[^]*?BDC[^]*?1 0 0 1 ([\d.]+) [\d.]+ Tm/g)].map((m) => Number(m[1]));
    const body = placed.slice(-words.length);
    expect(body).toHaveLength(words.length);
    for (let i = 1; i < body.length; i++) expect(body[i], `word ${i + 1} starts left of word ${i}`).toBeLessThan(body[i - 1]!);
  });

  it.runIf(hasPdftotext || requireTools)('a left-to-right phrase inside a right-to-left paragraph keeps its words in order', async () => {
    const paragraph = 'تعتمد الورقة Good Practice Paper منذ عام 2018 للأجهزة.';
    const file = join(mkdtempSync(join(tmpdir(), 'accord-pdf-')), 'bidi.pdf');
    writeFileSync(file, await cleanPdf('ورقة', doc([paragraph], 'الخصوصية'), { language: 'ar' }));
    const text = execFileSync('pdftotext', [file, '-']).toString();
    expect(text).toContain('Good Practice Paper');
    expect(text).not.toContain('Paper Practice');
  });

  it('bidiUnits: left-to-right phrases (with their inner spaces) are units; right-to-left words and other spaces stand alone', () => {
    const piece = (text: string) => ({ text, space: /^\s/.test(text) });
    const units = bidiUnits(['تعتمد', ' ', 'Good', ' ', 'Practice', ' ', 'Paper', ' ', 'منذ', ' ', '2018'].map(piece));
    expect(units.map((u) => u.map((p) => p.text).join(''))).toEqual(['تعتمد', ' ', 'Good Practice Paper', ' ', 'منذ', ' ', '2018']);
  });
});
