// Endorsements: organisations endorse one exact version of a document. A
// submission is pending until its contact confirms the address (one-time
// link) and a chair confirms it; only then does it enter the signed log, in
// the same transaction as the decision. Contact details never leave this
// module except in the confirmation mail and the chair's view.
import { randomBytes } from 'node:crypto';
import type { Actor } from '../../core/api';
import { countryName, organizationKey, organizationName, redact, type ChairEndorsement, type EndorsementDecisionKind, type OpenVersion, type PublicEndorsement, type SubmitEndorsementBody, type SupportersData } from '../../core/endorsements';
import { regionLabel } from '../../core/countries';
import { encodeEntry, logActorOf } from '../../core/log-entries';
import { tokenHash } from '../auth/tokens';
import type { DocumentService } from '../documents/service';
import { ConflictError, InvalidError, MailFailedError, msg, NotFoundError, RateLimitedError } from '../errors';
import type { ErrorText } from '../../core/i18n/messages/errors';
import type { TransparencyLog } from '../transparency/service';
import type { MailTransport } from '../mail/transport';
import { DEFAULT_LOCALE, type Locale } from '../../core/i18n/locales';
import { endorseText, type EndorseKey } from '../../core/i18n/messages/endorse';
import type { Translator } from '../../core/i18n/translator';
import type { EmailConfirmation, EndorsementRecord, NewEndorsement } from '../store/endorsement-types';
import type { Store, VersionRecord } from '../store/types';
import { durationText, type EndorsementLimits } from './rate-limit';
import type { RateWindow } from '../store/rate-limit-types';

export const DEFAULT_LINK_LIFETIME_MS = 7 * 24 * 3600_000;

export interface EndorsementOptions {
  /** Base of the links in mail (Config.publicUrl). */
  publicUrl: string;
  mail: MailTransport;
  /** Per client address (stored submissions; every request) and per contact address (every mail sent). */
  limits: EndorsementLimits;
  linkLifetimeMs?: number;
}

export function statusOf(e: EndorsementRecord): 'pending' | 'confirmed' | 'rejected' {
  if (!e.decision) return 'pending';
  return e.decision.decision === 'confirm' ? 'confirmed' : 'rejected';
}

/** What anyone may see of a confirmed endorsement: no contact details, and none in the statement either. */
export function publicView(e: EndorsementRecord): PublicEndorsement {
  if (statusOf(e) !== 'confirmed') throw new Error(`endorsement ${e.id} is not confirmed`);
  return {
    id: e.id,
    organization: e.organization,
    stakeholderGroup: e.stakeholderGroup,
    country: e.country,
    version: e.version,
    contentHash: e.contentHash,
    logIndex: e.decision!.logIndex!,
    confirmedAt: e.decision!.at,
    countryName: countryName(e.country),
    region: regionLabel(e.country),
    statement: publicStatement(e),
    reaffirms: e.reaffirms,
  };
}

export function chairView(e: EndorsementRecord, now = new Date().toISOString()): ChairEndorsement {
  const confirmed = statusOf(e) === 'confirmed';
  return {
    id: e.id,
    status: statusOf(e),
    organization: e.organization,
    stakeholderGroup: e.stakeholderGroup,
    country: e.country,
    countryName: countryName(e.country),
    region: regionLabel(e.country),
    version: e.version,
    contentHash: e.contentHash,
    statement: e.statement,
    reaffirms: e.reaffirms,
    contactName: e.contactName,
    email: e.email,
    submittedAt: e.submittedAt,
    emailConfirmed: e.emailConfirmedAt !== null,
    linkExpired: e.emailConfirmedAt === null && e.linkExpiresAt <= now,
    logIndex: confirmed ? e.decision!.logIndex : null,
    confirmedAt: confirmed ? e.decision!.at : null,
    decision: e.decision ? { decision: e.decision.decision, reason: e.decision.reason, actor: e.decision.actor, at: e.decision.at } : null,
  };
}

function publicStatement(e: EndorsementRecord): string | null {
  return e.statement ? redact(e.statement, [e.contactName, e.email]) : null;
}

export class EndorsementService {
  private readonly linkLifetimeMs: number;

  constructor(
    private readonly store: Store,
    private readonly documents: DocumentService,
    private readonly transparency: TransparencyLog,
    private readonly options: EndorsementOptions,
  ) {
    this.linkLifetimeMs = options.linkLifetimeMs ?? DEFAULT_LINK_LIFETIME_MS;
  }

