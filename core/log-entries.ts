// The records of the signed log: what each leaf says, and its exact bytes.
// A leaf is the canonical JSON (core/canonical.ts) of one entry, UTF-8.
// Leaves are forever: this format, including its lists of allowed values, may
// only grow by new kinds, never change an old one. Contact names and e-mail
// addresses never belong in an entry; encodeEntry copies only the fields named
// here, so extra properties on its input (an e-mail, say) cannot leak in.
import { canonicalJSON, canonicalJSONBytes, DIGEST_PATTERN } from './canonical';

/** Who did it, as the log records it. */
export interface LogActor {
  id: string;
  name: string;
  organization: string;
}

/** A person as the log (and the records kept with its leaves) names them: no group, no e-mail. */
export function logActorOf(person: LogActor): LogActor {
  return { id: person.id, name: person.name, organization: person.organization };
}

export interface VersionEntry {
  kind: 'version';
  document: string;
  number: number;
  label: string;
  meeting: string | null;
  contentHash: string;
  actor: LogActor;
  time: string;
}

export interface AmendmentDecisionEntry {
  kind: 'amendment-decision';
  document: string;
  amendment: string;
  section: string;
  decision: 'accept' | 'reject';
  reason: string;
  /** textHash of the quoted text and of the proposed text, when recorded. */
  quoteHash?: string;
  proposedHash?: string;
  actor: LogActor;
  time: string;
}

export interface AmendmentWithdrawalEntry {
  kind: 'amendment-withdrawal';
  document: string;
  amendment: string;
  actor: LogActor;
  time: string;
}

export interface EndorsementEntry {
  kind: 'endorsement';
  document: string;
  endorsement: string;
  organization: string;
  stakeholderGroup: LogStakeholderGroup;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  version: number;
  contentHash: string;
  time: string;
}

export type LogEntry = VersionEntry | AmendmentDecisionEntry | AmendmentWithdrawalEntry | EndorsementEntry;
export type LogEntryKind = LogEntry['kind'];

/** The stakeholder groups of the contract, frozen here as part of the leaf format. */
export const LOG_STAKEHOLDER_GROUPS = [
  'government',
  'private-sector',
  'civil-society',
  'technical-community',
  'academia',
  'intergovernmental',
] as const;
export type LogStakeholderGroup = (typeof LOG_STAKEHOLDER_GROUPS)[number];

export class LogEntryError extends Error {
  override name = 'LogEntryError';
}

type FieldCheck = (value: unknown) => string | null; // null when fine, else what is wrong

const text: FieldCheck = (v) => (typeof v === 'string' ? null : 'must be a string');
const nonEmpty: FieldCheck = (v) => (typeof v === 'string' && v !== '' ? null : 'must be a non-empty string');
const positiveInteger: FieldCheck = (v) => (Number.isSafeInteger(v) && (v as number) >= 1 ? null : 'must be a positive integer');
const digest: FieldCheck = (v) => (typeof v === 'string' && DIGEST_PATTERN.test(v) ? null : 'must be "sha256:" and 64 hex digits');
const nullableText: FieldCheck = (v) => (v === null || typeof v === 'string' ? null : 'must be a string or null');
const oneOf =
  (values: readonly string[]): FieldCheck =>
  (v) =>
    typeof v === 'string' && values.includes(v) ? null : `must be one of ${values.join(', ')}`;
const countryCode: FieldCheck = (v) => (typeof v === 'string' && /^[A-Z]{2}$/.test(v) ? null : 'must be an ISO 3166-1 alpha-2 code');
const isoTime: FieldCheck = (v) =>
  typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/.test(v) && !Number.isNaN(Date.parse(v))
    ? null
    : 'must be an ISO 8601 UTC time';
const actor: FieldCheck = (v) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'must be an object with id, name and organization';
  const a = v as Record<string, unknown>;
  return nonEmpty(a.id) ?? text(a.name) ?? text(a.organization);
};
const ACTOR_FIELDS = ['id', 'name', 'organization'];

