// The shapes that cross the wire: request bodies (zod, validated at the
// server's edge) and response types (trusted inside, used by the client).
// One place for both sides, so they cannot drift apart.
import { z } from 'zod';
import { SECTION_ID_PATTERN, type PMJSON, type SectionSummary } from './schema';

export const ROLES = ['admin', 'chair', 'editor', 'stakeholder', 'observer'] as const;
export type Role = (typeof ROLES)[number];

export const STAKEHOLDER_GROUPS = [
  'government',
  'private-sector',
  'civil-society',
  'technical-community',
  'academia',
  'intergovernmental',
] as const;
export type StakeholderGroup = (typeof STAKEHOLDER_GROUPS)[number];

/** Roles that may change the text of a document. */
export const TEXT_WRITERS: readonly Role[] = ['admin', 'chair', 'editor'];

export function canEditText(role: Role): boolean {
  return TEXT_WRITERS.includes(role);
}

export interface User {
  id: string;
  name: string;
  email: string;
  organization: string;
  stakeholderGroup: StakeholderGroup;
  role: Role;
}

/** What others see of a person (presence, authorship). */
export interface Actor {
  id: string;
  name: string;
  organization: string;
  stakeholderGroup?: StakeholderGroup;
}

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

export const signInBody = z.union([
  z.object({ email: z.email(), password: z.string().min(1).max(200) }),
  z.object({ token: z.string().min(10).max(200) }),
]);

export const documentIdSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lowercase letters, digits, - and _ (at most 64)');

export const createDocumentBody = z.object({
  id: documentIdSchema,
  title: z.string().trim().min(1).max(300),
  markdown: z.string(),
});

export const createVersionBody = z.object({
  label: z.string().trim().min(1).max(200),
  meeting: z.string().trim().min(1).max(200).optional(),
});

export const sectionIdSchema = z.string().regex(SECTION_ID_PATTERN);

export interface DocumentSummary {
  id: string;
  title: string;
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