  /**
   * Counts one public write from `client` (an IP address), valid or not; 429
   * for a flood, and at once when the address has used up its allowance of
   * stored submissions (which `create` counts, so mistyped ones cost nothing).
   */
  async admitClient(client: string): Promise<void> {
    const { limits } = this.options;
    const decision = await this.store.rateLimits.take(`requests:${client}`, Date.now(), limits.requestsPerClient);
    if (!decision.allowed) {
      throw new RateLimitedError(msg('endorsement.tooManyRequests', { wait: durationText(decision.retryAfterSeconds) }), decision.retryAfterSeconds);
    }
    const allowance = await this.store.rateLimits.peek(`submissions:${client}`, Date.now(), limits.submissionsPerClient);
    if (!allowance.allowed) throw new RateLimitedError(this.allowanceUsedUp(durationText(allowance.retryAfterSeconds)), allowance.retryAfterSeconds);
  }

  private allowanceUsedUp(wait: ErrorText): ErrorText {
    const window = this.options.limits.submissionsPerClient;
    return msg('endorsement.allowanceUsed', { max: window.max, window: durationText(Math.round(window.windowMs / 1000)), wait });
  }

  /** Takes one place of `window` for `key`, or 429 with `message`; returns how to give it back. */
  private async takePlace(key: string, window: RateWindow, message: (wait: ErrorText) => ErrorText): Promise<() => Promise<void>> {
    const decision = await this.store.rateLimits.take(key, Date.now(), window);
    if (!decision.allowed) throw new RateLimitedError(message(durationText(decision.retryAfterSeconds)), decision.retryAfterSeconds);
    return () => this.store.rateLimits.forgive(key, Date.now(), window);
  }

  documentOrNull(docId: string): Promise<{ id: string; title: string } | null> {
    return this.store.documents.get(docId);
  }

  /**
   * The version a chair opened for endorsement; null until one does. Freezing
   * a newer version never changes it: opening is an explicit act.
   */
  async openVersion(docId: string): Promise<OpenVersion | null> {
    await this.documents.require(docId);
    const set = await this.store.endorsements.openVersion(docId);
    const version = set ? await this.store.versions.get(docId, set.version) : null;
    return set && version ? openVersionOf(version, set.setAt, set.setBy) : null;
  }

  async setOpenVersion(docId: string, number: number, actor: Actor): Promise<OpenVersion> {
    const version = await this.requireVersion(docId, number);
    const setBy = logActorOf(actor);
    const set = await this.store.endorsements.setOpenVersion({ docId, version: number, setAt: new Date().toISOString(), setBy });
    return openVersionOf(version, set.setAt, set.setBy);
  }

  /** A new endorsement of `body.version`, pending; its contact is sent a one-time link, in `locale` (the language of the page used). */
  async submit(docId: string, body: SubmitEndorsementBody, client: string, locale: Locale = DEFAULT_LOCALE): Promise<EndorsementRecord> {
    const version = await this.requireVersion(docId, body.version);
    return this.create(version, client, locale, {
      organization: organizationName(body.organization),
      stakeholderGroup: body.stakeholderGroup,
      country: body.country,
      contactName: body.contactName,
      email: body.email,
      statement: body.statement ? body.statement : null,
      reaffirms: null,
    });
  }

  /**
   * Re-affirms a confirmed endorsement of an earlier version for the version
   * now open: a new pending endorsement with the same organisation details,
   * whose link goes to the contact on record, so only that contact can confirm it.
   * The mail is in `locale`, the language of the page the re-affirmation came from.
   */
  async reaffirm(docId: string, endorsementId: string, client: string, locale: Locale = DEFAULT_LOCALE): Promise<EndorsementRecord> {
    await this.documents.require(docId);
    const source = await this.store.endorsements.get(docId, endorsementId);
    // Pending and rejected endorsements are not public: they do not exist for this route.
    if (!source || statusOf(source) !== 'confirmed') throw new NotFoundError(msg('endorsement.notFoundConfirmed', { id: docId, endorsement: endorsementId }));
    const open = await this.openVersion(docId);
    if (!open) throw new NotFoundError(msg('endorsement.noOpenVersion', { id: docId }));
    if (source.version === open.version) throw new ConflictError(msg('endorsement.alreadyEndorses', { organization: source.organization, version: open.version }));
    if (source.version > open.version) throw new InvalidError(msg('endorsement.laterVersion', { version: source.version, open: open.version }));
    const version = await this.requireVersion(docId, open.version);
    return this.create(version, client, locale, {
      organization: source.organization,
      stakeholderGroup: source.stakeholderGroup,
      country: source.country,
      contactName: source.contactName,
      email: source.email,
      statement: source.statement,
      reaffirms: source.id,
    });
  }

