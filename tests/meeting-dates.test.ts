// Imported drafts carry their meetings' dates (2018), not the day of the
// import: in redline headers, DOCX tracked-change dates and the clean exports.
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meetingDate, versionDate } from '../core/meeting-date';
import { startTestServer, type TestServer } from './helpers/server';

describe('meetingDate', () => {
  it('reads the trailing (YYYY-MM-DD) of a meeting line, at midday UTC', () => {
    expect(meetingDate('IGF 2018, Paris (2018-11-13)')).toBe('2018-11-13T12:00:00.000Z');
    expect(meetingDate('IGF 2025, Oslo')).toBeNull();
    expect(meetingDate('Nowhere (2018-02-30)')).toBeNull();
    expect(meetingDate(null)).toBeNull();
    expect(versionDate({ meeting: null, createdAt: '2026-01-01T00:00:00.000Z' })).toBe('2026-01-01T00:00:00.000Z');
  });
});

describe('imported drafts in exports', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('the redline header shows both meetings\' dates', async () => {
    const res = await server.api('/api/documents/gpp/redline?from=1&to=2&format=html');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('2018-06-05');
    expect(html).toContain('2018-07-16');
    expect(html).toMatch(/<th scope="row">Date<\/th><td>2018-06-05[^<]*<\/td><td>2018-07-16/);
  });

  it('the DOCX redline dates its tracked changes on the later meeting', async () => {
    const res = await server.api('/api/documents/gpp/redline?from=2&to=3&format=docx');
    expect(res.status).toBe(200);
    const zip = await JSZip.loadAsync(Buffer.from(await res.arrayBuffer()));
    const xml = await zip.file('word/document.xml')!.async('string');
    const dates = [...xml.matchAll(/w:date="([^"]+)"/g)].map((m) => m[1]!.slice(0, 10));
    expect(dates.length).toBeGreaterThan(0);
    expect(new Set(dates)).toEqual(new Set(['2018-11-13']));
  });
});
