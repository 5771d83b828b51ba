// The public endorsement page of a document (GET /endorse/:id, no sign-in):
// the version open for endorsement with its content hash and the current log
// checkpoint, the supporting organisations with counts by stakeholder group
// and region, and the form. Also the pages a confirmation link leads to.
// Server-rendered in one of the six UN languages (a `Translator` of the
// `endorse` catalogue), with a switcher; every value is escaped; never shows a
// contact's details.
import { STAKEHOLDER_GROUPS, stakeholderGroupName } from '../../core/api';
import { shortHash } from '../../core/short-hash';
import { COUNTRIES } from '../../core/countries';
import { LOCALE_NAMES, LOCALES } from '../../core/i18n/locales';
import type { Translator } from '../../core/i18n/translator';
import type { EndorseKey } from '../../core/i18n/messages/endorse';
import { countSupporters, latestPerOrganization, type PublicEndorsement, type SupporterCounts, type SupportersData } from '../../core/endorsements';
import type { EmailConfirmation } from '../store/endorsement-types';
import { cosignerNames } from '../../core/tlog/cosignature';
import { html, page, raw, type Raw } from './html';
import { endorsePageScript } from './page-script';
import { ENDORSE_HOOKS, ENDORSE_TEXT_ID, fieldNoteId, type EndorsePageTexts } from '../../core/endorse-page';

export type EndorseText = Translator<EndorseKey>;

const enc = encodeURIComponent;

const PAGE_CSS = `
  .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 18px; }
  @media (max-width: 760px) { .grid { grid-template-columns: 1fr; } }
  .version-name { font-size: 17px; font-weight: 600; }
  dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 14px; margin: 10px 0 0; }
  dl.facts dt { color: var(--muted); font-size: 13px; } dl.facts dd { margin: 0; }
  form { display: grid; grid-template-columns: 1fr 1fr; gap: 12px 16px; }
  form .full { grid-column: 1 / -1; }
  label { display: block; font-size: 13px; font-weight: 600; margin-bottom: 4px; }
  input, select, textarea { width: 100%; font: inherit; padding: 7px 10px; border: 1px solid #c4c9d1; border-radius: 6px; background: #fff; }
  textarea { min-height: 84px; resize: vertical; }
  button { font: 500 14px system-ui, sans-serif; padding: 8px 16px; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
  button.secondary { background: #fff; color: var(--accent); padding: 4px 10px; font-size: 13px; }
  button:disabled { opacity: .6; cursor: wait; }
  .notice { padding: 10px 12px; border-radius: 6px; margin: 0; }
  .notice:empty { display: none; }
  .notice.ok { background: var(--ok-soft); color: var(--ok); } .notice.error { background: var(--danger-soft); color: var(--danger); }
  .earlier { color: var(--muted); }
  .statement { margin: 4px 0 0; color: var(--muted); font-size: 13px; font-style: italic; }
  .links { display: flex; flex-wrap: wrap; gap: 14px; margin-top: 10px; }
  .privacy { font-size: 13px; color: var(--muted); }
  h2.version-name { margin: 2px 0 4px; font-size: 20px; }
  details { margin-top: 14px; border-top: 1px solid #e3e6ea; padding-top: 10px; }
  summary { cursor: pointer; font-weight: 600; color: var(--accent); }
  .field-error { margin: 4px 0 0; color: var(--danger); font-size: 13px; }
  .field-error:empty { display: none; }
  [aria-invalid=true] { border-color: var(--danger); }
  nav.languages ul { display: flex; flex-wrap: wrap; gap: 4px 14px; list-style: none; margin: 0 0 14px; padding: 0; font-size: 14px; }
  nav.languages a[aria-current=page] { font-weight: 600; color: var(--ink); text-decoration: none; }
`;

const day = (t: EndorseText, iso: string): string => t.date(iso, { dateStyle: 'medium', timeZone: 'UTC' });

/** A country's name in the page's language (CLDR through Intl), its English name when Intl has none. */
export function countryNamer(t: EndorseText): (code: string, english: string) => string {
  const names = new Intl.DisplayNames([t.locale], { type: 'region', fallback: 'none' });
  return (code, english) => names.of(code) ?? english;
}

export const groupName = (t: EndorseText, group: string): string => (STAKEHOLDER_GROUPS as readonly string[]).includes(group) ? t.t(`group.${group}` as EndorseKey) : group;
const regionName = (t: EndorseText, region: string, country: (code: string, english: string) => string): string =>
  ['Africa', 'Americas', 'Asia', 'Europe', 'Oceania'].includes(region) ? t.t(`region.${region}` as EndorseKey) : region === 'Antarctica' ? country('AQ', region) : region;