  /** What following a confirmation link would do now, changing nothing (the page a GET shows). */
  async peekAddress(docId: string, token: string): Promise<EmailConfirmation['outcome'] | 'ready'> {
    if (!/^[A-Za-z0-9_-]{16,100}$/.test(token)) return 'invalid';
    return this.store.endorsements.peekEmail(docId, tokenHash(token), new Date().toISOString());
  }

  /** Follows a confirmation link (POST only). */
  async confirmAddress(docId: string, token: string): Promise<EmailConfirmation> {
    if (!/^[A-Za-z0-9_-]{16,100}$/.test(token)) return { outcome: 'invalid' };
    return this.store.endorsements.confirmEmail(docId, tokenHash(token), new Date().toISOString());
  }

  /** A chair's decision; a confirmation is logged (organisation, group, country, version, content hash, time). */
  async decide(docId: string, endorsementId: string, decision: EndorsementDecisionKind, reason: string | null, actor: Actor): Promise<EndorsementRecord> {
    await this.require(docId, endorsementId);
    return this.store.endorsements.decide(
      docId,
      endorsementId,
      { decision, reason, actor: logActorOf(actor), at: new Date().toISOString() },
      (e) =>
        encodeEntry({
          kind: 'endorsement',
          document: e.docId,
          endorsement: e.id,
          organization: e.organization,
          stakeholderGroup: e.stakeholderGroup,
          country: e.country,
          version: e.version,
          contentHash: e.contentHash,
          time: e.decision!.at,
        }),
    );
  }

  async require(docId: string, endorsementId: string): Promise<EndorsementRecord> {
    await this.documents.require(docId);
    const found = await this.store.endorsements.get(docId, endorsementId);
    if (!found) throw new NotFoundError(msg('endorsement.notFound', { id: docId, endorsement: endorsementId }));
    return found;
  }

  /** Confirmed endorsements, oldest first: the public list. */
  async confirmed(docId: string): Promise<PublicEndorsement[]> {
    await this.documents.require(docId);
    return (await this.store.endorsements.list(docId))
      .filter((e) => statusOf(e) === 'confirmed')
      .map(publicView)
      .sort((a, b) => a.logIndex - b.logIndex);
  }

  /** Everything the public page and the exports show. */
  async publicData(docId: string): Promise<SupportersData> {
    const document = await this.documents.require(docId);
    const [open, confirmed, versions] = await Promise.all([this.openVersion(docId), this.confirmed(docId), this.store.versions.list(docId)]);
    // Read after the list, so the checkpoint covers every entry shown.
    const checkpoint = await this.transparency.checkpoint();
    return { document, open, checkpoint, confirmed, versions: versions.map((v) => ({ number: v.number, label: v.label, meeting: v.meeting, createdAt: v.createdAt })) };
  }

  /** Every endorsement with contact details: for chairs only. */
  async all(docId: string): Promise<ChairEndorsement[]> {
    await this.documents.require(docId);
    const now = new Date().toISOString();
    await this.store.endorsements.expireUnconfirmed(now);
    return (await this.store.endorsements.list(docId)).map((e) => chairView(e, now));
  }

  private async requireVersion(docId: string, number: number): Promise<VersionRecord> {
    await this.documents.require(docId);
    const version = await this.store.versions.get(docId, number);
    if (!version) throw new NotFoundError(msg('version.notFound', { id: docId, number }));
    return version;
  }

