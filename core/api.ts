// The shapes that cross the wire: request bodies (zod, validated at the
// server's edge) and response types (trusted inside, used by the client).
// One place for both sides, so they cannot drift apart.
import { z } from 'zod';
import { LOCALES } from './i18n/locales';
import { canonicalLanguage } from './language';
import { ROLES, STAKEHOLDER_GROUPS, type Actor, type Participant, type Role, type StakeholderGroup, type User } from './people';
import { SECTION_ID_PATTERN, type PMJSON, type SectionSummary } from './schema';

// Roles, stakeholder groups and people live in people.ts (no zod: the client imports them).
export * from './people';

export const MAX_MARKDOWN_BYTES = 1_000_000;

export const createUserBody = z.object({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(320),
  organization: z.string().trim().min(1).max(200),
  stakeholderGroup: z.enum(STAKEHOLDER_GROUPS),
  role: z.enum(ROLES),
  password: z.string().min(8).max(200).optional(),
});
export type CreateUserBody = z.infer<typeof createUserBody>;

/** PATCH /api/me: what a person may change about their own account. */
export const updateMeBody = z.object({ language: z.enum(LOCALES) }).strict();

export const signInBody = z.union([
  z.object({ email: z.email(), password: z.string().min(1).max(200) }),
  z.object({ token: z.string().min(10).max(200) }),
]);

export const documentIdSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lowercase letters, digits, - and _ (at most 64)');

export const createDocumentBody = z.object({
  id: documentIdSchema,
  title: z.string().trim().min(1).max(300),
  markdown: z.string(),
  /** BCP 47, canonicalised ("EN-gb" → "en-GB"); English when absent. */
  language: z
    .string()
    .transform((tag, ctx) => {
      const canonical = canonicalLanguage(tag);
      if (canonical === null) ctx.addIssue({ code: 'custom', message: `"${tag}" is not a BCP 47 language tag (e.g. en, fr, ar, zh-Hans)`, params: { i18n: 'validation.languageTag', tag } });
      return canonical ?? tag;
    })
    .optional(),
});

export const createVersionBody = z.object({
  label: z.string().trim().min(1).max(200),
  meeting: z.string().trim().min(1).max(200).optional(),
});

export const sectionIdSchema = z.string().regex(SECTION_ID_PATTERN);

export interface DocumentSummary {
  id: string;
  title: string;
  /** BCP 47 (core/language.ts); "en" unless the document was created with another. */
  language: string;
}

export interface DocumentView extends DocumentSummary {
  sections: SectionSummary[];
  markdown: string;
  content: PMJSON;
}

export interface VersionSummary {
  number: number;
  label: string;
  meeting: string | null;
  contentHash: string;
  logIndex: number;
  createdAt: string;
  createdBy: Actor;
}

export interface VersionView extends VersionSummary {
  title: string;
  markdown: string;
  content: PMJSON;
}

export interface ApiErrorBody {
  error: { code: string; message: string };
}

// ---------- Amendments ----------

export const AMENDMENT_STATUSES = ['open', 'outdated', 'accepted', 'rejected', 'withdrawn'] as const;
/** `outdated`: still open, but the anchored text no longer reads as the quote (computed when read). */
export type AmendmentStatus = (typeof AMENDMENT_STATUSES)[number];
export type AmendmentDecisionKind = 'accept' | 'reject';

export const MAX_AMENDMENT_TEXT = 10_000;

export const proposeAmendmentBody = z.object({
  section: sectionIdSchema,
  /** The exact current text replaced; never empty (an insertion quotes the words it follows or precedes). */
  quote: z.string().min(1, 'must not be empty: quote the words the amendment changes').max(MAX_AMENDMENT_TEXT),
  /** The replacement; empty deletes the quote. */
  proposed: z.string().max(MAX_AMENDMENT_TEXT),
  justification: z.string().trim().min(1, 'is required').max(MAX_AMENDMENT_TEXT),
  /** Which occurrence of the quote in the section (1-based; default the first). */
  occurrence: z.number().int().min(1).max(1_000_000).optional(),
});
export type ProposeAmendmentBody = z.infer<typeof proposeAmendmentBody>;

