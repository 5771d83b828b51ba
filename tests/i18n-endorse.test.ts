// The public call for commitment in the six UN languages: chosen from
// Accept-Language or ?lang=, with a switcher, <html lang dir> (Arabic right to
// left), the script's texts and the server's answers in the page's language,
// and the confirmation mail in the language of the page the endorser used.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { endorseMessages } from '../core/i18n/messages/endorse';
import { mailMessages } from '../core/i18n/messages/mail';
import { decisionMail } from '../server/amendments/decision-mail';
import type { MailMessage } from '../server/mail/transport';
import { checkCatalogues } from './helpers/i18n';
import { expectAccessible, launchChromium, runBrowserTests } from './helpers/browser';
import { startTestServer, type TestServer } from './helpers/server';

let server: TestServer;
const mail: MailMessage[] = [];

beforeAll(async () => {
  server = await startTestServer({ config: { mail: { send: async (m) => void mail.push(m) } } });
});
afterAll(() => server.close());

const page = async (path: string, language?: string) => {
  const res = await server.api(path, { headers: language ? { 'accept-language': language } : {} });
  expect(res.status).toBe(200);
  return res.text();
};

describe('the public call for commitment in six languages', () => {
  it('the catalogues are complete and translated in all six', () => {
    checkCatalogues(endorseMessages, {
      es: ['region.Asia'],
      fr: ['version.name', 'version.nameLabel', 'region.Europe', 'counts.organisations', 'supporters.organisation', 'form.organisation', 'supporters.date'],
    });
    checkCatalogues(mailMessages);
  });

  it('in Arabic from Accept-Language: right to left, Arabic text, Arabic country names, a switcher to the other five', async () => {
    const html = await page('/endorse/gpp', 'ar,en;q=0.5');
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain('<p class="eyebrow">دعوة إلى الالتزام</p>');
    expect(html).toContain('<h2>المنظمات المؤيِّدة</h2>');
    expect(html).toContain('<option value="KE">كينيا</option>');
    expect(html).toContain('حسب مجموعة أصحاب المصلحة');
    expect(html).toMatch(/<nav class="languages" aria-label="لغة هذه الصفحة"><ul>/);
    for (const lang of ['zh', 'en', 'fr', 'ru', 'es']) expect(html).toContain(`<a href="/endorse/gpp?lang=${lang}" lang="${lang}" hreflang="${lang}">`);
    expect(html).toContain('<a href="/endorse/gpp?lang=ar" lang="ar" hreflang="ar" aria-current="page">العربية</a>');
    // The script's texts, in the same language, as data.
    const texts = JSON.parse(/<script type="application\/json" id="endorse-text">([^<]*)<\/script>/.exec(html)![1]!) as { locale: string; fields: Record<string, string> };
    expect(texts.locale).toBe('ar');
    expect(texts.fields['2']).toBe('حقلان يحتاجان إلى انتباهك.');
    // The layout mirrors: logical alignment, no left/right.
    expect(html).toContain('text-align: start');
    expect(html).not.toMatch(/text-align: (left|right)/);
  });

  it('?lang= chooses Spanish over the browser\'s language; an unknown one falls back', async () => {
    const html = await page('/endorse/gpp?lang=es', 'fr');
    expect(html).toContain('<html lang="es" dir="ltr">');
    expect(html).toContain('Llamamiento a asumir compromisos');
    expect(html).toContain('Grupo de partes interesadas');
    expect(html).toContain('<option value="civil-society">Sociedad civil</option>');
    expect(html).toContain('<option value="DE">Alemania</option>');
    expect(html).toContain('Adherirse a la versión 3');
    expect(await page('/endorse/gpp?lang=xx', 'ru')).toContain('<html lang="ru" dir="ltr">');
    expect(await page('/endorse/gpp')).toContain('<html lang="en" dir="ltr">');
  });

  it('an endorser on the French page gets French answers and a French confirmation mail, whose link opens French pages', async () => {
    const headers = { 'accept-language': 'fr' };
    const bad = await server.api('/api/documents/gpp/endorsements', { method: 'POST', headers, body: { organization: 'x', stakeholderGroup: 'civil-society', country: 'KE', contactName: 'C', email: 'nope', version: 3 } });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toBe('email : adresse électronique non valide');

    const body = { organization: 'Association Numérique Dakar', stakeholderGroup: 'civil-society', country: 'SN', contactName: 'Awa Diop', email: 'awa@dakar-num.example', version: 3 };
    const res = await server.api('/api/documents/gpp/endorsements', { method: 'POST', headers, body });
    expect(res.status).toBe(202);
    const message = mail.find((m) => m.to === body.email)!;
    expect(message.subject).toBe('Confirmez l’approbation de « Internet of Things Good Practice Paper » (version 3) par Association Numérique Dakar');
    expect(message.text).toMatch(/^Bonjour Awa Diop,\n/);
    expect(message.text).toContain('a demandé que Association Numérique Dakar approuve la version 3');
    expect(message.text).toMatch(/Le lien expire le \d{1,2} \S+ \d{4} à \d{2}:\d{2}:\d{2} UTC\./);
    const link = new URL(/https?:\/\/\S+/.exec(message.text)![0]);
    expect(link.searchParams.get('lang')).toBe('fr');
    const prompt = await page(`${link.pathname}${link.search}`, 'en');
    expect(prompt).toContain('<html lang="fr" dir="ltr">');
    expect(prompt).toMatch(/<form method="post" action="\/endorse\/gpp\/confirm\?token=[A-Za-z0-9_-]+&amp;lang=fr">/);
    const done = await server.api(`${link.pathname}${link.search}`, { method: 'POST' });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('<h1>Adresse confirmée</h1>');
  });

  it('an amendment decision is mailed in the recipient account\'s language', () => {
    const person = { id: 'u1', name: 'Amélie Martin', email: 'amelie@example.org', organization: 'Org', stakeholderGroup: 'government' as const, role: 'stakeholder' as const, language: 'fr' as const };
    const facts = { number: 4, title: 'Livre blanc', section: 'privacy', quote: 'a', proposed: 'b', verdict: 'accepted' as const, reason: 'Consensus en séance.', decider: { name: 'Chiara', organization: 'IGF' }, documentUrl: 'http://x/#/doc/d' };
    const fr = decisionMail(person, 'supported', facts);
    expect(fr.subject).toBe('Amendement 4 adopté : Livre blanc');
    expect(fr.text).toContain('L’amendement 4 à « Livre blanc » (section privacy), que vous avez appuyé, a été adopté par Chiara (IGF).');
    expect(fr.text).toContain('Motif indiqué : Consensus en séance.');
    const { language: _none, ...english } = person;
    expect(decisionMail(english, 'proposed', facts).text).toContain('which you proposed, was accepted by Chiara (IGF).');
  });

  it('a French-speaking participant is mailed the decision on their amendment in French', async () => {
    const chair = await server.createUser('chair', 'Chiara');
    const member = await server.createUser('stakeholder', 'Amélie');
    expect((await server.api('/api/me', { method: 'PATCH', token: member.token, body: { language: 'fr' } })).status).toBe(200);
    const made = await server.api('/api/documents', { method: 'POST', token: chair.token, body: { id: 'livre', title: 'Livre blanc', markdown: '# Livre blanc\n\n## Vie privée {#privacy}\n\nLes données restent locales.\n', language: 'fr' } });
    expect(made.status).toBe(201);
    const proposed = await server.api('/api/documents/livre/amendments', { method: 'POST', token: member.token, body: { section: 'privacy', quote: 'restent locales', proposed: 'restent sur l’appareil', justification: 'Plus clair.' } });
    expect(proposed.status).toBe(201);
    const { id } = (await proposed.json()) as { id: string };
    const decided = await server.api(`/api/documents/livre/amendments/${id}/decision`, { method: 'POST', token: chair.token, body: { decision: 'accept', reason: 'Consensus.' } });
    expect(decided.status).toBe(200);
    await expect.poll(() => mail.find((m) => m.to === member.email)?.subject).toBe('Amendement 1 adopté : Livre blanc');
    const text = mail.find((m) => m.to === member.email)!.text;
    expect(text).toMatch(/^Bonjour Amélie/);
    expect(text).toContain('que vous avez proposé, a été adopté par Chiara');
    expect(text).toContain('Le texte proposé fait désormais partie du texte en cours.');
  });

  it.skipIf(!runBrowserTests)('in Chromium, in Arabic: the page reads right to left, passes axe, and the form speaks Arabic', async () => {
    let browser: Browser | undefined;
    try {
      browser = await launchChromium();
      const context = await browser.newContext({ locale: 'ar', viewport: { width: 1100, height: 900 } });
      const tab = await context.newPage();
      await tab.goto(`${server.url}/endorse/gpp`);
      expect(await tab.evaluate(() => getComputedStyle(document.body).direction)).toBe('rtl');
      await tab.click('#endorse-submit');
      const five = new Intl.NumberFormat('ar').format(5);
      await expect.poll(() => tab.locator('#endorse-status').innerText()).toBe(`${five} حقول تحتاج إلى انتباهك.`);
      expect(await tab.locator('#organization-error').innerText()).toBe('أدخل اسم منظمتك.');
      await tab.screenshot({ path: '/tmp/i18n-endorse-ar.png', fullPage: false });
      await expectAccessible(tab, 'the public endorsement page in Arabic');
    } finally {
      await browser?.close();
    }
  });
});