function versionName(t: EndorseText, number: number, data: SupportersData): string {
  const label = data.versions.find((v) => v.number === number)?.label;
  return label ? t.t('version.nameLabel', { number, label }) : t.t('version.name', { number });
}

/** Links to the same page in each of the six languages, the current one marked. */
function languageSwitcher(t: EndorseText, path: string): Raw {
  return html`<nav class="languages" aria-label="${t.t('language.nav')}"><ul>${LOCALES.map(
    (locale) => html`<li><a href="${path}?lang=${locale}" lang="${locale}" hreflang="${locale}"${locale === t.locale ? raw(' aria-current="page"') : null}>${LOCALE_NAMES[locale]}</a></li>`,
  )}</ul></nav>`;
}

/**
 * The version open for endorsement, about the text first: its name, its
 * meeting, where to read it in full and what changed since the version before.
 * The proof (content hash, checkpoint, witnesses, bundle, command line) is
 * folded under "How to check this".
 */
function openVersionCard(t: EndorseText, data: SupportersData): Raw {
  const open = data.open;
  if (!open) {
    return html`<section class="card" id="open-version"><h2>${t.t('open.heading')}</h2><p>${t.t('open.none')}</p></section>`;
  }
  const id = enc(data.document.id);
  const version = data.versions.find((v) => v.number === open.version);
  const previous = [...data.versions].filter((v) => v.number < open.version).sort((a, b) => b.number - a.number)[0];
  return html`<section class="card" id="open-version" data-version="${open.version}">
  <p class="eyebrow">${t.t('open.eyebrow')}</p>
  <h2 class="version-name" id="open-version-name">${versionName(t, open.version, data)}</h2>
  <dl class="facts">
    ${version?.meeting ? html`<dt>${t.t('open.meeting')}</dt><dd id="open-version-meeting">${version.meeting}</dd>` : null}
    <dt>${t.t('open.frozen')}</dt><dd>${day(t, open.createdAt)}</dd>
    ${open.setAt ? html`<dt>${t.t('open.published')}</dt><dd>${day(t, open.setAt)}</dd>` : null}
  </dl>
  <div class="links">
    <a id="read-version" href="/api/documents/${id}/export?version=${open.version}&amp;format=html&amp;view&amp;lang=${t.locale}" target="_blank" rel="noopener">${t.t('open.read', { number: open.version })}</a>
    ${
      previous
        ? html`<a id="redline-previous" href="/api/documents/${id}/redline?from=${previous.number}&amp;to=${open.version}&amp;format=html&amp;lang=${t.locale}" target="_blank" rel="noopener">${previous.label ? t.t('open.changesLabel', { number: previous.number, label: previous.label }) : t.t('open.changes', { number: previous.number })}</a>`
        : null
    }
  </div>
  <details id="how-to-check">
    <summary>${t.t('check.summary')}</summary>
    <p class="muted small">${t.t('check.intro')}</p>
    <dl class="facts">
      <dt>${t.t('check.contentHash')}</dt><dd><code class="hash" id="open-content-hash">${open.contentHash}</code></dd>
      <dt>${t.t('check.logEntry')}</dt><dd>${open.logIndex}</dd>
    </dl>
    <h3>${t.t('check.checkpoint')}</h3>
    <pre id="checkpoint">${data.checkpoint}</pre>
    ${witnessList(t, data.checkpoint)}
    <div class="links">
      <a href="/api/documents/${id}/bundle" download="${data.document.id}-bundle.json">${t.t('check.bundle')}</a>
      <a href="/api/log/key">${t.t('check.key')}</a>
    </div>
    <p class="muted small">${t.t('check.offline')} <code>npx accord verify ${data.document.id}-bundle.json --key &lt;${t.t('check.verifierKey')}&gt;</code></p>
  </details>
</section>`;
}

/** The organisations whose witnesses cosigned the checkpoint (the server appends only cosignatures that verify). */
function witnessList(t: EndorseText, checkpoint: string): Raw {
  const names = cosignerNames(checkpoint);
  if (names.length === 0) return html`<p class="muted small" id="witnesses">${t.t('witness.none')}</p>`;
  return html`<p class="small"><strong>${t.t('witness.by')}</strong> ${t.t('witness.explain')}</p>
  <ul id="witnesses">${names.map((name) => html`<li>${name}</li>`)}</ul>`;
}

