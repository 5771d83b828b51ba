// Issue 19, part B: every input at the edge. Malformed cookies are ignored,
// control characters refused (and stripped from DOCX), JSON bounded before it
// is parsed, client faults answered with 4xx, mail sent only after its record
// is stored, files private, and the CLI's output free of terminal escapes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import JSZip from 'jszip';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { exceedsDepth } from '../server/http/json-body';
import { forbiddenCharacter, stripForbiddenCharacters, terminalSafe } from '../core/text-safety';
import type { MailMessage } from '../server/mail/transport';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';
import { connect, paragraphText } from './helpers/ws';
import { freePort, ROOT } from './helpers/process';

const run = promisify(execFile);
const FORBIDDEN_IN_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDFFF]/;

let server: TestServer;
let chair: TestUser;
let editor: TestUser;
const mails: MailMessage[] = [];
let mailFails = 0;

beforeAll(async () => {
  server = await startTestServer({
    config: {
      mail: {
        async send(message) {
          if (mailFails > 0) {
            mailFails--;
            throw new Error('SMTP server unreachable');
          }
          mails.push(message);
        },
      },
      endorsementRateLimit: { max: 1000, windowMs: 60_000 },
    },
  });
  chair = await server.createUser('chair', 'Chair');
  editor = await server.createUser('editor', 'Ed');
});
afterAll(async () => {
  await server.close();
});

