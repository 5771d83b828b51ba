// Redline benchmark: the redline JSON between two versions of a synthetic
// 100,000-word (and 10,000-word) document with 5% of its words changed, next to
// plain `diffWords` over the same section texts in the same run; memory; and
// the time of each rendering of the 10,000-word redline.
import { diffWords } from 'diff';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { redline, type Redline } from '../core/redline/index';
import { renderRedlineHtml } from '../core/redline/render-html';
import { renderRedlineMarkdown } from '../core/redline/render-markdown';
import type { PMJSON } from '../core/schema';
import { redlineDocx } from '../server/export/docx';
import { redlinePdf } from '../server/export/pdf';
import { median, mulberry32, round } from './stats';


const STOP = 'the of and to a in is that for it as with be on by this are or their an which from at not can should'.split(' ');

/** Chinese: words of one to three common characters, written without spaces (the segmenter finds them). */
const HANZI = '物联网设备应当必须默认保护用户隐私安全透明数据治理利益相关方政府企业民间社会学术技术社区标准认证更新漏洞披露责任义务权利同意收集处理存储传输删除访问控制加密身份验证'.split('');
const STOP_ZH = '的 了 和 是 在 与 或 及 对 由'.split(' ');

export type Script = 'latin' | 'chinese';

function vocabulary(rand: () => number, script: Script = 'latin'): string[] {
  if (script === 'chinese') {
    const words = new Set<string>();
    while (words.size < 3000) words.add(Array.from({ length: 1 + Math.floor(rand() * 3) }, () => HANZI[Math.floor(rand() * HANZI.length)]!).join(''));
    return [...words];
  }
  const syllables = 'pri va cy se cu ri ty de vi ce da ta con sent net work pol ic trans par en gov ern ance stake hold er'.split(' ');
  const words = new Set<string>();
  while (words.size < 3000) {
    let w = '';
    const n = 2 + Math.floor(rand() * 3);
    for (let i = 0; i < n; i++) w += syllables[Math.floor(rand() * syllables.length)];
    words.add(w);
  }
  return [...words];
}

export interface Model {
  sections: { id: string; heading: string[]; paragraphs: string[][] }[];
}

/** A document of about `words` words in sections of ~25 paragraphs of 60-140 words, and a copy with `rate` of its words changed. */
export function syntheticPair(words: number, rate: number, seed = 1, script: Script = 'latin'): { from: PMJSON; to: PMJSON; fromModel: Model; toModel: Model } {
  const rand = mulberry32(seed);
  const vocab = vocabulary(rand, script);
  const stop = script === 'chinese' ? STOP_ZH : STOP;
  const [comma, stopMark] = script === 'chinese' ? ['，', '。'] : [',', '.'];
  const word = () => {
    const w = rand() < 0.4 ? stop[Math.floor(rand() * stop.length)]! : vocab[Math.floor(Math.pow(rand(), 2) * vocab.length)]!;
    const r = rand();
    return r < 0.05 ? `${w}${comma}` : r < 0.08 ? `${w}${stopMark}` : w;
  };
  const model: Model = { sections: [] };
  let total = 0;
  for (let s = 0; total < words; s++) {
    const paragraphs: string[][] = [];
    for (let p = 0; p < 25 && total < words; p++) {
      const len = Math.min(60 + Math.floor(rand() * 80), words - total);
      paragraphs.push(Array.from({ length: len }, word));
      total += len;
    }
    model.sections.push({ id: `s${s + 1}`, heading: ['Section', String(s + 1)], paragraphs });
  }
  const edited: Model = structuredClone(model);
  // Word edits (replace, delete, insert runs of 1-3 words) until `rate` of the words changed.
  let changed = 0;
  const target = Math.round(total * rate);
  const paragraphs = edited.sections.flatMap((s) => s.paragraphs);
  while (changed < target) {
    const para = paragraphs[Math.floor(rand() * paragraphs.length)]!;
    const at = Math.floor(rand() * para.length);
    const n = 1 + Math.floor(rand() * 3);
    const kind = rand();
    if (kind < 0.6) para.splice(at, n, ...Array.from({ length: n }, word));
    else if (kind < 0.8) para.splice(at, n);
    else para.splice(at, 0, ...Array.from({ length: n }, word));
    changed += n;
  }
  // A few paragraph-level edits: one moved, one inserted, one deleted per ten sections.
  for (let s = 0; s + 1 < edited.sections.length; s += 10) {
    const sec = edited.sections[s]!;
    if (sec.paragraphs.length < 4) continue;
    const [moved] = sec.paragraphs.splice(1, 1);
    sec.paragraphs.splice(sec.paragraphs.length - 1, 0, moved!);
    sec.paragraphs.splice(2, 0, Array.from({ length: 40 }, word));
    edited.sections[s + 1]!.paragraphs.splice(0, 1);
  }
  const joiner = script === 'chinese' ? '' : ' ';
  return { from: toPM(model, joiner), to: toPM(edited, joiner), fromModel: model, toModel: edited };
}

export function toPM(model: Model, joiner = ' '): PMJSON {
  const text = (ws: string[]): PMJSON[] => (ws.length ? [{ type: 'text', text: ws.join(joiner) }] : []);
  return {
    type: 'doc',
    content: model.sections.map((s) => ({
      type: 'section',
      attrs: { id: s.id },
      content: [{ type: 'heading', attrs: { level: 2 }, content: text(s.heading) }, ...s.paragraphs.map((p) => ({ type: 'paragraph', content: text(p) }))],
    })),
  };
}

export function sectionTexts(model: Model): Map<string, string> {
  return new Map(model.sections.map((s) => [s.id, [s.heading.join(' '), ...s.paragraphs.map((p) => p.join(' '))].join('\n')]));
}