interface EntrySpec {
  required: Record<string, FieldCheck>;
  optional?: Record<string, FieldCheck>;
}

const SPECS: Record<LogEntryKind, EntrySpec> = {
  version: {
    required: { document: nonEmpty, number: positiveInteger, label: text, meeting: nullableText, contentHash: digest, actor, time: isoTime },
  },
  'amendment-decision': {
    required: { document: nonEmpty, amendment: nonEmpty, section: nonEmpty, decision: oneOf(['accept', 'reject']), reason: text, actor, time: isoTime },
    optional: { quoteHash: digest, proposedHash: digest },
  },
  'amendment-withdrawal': {
    required: { document: nonEmpty, amendment: nonEmpty, actor, time: isoTime },
  },
  endorsement: {
    required: {
      document: nonEmpty,
      endorsement: nonEmpty,
      organization: nonEmpty,
      stakeholderGroup: oneOf(LOG_STAKEHOLDER_GROUPS),
      country: countryCode,
      version: positiveInteger,
      contentHash: digest,
      time: isoTime,
    },
  },
};

/** The leaf bytes of an entry. Throws LogEntryError if the entry is invalid. */
export function encodeEntry(entry: LogEntry): Uint8Array {
  return canonicalJSONBytes(projectEntry(entry as unknown as Record<string, unknown>));
}

/** Parses and validates leaf bytes; throws LogEntryError unless they are exactly encodeEntry's output for some entry. */
/** One strict decoder for every leaf (making one per call costs more than the decode). */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

export function decodeEntry(bytes: Uint8Array): LogEntry {
  let json: string;
  let parsed: unknown;
  try {
    json = UTF8.decode(bytes);
    parsed = JSON.parse(json);
  } catch {
    throw new LogEntryError('leaf is not UTF-8 JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new LogEntryError('leaf is not a JSON object');
  const record = parsed as Record<string, unknown>;
  const spec = specOf(record.kind);
  rejectUnknownFields(record, ['kind', ...Object.keys(spec.required), ...Object.keys(spec.optional ?? {})], '');
  if (typeof record.actor === 'object' && record.actor !== null) {
    rejectUnknownFields(record.actor as Record<string, unknown>, ACTOR_FIELDS, 'actor.', String(record.kind));
  }
  const entry = projectEntry(record);
  // One entry, one byte string: other spellings of the same entry (spacing, key order) are refused.
  if (canonicalJSON(entry) !== json) throw new LogEntryError(`${entry.kind} entry: leaf is not canonical JSON`);
  return entry;
}

function rejectUnknownFields(record: Record<string, unknown>, allowed: string[], prefix: string, kind = String(record.kind)): void {
  const extra = Object.keys(record).find((k) => !allowed.includes(k));
  if (extra !== undefined) throw new LogEntryError(`${kind} entry: unknown field "${prefix}${extra}"`);
}

/** Copies exactly the fields the kind defines, checking each. */
function projectEntry(input: Record<string, unknown>): LogEntry {
  const spec = specOf(input.kind);
  const out: Record<string, unknown> = { kind: input.kind };
  for (const [field, check] of Object.entries(spec.required)) {
    if (!(field in input) || input[field] === undefined) throw new LogEntryError(`${String(input.kind)} entry: missing field "${field}"`);
    out[field] = checked(input, field, check);
  }
  for (const [field, check] of Object.entries(spec.optional ?? {})) {
    if (input[field] !== undefined) out[field] = checked(input, field, check);
  }
  return out as unknown as LogEntry;
}

function checked(input: Record<string, unknown>, field: string, check: FieldCheck): unknown {
  const value = input[field];
  const problem = check(value);
  if (problem) throw new LogEntryError(`${String(input.kind)} entry: "${field}" ${problem}`);
  if (field === 'actor') return logActorOf(value as LogActor);
  return value;
}

function specOf(kind: unknown): EntrySpec {
  if (typeof kind !== 'string' || !Object.hasOwn(SPECS, kind)) throw new LogEntryError(`unknown log entry kind ${JSON.stringify(kind)}`);
  return SPECS[kind as LogEntryKind];
}