/** A raw HTTP request (fetch cannot send a malformed path or a lying Content-Encoding). */
function raw(method: string, path: string, headers: Record<string, string>, body?: string | Buffer): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      let data = '';
      res.on('data', (c: Buffer) => (data += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data, headers: res.headers }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const errorCode = (body: string): string => (JSON.parse(body) as { error: { code: string } }).error.code;

describe('item 8: a malformed session cookie is ignored', () => {
  const BAD = ['accord_session=%E0%A4%A', 'accord_session=%', 'other=1; accord_session=%zz%'];

  it('on every route and /healthz: never a 500', async () => {
    for (const cookie of BAD) {
      expect((await raw('GET', '/healthz', { cookie })).status).toBe(200);
      expect((await raw('GET', '/api/documents', { cookie })).status).toBe(200);
      expect((await raw('GET', '/api/documents/gpp/versions', { cookie })).status).toBe(200);
      expect((await raw('GET', '/', { cookie })).status).toBe(200);
      expect((await raw('GET', '/api/me', { cookie })).status).toBe(401);
      // A bearer token still works beside it, and so does signing in.
      expect((await raw('GET', '/api/me', { cookie, authorization: `Bearer ${editor.token}` })).status).toBe(200);
      const signIn = await raw('POST', '/api/session', { cookie, 'content-type': 'application/json' }, JSON.stringify({ email: editor.email, password: editor.password }));
      expect(signIn.status).toBe(200);
    }
  });

  it('on the WebSocket upgrade: a token still connects, no identity is a 401', async () => {
    const cookie = BAD[0]!;
    const outcome = (url: string) =>
      new Promise<number | 'open'>((resolve) => {
        const ws = new WebSocket(url, { headers: { cookie } });
        ws.on('open', () => {
          ws.close();
          resolve('open');
        });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('error', () => resolve(0));
      });
    expect(await outcome(`${server.wsUrl}/collab/gpp?token=${editor.token}`)).toBe('open');
    expect(await outcome(`${server.wsUrl}/collab/gpp`)).toBe(401);
    expect((await raw('GET', '/healthz', {})).status).toBe(200);
  });
});

describe('item 9: control characters', () => {
  it('are found and stripped by the pure helpers (tab, newline and CR kept; pairs kept)', () => {
    expect(forbiddenCharacter('a\tb\nc\r\nd 😀')).toBeNull();
    expect(forbiddenCharacter('a\u0000b')).toBe('U+0000');
    expect(forbiddenCharacter('a\u001Fb')).toBe('U+001F');
    expect(forbiddenCharacter('\uFFFE')).toBe('U+FFFE');
    expect(forbiddenCharacter('x\uD800')).toBe('U+D800');
    expect(forbiddenCharacter('\uDC00x')).toBe('U+DC00');
    expect(stripForbiddenCharacters('a\u0001b\u000Bc\uFFFFd\uD83D')).toBe('abcd');
  });

  it('are refused with 422 wherever text enters over HTTP (labels, titles, Markdown, amendments, comments, endorsements)', async () => {
    const post = (path: string, body: string, token?: string) =>
      raw('POST', path, { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body);
    const cases: [string, string, string | undefined][] = [
      ['/api/documents/gpp/versions', '{"label":"Draft\\u0001"}', editor.token],
      ['/api/documents/gpp/versions', '{"label":"lone \\ud800 surrogate"}', editor.token],
      ['/api/documents/gpp/versions', '{"label":"ok","meeting":"\\uffff"}', editor.token],
      ['/api/documents', JSON.stringify({ id: 'ctl', title: 'T\u0007', markdown: '## A\n\ntext\n' }), chair.token],
      ['/api/documents', JSON.stringify({ id: 'ctl', title: 'T', markdown: '## A\n\ntext\u0000\n' }), chair.token],
      ['/api/documents/gpp/amendments', JSON.stringify({ section: 'x', quote: 'a', proposed: 'b\u0008', justification: 'j' }), editor.token],
      ['/api/documents/gpp/amendments', JSON.stringify({ section: 'x', quote: 'a', proposed: 'b', justification: 'j\u001B[31m' }), editor.token],
      ['/api/documents/gpp/amendments/some-id/comments', JSON.stringify({ text: 'hi\u0000' }), editor.token],
      ['/api/documents/gpp/endorsements', JSON.stringify({ organization: 'Org\u0000', stakeholderGroup: 'academia', country: 'FR', contactName: 'A', email: 'a@example.org', version: 1 }), undefined],
    ];
    for (const [path, body, token] of cases) {
      const res = await post(path, body, token);
      expect(res.status, `${path} ${body}`).toBe(422);
      expect(errorCode(res.body)).toBe('invalid_text');
    }
    // Tab, newline and CRLF are text.
    const ok = await post('/api/documents', JSON.stringify({ id: 'tabs', title: 'Tabs', markdown: '## A\r\n\r\ntab\there\r\n' }), chair.token);
    expect(ok.status).toBe(201);
  });

  // The docx package drops C0 controls itself, but not the noncharacters U+FFFE/U+FFFF, which XML 1.0 forbids too.
  it('never reach DOCX XML, even when the live text (CRDT) holds them', async () => {
    const client = await connect(server.wsUrl, 'gpp', editor.token);
    const sectionId = (client.doc.getXmlFragment('content').get(0) as Y.XmlElement).getAttribute('id')!;
    paragraphText(client.doc, sectionId).insert(0, 'BELL\u0007 NUL\u0000 VT\u000B NC\uFFFE END ');
    const live = async () => (await (await server.api('/api/documents/gpp')).json()) as { markdown: string };
    for (let i = 0; i < 100 && !(await live()).markdown.includes('BELL'); i++) await new Promise((r) => setTimeout(r, 50));
    client.destroy();
    const frozen = await server.api('/api/documents/gpp/versions', { method: 'POST', token: editor.token, body: { label: 'with controls' } });
    expect(frozen.status).toBe(201);
    const { number } = (await frozen.json()) as { number: number };
    for (const path of [`/api/documents/gpp/export?version=${number}&format=docx`, `/api/documents/gpp/redline?from=1&to=${number}&format=docx`]) {
      const res = await server.api(path);
      expect(res.status).toBe(200);
      const xml = await (await JSZip.loadAsync(await res.arrayBuffer())).file('word/document.xml')!.async('string');
      expect(xml).toContain('BELL NUL VT NC END');
      expect(FORBIDDEN_IN_XML.test(xml), path).toBe(false);
    }
  });
});

describe('item 10: JSON is bounded before it is parsed', () => {
  it('the depth scan ignores brackets inside strings and stops early', () => {
    expect(exceedsDepth(Buffer.from('{"a":[[1]],"b":"[[[[[[[[[[\\"[[["}'), 3)).toBe(false);
    expect(exceedsDepth(Buffer.from('[[[[1]]]]'), 3)).toBe(true);
    expect(exceedsDepth(Buffer.from('['.repeat(3_000_000)), 32)).toBe(true);
  });

  it('an anonymous 3.8 MB nested body is refused unread (413); a signed-in one before JSON.parse (400 too_deep)', async () => {
    const deep = '['.repeat(1_900_000) + ']'.repeat(1_900_000);
    const anonymous = await raw('POST', '/api/documents/gpp/endorsements', { 'content-type': 'application/json' }, deep);
    expect(anonymous.status).toBe(413);
    const signedIn = await raw('POST', '/api/documents', { 'content-type': 'application/json', authorization: `Bearer ${chair.token}` }, deep);
    expect(signedIn.status).toBe(400);
    expect(errorCode(signedIn.body)).toBe('too_deep');
    // Ordinary anonymous forms still fit.
    const form = await raw('POST', '/api/session', { 'content-type': 'application/json' }, JSON.stringify({ email: editor.email, password: editor.password }));
    expect(form.status).toBe(200);
  });
});

describe('item 11: smaller faults', () => {
  it('a bad Content-Encoding, a malformed %-escape in a path and a lone surrogate in a label are 4xx in the contract shape', async () => {
    const gzip = await raw('POST', '/api/session', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, 'not gzip at all');
    expect(gzip.status).toBe(400);
    expect(errorCode(gzip.body)).toBeTruthy();
    const unknown = await raw('POST', '/api/session', { 'content-type': 'application/json', 'content-encoding': 'br0tli' }, '{}');
    expect(unknown.status).toBe(415);
    for (const path of ['/api/documents/%E0%A4%A', '/api/documents/gpp/versions/%zz', '/api/documents/%/redline?from=1']) {
      const res = await raw('GET', path, {});
      expect(res.status, path).toBe(400);
      expect(errorCode(res.body)).toBe('malformed_path');
    }
    const label = await raw('POST', '/api/documents/gpp/versions', { 'content-type': 'application/json', authorization: `Bearer ${editor.token}` }, '{"label":"\\udc00"}');
    expect(label.status).toBe(422);
  });

  it('the database and key files are readable by the server only', () => {
    for (const file of ['accord.sqlite', 'accord.sqlite-wal', 'log-signing-key']) {
      expect(statSync(join(server.dataDir, file)).mode & 0o077, file).toBe(0);
    }
    expect(statSync(server.dataDir).mode & 0o077).toBe(0);
  });

  it('no CR/LF from a title reaches the mail Subject', async () => {
    const created = await server.api('/api/documents', {
      method: 'POST',
      token: chair.token,
      body: { id: 'crlf', title: 'Paper\r\nBcc: victim@example.org', markdown: '## A\n\ntext\n' },
    });
    expect(created.status).toBe(201);
    expect((await server.api('/api/documents/crlf/versions', { method: 'POST', token: editor.token, body: { label: 'one' } })).status).toBe(201);
    mails.length = 0;
    const res = await server.api('/api/documents/crlf/endorsements', {
      method: 'POST',
      body: { organization: 'Subject Org', stakeholderGroup: 'academia', country: 'FR', contactName: 'A', email: 'a@example.org', version: 1 },
    });
    expect(res.status).toBe(202);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).not.toMatch(/[\r\n]/);
    expect(mails[0]!.subject).toContain('Bcc: victim@example.org');
  });

  it('the confirmation mail goes out only after the record is stored; a failed mail leaves nothing behind', async () => {
    const body = { organization: 'Disk Full Org', stakeholderGroup: 'academia', country: 'FR', contactName: 'B', email: 'b@example.org', version: 1 };
    // The disk is full: every insert into endorsements fails inside SQLite.
    const db = new Database(join(server.dataDir, 'accord.sqlite'));
    db.exec(`CREATE TRIGGER disk_full BEFORE INSERT ON endorsements BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
    mails.length = 0;
    const failed = await server.api('/api/documents/crlf/endorsements', { method: 'POST', body });
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(mails).toHaveLength(0);
    db.exec('DROP TRIGGER disk_full');
    db.close();
    // The mail cannot be sent: nothing stays to block the retry.
    mailFails = 1;
    const noMail = await server.api('/api/documents/crlf/endorsements', { method: 'POST', body });
    expect(noMail.status).toBe(502);
    const retry = await server.api('/api/documents/crlf/endorsements', { method: 'POST', body });
    expect(retry.status).toBe(202);
    expect(mails).toHaveLength(1);
  });

  it('a start that cannot succeed prints one clear line, not a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-start-'));
    const notADir = join(dir, 'file');
    writeFileSync(notADir, 'x');
    try {
      const result = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'server/main.ts')], {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: join(notADir, 'data'), PORT: String(await freePort()), HOST: '127.0.0.1' },
      }).catch((e: { code: number; stderr: string }) => e);
      expect('code' in result ? result.code : 0).toBe(1);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^\[accord\] could not start: /);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accord verify strips terminal escape codes from the text it prints', async () => {
    expect(terminalSafe('a\u001B[31mred\u001B[0m\u001B]0;title\u0007 b\r\nc\u009B')).toBe('ared b\nc');
    const dir = mkdtempSync(join(tmpdir(), 'accord-esc-'));
    const file = join(dir, 'bundle.json');
    writeFileSync(file, '\u001B[2J\u001B]0;owned\u0007{"not": "a bundle"');
    try {
      const result = await run(process.execPath, [join(ROOT, 'bin/accord.mjs'), 'verify', file], { cwd: ROOT }).catch((e: { code: number; stderr: string; stdout: string }) => e);
      expect('code' in result ? result.code : 0).not.toBe(0);
      expect(result.stderr).toContain('FAIL');
      expect(result.stderr + result.stdout).not.toMatch(/[\u001B\u0007]/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
