// Redlines and meeting exports: picks the two texts, fills the header
// metadata, and renders through the one redline JSON. No HTTP here.
import { versionDate } from '../../core/meeting-date';
import JSZip from 'jszip';
import { createHash } from 'node:crypto';
import type { RedlineMeta } from '../../core/redline/index';
import type { DocumentService } from '../documents/service';
import type { VersionService } from '../versions/service';
import type { VersionRecord } from '../store/types';
import type { TransparencyLog } from '../transparency/service';
import type { BundleService } from '../transparency/bundle';
import { InvalidError, msg } from '../errors';
import { isMissing, runTask, type RedlineSide, type RenderResult, type RenderTask } from '../workers/tasks';
import type { TaskRunner } from '../workers/pool';
import { RenderCache } from './cache';
import { RedlinePairFiles } from './redline-pairs';
import { join } from 'node:path';
import { verifierPage, verifierScript } from './verifier-page';
import { DEFAULT_LOCALE, type Locale } from '../../core/i18n/locales';
import { exportLocale, exportText, type ExportText } from '../../core/i18n/messages/exports';
import type { AttributionAccess, AttributionService } from '../attribution/service';
import { contributionsMarkdown } from './contributions';

export const REDLINE_FORMATS = ['json', 'html', 'md', 'docx', 'pdf'] as const;
export type RedlineFormat = (typeof REDLINE_FORMATS)[number];
export const CLEAN_FORMATS = ['html', 'md', 'docx', 'pdf'] as const;
export type CleanFormat = (typeof CLEAN_FORMATS)[number];

export interface Rendered {
  body: Buffer | string;
  contentType: string;
  extension: string;
  /** A strong ETag when the body is fixed by what its cache key names (the JSON redline), so nobody hashes the body. */
  etag?: string;
}

interface Side {
  ref: number | 'live';
  label: string;
  title: string;
  /**
   * JSON text, parsed by the worker: a large text is never parsed or copied as
   * objects on the event loop. Absent for a version whose prepared text the
   * worker is expected to hold (then it is read only if the worker has not).
   */
  content?: string;
  date: string;
  contentHash: string;
}

/** Where the worker keeps versions' texts prepared for redlines (export/prepared-texts.ts): DATA_DIR/redline/<engine>. */
export interface PreparedTextsConfig {
  dir: string;
}

type RedlineTask = Extract<RenderTask, { kind: 'redline' }>;

/** How many earlier versions a newly recorded version's JSON redline is precomputed against (the most recent ones). */
export const PRECOMPUTED_PAIRS = 20;

const TYPES: Record<RedlineFormat, { contentType: string; extension: string }> = {
  json: { contentType: 'application/json; charset=utf-8', extension: 'json' },
  html: { contentType: 'text/html; charset=utf-8', extension: 'html' },
  md: { contentType: 'text/markdown; charset=utf-8', extension: 'md' },
  docx: { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extension: 'docx' },
  pdf: { contentType: 'application/pdf', extension: 'pdf' },
};

