// Attribution: who wrote what of the live text or of a version, under the
// document's policy (members by default, anyone, or chairs only; shares by
// stakeholder group may be public while names are not). The runs come from
// core/attribution.ts over the live Y.Doc or a version's stored Yjs state;
// the authors from the client id owners the rooms recorded (collab/ownership.ts).
import * as Y from 'yjs';
import {
  DEFAULT_ATTRIBUTION_POLICY,
  participantOf,
  type AmendmentCounts,
  type AttributionPolicy,
  type ContributionsReport,
  type SharesView,
  type User,
} from '../../core/api';
import {
  attribute,
  attributeState,
  clientRuns,
  unattributed,
  withoutNames,
  wordsByAuthor,
  type Attribution,
  type AttributedRun,
  type ClientAuthorship,
  type DeletedRange,
} from '../../core/attribution';
import { CONTENT_FIELD } from '../../core/schema';
import type { Rooms } from '../collab/rooms';
import type { DocumentService } from '../documents/service';
import { ForbiddenError, msg, SignInRequiredError } from '../errors';
import type { StoredAttributionPolicy } from '../store/attribution-types';
import type { Store } from '../store/types';
import { storedState } from '../store/stored-state';
import type { VersionService } from '../versions/service';
import type { AuthorSource } from '../workers/tasks';

export type TextRef = number | 'live';

/** What the caller may see under the policy: everything, the shares by group only, or nothing. */
export type AttributionAccess = 'names' | 'shares';

/** How many attributions are kept at hand (each about twice its text in size). */
const CACHED = 16;

export class AttributionService {
  private readonly cache = new Map<string, Attribution>();

  constructor(
    private readonly store: Store,
    private readonly rooms: Rooms,
    private readonly documents: DocumentService,
    private readonly versions: VersionService,
  ) {}

  async policy(docId: string): Promise<AttributionPolicy & { setBy?: string; setAt?: string }> {
    await this.documents.require(docId);
    return (await this.store.attribution.policy(docId)) ?? { ...DEFAULT_ATTRIBUTION_POLICY };
  }

  async setPolicy(docId: string, policy: AttributionPolicy, by: User): Promise<StoredAttributionPolicy> {
    await this.documents.require(docId);
    const stored: StoredAttributionPolicy = { ...policy, setBy: by.id, setAt: new Date().toISOString() };
    await this.store.attribution.setPolicy(docId, stored);
    return stored;
  }

  /** What `user` (null: signed out) may see of the document's attribution; 401/403 when nothing. */
  async access(docId: string, user: User | null): Promise<AttributionAccess> {
    const policy = await this.policy(docId);
    const names =
      policy.visibility === 'public' ||
      (policy.visibility === 'members' && user !== null) ||
      (policy.visibility === 'chairs' && user !== null && (user.role === 'chair' || user.role === 'admin'));
    if (names) return 'names';
    if (policy.publicShares) return 'shares';
    if (user === null) throw new SignInRequiredError(msg('attribution.signIn'));
    throw new ForbiddenError(msg('attribution.chairsOnly', { id: docId }));
  }

  /** Client id -> its owner's public identity and claim time. */
  async owners(docId: string): Promise<Map<number, ClientAuthorship>> {
    const [claims, accounts] = await Promise.all([this.store.attribution.claims(docId), this.store.users.list()]);
    const users = new Map(accounts.map((a) => [a.user.id, a.user]));
    const owners = new Map<number, ClientAuthorship>();
    for (const c of claims) {
      const u = users.get(c.userId);
      if (!u) continue;
      owners.set(c.clientId, { author: participantOf(u), at: c.claimedAt, note: c.note });
    }
    return owners;
  }

  /** Who deleted which items, resolved to people. */
  async deletions(docId: string): Promise<DeletedRange[]> {
    const [records, accounts] = await Promise.all([this.store.attribution.deletions(docId), this.store.users.list()]);
    if (records.length === 0) return [];
    const users = new Map(accounts.map((a) => [a.user.id, a.user]));
    const out: DeletedRange[] = [];
    for (const d of records) {
      const u = users.get(d.userId);
      if (u) out.push({ client: d.clientId, clock: d.clock, len: d.len, by: participantOf(u), at: d.deletedAt });
    }
    return out;
  }