export const amendmentCommentBody = z.object({
  text: z.string().trim().min(1, 'is required').max(MAX_AMENDMENT_TEXT),
});

export const amendmentDecisionBody = z.object({
  decision: z.enum(['accept', 'reject']),
  /** Required when rejecting. */
  reason: z.string().trim().max(MAX_AMENDMENT_TEXT).optional(),
});

export interface AmendmentSupporter extends Participant {
  supportedAt: string;
}

export interface AmendmentComment {
  id: string;
  author: Participant;
  text: string;
  createdAt: string;
}

export interface AmendmentDecision {
  decision: AmendmentDecisionKind;
  reason: string;
  decidedBy: Participant;
  decidedAt: string;
  /** Index of the decision's leaf in the signed log. */
  logIndex: number;
}

export interface AmendmentWithdrawal {
  withdrawnBy: Participant;
  withdrawnAt: string;
  logIndex: number;
}

export interface Amendment {
  id: string;
  /** 1, 2, … per document, in order of proposal (the compilation's numbering). */
  number: number;
  document: string;
  section: string;
  quote: string;
  proposed: string;
  justification: string;
  occurrence: number;
  /** `delete`: empty proposal; `insert`: the proposal keeps the quote and adds to it; else `replace`. */
  kind: 'replace' | 'delete' | 'insert';
  status: AmendmentStatus;
  /** For open amendments: what the anchored passage reads now (null when it was deleted). */
  currentText: string | null;
  /** Yjs relative positions (Y.encodeRelativePosition, base64) of the quote's start and end. */
  anchor: { start: string; end: string };
  proposer: Participant;
  supporters: AmendmentSupporter[];
  comments: AmendmentComment[];
  decision: AmendmentDecision | null;
  withdrawal: AmendmentWithdrawal | null;
  /** Log index of the decision or withdrawal, when there is one. */
  logIndex: number | null;
  createdAt: string;
}

/**
 * Who may see a document's attribution: signed-in members (the default),
 * anyone, or chairs only. `publicShares`: the words by stakeholder group may
 * be seen by anyone even when names are not.
 */
export const ATTRIBUTION_VISIBILITY = ['members', 'public', 'chairs'] as const;
export type AttributionVisibility = (typeof ATTRIBUTION_VISIBILITY)[number];

export interface AttributionPolicy {
  visibility: AttributionVisibility;
  publicShares: boolean;
}

export const DEFAULT_ATTRIBUTION_POLICY: AttributionPolicy = { visibility: 'members', publicShares: false };

export const attributionPolicyBody = z
  .object({
    visibility: z.enum(ATTRIBUTION_VISIBILITY),
    publicShares: z.boolean(),
  })
  .strict();

/** Amendments by outcome, for one stakeholder group. */
export interface AmendmentCounts {
  proposed: number;
  accepted: number;
  rejected: number;
}

/** Words by stakeholder group and by organisation (organisations are left out when names are private). */
export interface SharesView {
  words: number;
  byGroup: Record<string, number>;
  byOrganization: Record<string, number>;
}

/** `GET /api/documents/:id/contributions?version=`: who wrote how much of a version (or the live text), per section. */
export interface ContributionsReport {
  document: string;
  version: number | 'live';
  /** Names and organisations are left out (the policy shows shares by group only). */
  namesHidden: boolean;
  total: SharesView;
  sections: (SharesView & { id: string; title: string; amendments: Record<string, AmendmentCounts> })[];
  /** Amendments proposed in the round that led to this version (after the previous version, up to this one), by the proposer's group, with their outcome as of this version. */
  amendments: Record<string, AmendmentCounts>;
}
