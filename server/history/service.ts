// The read side of the continuous history: the points of a document, the text
// at a point (rebuilt from its nearest base and the deltas after it, in the
// worker), redlines between any two points, versions or the live text, and
// "changes since my last visit". Also asks the recorder for a point at every
// freeze. No HTTP here.
import { participantOf, type Actor } from '../../core/api';
import { versionDate } from '../../core/meeting-date';
import { refName, type HistoryPointSummary, type HistoryRedlineFormat, type HistoryRef, type HistoryVisitView } from '../../core/history';
import type { RedlineMeta } from '../../core/redline/index';
import type { Rooms } from '../collab/rooms';
import type { DocumentService } from '../documents/service';
import { splitView, type RenderedView } from '../documents/view';
import { RenderCache } from '../export/cache';
import { msg, NotFoundError } from '../errors';
import type { HistoryPoint } from '../store/history-types';
import type { Store } from '../store/types';
import type { VersionService } from '../versions/service';
import type { TaskRunner } from '../workers/pool';
import { isMissing } from '../workers/tasks';
import type { HistoryRecorder } from './recorder';

interface Side {
  ref: string;
  date: string;
  label: string;
  title: string;
  contentJson: string;
  contentHash: string;
}

const TYPES: Record<HistoryRedlineFormat, string> = {
  json: 'application/json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
};

const pointTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

export class HistoryService {
  /** Points never change: their renderings are kept by document and number. */
  private readonly views = new RenderCache<string>(32, 64 * 1024 * 1024);
  private readonly redlines = new RenderCache<string>(32, 64 * 1024 * 1024);

  constructor(
    private readonly store: Store,
    private readonly rooms: Rooms,
    private readonly recorder: HistoryRecorder,
    private readonly documents: DocumentService,
    private readonly versions: VersionService,
    private readonly render: TaskRunner,
    private readonly log: (message: string) => void,
  ) {}

  /** The points; `names`: whether the reader may see who was active (the document's attribution policy). */
  async list(docId: string, names: boolean): Promise<HistoryPointSummary[]> {
    await this.documents.require(docId);
    const points = await this.store.history.list(docId);
    const people = names ? await this.actors(points.flatMap((p) => p.accounts)) : null;
    return points.map((p) => summaryOf(p, people));
  }

  /** The JSON body of a point's view: its summary and the text as it was (a DocumentView). */
  async viewJson(docId: string, number: number, names: boolean): Promise<string> {
    const [point, rendered] = await Promise.all([this.point(docId, number), this.rendered(docId, number)]);
    const head = JSON.stringify(summaryOf(point, names ? await this.actors(point.accounts) : null));
    return `${head.slice(0, -1)},${rendered.body.slice(1)}`;
  }

  /** A redline between two texts of the document, each a point, a version or the live text. */
  async redline(docId: string, from: HistoryRef, to: HistoryRef, format: HistoryRedlineFormat): Promise<{ body: string; contentType: string }> {
    const [a, b] = await Promise.all([this.side(docId, from), this.side(docId, to)]);
    const summary = await this.documents.require(docId);
    const meta: RedlineMeta = {
      documentTitle: b.title,
      documentId: docId,
      language: summary.language,
      from: { label: a.label, date: a.date, contentHash: a.contentHash },
      to: { label: b.label, date: b.date, contentHash: b.contentHash },
      author: 'Accord',
    };
    const key = [docId, format, a.ref, a.label, a.contentHash, b.ref, b.label, b.contentHash, summary.language].join('\u0000');
    const body = await this.redlines.get(key, async () => {
      const result = await this.render({
        kind: 'redline',
        from: { ref: a.ref, label: a.label, title: a.title, doc: a.contentJson },
        to: { ref: b.ref, label: b.label, title: b.title, doc: b.contentJson },
        meta,
        format,
      });
      // Both texts are sent, so the worker never answers that it lacks one.
      if (isMissing(result)) throw new Error('a history redline without its texts');
      return typeof result === 'string' ? result : Buffer.from(result).toString('utf8');
    });
    return { body, contentType: TYPES[format] };
  }

  /** Records a point for a version just frozen (the freeze's response waits for it; a failure is logged, never the freeze's). */
  async versionFrozen(docId: string, version: number): Promise<void> {
    try {
      await this.rooms.with(docId, (room) => this.recorder.recordNow(room, version));
    } catch (err) {
      this.log(`history point of version ${version} of ${docId}: ${String(err)}`);
    }
  }

  /** The point an account last saw, and whether the text changed since; null before its first visit. */
  async lastVisit(docId: string, userId: string): Promise<HistoryVisitView | null> {
    await this.documents.require(docId);
    const visit = await this.store.history.lastVisit(docId, userId);
    if (!visit) return null;
    const [point, head] = await Promise.all([this.store.history.get(docId, visit.point), this.store.updates.head(docId)]);
    return { point: visit.point, at: visit.at, changed: point === null || head > point.upto };
  }

  private async point(docId: string, number: number): Promise<HistoryPoint> {
    await this.documents.require(docId);
    const point = await this.store.history.get(docId, number);
    if (!point) throw new NotFoundError(msg('history.noPoint', { id: docId, number }));
    return point;
  }

  /** The text at a point, rendered in the worker from its chain of stored states, and kept. */
  private async rendered(docId: string, number: number): Promise<RenderedView> {
    const summary = await this.documents.require(docId);
    const key = [docId, number, summary.title, summary.language].join('\u0000');
    const text = await this.views.get(key, async () => {
      const chain = await this.store.history.chain(docId, number);
      if (!chain) throw new NotFoundError(msg('history.noPoint', { id: docId, number }));
      return this.render({ kind: 'view', summary, parts: chain });
    });
    return splitView(summary, text);
  }

  private async side(docId: string, ref: HistoryRef): Promise<Side> {
    const name = refName(ref);
    switch (ref.kind) {
      case 'live': {
        const live = await this.documents.rendered(docId);
        return { ref: name, date: new Date().toISOString(), label: 'Live text', title: live.summary.title, contentJson: live.contentJson, contentHash: live.contentHash };
      }
      case 'version': {
        const v = await this.versions.get(docId, ref.number);
        return { ref: name, date: versionDate(v), label: `Version ${v.number}: ${v.label}`, title: v.title, contentJson: v.contentJson, contentHash: v.contentHash };
      }
      case 'point': {
        const point = await this.point(docId, ref.number);
        const view = await this.rendered(docId, ref.number);
        const summary = await this.documents.require(docId);
        return { ref: name, date: point.at, label: `History point ${point.number} (${pointTime.format(new Date(point.at))} UTC)`, title: summary.title, contentJson: view.contentJson, contentHash: view.contentHash };
      }
    }
  }

  private async actors(ids: readonly string[]): Promise<Map<string, Actor>> {
    const people = new Map<string, Actor>();
    for (const id of new Set(ids)) {
      const user = await this.store.users.byId(id);
      if (user) people.set(id, participantOf(user));
    }
    return people;
  }
}

/** A point as readers see it; `people` null: names hidden by the attribution policy. */
function summaryOf(p: HistoryPoint, people: Map<string, Actor> | null): HistoryPointSummary {
  return {
    number: p.number,
    at: p.at,
    version: p.version,
    accounts: people ? p.accounts.map((id) => people.get(id) ?? { id, name: 'Unknown account', organization: '' }) : [],
    ...(people ? {} : { namesHidden: true }),
    bytes: p.bytes,
    base: p.base,
  };
}
