import { describe, expect, it } from 'vitest';
import { textHash } from '../core/canonical';
import { decodeEntry, encodeEntry, logActorOf, type EndorsementEntry, type LogEntry, type VersionEntry } from '../core/log-entries';

const actor = { id: 'u1', name: 'Ana', organization: 'IGF' };
const hash = textHash('x');
const time = '2024-05-01T12:00:00.000Z';
const version: VersionEntry = { kind: 'version', document: 'gpp', number: 1, label: 'IGF 2018 Paris draft', meeting: 'IGF 2018', contentHash: hash, actor, time };
const endorsement: EndorsementEntry = { kind: 'endorsement', document: 'gpp', endorsement: 'e1', organization: 'ACME', stakeholderGroup: 'academia', country: 'BR', version: 2, contentHash: hash, time };
const examples: LogEntry[] = [
  version,
  { kind: 'amendment-decision', document: 'gpp', amendment: 'a1', section: 'privacy', decision: 'reject', reason: 'Out of scope', actor, time },
  { kind: 'amendment-decision', document: 'gpp', amendment: 'a2', section: 'privacy', decision: 'accept', reason: '', quoteHash: hash, proposedHash: hash, actor, time },
  { kind: 'amendment-withdrawal', document: 'gpp', amendment: 'a3', actor, time },
  endorsement,
];
const bytes = (s: string) => new TextEncoder().encode(s);

describe('log entries', () => {
  it.each(examples)('round-trips a $kind entry through canonical bytes', (entry) => {
    const leaf = encodeEntry(entry);
    expect(decodeEntry(leaf)).toEqual(entry);
    expect(encodeEntry(decodeEntry(leaf))).toEqual(leaf);
  });

  it('writes the exact documented bytes', () => {
    expect(new TextDecoder().decode(encodeEntry(examples[3]!))).toBe(
      '{"actor":{"id":"u1","name":"Ana","organization":"IGF"},"amendment":"a3","document":"gpp","kind":"amendment-withdrawal","time":"2024-05-01T12:00:00.000Z"}',
    );
  });

  it('copies only the defined fields, so contact details cannot leak into a leaf', () => {
    const leaky = { ...endorsement, contactName: 'Jo', email: 'jo@example.org' } as unknown as LogEntry;
    const richActor = { ...version, actor: { ...actor, email: 'ana@example.org', stakeholderGroup: 'government' } } as LogEntry;
    expect(new TextDecoder().decode(encodeEntry(leaky))).not.toMatch(/Jo|@/);
    expect(new TextDecoder().decode(encodeEntry(richActor))).not.toMatch(/@|government/);
  });

  it('refuses invalid entries on the way in', () => {
    expect(() => encodeEntry({ ...version, number: 0 })).toThrow(/"number" must be a positive integer/);
    expect(() => encodeEntry({ ...version, contentHash: 'md5:00' })).toThrow(/"contentHash"/);
    expect(() => encodeEntry({ ...endorsement, country: 'fr' })).toThrow(/"country"/);
    expect(() => encodeEntry({ ...version, time: '1 May 2024' })).toThrow(/"time"/);
  });

  it('decodes strictly', () => {
    expect(() => decodeEntry(bytes('{"kind":"vote"}'))).toThrow(/unknown log entry kind "vote"/);
    expect(() => decodeEntry(bytes('[1]'))).toThrow(/not a JSON object/);
    expect(() => decodeEntry(new Uint8Array([0xff]))).toThrow(/not UTF-8 JSON/);
    const withdrawal = JSON.parse(new TextDecoder().decode(encodeEntry(examples[3]!))) as Record<string, unknown>;
    const { amendment: _dropped, ...missing } = withdrawal;
    expect(() => decodeEntry(bytes(JSON.stringify(missing)))).toThrow(/amendment-withdrawal entry: missing field "amendment"/);
    expect(() => decodeEntry(bytes(JSON.stringify({ ...withdrawal, email: 'x' })))).toThrow(/unknown field "email"/);
    expect(() => decodeEntry(bytes(JSON.stringify({ ...withdrawal, actor: { ...actor, email: 'x' } })))).toThrow(/unknown field "actor.email"/);
    // Same entry, other spelling (key order, spaces): not the canonical leaf.
    expect(() => decodeEntry(bytes(JSON.stringify(withdrawal, null, 1)))).toThrow(/not canonical JSON/);
    expect(() => decodeEntry(bytes(JSON.stringify({ kind: 'amendment-withdrawal', ...withdrawal })))).toThrow(/not canonical JSON/);
  });

  it('names a person as the log does: id, name and organisation, nothing else', () => {
    const account = { ...actor, email: 'ana@example.org', role: 'chair', stakeholderGroup: 'academia' };
    expect(logActorOf(account)).toEqual(actor);
    expect(Object.keys(logActorOf(account))).toEqual(['id', 'name', 'organization']);
  });
});