  /**
   * The full attribution of the live text or of version `ref` (no policy
   * applied: for the callers that apply it). Kept for the text's stored
   * version and the number of owners, so repeated reads of an unchanged text
   * (anyone's, under a public policy) cost a lookup, not a walk of the document.
   */
  async attribution(docId: string, ref: TextRef): Promise<Attribution> {
    await this.documents.require(docId);
    const owners = await this.owners(docId);
    const textVersion = ref !== 'live' ? 'frozen' : this.rooms.stateOf(docId) !== 'none' ? `room:${await this.rooms.with(docId, (room) => room.storedSeq)}` : `stored:${await this.store.updates.head(docId)}`;
    const key = `${docId}\u0000${ref}\u0000${textVersion}\u0000${owners.size}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const made = await this.compute(docId, ref, owners);
    this.cache.set(key, made);
    for (const oldest of this.cache.keys()) {
      if (this.cache.size <= CACHED) break;
      this.cache.delete(oldest);
    }
    return made;
  }

  private async compute(docId: string, ref: TextRef, owners: Map<number, ClientAuthorship>): Promise<Attribution> {
    if (ref === 'live') {
      if (this.rooms.stateOf(docId) !== 'none') {
        return this.rooms.with(docId, (room) => attribute(clientRuns(room.doc.getXmlFragment(CONTENT_FIELD)), owners));
      }
      const stored = await this.store.updates.load(docId);
      const state = storedState(stored);
      if (state === null) return { sections: [], shares: { byGroup: {}, byOrganization: {} } };
      return attributeState(state, owners, CONTENT_FIELD);
    }
    const version = await this.versions.get(docId, ref);
    const state = await this.store.attribution.versionState(docId, ref);
    return state ? attributeState(state, owners, CONTENT_FIELD) : unattributed(version.content);
  }

  /** A text's Yjs state and its client id owners, for a redline side (attributed in the worker); null when unknown. */
  async source(docId: string, ref: TextRef): Promise<AuthorSource | null> {
    const state = ref === 'live' ? await this.liveState(docId) : await this.store.attribution.versionState(docId, ref);
    if (state === null) return null;
    return { state, owners: [...(await this.owners(docId))], deletions: await this.deletions(docId) };
  }

  private async liveState(docId: string): Promise<Uint8Array | null> {
    if (this.rooms.stateOf(docId) !== 'none') return this.rooms.with(docId, (room) => Y.encodeStateAsUpdate(room.doc));
    return storedState(await this.store.updates.load(docId));
  }

  /** What `user` may see, or 'none' (no error): for the exports, which leave authors out rather than fail. */
  async accessOrNone(docId: string, user: User | null): Promise<AttributionAccess | 'none'> {
    try {
      return await this.access(docId, user);
    } catch (err) {
      if (err instanceof SignInRequiredError || err instanceof ForbiddenError) return 'none';
      throw err;
    }
  }

  /**
   * Whether `user` may see who wrote what: the one answer for redlines, the
   * history's active accounts and the exports. Names are hidden unless the
   * document's policy shows them to this user.
   */
  async namesShown(docId: string, user: User | null): Promise<boolean> {
    return (await this.accessOrNone(docId, user)) === 'names';
  }

  /** The attribution as `user` may see it. */
  async visible(docId: string, ref: TextRef, user: User | null): Promise<Attribution & { namesHidden: boolean }> {
    const access = await this.access(docId, user);
    const full = await this.attribution(docId, ref);
    return access === 'names' ? { ...full, namesHidden: false } : { ...withoutNames(full), namesHidden: true };
  }

  /** Shares of words per section and in total, and the amendments of the round that led to this text, by group. */
  async contributions(docId: string, ref: TextRef, user: User | null): Promise<ContributionsReport> {
    const access = await this.access(docId, user);
    return this.report(docId, ref, access === 'names');
  }

  /** The report with or without names (the meeting package: as its policy allows the public). */
  async report(docId: string, ref: TextRef, names: boolean): Promise<ContributionsReport> {
    const full = await this.attribution(docId, ref);
    const total: SharesView = { words: 0, byGroup: {}, byOrganization: {} };
    const { from, to } = await this.round(docId, ref);
    const amendments = (await this.store.amendments.list(docId)).filter((s) => s.amendment.createdAt > from && s.amendment.createdAt <= to);
    const countsFor = (section: string | null): Record<string, AmendmentCounts> => {
      const out: Record<string, AmendmentCounts> = {};
      for (const s of amendments) {
        if (section !== null && s.amendment.section !== section) continue;
        const c = (out[s.amendment.proposer.stakeholderGroup] ??= { proposed: 0, accepted: 0, rejected: 0 });
        c.proposed++;
        const closed = s.closed;
        if (closed && closed.kind === 'decision' && closed.time <= to) {
          if (closed.decision === 'accept') c.accepted++;
          else c.rejected++;
        }
      }
      return out;
    };
    const sections = full.sections.map((s) => {
      const shares = sharesOfRuns(s.runs, names);
      total.words += shares.words;
      for (const [g, n] of Object.entries(shares.byGroup)) total.byGroup[g] = (total.byGroup[g] ?? 0) + n;
      for (const [o, n] of Object.entries(shares.byOrganization)) total.byOrganization[o] = (total.byOrganization[o] ?? 0) + n;
      return { id: s.id, title: s.title, ...shares, amendments: countsFor(s.id) };
    });
    return { document: docId, version: ref, namesHidden: !names, total, sections, amendments: countsFor(null) };
  }

  /** The times that bound the round leading to a text: after the version before it, up to it (live: up to now). */
  private async round(docId: string, ref: TextRef): Promise<{ from: string; to: string }> {
    const all = await this.store.versions.list(docId);
    if (ref === 'live') return { from: all[all.length - 1]?.createdAt ?? '', to: '\uffff' };
    const i = all.findIndex((v) => v.number === ref);
    return { from: i > 0 ? all[i - 1]!.createdAt : '', to: all[i]?.createdAt ?? '\uffff' };
  }
}

function sharesOfRuns(runs: readonly AttributedRun[], names: boolean): SharesView {
  const out: SharesView = { words: 0, byGroup: {}, byOrganization: {} };
  for (const [author, n] of wordsByAuthor(runs)) {
    out.words += n;
    const group = author?.stakeholderGroup ?? 'unattributed';
    out.byGroup[group] = (out.byGroup[group] ?? 0) + n;
    if (names) {
      const org = author?.organization ?? 'unattributed';
      out.byOrganization[org] = (out.byOrganization[org] ?? 0) + n;
    }
  }
  return out;
}
