import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';

let server: TestServer;
let chair: TestUser;
let editor: TestUser;
let stakeholder: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  chair = await server.createUser('chair', 'Chris');
  editor = await server.createUser('editor', 'Eve');
  stakeholder = await server.createUser('stakeholder', 'Stan', 'private-sector');
});
afterAll(() => server.close());

async function errorOf(res: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(typeof body.error.code).toBe('string');
  expect(typeof body.error.message).toBe('string');
  return { status: res.status, ...body.error };
}

const md = '# Test paper\n\n## Scope {#scope}\n\nA first paragraph.\n\n## Rules\n\n- one\n- two\n';

describe('REST API', () => {
  it('serves health, the document list and the imported Good Practice Paper', async () => {
    expect((await server.api('/healthz')).status).toBe(200);
    const list = (await (await server.api('/api/documents')).json()) as { id: string; title: string }[];
    expect(list).toContainEqual({ id: 'gpp', title: 'Internet of Things Good Practice Paper', language: 'en' });
    const doc = (await (await server.api('/api/documents/gpp')).json()) as { sections: { id: string }[]; markdown: string; content: { type: string } };
    expect(doc.sections.map((s) => s.id)).toEqual(expect.arrayContaining(['privacy', 'transparency', 'security']));
    expect(doc.markdown.startsWith('# Internet of Things Good Practice Paper\n')).toBe(true);
    expect(doc.content.type).toBe('doc');
    const versions = (await (await server.api('/api/documents/gpp/versions')).json()) as { number: number; label: string }[];
    expect(versions.map((v) => v.number)).toEqual([1, 2, 3]);
    expect(versions[0]!.label).toMatch(/Tbilisi/);
  });

  it('creates documents for chairs and returns them as Markdown', async () => {
    const res = await server.api('/api/documents', { method: 'POST', token: chair.token, body: { id: 'test-paper', title: 'Test paper', markdown: md } });
    expect(res.status).toBe(201);
    const doc = (await (await server.api('/api/documents/test-paper')).json()) as { markdown: string; sections: unknown };
    expect(doc.sections).toEqual([
      { id: 'scope', title: 'Scope' },
      { id: 'rules', title: 'Rules' },
    ]);
    expect(doc.markdown).toBe(md.replace('## Rules', '## Rules {#rules}'));
    const again = await server.api('/api/documents', { method: 'POST', token: chair.token, body: { id: 'test-paper', title: 'Again', markdown: md } });
    expect(await errorOf(again)).toMatchObject({ status: 409, code: 'conflict' });
  });

  it('401 without identity or with a bad token', async () => {
    const body = { id: 'x1', title: 'X', markdown: md };
    expect(await errorOf(await server.api('/api/documents', { method: 'POST', body }))).toMatchObject({ status: 401 });
    expect(await errorOf(await server.api('/api/documents', { method: 'POST', body, token: 'acc_not-a-real-token' }))).toMatchObject({ status: 401 });
    expect(await errorOf(await server.api('/api/me'))).toMatchObject({ status: 401 });
  });

  it('403 when the role is not allowed', async () => {
    const body = { id: 'x2', title: 'X', markdown: md };
    expect(await errorOf(await server.api('/api/documents', { method: 'POST', body, token: editor.token }))).toMatchObject({ status: 403, code: 'forbidden' });
    const user = { name: 'N', email: 'n@example.org', organization: 'O', stakeholderGroup: 'academia', role: 'editor' };
    expect(await errorOf(await server.api('/api/users', { method: 'POST', body: user, token: stakeholder.token }))).toMatchObject({ status: 403 });
    expect(await errorOf(await server.api('/api/users', { method: 'POST', body: { ...user, role: 'admin' }, token: chair.token }))).toMatchObject({ status: 403 });
    expect(await errorOf(await server.api('/api/documents/gpp/versions', { method: 'POST', body: { label: 'x' }, token: stakeholder.token }))).toMatchObject({ status: 403 });
  });

  it('400 for malformed bodies, 422 for invalid values', async () => {
    const bad = await server.api('/api/documents', { method: 'POST', token: chair.token, body: '{"id": "x3", ' });
    expect(await errorOf(bad)).toMatchObject({ status: 400, code: 'malformed_json' });
    const missing = await server.api('/api/documents', { method: 'POST', token: chair.token, body: { id: 'x3' } });
    expect(await errorOf(missing)).toMatchObject({ status: 400 });
    const badId = await server.api('/api/documents', { method: 'POST', token: chair.token, body: { id: 'Not An Id', title: 'X', markdown: md } });
    expect(await errorOf(badId)).toMatchObject({ status: 422 });
    const noSection = await server.api('/api/documents', { method: 'POST', token: chair.token, body: { id: 'x4', title: 'X', markdown: 'just text' } });
    expect(await errorOf(noSection)).toMatchObject({ status: 422 });
    const badEmail = await server.api('/api/users', {
      method: 'POST',
      token: chair.token,
      body: { name: 'N', email: 'not-an-email', organization: 'O', stakeholderGroup: 'academia', role: 'editor' },
    });
    expect(await errorOf(badEmail)).toMatchObject({ status: 422 });
    const badGroup = await server.api('/api/users', {
      method: 'POST',
      token: chair.token,
      body: { name: 'N', email: 'n2@example.org', organization: 'O', stakeholderGroup: 'martians', role: 'editor' },
    });
    expect((await errorOf(badGroup)).status).toBeGreaterThanOrEqual(400);
    expect(await errorOf(await server.api('/api/documents/nope'))).toMatchObject({ status: 404 });
    expect(await errorOf(await server.api('/api/documents/gpp/versions/99'))).toMatchObject({ status: 404 });
    expect(await errorOf(await server.api('/api/documents/gpp/versions/abc'))).toMatchObject({ status: 400 });
    expect(await errorOf(await server.api('/api/nothing-here'))).toMatchObject({ status: 404 });
  });

  it('413 for bodies over the limit, accepting 1 MB of Markdown', async () => {
    const paragraph = 'word '.repeat(199) + 'end.\n\n';
    const sections = Array.from({ length: 100 }, (_, i) => `## Part ${i} {#part-${i}}\n\n${paragraph.repeat(9)}`).join('');
    const big = `# Big\n\n${sections}`;
    expect(big.length).toBeGreaterThan(900_000);
    expect(big.length).toBeLessThanOrEqual(1_000_000);
    const ok = await server.api('/api/documents', { method: 'POST', token: chair.token, body: { id: 'big', title: 'Big', markdown: big } });
    expect(ok.status).toBe(201);
    const tooBig = await server.api('/api/documents', { method: 'POST', token: chair.token, body: { id: 'big2', title: 'Big', markdown: 'x'.repeat(5_000_000) } });
    expect(await errorOf(tooBig)).toMatchObject({ status: 413, code: 'too_large' });
    const overContract = await server.api('/api/documents', { method: 'POST', token: chair.token, body: { id: 'big3', title: 'Big', markdown: `${big}${'y'.repeat(200_000)}` } });
    expect(await errorOf(overContract)).toMatchObject({ status: 413 });
    expect((await server.api('/api/documents/big2')).status).toBe(404);
  });

  it('signs in with email and password or a token, and signs out', async () => {
    const wrong = await server.api('/api/session', { method: 'POST', body: { email: editor.email, password: 'wrong-password' } });
    expect(await errorOf(wrong)).toMatchObject({ status: 401 });
    const res = await server.api('/api/session', { method: 'POST', body: { email: editor.email, password: editor.password } });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/accord_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const session = cookie.split(';')[0]!;
    const me = (await (await server.api('/api/me', { headers: { cookie: session } })).json()) as { user: { id: string; role: string } };
    expect(me.user).toMatchObject({ id: editor.id, role: 'editor' });
    const byToken = await server.api('/api/session', { method: 'POST', body: { token: stakeholder.token } });
    expect(byToken.status).toBe(200);
    expect((await server.api('/api/session', { method: 'DELETE', headers: { cookie: session } })).status).toBe(204);
    expect((await server.api('/api/me', { headers: { cookie: session } })).status).toBe(401);
  });
});