function countsTable(t: EndorseText, caption: string, rows: { key: string; label: string; all: number; open: number }[], openVersion: number | null, id: string): Raw {
  return html`<table id="${id}">
  <thead><tr><th>${caption}</th><th class="num">${t.t('counts.organisations')}</th>${openVersion === null ? null : html`<th class="num">${t.t('counts.onVersion', { number: openVersion })}</th>`}</tr></thead>
  <tbody>${rows.map((r) => html`<tr data-key="${r.key}"><td>${r.label}</td><td class="num">${t.number(r.all)}</td>${openVersion === null ? null : html`<td class="num">${t.number(r.open)}</td>`}</tr>`)}</tbody>
</table>`;
}

export function countsSection(t: EndorseText, all: SupporterCounts, onOpen: SupporterCounts, openVersion: number | null): Raw {
  const country = countryNamer(t);
  const groups = all.byGroup.map((g, i) => ({ key: stakeholderGroupName(g.group), label: groupName(t, g.group), all: g.count, open: onOpen.byGroup[i]?.count ?? 0 }));
  const regions = all.byRegion.map((r) => ({ key: r.region, label: regionName(t, r.region, country), all: r.count, open: onOpen.byRegion.find((o) => o.region === r.region)?.count ?? 0 }));
  return html`<div class="grid">
  <div><h3>${t.t('counts.byGroup')}</h3>${countsTable(t, t.t('counts.group'), groups, openVersion, 'counts-by-group')}</div>
  <div><h3>${t.t('counts.byRegion')}</h3>${countsTable(t, t.t('counts.region'), regions, openVersion, 'counts-by-region')}</div>
</div>`;
}

/** One row per organisation (its latest endorsement) and the counts over those rows. */
export function supporterRows(data: SupportersData): { rows: PublicEndorsement[]; all: SupporterCounts; onOpen: SupporterCounts } {
  const rows = latestPerOrganization(data.confirmed);
  const open = data.open?.version ?? null;
  return { rows, all: countSupporters(rows), onOpen: countSupporters(rows.filter((r) => r.version === open)) };
}

function supportersCard(t: EndorseText, data: SupportersData, lang: string): Raw {
  const { rows, all, onOpen } = supporterRows(data);
  const open = data.open;
  const country = countryNamer(t);
  const summary =
    rows.length === 0
      ? t.t('supporters.none')
      : open
        ? t.t('supporters.summaryOpen', { count: rows.length, onOpen: onOpen.total, version: open.version })
        : t.t('supporters.summary', { count: rows.length });
  const id = enc(data.document.id);
  const body = rows.map((r) => {
    const earlier = open !== null && r.version < open.version;
    const noteId = `reaffirm-note-${r.id}`;
    return html`<tr data-endorsement="${r.id}" data-version="${r.version}"${earlier ? raw(' class="earlier"') : null}>
      <td><strong>${r.organization}</strong>${r.statement ? html`<p class="statement">“${r.statement}”</p>` : null}</td>
      <td>${groupName(t, r.stakeholderGroup)}</td>
      <td>${country(r.country, r.countryName)} (${r.country})</td>
      <td>${day(t, r.confirmedAt)}</td>
      <td>${versionName(t, r.version, data)}<br><code class="hash small" title="${r.contentHash}">#${shortHash(r.contentHash)}</code> · ${t.t('supporters.log', { index: r.logIndex })}
        ${
          earlier
            ? html`<div ${ENDORSE_HOOKS.reaffirm}="/api/documents/${id}/endorsements/${enc(r.id)}/reaffirm"><button type="button" class="secondary" aria-describedby="${noteId}">${t.t('supporters.reaffirm', { version: open!.version })}</button><p class="notice" id="${noteId}" role="status"></p></div>`
            : null
        }
      </td>
    </tr>`;
  });
  return html`<section class="card" id="supporters">
  <h2>${t.t('supporters.heading')}</h2>
  <p id="supporters-summary">${summary}</p>
  ${
    rows.length
      ? html`<table id="supporters-table">
    <thead><tr><th>${t.t('supporters.organisation')}</th><th>${t.t('supporters.group')}</th><th>${t.t('supporters.country')}</th><th>${t.t('supporters.date')}</th><th>${t.t('supporters.version')}</th></tr></thead>
    <tbody>${body}</tbody>
  </table>
  ${open && rows.some((r) => r.version < open.version) ? html`<p class="muted small">${t.t('supporters.earlier', { version: open.version })}</p>` : null}`
      : null
  }
  ${countsSection(t, all, onOpen, open?.version ?? null)}
  <div class="links">
    <a id="export-csv" href="/api/documents/${id}/endorsements/export?format=csv">${t.t('supporters.csv')}</a>
    <a id="export-html" href="/api/documents/${id}/endorsements/export?format=html&amp;lang=${lang}" target="_blank" rel="noopener">${t.t('supporters.printable')}</a>
  </div>
</section>`;
}