export class ExportService {
  private readonly cache = new RenderCache();
  /** JSON redlines of pairs of versions on disk (redline-pairs.ts): precomputed when a version is recorded, read before computing. */
  private readonly pairs: RedlinePairFiles | null;
  /** The precomputations, one after another (never more than one pair at a time in the worker pool). */
  private precomputing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly documents: DocumentService,
    private readonly versions: VersionService,
    private readonly transparency: TransparencyLog,
    private readonly bundles: BundleService,
    /** Where rendering runs: a worker pool in the server, this thread by default (CLI, tests). */
    private readonly render: TaskRunner = runTask,
    /** With it, a version is named to the worker by its content hash and its text read only when the worker lacks it. */
    private readonly prepared?: PreparedTextsConfig,
    /** Who wrote what (attribution/service.ts): redlines name their authors, packages carry the contributions report. */
    private readonly attribution: AttributionService | null = null,
  ) {
    this.pairs = prepared ? new RedlinePairFiles(join(prepared.dir, 'pairs')) : null;
  }

  /** Renders through the runner, once per key. */
  private rendered(key: string, task: RenderTask): Promise<RenderResult> {
    // Kept as the body it is sent as (bytes become a Buffer once, without a copy): a hit sends the same object.
    return this.cache.get(key, async () => toBody(await (task.kind === 'redline' ? this.renderRedlineTask(task) : this.render(task))));
  }

  /**
   * A redline whose versions were named only by hash: when the worker holds
   * neither form of one of them (new server, evicted, a version frozen before
   * texts were prepared), its stored text is read and sent, and the worker
   * prepares and keeps it for the next time.
   */
  private async renderRedlineTask(task: RedlineTask): Promise<RenderResult> {
    const first = await this.render(task);
    if (!isMissing(first)) return first;
    const filled: RedlineTask = { ...task };
    for (const end of first.missing) {
      const side = task[end];
      if (typeof side.ref !== 'number' || !task.meta.documentId) throw new Error('a redline side without its text');
      filled[end] = { ...side, doc: (await this.versions.get(task.meta.documentId, side.ref)).contentJson };
    }
    const second = await this.render(filled);
    if (isMissing(second)) throw new Error('the redline texts were sent but not prepared');
    return second;
  }

  private async side(docId: string, ref: number | 'live', t: ExportText): Promise<Side> {
    if (ref === 'live') {
      // Read, hashed and cached by content in the worker (documents/view.ts), like the document's view.
      const live = await this.documents.rendered(docId);
      return { ref, label: t.t('side.live'), title: live.summary.title, content: live.contentJson, date: new Date().toISOString(), contentHash: live.contentHash };
    }
    if (this.prepared) {
      // The worker holds (or finds on disk) the version's prepared text: not even its stored text is read here.
      const v = await this.versions.head(docId, ref);
      return { ref, label: t.t('side.versionLabel', { number: v.number, label: v.label }), title: v.title, date: versionDate(v), contentHash: v.contentHash };
    }
    const v = await this.versions.get(docId, ref);
    // The stored JSON text goes to the worker as is (a string is copied, not walked), parsed there.
    return { ref, label: t.t('side.versionLabel', { number: v.number, label: v.label }), title: v.title, content: v.contentJson, date: versionDate(v), contentHash: v.contentHash };
  }

  /** The locale of an export's own texts: `asked` (?lang=), else the document's language when it is one of the six, else English. */
  private async localeOf(docId: string, asked: Locale | undefined): Promise<Locale> {
    return exportLocale((await this.documents.require(docId)).language, asked);
  }

  /** A side as the worker takes it: the text, and, with prepared texts, the hash they are kept under (versions on disk too). */
  private redlineSide(s: Side): RedlineSide {
    const side: RedlineSide = { ref: s.ref, label: s.label, title: s.title };
    if (s.content !== undefined) side.doc = s.content;
    if (this.prepared) side.prepared = { hash: s.contentHash, dir: s.ref === 'live' ? null : this.prepared.dir };
    return side;
  }

  /**
   * The two sides and the header of a redline; the comparison itself runs
   * where `render` runs. A `pinned` checkpoint (a meeting package's) replaces
   * the latest one and the generation time, so the rendering never changes.
   */
  private async redlineTask(
    docId: string,
    from: number | 'live',
    to: number | 'live',
    format: RedlineFormat,
    pinned?: { checkpoint: string },
    asked?: Locale,
  ): Promise<{ key: string; task: RedlineTask }> {
    // The JSON is data for programs: its side labels are English unless a language is asked for, and it reads no document.
    const locale = format === 'json' ? (asked ?? DEFAULT_LOCALE) : await this.localeOf(docId, asked);
    const t = exportText(locale);
    const [a, b] = await Promise.all([this.side(docId, from, t), this.side(docId, to, t)]);
    const side = (s: Side) => this.redlineSide(s);
    if (format === 'json') {
      // The JSON carries no header: it depends on the two texts only, so it is cached by their content hashes
      // (and what the JSON names them), and needs no checkpoint.
      const key = ['redline-json', a.ref, a.label, a.title, a.contentHash, b.ref, b.label, b.title, b.contentHash].join('\u0000');
      const meta: RedlineMeta = { documentTitle: b.title, documentId: docId, from: { label: a.label }, to: { label: b.label }, locale };
      return { key, task: { kind: 'redline', from: side(a), to: side(b), meta, format } };
    }
    const [checkpoint, summary] = await Promise.all([pinned?.checkpoint ?? this.transparency.checkpoint(), this.documents.require(docId)]);
    const meta: RedlineMeta = {
      documentTitle: b.title,
      documentId: docId,
      language: summary.language,
      locale,
      from: { label: a.label, date: a.date, contentHash: a.contentHash },
      to: { label: b.label, date: b.date, contentHash: b.contentHash },
      checkpoint,
      ...(pinned ? {} : { generatedAt: new Date().toISOString() }),
      author: 'Accord',
    };
    // Same texts, labels, checkpoint and format: same rendering (the live side's date is when it was first rendered).
    const key = ['redline', docId, a.label, a.contentHash, b.label, b.contentHash, b.title, summary.language, locale, checkpoint, format, pinned ? 'pinned' : ''].join('\u0000');
    return { key, task: { kind: 'redline', from: side(a), to: side(b), meta, format } };
  }

  /**
   * `locale`: the language of the export's own texts (?lang=); the document's when it is one of the six, else English, by default.
   * With `authors`, each inserted and deleted run names who wrote it (only for callers the policy shows names to).
   */
  async renderRedline(docId: string, from: number | 'live', to: number | 'live', format: RedlineFormat, pinned?: { checkpoint: string }, locale?: Locale, authors = false): Promise<Rendered> {
    const { key, task } = await this.redlineTask(docId, from, to, format, pinned, locale);
    const attribution = authors ? this.attribution : null;
    const cacheKey = attribution ? `${key}\u0000authors` : key;
    // The authors are read only when the rendering is not cached already.
    const body = attribution
      ? await this.cache.get(cacheKey, async () => {
          const [a, b] = await Promise.all([attribution.source(docId, from), attribution.source(docId, to)]);
          return toBody(await this.renderRedlineTask({ ...task, authors: { from: a, to: b } }));
        })
      : format === 'json' && this.pairs && from !== 'live' && to !== 'live'
        ? await this.cache.get(key, () => this.pairJson(key, task))
        : await this.rendered(key, task);
    const rendered: Rendered = { ...TYPES[format], body: toBody(body) };
    // The JSON depends on the two texts and their names only (and whether authors are named), all in its key.
    if (format === 'json') rendered.etag = `"${createHash('sha256').update(cacheKey).digest('base64url')}"`;
    return rendered;
  }

  /**
   * The JSON redline of two versions (no authors) from its file, or computed
   * and its file written (again, when it was missing, truncated or corrupt)
   * after it is answered.
   */
  private async pairJson(key: string, task: RedlineTask): Promise<RenderResult> {
    const pairs = this.pairs!;
    const kept = await pairs.read(key);
    if (kept) return kept;
    const body = toBody(await this.renderRedlineTask(task));
    if (typeof body !== 'string') void pairs.write(key, body);
    return body;
  }

  /**
   * When version `number` is recorded: its JSON redline against each of the
   * PRECOMPUTED_PAIRS most recent earlier versions (from the earlier, to this
   * one; as a caller who is shown no authors, in the default language, gets
   * it: the same key, the same bytes), written to disk unless there already.
   * Queued behind earlier precomputations; nobody waits for it (the freeze has
   * answered), and a failure only leaves a pair to compute on request. The
   * files are bounded in all (MAX_PAIR_BYTES, oldest written first out).
   * Resolves with what it wrote, for the record (the benchmark prints it).
   */
  precomputeRedlines(docId: string, number: number): Promise<{ pairs: number; bytes: number; ms: number }> {
    const run = async () => {
      const start = performance.now();
      let pairs = 0;
      let bytes = 0;
      const files = this.pairs;
      if (!files) return { pairs, bytes, ms: 0 };
      const earlier = (await this.versions.list(docId))
        .map((v) => v.number)
        .filter((n) => n < number)
        .sort((a, b) => b - a)
        .slice(0, PRECOMPUTED_PAIRS);
      for (const from of earlier) {
        const { key, task } = await this.redlineTask(docId, from, number, 'json');
        if (await files.has(key)) continue;
        const body = toBody(await this.renderRedlineTask(task));
        await files.write(key, typeof body === 'string' ? Buffer.from(body) : body);
        pairs += 1;
        bytes += body.length;
      }
      // Bounded in all, not only per version: the oldest files go first.
      if (pairs > 0) await files.prune();
      return { pairs, bytes, ms: performance.now() - start };
    };
    const next = this.precomputing.then(run);
    this.precomputing = next.catch(() => {});
    return next;
  }

  async renderVersion(docId: string, number: number, format: CleanFormat, asked?: Locale): Promise<Rendered> {
    const [v, summary] = await Promise.all([this.versions.get(docId, number), this.documents.require(docId)]);
    const locale = exportLocale(summary.language, asked);
    const t = exportText(locale);
    const label = v.meeting ? t.t('side.versionMeeting', { number: v.number, label: v.label, meeting: v.meeting }) : t.t('side.versionLabel', { number: v.number, label: v.label });
    const info = { label, date: versionDate(v), contentHash: v.contentHash, language: summary.language, locale };
    const key = ['clean', docId, v.number, v.contentHash, summary.language, locale, format].join('\u0000');
    // On a miss, the worker gets the stored JSON text: the event loop never parses or copies the content as objects.
    const body = toBody(await this.rendered(key, { kind: 'clean', title: v.title, content: v.contentJson, info, format }));
    return { ...TYPES[format], body };
  }

  /** The version a meeting package compares against: the latest earlier version. */
  async previousVersion(docId: string, number: number): Promise<number | null> {
    const all = await this.versions.list(docId);
    const earlier = all.filter((v) => v.number < number);
    const withMeeting = earlier.filter((v) => v.meeting);
    return (withMeeting.at(-1) ?? earlier.at(-1))?.number ?? null;
  }

  /**
   * One zip: the clean text, the redline against the previous meeting
   * version, the bundle and the offline verifier, all as of the first signed
   * checkpoint that covers the version. Built only from what that checkpoint
   * fixes, with the version's time on every file: the same bytes every time,
   * and nothing of a later version.
   */
  async meetingPackage(docId: string, number: number, asked?: Locale, access: AttributionAccess | 'none' = 'none'): Promise<Rendered> {
    const v = await this.versions.get(docId, number);
    const checkpoint = await this.transparency.checkpointCovering(v.logIndex);
    const locale = await this.localeOf(docId, asked);
    // Fixed by the version, its checkpoint, the language of its texts and what the caller may see of its attribution, so built once (zipping is on this thread).
    const key = ['package', docId, number, v.contentHash, checkpoint, locale, access].join('\u0000');
    const zip = await this.cache.get(key, () => this.buildPackage(docId, v, checkpoint, locale, access));
    return { body: toBody(zip), contentType: 'application/zip', extension: 'zip' };
  }

  private async buildPackage(docId: string, v: VersionRecord, checkpoint: string, locale: Locale, access: AttributionAccess | 'none'): Promise<Uint8Array> {
    const number = v.number;
    const bundle = await this.bundles.json(docId, { covering: v.logIndex, pretty: true });
    const files: [string, Buffer | string][] = [];
    const base = `${docId}-v${number}`;
    for (const format of CLEAN_FORMATS) {
      const r = await this.renderVersion(docId, number, format, locale);
      files.push([`${base}.${r.extension}`, r.body]);
    }
    const previous = await this.previousVersion(docId, number);
    if (previous !== null) {
      for (const format of REDLINE_FORMATS) {
        const r = await this.renderRedline(docId, previous, number, format, { checkpoint }, locale, access === 'names');
        files.push([`${base}-redline-from-v${previous}.${r.extension}`, r.body]);
      }
    }
    if (this.attribution && access !== 'none') {
      // Who wrote how much of this version, per section, and the amendments of its round by group (names as the policy allows).
      const report = await this.attribution.report(docId, number, access === 'names');
      files.push([`${base}-contributions.json`, `${JSON.stringify(report, null, 2)}\n`]);
      files.push([`${base}-contributions.md`, contributionsMarkdown(report, v)]);
    }
    const bundleFile = `${docId}-bundle.json`;
    files.push([bundleFile, bundle]);
    files.push(['verify.html', await verifierPage(bundle)]);
    files.push(['accord-verify.mjs', await verifierScript()]);
    files.push(['README.txt', packageReadme(exportText(locale), v, bundleFile, this.transparency.key.verifierKey)]);
    // DOS times are local: a fixed instant gives the same bytes on one server; UTC makes them the same everywhere.
    const date = zipDate(v.createdAt);
    const zip = new JSZip();
    for (const [name, body] of files) zip.file(name, body, { date, createFolders: false });
    return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', platform: 'DOS' });
  }
}

