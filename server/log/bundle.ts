// Builds a document's verification bundle from the store: every leaf of the
// log up to one signed checkpoint, and the document's versions and entries
// among them with their inclusion proofs.
import { buildBundle, BundleBuildError, type Bundle } from '../../core/bundle';
import { HttpError } from '../http/errors';
import { parseCheckpoint } from '../../core/tlog/checkpoint';
import { splitNote } from '../../core/tlog/note';
import type { Store, VersionRecord } from '../store/types';
import type { DocumentService } from '../documents/service';
import type { LogService } from './service';

export class BundleService {
  constructor(
    private readonly store: Store,
    private readonly documents: DocumentService,
    private readonly log: LogService,
  ) {}

  /**
   * The bundle as of the latest checkpoint, or, given `covering`, as of the
   * first checkpoint whose tree holds log index `covering` (a meeting
   * package's: it never changes once signed, and holds no later entry).
   */
  async build(docId: string, opts: { covering?: number } = {}): Promise<Bundle> {
    const summary = await this.documents.require(docId);
    // The checkpoint first: every leaf read afterwards below its size is covered by it.
    const checkpoint = opts.covering === undefined ? await this.log.checkpoint() : await this.log.checkpointCovering(opts.covering);
    const size = parseCheckpoint(splitNote(checkpoint).text).size;
    const versions = (await this.store.versions.list(docId)).filter((v) => v.logIndex < size);
    try {
      return await this.assemble(summary, checkpoint, size, versions, opts);
    } catch (err) {
      // Tampered storage: say which item and what it means, never "internal server error".
      if (err instanceof BundleBuildError) throw new HttpError(500, 'history_mismatch', `${err.item} fails: ${err.message}. The history cannot be verified until it is restored from a backup.`);
      throw err;
    }
  }

  private async assemble(summary: { id: string; title: string }, checkpoint: string, size: number, versions: VersionRecord[], opts: { covering?: number }): Promise<Bundle> {
    return buildBundle({
      verifierKey: this.log.key.verifierKey,
      checkpoint,
      // A past checkpoint's bundle is titled as its newest version, so a later renaming cannot change it.
      document: { id: summary.id, title: opts.covering === undefined ? summary.title : (versions.at(-1)?.title ?? summary.title) },
      leaves: await this.store.log.leaves(0, size),
      versions: versions.map((v) => ({ title: v.title, content: v.content, markdown: v.markdown, logIndex: v.logIndex })),
    });
  }
}
