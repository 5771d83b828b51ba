// Read side of the transparency log: checkpoints, leaves and proofs, served
// from the stored hashes. Appends happen only inside the store, atomically
// with the event they record.
import { decodeEntry, type LogEntry } from '../../core/log-entries';
import { encodeBase64 } from '../../core/tlog/base64';
import { appendSignatureLines } from '../../core/tlog/cosignature';
import {
  consistencyProof,
  consistencyProofIndexes,
  EMPTY_TREE_ROOT,
  inclusionProof,
  inclusionProofIndexes,
  prefetchedReader,
  type Hash,
} from '../../core/tlog/merkle';
import type { Store } from '../store/types';
import type { LogKey } from './key';
import { InvalidError, msg } from '../errors';

export const MAX_ENTRIES_PER_PAGE = 1000;

export class TransparencyLog {
  constructor(
    private readonly store: Store,
    readonly key: LogKey,
    /** The witnesses' verified cosignature lines for a checkpoint note (server/witness/submitter.ts). */
    private readonly cosignatures: (note: string) => Promise<string[]> = async () => [],
  ) {}

  size(): Promise<number> {
    return this.store.log.size();
  }

  /** The latest checkpoint with the log's signature only (the empty tree's, signed now, before the first entry). */
  async signedCheckpoint(): Promise<string> {
    return (await this.store.log.latestCheckpoint()) ?? this.key.signCheckpoint(0, EMPTY_TREE_ROOT);
  }

  /** The latest checkpoint with every witness cosignature collected for it appended as extra signature lines. */
  async checkpoint(): Promise<string> {
    return this.cosigned(await this.signedCheckpoint());
  }

  /** Any checkpoint note of this log with the witness cosignatures collected for it appended (for bundles of older checkpoints too). */
  async cosigned(note: string): Promise<string> {
    return appendSignatureLines(note, await this.cosignatures(note));
  }

  /** The first signed checkpoint whose tree holds log index `logIndex`. */
  async checkpointCovering(logIndex: number): Promise<string> {
    const note = await this.store.log.checkpointCovering(logIndex + 1);
    if (note === null) throw new Error(`no signed checkpoint covers log index ${logIndex}`);
    return note;
  }

  async entries(start: number, end: number): Promise<{ index: number; leaf: Uint8Array; entry: LogEntry }[]> {
    const size = await this.size();
    if (start > end) throw new InvalidError(msg('log.startAfterEnd', { start, end }));
    if (end > size) throw new InvalidError(msg('log.endPastSize', { end, size }));
    if (end - start > MAX_ENTRIES_PER_PAGE) throw new InvalidError(msg('log.pageTooLong', { max: MAX_ENTRIES_PER_PAGE }));
    const leaves = await this.store.log.leaves(start, end);
    return leaves.map((leaf, i) => ({ index: start + i, leaf, entry: decodeEntry(leaf) }));
  }

  async inclusion(index: number, size: number): Promise<Hash[]> {
    await this.checkSize(size);
    if (index >= size) throw new InvalidError(msg('log.indexOutside', { index, size }));
    const indexes = inclusionProofIndexes(index, size);
    return inclusionProof(index, size, prefetchedReader(indexes, await this.store.log.readHashes(indexes)));
  }

  async consistency(from: number, to: number): Promise<Hash[]> {
    await this.checkSize(to);
    if (from < 1 || from > to) throw new InvalidError(msg('log.consistencyRange', { from, to }));
    const indexes = consistencyProofIndexes(from, to);
    return consistencyProof(from, to, prefetchedReader(indexes, await this.store.log.readHashes(indexes)));
  }


  private async checkSize(size: number): Promise<void> {
    const current = await this.size();
    if (size > current) throw new InvalidError(msg('log.sizeInFuture', { current, size }));
  }
}

export const base64All = (hashes: readonly Uint8Array[]): string[] => hashes.map(encodeBase64);