function packageReadme(t: ExportText, v: { title: string; number: number; label: string; meeting: string | null; contentHash: string }, bundleFile: string, verifierKey: string): string {
  return [
    v.title,
    v.meeting ? t.t('side.versionMeeting', { number: v.number, label: v.label, meeting: v.meeting }) : t.t('side.versionLabel', { number: v.number, label: v.label }),
    t.t('readme.hash', { hash: v.contentHash }),
    '',
    t.t('readme.open'),
    ...wrap(t.t('readme.what', { file: bundleFile }), 88),
    `  ${verifierKey}`,
    '',
    t.t('readme.cli'),
    `  node accord-verify.mjs ${bundleFile} --key "${verifierKey}"`,
    t.t('readme.since'),
    '',
  ].join('\n');
}

/** Plain-text lines of at most about `width` characters, broken between words (text without spaces stays whole). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** The zip's file time: the version's UTC wall-clock time read as local time, so DOS fields show it on any server. */
function zipDate(iso: string): Date {
  const d = new Date(iso);
  return new Date(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
}

function toBody(result: RenderResult): Buffer | string {
  return typeof result === 'string' || Buffer.isBuffer(result) ? result : Buffer.from(result.buffer, result.byteOffset, result.byteLength);
}


export function parseRef(raw: unknown, name: string): number | 'live' {
  if (raw === 'live') return 'live';
  if (typeof raw === 'string' && /^\d{1,9}$/.test(raw) && Number(raw) >= 1) return Number(raw);
  throw new InvalidError(msg('query.versionRef', { name }));
}
