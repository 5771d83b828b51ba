// Endorsements (the call for commitment): request bodies, the shapes the API
// returns, and the pure rules both sides share (organisation identity for
// duplicates, counts by group and region). No I/O. A contact's name and
// e-mail address are personal data: only the chair's view type carries them.
import { z } from 'zod';
import { STAKEHOLDER_GROUPS, type Actor, type StakeholderGroup } from './api';
import { countryOf, isCountryCode, M49_REGIONS, regionLabel } from './countries';

export const submitEndorsementBody = z.object({
  organization: z.string().trim().min(1).max(200),
  // A string first: a missing group is malformed (400), an unknown one invalid (422).
  stakeholderGroup: z.string().pipe(z.enum(STAKEHOLDER_GROUPS)),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .refine(isCountryCode, { message: 'must be an ISO 3166-1 alpha-2 country code (e.g. FR, KE, BR)' }),
  contactName: z.string().trim().min(1).max(200),
  email: z.string().trim().max(320).pipe(z.email()),
  statement: z.string().trim().max(2000).nullish(),
  version: z.number().int().positive(),
});
export type SubmitEndorsementBody = z.infer<typeof submitEndorsementBody>;

export const ENDORSEMENT_DECISIONS = ['confirm', 'reject'] as const;
export type EndorsementDecisionKind = (typeof ENDORSEMENT_DECISIONS)[number];

export const endorsementDecisionBody = z.object({
  decision: z.string().pipe(z.enum(ENDORSEMENT_DECISIONS)),
  reason: z.string().trim().max(2000).nullish(),
});

export const openVersionBody = z.object({ version: z.number().int().positive() });

export type EndorsementStatus = 'pending' | 'confirmed' | 'rejected';

/** A confirmed endorsement as anyone may see it (GET .../endorsements without a chair's identity). */
export interface PublicEndorsement {
  id: string;
  organization: string;
  stakeholderGroup: StakeholderGroup;
  country: string;
  version: number;
  contentHash: string;
  logIndex: number;
  confirmedAt: string;
  countryName: string;
  region: string;
  /** The optional statement of support, with the contact's name and address blanked out. */
  statement: string | null;
  /** The earlier endorsement this one re-affirms, if any. */
  reaffirms: string | null;
}

/** Every endorsement, pending and decided, as a chair sees it (contact details included). */
export interface ChairEndorsement extends Omit<PublicEndorsement, 'logIndex' | 'confirmedAt'> {
  status: EndorsementStatus;
  emailConfirmed: boolean;
  /** True while the confirmation link is unused and past its expiry. */
  linkExpired: boolean;
  contactName: string;
  email: string;
  submittedAt: string;
  logIndex: number | null;
  confirmedAt: string | null;
  decision: { decision: EndorsementDecisionKind; reason: string | null; actor: Actor; at: string } | null;
}

/** The version open for endorsement: set by a chair, else the latest version. */
export interface OpenVersion {
  version: number;
  label: string;
  contentHash: string;
  logIndex: number;
  createdAt: string;
  /** When and by whom it was published for endorsement; null when it is open by default (latest). */
  setAt: string | null;
  setBy: Actor | null;
}

/** Everything public about a document's call for commitment. */
export interface SupportersData {
  document: { id: string; title: string };
  open: OpenVersion | null;
  /** The log's latest signed checkpoint (a signed note). */
  checkpoint: string;
  /** Confirmed endorsements, in log order. */
  confirmed: PublicEndorsement[];
  versions: { number: number; label: string; meeting?: string | null; createdAt?: string }[];
}

