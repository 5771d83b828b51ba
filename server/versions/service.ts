// Versions: freezing the live text (or an imported draft) as an immutable,
// numbered version whose leaf enters the signed log in the same transaction.
import type { Node as PMNode } from 'prosemirror-model';
import type { Actor, VersionSummary, VersionView } from '../../core/api';
import { contentHash } from '../../core/canonical';
import { encodeEntry, logActorOf } from '../../core/log-entries';
import { serializeMarkdown } from '../../core/markdown';
import type { PMJSON } from '../../core/schema';
import type { DocumentService } from '../documents/service';
import { InvalidError, msg, NotFoundError } from '../errors';
import type { Store, VersionHead, VersionRecord } from '../store/types';

export class VersionService {
  /** The text's version key and the number of the last version frozen in this process, per document. */
  private readonly lastFrozen = new Map<string, { key: string; number: number }>();

  constructor(
    private readonly store: Store,
    private readonly documents: DocumentService,
    /** Told of every version frozen (the "version frozen" signal to open editors, in every process; its history point, awaited). */
    private readonly onFrozen?: (version: VersionRecord) => void | Promise<void>,
    /**
     * Given every version recorded (frozen or imported), once stored: prepares
     * its text for redlines (a worker task, export/prepared-texts.ts). Not
     * awaited; a failure costs only a later preparation.
     */
    private readonly prepare?: (version: VersionRecord) => Promise<unknown>,
  ) {}

  /**
   * Freezes the live text of `docId`. The text comes from its rendered view
   * (documents/view.ts: read, checked, hashed and serialised in the worker,
   * and already at hand when nothing changed since the last read), so the
   * event loop never reads or hashes a large document to freeze it.
   */
  async freeze(docId: string, label: string, meeting: string | null, actor: Actor): Promise<VersionRecord> {
    // The Yjs state is encoded only when the text changed since the last freeze (a version frozen again from the
    // same text shares the previous one's state).
    const last = this.lastFrozen.get(docId);
    const { view, state, key } = await this.documents.renderedWithState(docId, last?.key);
    // A signed version must be exactly the live text, and valid: never sign a repaired reading.
    const { problems } = view;
    if (problems.length > 0) {
      throw new InvalidError(msg('version.unfitStructure', { id: docId, count: problems.length, problems: problems.slice(0, 3).join('; ') }));
    }
    if (view.invalid !== null) throw new InvalidError(msg('version.invalidStructure', { id: docId, detail: view.invalid }));
    const title = view.summary.title;
    const version = await this.create(docId, { title, contentJson: view.contentJson, markdown: JSON.parse(view.markdownJson) as string, contentHash: view.contentHash }, label, meeting, actor);
    // The Yjs state the version was read from, so its attribution stays exact (server/attribution). Kept after
    // the version's own transaction: a version without it (a crash between the two) is attributed to nobody.
    if (state) await this.store.attribution.saveVersionState(docId, version.number, state);
    else if (last) await this.store.attribution.saveVersionStateSameAs(docId, version.number, last.number);
    this.lastFrozen.set(docId, { key, number: version.number });
    await this.onFrozen?.(version);
    return version;
  }

  /** Records `doc` as the next version of `docId` (imported drafts). */
  record(docId: string, title: string, doc: PMNode, label: string, meeting: string | null, actor: Actor): Promise<VersionRecord> {
    const content = doc.toJSON() as PMJSON;
    const text = { title, contentJson: JSON.stringify(content), markdown: serializeMarkdown(title, doc), contentHash: contentHash(title, content) };
    return this.create(docId, text, label, meeting, actor);
  }

  private create(
    docId: string,
    text: { title: string; contentJson: string; markdown: string; contentHash: string },
    label: string,
    meeting: string | null,
    actor: Actor,
  ): Promise<VersionRecord> {
    const created = this.store.versions.create(
      {
        docId,
        label,
        meeting,
        ...text,
        createdAt: new Date().toISOString(),
        createdBy: logActorOf(actor),
      },
      (v) =>
        encodeEntry({
          kind: 'version',
          document: v.docId,
          number: v.number,
          label: v.label,
          meeting: v.meeting,
          contentHash: v.contentHash,
          actor: { id: v.createdBy.id, name: v.createdBy.name, organization: v.createdBy.organization },
          time: v.createdAt,
        }),
    );
    if (this.prepare) {
      const prepare = this.prepare;
      void created.then((version) => prepare(version)).catch(() => {});
    }
    return created;
  }

  async list(docId: string): Promise<VersionSummary[]> {
    await this.documents.require(docId);
    return (await this.store.versions.list(docId)).map(summaryOf);
  }

  /** A VersionView as JSON text, its content spliced in as stored: a large version is never parsed or re-serialised to be read. */
  async viewJson(docId: string, number: number): Promise<string> {
    const v = await this.get(docId, number);
    const head = JSON.stringify({ ...summaryOf(v), title: v.title, markdown: v.markdown } satisfies Omit<VersionView, 'content'>);
    return `${head.slice(0, -1)},"content":${v.contentJson}}`;
  }

  /** The version without its text: its number, label, title and content hash. */
  async head(docId: string, number: number): Promise<VersionHead> {
    await this.documents.require(docId);
    const version = await this.store.versions.head(docId, number);
    if (!version) throw new NotFoundError(msg('version.notFound', { id: docId, number }));
    return version;
  }

  async get(docId: string, number: number): Promise<VersionRecord> {
    await this.documents.require(docId);
    const version = await this.store.versions.get(docId, number);
    if (!version) throw new NotFoundError(msg('version.notFound', { id: docId, number }));
    return version;
  }
}

export function summaryOf(v: VersionRecord): VersionSummary {
  return {
    number: v.number,
    label: v.label,
    meeting: v.meeting,
    contentHash: v.contentHash,
    logIndex: v.logIndex,
    createdAt: v.createdAt,
    createdBy: v.createdBy,
  };
}