function formCard(t: EndorseText, data: SupportersData): Raw {
  const open = data.open;
  if (!open) return raw('');
  const id = enc(data.document.id);
  const country = countryNamer(t);
  const collator = new Intl.Collator(t.locale);
  const countries = COUNTRIES.map((c) => ({ code: c.code, name: country(c.code, c.name) })).sort((a, b) => collator.compare(a.name, b.name));
  const intro = t.t('form.intro', { name: '\u0000name\u0000', hash: '\u0000hash\u0000' });
  const [before, name, between, hash, after] = intro.split('\u0000');
  return html`<section class="card" id="endorse">
  <h2>${t.t('form.heading', { version: open.version })}</h2>
  <p>${before}${name === 'name' ? html`<strong>${versionName(t, open.version, data)}</strong>` : null}${between}${hash === 'hash' ? html`<code class="hash">${open.contentHash}</code>` : null}${after}</p>
  <noscript><p class="notice error">${t.t('form.noscript')}</p></noscript>
  <form id="${ENDORSE_HOOKS.form}" method="post" action="/api/documents/${id}/endorsements" data-url="/api/documents/${id}/endorsements" novalidate>
    <input type="hidden" name="version" value="${open.version}">
    <div class="full"><label for="organization">${t.t('form.organisation')}</label><input id="organization" name="organization" required maxlength="200" autocomplete="organization" aria-describedby="${fieldNoteId('organization')}"><p class="field-error" id="${fieldNoteId('organization')}"></p></div>
    <div><label for="stakeholderGroup">${t.t('form.group')}</label><select id="stakeholderGroup" name="stakeholderGroup" required aria-describedby="${fieldNoteId('stakeholderGroup')}">
      <option value="">${t.t('form.choose')}</option>
      ${STAKEHOLDER_GROUPS.map((g) => html`<option value="${g}">${groupName(t, g)}</option>`)}
    </select><p class="field-error" id="${fieldNoteId('stakeholderGroup')}"></p></div>
    <div><label for="country">${t.t('form.country')}</label><select id="country" name="country" required aria-describedby="${fieldNoteId('country')}">
      <option value="">${t.t('form.choose')}</option>
      ${countries.map((c) => html`<option value="${c.code}">${c.name}</option>`)}
    </select><p class="field-error" id="${fieldNoteId('country')}"></p></div>
    <div><label for="contactName">${t.t('form.contact')}</label><input id="contactName" name="contactName" required maxlength="200" autocomplete="name" aria-describedby="${fieldNoteId('contactName')}"><p class="field-error" id="${fieldNoteId('contactName')}"></p></div>
    <div><label for="email">${t.t('form.email')}</label><input id="email" name="email" type="email" required maxlength="320" autocomplete="email" dir="ltr" aria-describedby="${fieldNoteId('email')}"><p class="field-error" id="${fieldNoteId('email')}"></p></div>
    <div class="full"><label for="statement">${t.t('form.statement')}</label><textarea id="statement" name="statement" maxlength="2000" dir="auto" aria-describedby="${fieldNoteId('statement')}"></textarea><p class="field-error" id="${fieldNoteId('statement')}"></p></div>
    <p class="full privacy">${t.t('form.privacy')}</p>
    <div class="full"><button type="submit" id="endorse-submit">${t.t('form.submit', { version: open.version })}</button></div>
    <div class="full" id="${ENDORSE_HOOKS.statusHost}"><p class="notice" id="${ENDORSE_HOOKS.status}" role="status" aria-live="polite"></p></div>
  </form>
</section>`;
}

