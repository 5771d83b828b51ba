// Server error messages in the language of the request: the same failing
// request with Accept-Language ar, zh, fr and es keeps its status and code and
// gets its message in that language; English stays as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorMessages, errorText, renderErrorText } from '../core/i18n/messages/errors';
import { checkCatalogues } from './helpers/i18n';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';

let server: TestServer;
let observer: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  observer = await server.createUser('observer', 'Olga');
});
afterAll(() => server.close());

async function errorIn(path: string, language: string | null, init: { method?: string; token?: string; body?: unknown } = {}) {
  const res = await server.api(path, { ...init, headers: language ? { 'accept-language': language } : {} });
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
  return { status: res.status, ...body.error };
}

describe('error messages in the language of the request', () => {
  it('the catalogue is complete and translated in all six', () => {
    checkCatalogues(errorMessages, { fr: ['duration.minutes'] });
  });

  it('a missing document: same status and code, the message in Arabic, Chinese, French and Spanish', async () => {
    const en = await errorIn('/api/documents/nowhere', null);
    expect(en).toEqual({ status: 404, code: 'not_found', message: 'no document nowhere' });
    const ar = await errorIn('/api/documents/nowhere', 'ar-EG,ar;q=0.9');
    expect(ar).toMatchObject({ status: 404, code: 'not_found' });
    expect(ar.message).toBe('لا توجد وثيقة nowhere');
    const zh = await errorIn('/api/documents/nowhere', 'zh-CN');
    expect(zh).toEqual({ status: 404, code: 'not_found', message: '没有文件 nowhere' });
    const fr = await errorIn('/api/documents/nowhere', 'de;q=0.9, fr-CA;q=0.8');
    expect(fr).toEqual({ status: 404, code: 'not_found', message: 'aucun document nowhere' });
    expect((await errorIn('/api/documents/nowhere', 'es')).message).toBe('no existe el documento nowhere');
    expect((await errorIn('/api/documents/nowhere', 'de')).message).toBe('no document nowhere');
  });

  it('a role refusal names the action and the roles in the language, and zod issues keep their field path', async () => {
    const body = { label: 'v' };
    const en = await errorIn('/api/documents/gpp/versions', null, { method: 'POST', token: observer.token, body });
    expect(en).toEqual({ status: 403, code: 'forbidden', message: 'freezing a version needs the role chair or editor; you are observer' });
    const fr = await errorIn('/api/documents/gpp/versions', 'fr', { method: 'POST', token: observer.token, body });
    expect(fr).toEqual({ status: 403, code: 'forbidden', message: 'figer une version exige le rôle président ou rédacteur ; votre rôle est observateur' });
    const ru = await errorIn('/api/documents/gpp/versions', 'ru', { method: 'POST', token: observer.token, body });
    expect(ru.message).toBe('Для действия «фиксация версии» требуется роль председатель или редактор; ваша роль — наблюдатель');

    const bad = { id: 'Bad Id', title: '', markdown: 7 };
    const enZod = await errorIn('/api/documents', null, { method: 'POST', token: server.adminToken, body: bad });
    expect(enZod.status).toBe(422);
    expect(enZod.code).toBe('invalid_field');
    expect(enZod.message).toBe('id: lowercase letters, digits, - and _ (at most 64); title: at least 1 character; markdown: expected string');
    const arZod = await errorIn('/api/documents', 'ar', { method: 'POST', token: server.adminToken, body: bad });
    expect(arZod).toMatchObject({ status: 422, code: 'invalid_field' });
    expect(arZod.message).toBe('id: أحرف لاتينية صغيرة وأرقام و- و_ (64 على الأكثر); title: حرف واحد على الأقل; markdown: القيمة المتوقعة: string');
    const zhZod = await errorIn('/api/documents', 'zh', { method: 'POST', token: server.adminToken, body: { id: 'x', title: 'X' } });
    expect(zhZod).toEqual({ status: 400, code: 'invalid_request', message: 'markdown：必填' });
    const lang = await errorIn('/api/documents', 'fr', { method: 'POST', token: server.adminToken, body: { id: 'x', title: 'X', markdown: '# X', language: 'not a tag!' } });
    expect(lang).toEqual({ status: 422, code: 'invalid_field', message: 'language : « not a tag! » n’est pas une étiquette de langue BCP 47 (par exemple en, fr, ar, zh-Hans)' });
  });

  it('the 404 of an unknown route, a malformed body and a bad bearer token are translated too', async () => {
    expect(await errorIn('/api/nothing-here', 'fr')).toEqual({ status: 404, code: 'not_found', message: 'aucune route pour GET /nothing-here' });
    const res = await fetch(`${server.url}/api/documents`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${server.adminToken}`, 'accept-language': 'es' }, body: '{"id":' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'malformed_json', message: 'el cuerpo de la solicitud no es un JSON válido' } });
    expect(await errorIn('/api/me', 'zh', { token: 'acc_not-a-real-token' })).toEqual({ status: 401, code: 'unauthorized', message: '持有者令牌无效' });
  });

  it('a signed-in account that chose a language hears it whatever the browser asks', async () => {
    const chose = await server.api('/api/me', { method: 'PATCH', token: observer.token, body: { language: 'ru' } });
    expect(chose.status).toBe(200);
    const res = await server.api('/api/documents/nowhere', { token: observer.token, headers: { 'accept-language': 'en' } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'документ nowhere не найден' } });
    // Without the account, the browser's language again.
    expect((await errorIn('/api/documents/nowhere', 'en')).message).toBe('no document nowhere');
  });

  it('nested messages (durations) follow each language\'s plural rules', () => {
    const wait = (count: number) => errorText('endorsement.tooManyRequests', { wait: errorText('duration.minutes', { count }) });
    expect(renderErrorText(wait(10), 'en')).toBe('too many requests from your address; try again in 10 minutes');
    expect(renderErrorText(wait(2), 'ru')).toBe('слишком много запросов с вашего адреса; повторите попытку через 2 минуты');
    expect(renderErrorText(wait(5), 'ru')).toBe('слишком много запросов с вашего адреса; повторите попытку через 5 минут');
    expect(renderErrorText(wait(2), 'ar')).toBe('عدد كبير جدًا من الطلبات من عنوانك؛ يرجى المحاولة مرة أخرى بعد دقيقتين');
  });
});