function time(fn: () => void, runs: number, warmup = 1): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/**
 * Medians of `fn` and of its `baseline`, measured in alternation (after
 * warming both up): `rounds` times, `per` runs of `fn` then one of the baseline. On a shared machine the
 * load changes from second to second; alternating, both see the same load,
 * so their ratio does not depend on which ran in a quiet moment.
 */
function timeAlternating(fn: () => void, baseline: () => void, rounds: number, per: number, warmup = 5): { ms: number; baseline: number } {
  for (let i = 0; i < warmup; i++) fn();
  baseline();
  const times: number[] = [];
  const baselineTimes: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < per; i++) {
      const t0 = performance.now();
      fn();
      times.push(performance.now() - t0);
    }
    const t0 = performance.now();
    baseline();
    baselineTimes.push(performance.now() - t0);
  }
  return { ms: median(times), baseline: median(baselineTimes) };
}

async function timeAsync(fn: () => Promise<unknown>, runs: number): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

function gcFunction(): (() => void) | null {
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return null;
  }
}


export async function benchRedline(): Promise<Record<string, number | string>> {
  const out: Record<string, number | string> = {};
  const gc = gcFunction();

  for (const [name, words, per, baselineRuns] of [
    ['100k', 100_000, 21, 3],
    ['10k', 10_000, 5, 11],
  ] as const) {
    const pair = syntheticPair(words, 0.05, words);
    const from = { ref: 1, title: 'Synthetic', doc: pair.from };
    const to = { ref: 2, title: 'Synthetic', doc: pair.to };
    const oldTexts = sectionTexts(pair.fromModel);
    const newTexts = sectionTexts(pair.toModel);
    const { ms, baseline } = timeAlternating(
      () => redline(from, to),
      () => {
        for (const [id, text] of newTexts) diffWords(oldTexts.get(id) ?? '', text);
      },
      baselineRuns,
      per,
    );
    out[`redline_${name}_median_ms`] = round(ms);
    out[`diffWords_${name}_median_ms`] = round(baseline);
    out[`redline_${name}_vs_diffWords`] = round(ms / baseline, 4);
    if (gc) {
      // Heap growth across one call after a full collection (garbage included: the call's peak
      // demand when no collection runs during it), and what the result itself keeps alive.
      const keep: Redline[] = [];
      gc();
      const before = process.memoryUsage().heapUsed;
      keep.push(redline(from, to));
      const growth = process.memoryUsage().heapUsed - before;
      gc();
      const retained = process.memoryUsage().heapUsed - before;
      out[`redline_${name}_heap_growth_mb`] = round(growth / 2 ** 20);
      out[`redline_${name}_result_retained_mb`] = round(retained / 2 ** 20);
      keep.length = 0;
    }
    if (name === '100k') {
      out.redline_100k_target = 'median <= 50 ms and <= 0.05x diffWords';
      out.redline_100k_meets_target = ms <= 50 && ms / baseline <= 0.05 ? 'yes' : 'no';
    }
  }

  // Renderings of the 10,000-word redline.
  // Chinese, written without spaces: the same engine, words found by Intl.Segmenter (measured; no target yet).
  const zh = syntheticPair(100_000, 0.05, 100_000, 'chinese');
  out.redline_100k_chinese_median_ms = round(time(() => redline({ ref: 1, title: 'Synthetic', doc: zh.from }, { ref: 2, title: 'Synthetic', doc: zh.to }), 5, 1));

  const pair = syntheticPair(10_000, 0.05, 10_000);
  const r: Redline = redline({ ref: 1, title: 'Synthetic', doc: pair.from }, { ref: 2, title: 'Synthetic', doc: pair.to });
  const meta = {
    documentTitle: 'Synthetic',
    from: { label: 'v1', date: '2024-01-01T00:00:00Z', contentHash: 'a'.repeat(64) },
    to: { label: 'v2', date: '2024-02-01T00:00:00Z', contentHash: 'b'.repeat(64) },
    checkpoint: 'accord.example/log\n42\nq8jv1Ptu0/g=\n\n— accord.example/log abcd\n',
  };
  out.render_10k_json_ms = round(time(() => JSON.stringify(r), 11));
  out.render_10k_html_ms = round(time(() => renderRedlineHtml(r, meta), 11));
  out.render_10k_md_ms = round(time(() => renderRedlineMarkdown(r, meta), 11));
  out.render_10k_docx_ms = round(await timeAsync(() => redlineDocx(r, meta), 5));
  out.render_10k_pdf_ms = round(await timeAsync(() => redlinePdf(r, meta), 5));
  // Issue 17: a 10,000-word PDF whose text needs embedded fonts (Noto Sans SC, subset), not the standard ones.
  const zh10k = syntheticPair(10_000, 0.05, 10_001, 'chinese');
  const rzh: Redline = redline({ ref: 1, title: '合成', doc: zh10k.from }, { ref: 2, title: '合成', doc: zh10k.to });
  out.render_10k_chinese_pdf_embedded_fonts_ms = round(await timeAsync(() => redlinePdf(rzh, { ...meta, documentTitle: '合成', language: 'zh' }), 5));
  out.render_10k_target = 'docx and pdf < 1000 ms (the Chinese PDF embeds its fonts)';
  out.render_10k_meets_target = Number(out.render_10k_docx_ms) < 1000 && Number(out.render_10k_pdf_ms) < 1000 && Number(out.render_10k_chinese_pdf_embedded_fonts_ms) < 1000 ? 'yes' : 'no';
  out.process_max_rss_mb = round(process.resourceUsage().maxRSS / 1024);
  return out;
}

// Run directly: `npx tsx bench/redline.ts`.
if (import.meta.url === `file://${process.argv[1]}`) {
  benchRedline().then((figures) => console.log(figures));
}