/** What the page's script says, in the page's language (plural forms for 1 to 6 fields computed here). */
function scriptTexts(t: EndorseText): string {
  const texts: EndorsePageTexts = {
    locale: t.locale,
    needs: {
      organization: t.t('need.organization'),
      stakeholderGroup: t.t('need.stakeholderGroup'),
      country: t.t('need.country'),
      contactName: t.t('need.contactName'),
      email: t.t('need.email'),
      statement: t.t('need.statement'),
    },
    fields: Object.fromEntries([1, 2, 3, 4, 5, 6].map((count) => [String(count), t.t('status.fields', { count })])),
    sent: t.t('status.sent'),
    failed: t.t('status.failed', { status: '{status}' }),
    venue: t.t('status.venue'),
    stop: t.locale === 'zh' ? '。' : '.',
    offline: t.t('status.offline'),
    reaffirmSent: t.t('status.reaffirmSent'),
  };
  // Inside <script>, "<" must never start a tag: every one is escaped.
  return JSON.stringify(texts).replace(/</g, '\\u003c');
}

export function endorsePage(data: SupportersData, nonce: string, t: EndorseText): string {
  const body = html`<main>
  ${languageSwitcher(t, `/endorse/${enc(data.document.id)}`)}
  <p class="eyebrow">${t.t('page.eyebrow')}</p>
  <h1 id="doc-title" dir="auto">${data.document.title}</h1>
  <p class="muted">${t.t('page.intro')}</p>
  ${openVersionCard(t, data)}
  ${supportersCard(t, data, t.locale)}
  ${formCard(t, data)}
  <script type="application/json" id="${ENDORSE_TEXT_ID}">${raw(scriptTexts(t))}</script>
</main>`;
  return page(t.t('page.title', { title: data.document.title }), body, { css: PAGE_CSS, nonce, script: endorsePageScript(), locale: t.locale });
}

const CONFIRM_CSS = `
  #confirm-button { font: inherit; padding: 8px 18px; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
`;

const backLink = (t: EndorseText, document: { id: string; title: string } | null): Raw =>
  document ? html`<p><a href="/endorse/${enc(document.id)}?lang=${t.locale}">${t.t('confirm.back', { title: document.title })}</a></p>` : raw('');

/**
 * The page a confirmation link opens (GET or HEAD): it changes nothing. A
 * usable link shows a Confirm button that POSTs to the same URL; a link that
 * is used, expired or unknown says so, as after a confirmation.
 */
export function confirmPromptPage(
  outcome: EmailConfirmation['outcome'] | 'ready',
  action: string,
  document: { id: string; title: string } | null,
  t: EndorseText,
): { status: number; html: string } {
  if (outcome !== 'ready' && outcome !== 'confirmed') return confirmationPage({ outcome }, document, t);
  const body = html`<main><section class="card" id="confirmation"><h1>${t.t('confirm.title')}</h1>
<p id="confirmation-result" data-outcome="ready">${t.t('confirm.prompt')}</p>
<form method="post" action="${action}"><button type="submit" id="confirm-button">${t.t('confirm.button')}</button></form>
${backLink(t, document)}</section></main>`;
  return { status: 200, html: page(t.t('confirm.title'), body, { css: CONFIRM_CSS, locale: t.locale }) };
}

type ConfirmationResult = EmailConfirmation | { outcome: 'already-used' | 'expired' | 'invalid' };

export function confirmationPage(result: ConfirmationResult, document: { id: string; title: string } | null, t: EndorseText): { status: number; html: string } {
  const back = backLink(t, document);
  const frame = (title: string, message: Raw): string => page(title, html`<main><section class="card" id="confirmation"><h1>${title}</h1>${message}${back}</section></main>`, { locale: t.locale });
  switch (result.outcome) {
    case 'confirmed': {
      const text = t.t('confirmed.text', { version: result.endorsement.version, organization: '\u0000' }).split('\u0000');
      return {
        status: 200,
        html: frame(
          t.t('confirmed.title'),
          html`<p id="confirmation-result" data-outcome="confirmed">${text[0]}<strong>${result.endorsement.organization}</strong>${text[1]}</p>`,
        ),
      };
    }
    case 'already-used':
      return { status: 410, html: frame(t.t('used.title'), html`<p id="confirmation-result" data-outcome="already-used">${t.t('used.text')}</p>`) };
    case 'expired':
      return { status: 410, html: frame(t.t('expired.title'), html`<p id="confirmation-result" data-outcome="expired">${t.t('expired.text')}</p>`) };
    default:
      return { status: 404, html: frame(t.t('invalid.title'), html`<p id="confirmation-result" data-outcome="invalid">${t.t('invalid.text')}</p>`) };
  }
}

export function notFoundPage(t: EndorseText, id: string): string {
  return page(t.t('notFound.title'), html`<main><section class="card"><h1>${t.t('notFound.title')}</h1><p>${t.t('notFound.document', { id })}</p></section></main>`, { locale: t.locale });
}