// Letters of other scripts that look like Latin ones (after lower-casing),
// from Unicode's confusables list: enough that "Асmе" in Cyrillic is "acme".
const CONFUSABLES: Record<string, string> = {
  // Cyrillic
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x',
  ѕ: 's', і: 'i', ї: 'i', ј: 'j', һ: 'h', ԁ: 'd', ԛ: 'q', ԝ: 'w', ү: 'y', ӏ: 'l', ɡ: 'g', ь: 'b',
  // Greek
  α: 'a', β: 'b', ε: 'e', ζ: 'z', ι: 'i', κ: 'k', μ: 'u', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ω: 'w', ϲ: 'c', ϳ: 'j',
  // Latin look-alikes
  ı: 'i', ȷ: 'j', ł: 'l', ø: 'o', ß: 'ss', æ: 'ae', œ: 'oe',
};
const CONFUSABLE = new RegExp(`[${Object.keys(CONFUSABLES).join('')}]`, 'gu');

// Invisible characters: format controls (zero-width space, joiners, direction
// marks, soft hyphen, BOM), variation selectors, combining grapheme joiner.
const INVISIBLE = /[\p{Cf}\u034F\u115F\u1160\u3164\uFFA0\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/gu;

/**
 * The identity of an organisation's name for uniqueness: Unicode compatibility
 * form (NFKC), invisible characters removed, case folded, look-alike letters
 * of other scripts folded to Latin, accents dropped, punctuation and spacing
 * ignored. "ACME  Foundation", "Acme-Foundation" and "Аcme Foundation" (a
 * Cyrillic A) are the same organisation.
 */
export function organizationKey(name: string): string {
  return name
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(CONFUSABLE, (c) => CONFUSABLES[c] ?? c)
    .replace(/[\p{P}\p{S}\p{Z}\s]+/gu, ' ')
    .trim();
}

/** The display form of an organisation's name: trimmed, inner spacing collapsed. */
export function organizationName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ');
}

/** Blanks out each of `secrets` (case-insensitive) in `text`; short strings are left alone to keep the text readable. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    const s = secret.trim();
    if (s.length < 3) continue;
    out = out.replace(new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), '[contact]');
  }
  return out;
}

export interface SupporterLike {
  organization: string;
  stakeholderGroup: string;
  country: string;
  version: number;
  confirmedAt: string;
}

/** One row per organisation: its endorsement of the highest version (the latest confirmed one on ties). */
export function latestPerOrganization<T extends SupporterLike>(endorsements: readonly T[]): T[] {
  const byOrg = new Map<string, T>();
  for (const e of endorsements) {
    const key = organizationKey(e.organization);
    const seen = byOrg.get(key);
    if (!seen || e.version > seen.version || (e.version === seen.version && e.confirmedAt > seen.confirmedAt)) byOrg.set(key, e);
  }
  return [...byOrg.values()].sort((a, b) => b.version - a.version || a.organization.localeCompare(b.organization, 'en'));
}

export interface SupporterCounts {
  total: number;
  byGroup: { group: StakeholderGroup; count: number }[];
  byRegion: { region: string; count: number }[];
}

/** Counts organisations (callers pass one row each) by stakeholder group and by UN M49 region. */
export function countSupporters(rows: readonly Pick<SupporterLike, 'stakeholderGroup' | 'country'>[]): SupporterCounts {
  const groups = new Map<string, number>();
  const regions = new Map<string, number>();
  for (const row of rows) {
    groups.set(row.stakeholderGroup, (groups.get(row.stakeholderGroup) ?? 0) + 1);
    const region = regionLabel(row.country);
    regions.set(region, (regions.get(region) ?? 0) + 1);
  }
  return {
    total: rows.length,
    byGroup: STAKEHOLDER_GROUPS.map((group) => ({ group, count: groups.get(group) ?? 0 })),
    // The five M49 regions always, in their usual order; Antarctica only when someone is there.
    byRegion: [...M49_REGIONS, ...[...regions.keys()].filter((r) => !(M49_REGIONS as readonly string[]).includes(r))].map((region) => ({
      region,
      count: regions.get(region) ?? 0,
    })),
  };
}

export function countryName(code: string): string {
  return countryOf(code)?.name ?? code;
}


