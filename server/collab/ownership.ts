// Client id ownership: which account introduced each Yjs client id of a
// document, so attribution cannot be forged. An editor's update that creates
// new items (clocks beyond what the document has) under a client id another
// account owns is refused; an unused client id is claimed by the sender, in
// memory at once (so a second claimant in the same batch loses) and durably
// before the batch that carries it is stored (Room.flushBatch). Hot path: it
// reads the update the room decoded once for the schema gate, and looks up
// each client in it.
import * as Y from 'yjs';
import type { AttributionRepository, ClientClaim, DeletionRecord } from '../store/attribution-types';
import type { DecodedUpdate } from './gate';

export type OwnershipRepository = Pick<AttributionRepository, 'claims' | 'claim' | 'recordDeletions'>;

/** Allowed (with what it deletes, for the record), or refused and why. */
export type OwnershipVerdict = { ok: true; deletions: DeletionRecord[] } | { ok: false; reason: string };

export class ClientOwnership {
  /** Client id -> account id. */
  private readonly owners = new Map<number, string>();
  /** Claims made in memory and not yet written. */
  private pending: ClientClaim[] = [];
  /** Deletions applied and not yet written. */
  private pendingDeletions: DeletionRecord[] = [];

  private constructor(
    readonly docId: string,
    private readonly repo: OwnershipRepository,
  ) {}

  static async load(docId: string, repo: OwnershipRepository): Promise<ClientOwnership> {
    const ownership = new ClientOwnership(docId, repo);
    for (const c of await repo.claims(docId)) ownership.owners.set(c.clientId, c.userId);
    return ownership;
  }

  ownerOf(clientId: number): string | undefined {
    return this.owners.get(clientId);
  }

  /**
   * Whether `userId` may apply `update` to `doc` now: every client id under
   * which it creates items must be the user's, or unused in the document
   * (then it is claimed for the user). Throws on a malformed update.
   */
  check(doc: Y.Doc, decoded: DecodedUpdate, userId: string): OwnershipVerdict {
    // The one decoding serves every question: the gate's, whose clocks it advances, what it deletes.
    const to = new Map<number, number>();
    for (const struct of decoded.structs) {
      if (struct instanceof Y.Skip) continue;
      const end = struct.id.clock + struct.length;
      if (end > (to.get(struct.id.client) ?? 0)) to.set(struct.id.client, end);
    }
    let claims: number[] | null = null;
    for (const [client, clock] of to) {
      const owner = this.owners.get(client);
      if (owner === userId) continue;
      const known = Y.getState(doc.store, client);
      if (clock <= known) continue; // nothing new under this client: items the document already has
      if (owner !== undefined) return { ok: false, reason: `client id ${client} belongs to another account` };
      // Text already written under an unclaimed id (before attribution existed, or by another process whose claim
      // this room has not read yet) is nobody's to continue.
      if (known > 0) return { ok: false, reason: `client id ${client} already wrote text it does not own` };
      (claims ??= []).push(client);
    }
    if (claims !== null) {
      const claimedAt = new Date().toISOString();
      for (const client of claims) {
        this.owners.set(client, userId);
        this.pending.push({ clientId: client, userId, claimedAt, note: null });
      }
    }
    return { ok: true, deletions: deletedBy(doc, decoded.ds, userId) };
  }

  /**
   * What `update` deletes that `doc` has and has not deleted yet (a resync
   * resends every deletion its client ever saw: only the first deleter
   * counts), as records for `userId`. Read before the update is applied.
   */
  deletionsIn(doc: Y.Doc, update: Uint8Array, userId: string): DeletionRecord[] {
    return deletedBy(doc, Y.decodeUpdate(update).ds, userId);
  }

  /** Deletions applied to the document: written with the claims, before the batch is stored. */
  recordDeletions(deletions: readonly DeletionRecord[]): void {
    for (const d of deletions) this.pendingDeletions.push(d);
  }

  /** Records an owner the store already holds (a server-side change's client id). */
  adopt(clientId: number, userId: string): void {
    this.owners.set(clientId, userId);
  }

  /** Client ids in `update` this room has no owner for (another process's clients): read them from the store. */
  hasUnknown(update: Uint8Array): boolean {
    for (const client of Y.parseUpdateMeta(update).to.keys()) if (!this.owners.has(client)) return true;
    return false;
  }

  /** Reads every stored claim again (claims made by another process's clients). */
  async refresh(): Promise<void> {
    for (const c of await this.repo.claims(this.docId)) if (!this.owners.has(c.clientId)) this.owners.set(c.clientId, c.userId);
  }

  /**
   * Writes the claims made (and the deletions applied) since the last call. Rejects when any of them
   * lost to a claim another process stored first: the batch carrying it must
   * then not be stored (the room fails and reloads from the store).
   */
  writePending(): Promise<void> | null {
    if (this.pending.length === 0 && this.pendingDeletions.length === 0) return null;
    const claims = this.pending;
    const deletions = this.pendingDeletions;
    this.pending = [];
    this.pendingDeletions = [];
    const claimed = claims.length === 0 ? Promise.resolve() : this.repo.claim(this.docId, claims).then((lost) => {
      if (lost.length > 0) throw new Error(`client ids ${lost.map((c) => c.clientId).join(', ')} were claimed by other accounts first`);
    });
    return deletions.length === 0 ? claimed : claimed.then(() => this.repo.recordDeletions(this.docId, deletions));
  }
}

/** The items of `ds` that `doc` has and has not deleted yet, as deletions by `userId` (read before applying it). */
function deletedBy(doc: Y.Doc, ds: ReturnType<typeof Y.decodeUpdate>['ds'], userId: string): DeletionRecord[] {
  const out: DeletionRecord[] = [];
  let at: string | null = null;
  for (const [client, ranges] of ds.clients) {
    const structs = doc.store.clients.get(client);
    if (!structs) continue; // nothing of that client here yet
    const known = Y.getState(doc.store, client);
    for (const range of ranges) {
      const end = Math.min(range.clock + range.len, known);
      if (range.clock >= end) continue;
      for (let i = Y.findIndexSS(structs, range.clock); i < structs.length; i++) {
        const struct = structs[i]!;
        const from = Math.max(range.clock, struct.id.clock);
        const to = Math.min(end, struct.id.clock + struct.length);
        if (from >= to) break;
        if (!(struct instanceof Y.Item) || struct.deleted) continue;
        const last = out[out.length - 1];
        if (last && last.clientId === client && last.clock + last.len === from) last.len += to - from;
        else out.push({ clientId: client, clock: from, len: to - from, userId, deletedAt: (at ??= new Date().toISOString()) });
      }
    }
  }
  return out;
}