  private async create(version: VersionRecord, client: string, locale: Locale, details: Omit<NewEndorsement, 'docId' | 'version' | 'contentHash' | 'submittedAt' | 'linkExpiresAt'>): Promise<EndorsementRecord> {
    const now = new Date();
    const draft: NewEndorsement = {
      ...details,
      docId: version.docId,
      version: version.number,
      contentHash: version.contentHash,
      submittedAt: now.toISOString(),
      linkExpiresAt: new Date(now.getTime() + this.linkLifetimeMs).toISOString(),
    };
    const orgKey = organizationKey(draft.organization);
    // Only a confirmed (public) endorsement is a duplicate: whether another
    // submission is pending is never revealed, and never blocks this one.
    if (await this.store.endorsements.hasConfirmed(draft.docId, draft.version, orgKey)) {
      throw new ConflictError(msg('endorsement.alreadyEndorses', { organization: draft.organization, version: draft.version }));
    }
    // Unconfirmed submissions whose link has expired are gone before anything is counted.
    await this.store.endorsements.expireUnconfirmed(now.toISOString());
    const { limits } = this.options;
    const giveBackSubmission = await this.takePlace(`submissions:${client}`, limits.submissionsPerClient, (wait) => this.allowanceUsedUp(wait));
    let giveBackMail: () => Promise<void> = async () => {};
    try {
      giveBackMail = await this.takePlace(`contact:${mailboxKey(draft.email)}`, limits.mailsPerContact, (wait) => msg('endorsement.tooManyMails', { wait }));
    } catch (err) {
      await giveBackSubmission();
      throw err;
    }
    const title = (await this.documents.require(version.docId)).title;
    const token = randomBytes(24).toString('base64url');
    // The record is stored first (the store checks for a duplicate again, atomically with the
    // insert: 409 on a race), and the mail goes out only once it is committed: a failed write
    // (a full disk) sends nothing. When the mail cannot be sent, the record no one has a link
    // for is taken back, so nothing is left to block a retry. Only the token's hash is stored.
    // Whatever fails gives its places back: only a submission that stands is counted.
    let record: EndorsementRecord;
    try {
      record = await this.store.endorsements.submit(draft, orgKey, tokenHash(token));
    } catch (err) {
      await giveBackSubmission();
      await giveBackMail();
      throw err;
    }
    try {
      await this.options.mail.send(confirmationMail(this.linkFor(version.docId, token, locale), draft, version, title, endorseText(locale)));
    } catch (err) {
      console.error('[accord] a confirmation mail could not be sent:', err instanceof Error ? err.message : err);
      await this.store.endorsements.discard(record.docId, record.id);
      await giveBackSubmission();
      await giveBackMail();
      throw new MailFailedError(msg('endorsement.mailFailed'));
    }
    return record;
  }

  /** The one-time link; its page speaks the mail's language (English needs no `lang`: the page falls back to the browser's). */
  private linkFor(docId: string, token: string, locale: Locale): string {
    const lang = locale === DEFAULT_LOCALE ? '' : `&lang=${locale}`;
    return `${this.options.publicUrl.replace(/\/+$/, '')}/endorse/${encodeURIComponent(docId)}/confirm?token=${token}${lang}`;
  }
}

/**
 * The mailbox an address delivers to, for the per-contact mail limit: case
 * folded and sub-addressing removed ("Ann+1@Example.org" is
 * "ann@example.org"); Gmail also ignores dots in the local part.
 */
export function mailboxKey(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 0) return email.trim().toLowerCase();
  let local = email.slice(0, at).trim().toLowerCase();
  let domain = email.slice(at + 1).trim().toLowerCase().replace(/\.+$/, '');
  local = local.replace(/[+].*$/, '');
  if (domain === 'googlemail.com') domain = 'gmail.com';
  if (domain === 'gmail.com') local = local.replace(/\./g, '');
  return `${local}@${domain}`;
}

function openVersionOf(v: VersionRecord, setAt: string | null, setBy: Actor | null): OpenVersion {
  return { version: v.number, label: v.label, contentHash: v.contentHash, logIndex: v.logIndex, createdAt: v.createdAt, setAt, setBy };
}

function confirmationMail(link: string, e: NewEndorsement, version: VersionRecord, title: string, t: Translator<EndorseKey>): { to: string; subject: string; text: string } {
  const expires = t.date(e.linkExpiresAt, { dateStyle: 'long', timeStyle: 'long', timeZone: 'UTC' });
  return {
    to: e.email,
    // A header line: CR/LF (and every other control character) from a title or a name must not start another header.
    subject: t.t('mail.subject', { title, version: version.number, organization: e.organization }).replace(/[\u0000-\u001F\u007F]+/g, ' '),
    text: [
      t.t('mail.hello', { name: e.contactName }),
      '',
      t.t('mail.asked', { organization: e.organization, reaffirms: e.reaffirms ? 'yes' : 'no', version: version.number, label: version.label, title }),
      t.t('mail.hash', { hash: version.contentHash }),
      '',
      t.t('mail.open'),
      link,
      '',
      t.t('mail.expires', { when: expires }),
      t.t('mail.privacy'),
    ].join('\n'),
  };
}
