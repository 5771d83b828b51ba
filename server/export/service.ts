// Redlines and meeting exports: picks the two texts, fills the header
// metadata, and renders through the one redline JSON. No HTTP here.
import { versionDate } from '../../core/meeting-date';
import JSZip from 'jszip';
import type { RedlineMeta } from '../../core/redline/index';
import type { DocumentService } from '../documents/service';
import type { VersionService } from '../versions/service';
import type { VersionRecord } from '../store/types';
import type { LogService } from '../log/service';
import type { BundleService } from '../log/bundle';
import { unprocessable } from '../http/errors';
import { runTask, type RenderResult, type RenderTask } from '../workers/tasks';
import type { TaskRunner } from '../workers/pool';
import { RenderCache } from './cache';
import { verifierPage, verifierScript } from './verifier-page';
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
}

interface Side {
  ref: number | 'live';
  label: string;
  title: string;
  /** JSON text, parsed by the worker: a large text is never parsed or copied as objects on the event loop. */
  content: string;
  date: string;
  contentHash: string;
}

const TYPES: Record<RedlineFormat, { contentType: string; extension: string }> = {
  json: { contentType: 'application/json; charset=utf-8', extension: 'json' },
  html: { contentType: 'text/html; charset=utf-8', extension: 'html' },
  md: { contentType: 'text/markdown; charset=utf-8', extension: 'md' },
  docx: { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extension: 'docx' },
  pdf: { contentType: 'application/pdf', extension: 'pdf' },
};

export class ExportService {
  private readonly cache = new RenderCache();

  constructor(
    private readonly documents: DocumentService,
    private readonly versions: VersionService,
    private readonly log: LogService,
    private readonly bundles: BundleService,
    /** Where rendering runs: a worker pool in the server, this thread by default (CLI, tests). */
    private readonly render: TaskRunner = runTask,
    /** Who wrote what (attribution/service.ts): redlines name their authors, packages carry the contributions report. */
    private readonly attribution: AttributionService | null = null,
  ) {}

  /** Renders through the runner, once per key. */
  private rendered(key: string, task: RenderTask): Promise<RenderResult> {
    return this.cache.get(key, () => this.render(task));
  }

  private async side(docId: string, ref: number | 'live'): Promise<Side> {
    if (ref === 'live') {
      // Read, hashed and cached by content in the worker (documents/view.ts), like the document's view.
      const live = await this.documents.rendered(docId);
      return { ref, label: 'Live text', title: live.summary.title, content: live.contentJson, date: new Date().toISOString(), contentHash: live.contentHash };
    }
    const v = await this.versions.get(docId, ref);
    // The stored JSON text goes to the worker as is (a string is copied, not walked), parsed there.
    return { ref, label: `Version ${v.number}: ${v.label}`, title: v.title, content: v.contentJson, date: versionDate(v), contentHash: v.contentHash };
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
  ): Promise<{ key: string; task: RenderTask }> {
    const [a, b] = await Promise.all([this.side(docId, from), this.side(docId, to)]);
    const side = (s: Side) => ({ ref: s.ref, label: s.label, title: s.title, doc: s.content });
    if (format === 'json') {
      // The JSON carries no header: it depends on the two texts only, so it is cached by their content hashes
      // (and what the JSON names them), and needs no checkpoint.
      const key = ['redline-json', a.ref, a.label, a.title, a.contentHash, b.ref, b.label, b.title, b.contentHash].join('\u0000');
      const meta: RedlineMeta = { documentTitle: b.title, documentId: docId, from: { label: a.label }, to: { label: b.label } };
      return { key, task: { kind: 'redline', from: side(a), to: side(b), meta, format } };
    }
    const [checkpoint, summary] = await Promise.all([pinned?.checkpoint ?? this.log.checkpoint(), this.documents.require(docId)]);
    const meta: RedlineMeta = {
      documentTitle: b.title,
      documentId: docId,
      language: summary.language,
      from: { label: a.label, date: a.date, contentHash: a.contentHash },
      to: { label: b.label, date: b.date, contentHash: b.contentHash },
      checkpoint,
      ...(pinned ? {} : { generatedAt: new Date().toISOString() }),
      author: 'Accord',
    };
    // Same texts, labels, checkpoint and format: same rendering (the live side's date is when it was first rendered).
    const key = ['redline', docId, a.label, a.contentHash, b.label, b.contentHash, b.title, summary.language, checkpoint, format, pinned ? 'pinned' : ''].join('\u0000');
    return { key, task: { kind: 'redline', from: side(a), to: side(b), meta, format } };
  }

