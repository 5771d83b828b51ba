// The pure parts of endorsements: the country list and its regions, who counts
// as the same organisation, counts, redaction, the request schema, the rate
// limiter and the CSV export's escaping.
import { describe, expect, it } from 'vitest';
import { COUNTRIES, countryOf, isCountryCode, M49_REGIONS, regionLabel } from '../core/countries';
import { countSupporters, latestPerOrganization, organizationKey, organizationName, redact, submitEndorsementBody } from '../core/endorsements';
import { SlidingWindowLimiter } from '../server/auth/sliding-window';
import { supportersCsv } from '../server/endorsements/export';
import type { PublicEndorsement } from '../core/endorsements';

describe('countries', () => {
  it('has every officially assigned ISO 3166-1 alpha-2 code, each in one M49 region (Antarctica in none)', () => {
    expect(COUNTRIES).toHaveLength(249);
    expect(new Set(COUNTRIES.map((c) => c.code)).size).toBe(249);
    expect(COUNTRIES.filter((c) => c.region === null).map((c) => c.code)).toEqual(['AQ']);
    const perRegion = Object.fromEntries(M49_REGIONS.map((r) => [r, COUNTRIES.filter((c) => c.region === r).length]));
    expect(perRegion).toEqual({ Africa: 60, Americas: 57, Asia: 51, Europe: 51, Oceania: 29 });
  });

  it('knows codes, names and regions', () => {
    expect(countryOf('KE')).toEqual({ code: 'KE', name: 'Kenya', region: 'Africa' });
    expect(countryOf('RU')?.region).toBe('Europe');
    expect(countryOf('TR')?.region).toBe('Asia');
    expect(countryOf('GL')?.region).toBe('Americas');
    expect(countryOf('NC')?.region).toBe('Oceania');
    expect(regionLabel('AQ')).toBe('Antarctica');
    for (const code of ['XX', 'UK', 'EU', 'fr', 'FRA', '', 'XK', 'toString', '__proto__']) expect(isCountryCode(code), code).toBe(false);
    expect(countryOf('toString')).toBeNull();
  });
});

describe('organisations and counts', () => {
  it('treats names that differ only in case, spacing or Unicode form as one organisation', () => {
    expect(organizationKey('  ACME   Foundation ')).toBe(organizationKey('acme foundation'));
    expect(organizationKey('Ｃａｆé')).toBe(organizationKey('café'));
    expect(organizationKey('ACME')).not.toBe(organizationKey('ACME Foundation'));
    expect(organizationName('  ACME \t Foundation ')).toBe('ACME Foundation');
  });

  const row = (organization: string, version: number, confirmedAt: string, stakeholderGroup = 'academia', country = 'FR') => ({ organization, version, confirmedAt, stakeholderGroup, country });

  it('keeps one row per organisation: its endorsement of the highest version', () => {
    const rows = latestPerOrganization([row('A', 1, '2024-01-01T00:00:00.000Z'), row('B', 1, '2024-01-02T00:00:00.000Z'), row('a', 2, '2024-02-01T00:00:00.000Z')]);
    expect(rows.map((r) => [r.organization, r.version])).toEqual([
      ['a', 2],
      ['B', 1],
    ]);
  });

  it('counts by stakeholder group (all six) and by region (all five, plus Antarctica when present)', () => {
    const counts = countSupporters([
      { stakeholderGroup: 'academia', country: 'FR' },
      { stakeholderGroup: 'government', country: 'KE' },
      { stakeholderGroup: 'academia', country: 'AQ' },
    ]);
    expect(counts.total).toBe(3);
    expect(counts.byGroup).toHaveLength(6);
    expect(counts.byGroup.find((g) => g.group === 'academia')!.count).toBe(2);
    expect(counts.byRegion).toEqual([
      { region: 'Africa', count: 1 },
      { region: 'Americas', count: 0 },
      { region: 'Asia', count: 0 },
      { region: 'Europe', count: 1 },
      { region: 'Oceania', count: 0 },
      { region: 'Antarctica', count: 1 },
    ]);
  });

  it('redacts a contact from text, whatever the case, and regex characters in it are literal', () => {
    expect(redact('Signed: Jo Smith, JO SMITH (jo+x@example.org)', ['Jo Smith', 'jo+x@example.org'])).toBe('Signed: [contact], [contact] ([contact])');
    expect(redact('a.b.c', ['x.y'])).toBe('a.b.c');
    expect(redact('Al is here', ['Al'])).toBe('Al is here'); // too short to redact safely
  });
});

describe('the request body', () => {
  const good = { organization: ' ACME ', stakeholderGroup: 'academia', country: 'fr', contactName: 'Jo', email: ' jo@example.org ', version: 2 };

  it('normalises country and e-mail, and trims', () => {
    expect(submitEndorsementBody.parse(good)).toEqual({ organization: 'ACME', stakeholderGroup: 'academia', country: 'FR', contactName: 'Jo', email: 'jo@example.org', version: 2 });
  });

  it('refuses unknown countries, groups and bad versions', () => {
    for (const bad of [{ country: 'XX' }, { stakeholderGroup: 'press' }, { version: 1.5 }, { version: -1 }, { email: 'jo' }, { statement: 'x'.repeat(2001) }]) {
      expect(submitEndorsementBody.safeParse({ ...good, ...bad }).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('the rate limiter', () => {
  it('allows max attempts per sliding window and per key, and says when to retry', () => {
    let now = 1_000_000;
    const limiter = new SlidingWindowLimiter({ max: 2, windowMs: 10_000 }, () => now);
    expect(limiter.take('a')).toBe(true);
    now += 4000;
    expect(limiter.take('a')).toBe(true);
    expect(limiter.take('a')).toBe(false);
    expect(limiter.take('b')).toBe(true);
    expect(limiter.retryAfter('a')).toBe(6);
    now += 6001;
    expect(limiter.take('a')).toBe(true); // the first attempt left the window
    expect(limiter.take('a')).toBe(false);
  });
});

describe('the CSV export', () => {
  it('quotes per RFC 4180 and defuses spreadsheet formulas', () => {
    const e: PublicEndorsement = {
      id: 'e1',
      organization: '=cmd|"/c calc"!A1',
      stakeholderGroup: 'academia',
      country: 'FR',
      countryName: 'France',
      region: 'Europe',
      version: 1,
      contentHash: `sha256:${'0'.repeat(64)}`,
      logIndex: 4,
      confirmedAt: '2024-05-01T12:00:00.000Z',
      statement: 'Line one,\nline two',
      reaffirms: null,
    };
    const csv = supportersCsv({ document: { id: 'd', title: 'T' }, open: null, checkpoint: '', confirmed: [e], versions: [{ number: 1, label: 'First' }] });
    const [, line] = csv.split('\r\n');
    expect(line).toBe(`"'=cmd|""/c calc""!A1",academia,FR,France,Europe,1,First,sha256:${'0'.repeat(64)},2024-05-01T12:00:00.000Z,4,e1,,"Line one,\nline two"`);
  });
});
