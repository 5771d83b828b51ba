// Versions: freezing the live text (or an imported draft) as an immutable,
// numbered version whose leaf enters the signed log in the same transaction.
import type { Node as PMNode } from 'prosemirror-model';
import type { Actor, VersionSummary, VersionView } from '../../core/api';
import { contentHash } from '../../core/canonical';
import { encodeEntry } from '../../core/log-entries';
import { serializeMarkdown } from '../../core/markdown';
import type { PMJSON } from '../../core/schema';
import type { DocumentService } from '../documents/service';
import { notFound, unprocessable } from '../http/errors';
import type { Store, VersionRecord } from '../store/types';

export class VersionService {
  constructor(
    private readonly store: Store,
    private readonly documents: DocumentService,
    /** Told of every version frozen (the "version frozen" signal to open editors, in every process). */
    private readonly onFrozen?: (version: VersionRecord) => void,
  ) {}

  /** Freezes the live text of `docId`. */
  async freeze(docId: string, label: string, meeting: string | null, actor: Actor): Promise<VersionRecord> {
    const { summary, doc, problems } = await this.documents.live(docId);
    // A signed version must be exactly the live text, and valid: never sign a repaired reading.
    if (problems.length > 0) {
      throw unprocessable(
        `the live text of ${docId} has structure the schema cannot hold (${problems.length} problem${problems.length === 1 ? '' : 's'}: ${problems.slice(0, 3).join('; ')}); an editor must fix it before a version can be frozen`,
      );
    }
    try {
      doc.check();
    } catch (err) {
      throw unprocessable(`the live text of ${docId} is not a valid document structure: ${err instanceof Error ? err.message : String(err)}`);
    }
    const version = await this.record(docId, summary.title, doc, label, meeting, actor);
    this.onFrozen?.(version);
    return version;
  }

  /** Records `doc` as the next version of `docId` (imports use this path too). */
  record(docId: string, title: string, doc: PMNode, label: string, meeting: string | null, actor: Actor): Promise<VersionRecord> {
    const content = doc.toJSON() as PMJSON;
    return this.store.versions.create(
      {
        docId,
        label,
        meeting,
        title,
        content,
        markdown: serializeMarkdown(title, doc),
        contentHash: contentHash(title, content),
        createdAt: new Date().toISOString(),
        createdBy: { id: actor.id, name: actor.name, organization: actor.organization },
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
  }

  async list(docId: string): Promise<VersionSummary[]> {
    await this.documents.require(docId);
    return (await this.store.versions.list(docId)).map(summaryOf);
  }

  async get(docId: string, number: number): Promise<VersionRecord> {
    await this.documents.require(docId);
    const version = await this.store.versions.get(docId, number);
    if (!version) throw notFound(`document ${docId} has no version ${number}`);
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

export function viewOf(v: VersionRecord): VersionView {
  return { ...summaryOf(v), title: v.title, markdown: v.markdown, content: v.content };
}
