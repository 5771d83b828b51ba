// Roles, stakeholder groups and the shapes of a person: plain values and types,
// free of zod, so the web client can import them without the validators of
// core/api.ts (which re-exports all of this for the server).
import type { Locale } from './i18n/locales';

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

export const STAKEHOLDER_GROUP_LABELS: Record<StakeholderGroup, string> = {
  government: 'Government',
  'private-sector': 'Private sector',
  'civil-society': 'Civil society',
  'technical-community': 'Technical community',
  academia: 'Academia',
  intergovernmental: 'Intergovernmental',
};

/** A group's name for people; unknown values are shown as they are. */
export function stakeholderGroupName(group: string): string {
  return (STAKEHOLDER_GROUP_LABELS as Record<string, string>)[group] ?? group;
}

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
  /** The interface language this person chose; null (or absent) until they choose: their browser's languages decide. */
  language?: Locale | null;
}

/** What others see of a person (presence, authorship). */
export interface Actor {
  id: string;
  name: string;
  organization: string;
  stakeholderGroup?: StakeholderGroup;
}

/** A person as amendments, authorship and history show them: who they are and for which stakeholder group they speak. */
export interface Participant {
  id: string;
  name: string;
  organization: string;
  stakeholderGroup: StakeholderGroup;
}

/** The public face of an account (or of a participant with more fields): never its e-mail, role or language. */
export function participantOf(person: Participant): Participant {
  return { id: person.id, name: person.name, organization: person.organization, stakeholderGroup: person.stakeholderGroup };
}