  /** The redline; with `authors`, each inserted and deleted run names who wrote it (only for callers the policy shows names to). */
  async renderRedline(docId: string, from: number | 'live', to: number | 'live', format: RedlineFormat, pinned?: { checkpoint: string }, authors = false): Promise<Rendered> {
    const { key, task } = await this.redlineTask(docId, from, to, format, pinned);
    const attribution = authors ? this.attribution : null;
    if (!attribution) return { ...TYPES[format], body: toBody(await this.rendered(key, task)) };
    // The authors are read only when the rendering is not cached already.
    const body = await this.cache.get(`${key}\u0000authors`, async () => {
      const [a, b] = await Promise.all([attribution.source(docId, from), attribution.source(docId, to)]);
      return this.render({ ...task, authors: { from: a, to: b } });
    });
    return { ...TYPES[format], body: toBody(body) };
  }

  async renderVersion(docId: string, number: number, format: CleanFormat): Promise<Rendered> {
    const [v, summary] = await Promise.all([this.versions.get(docId, number), this.documents.require(docId)]);
    const info = { label: `Version ${v.number}: ${v.label}${v.meeting ? ` (${v.meeting})` : ''}`, date: versionDate(v), contentHash: v.contentHash, language: summary.language };
    const key = ['clean', docId, v.number, v.contentHash, summary.language, format].join('\u0000');
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
  async meetingPackage(docId: string, number: number, access: AttributionAccess | 'none' = 'none'): Promise<Rendered> {
    const v = await this.versions.get(docId, number);
    const checkpoint = await this.log.checkpointCovering(v.logIndex);
    // Fixed by the version, its checkpoint and what the caller may see of its attribution, so built once (zipping is on this thread).
    const key = ['package', docId, number, v.contentHash, checkpoint, access].join('\u0000');
    const zip = await this.cache.get(key, () => this.buildPackage(docId, v, checkpoint, access));
    return { body: toBody(zip), contentType: 'application/zip', extension: 'zip' };
  }

  private async buildPackage(docId: string, v: VersionRecord, checkpoint: string, access: AttributionAccess | 'none'): Promise<Uint8Array> {
    const number = v.number;
    const bundle = await this.bundles.json(docId, { covering: v.logIndex, pretty: true });
    const files: [string, Buffer | string][] = [];
    const base = `${docId}-v${number}`;
    for (const format of CLEAN_FORMATS) {
      const r = await this.renderVersion(docId, number, format);
      files.push([`${base}.${r.extension}`, r.body]);
    }
    const previous = await this.previousVersion(docId, number);
    if (previous !== null) {
      for (const format of REDLINE_FORMATS) {
        const r = await this.renderRedline(docId, previous, number, format, { checkpoint }, access === 'names');
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
    files.push(['README.txt', packageReadme(v, bundleFile, this.log.key.verifierKey)]);
    // DOS times are local: a fixed instant gives the same bytes on one server; UTC makes them the same everywhere.
    const date = zipDate(v.createdAt);
    const zip = new JSZip();
    for (const [name, body] of files) zip.file(name, body, { date, createFolders: false });
    return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', platform: 'DOS' });
  }
}

function packageReadme(v: { title: string; number: number; label: string; meeting: string | null; contentHash: string }, bundleFile: string, verifierKey: string): string {
  return [
    v.title,
    `Version ${v.number}: ${v.label}${v.meeting ? ` (${v.meeting})` : ''}`,
    `Content hash: ${v.contentHash}`,
    '',
    'To check this history: open verify.html in a web browser (it works offline).',
    `It verifies the bundle inside it (the same as ${bundleFile}) and says in plain words`,
    'what was verified, or which version or entry fails. To check the file itself, drop',
    `${bundleFile} onto the page. Paste the server's verifier key, from a source you trust:`,
    `  ${verifierKey}`,
    '',
    'On the command line, with Node.js 20 or later and nothing else to install, in this folder:',
    `  node accord-verify.mjs ${bundleFile} --key "${verifierKey}"`,
    'Add --since <file> with a checkpoint you saw earlier to check that the log was not forked since.',
    '',
  ].join('\n');
}

/** The zip's file time: the version's UTC wall-clock time read as local time, so DOS fields show it on any server. */
function zipDate(iso: string): Date {
  const d = new Date(iso);
  return new Date(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
}

function toBody(result: RenderResult): Buffer | string {
  return typeof result === 'string' ? result : Buffer.from(result.buffer, result.byteOffset, result.byteLength);
}

export function parseRef(raw: unknown, name: string): number | 'live' {
  if (raw === 'live') return 'live';
  if (typeof raw === 'string' && /^\d{1,9}$/.test(raw) && Number(raw) >= 1) return Number(raw);
  throw unprocessable(`${name} must be a version number or "live"`);
}
