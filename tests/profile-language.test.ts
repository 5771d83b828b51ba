// PATCH /api/me { language }: each person's interface language is kept with
// their account (issue 17), validated at the edge, and comes back with the
// user on /api/me and on sign-in, so every device opens in it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';

describe('the interface language of an account', () => {
  let server: TestServer;
  let ada: TestUser;

  beforeAll(async () => {
    server = await startTestServer();
    ada = await server.createUser('stakeholder', 'Ada Okafor', 'civil-society');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('is null until chosen, then kept and returned with the user', async () => {
    const before = (await (await server.api('/api/me', { token: ada.token })).json()) as { user: { language: string | null } };
    expect(before.user.language).toBeNull();
    const set = await server.api('/api/me', { method: 'PATCH', token: ada.token, body: { language: 'ar' } });
    expect(set.status).toBe(200);
    expect(((await set.json()) as { user: { id: string; language: string } }).user).toMatchObject({ id: ada.id, language: 'ar' });
    const after = (await (await server.api('/api/me', { token: ada.token })).json()) as { user: { language: string } };
    expect(after.user.language).toBe('ar');
    const signIn = await server.api('/api/session', { method: 'POST', body: { email: ada.email, password: ada.password } });
    expect(((await signIn.json()) as { user: { language: string } }).user.language).toBe('ar');
  });

  it('refuses a language outside the six, unknown fields, and anyone not signed in', async () => {
    const german = await server.api('/api/me', { method: 'PATCH', token: ada.token, body: { language: 'de' } });
    expect(german.status).toBe(422);
    expect(((await german.json()) as { error: { code: string } }).error.code).toBeTruthy();
    expect((await server.api('/api/me', { method: 'PATCH', token: ada.token, body: { language: 'fr', role: 'admin' } })).status).toBe(400);
    expect((await server.api('/api/me', { method: 'PATCH', body: { language: 'fr' } })).status).toBe(401);
    // The configured admin token has no stored account to keep a choice in.
    const admin = await server.api('/api/me', { method: 'PATCH', token: server.adminToken, body: { language: 'fr' } });
    expect(admin.status).toBe(404);
    expect(((await (await server.api('/api/me', { token: ada.token })).json()) as { user: { language: string; role: string } }).user).toMatchObject({ language: 'ar', role: 'stakeholder' });
  });
});
