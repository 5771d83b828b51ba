// The public endorsement page of a document (GET /endorse/:id, no sign-in):
// the version open for endorsement with its content hash and the current log
// checkpoint, the supporting organisations with counts by stakeholder group
// and region, and the form. Also the pages a confirmation link leads to.
// Server-rendered; every value is escaped; never shows a contact's details.
import { STAKEHOLDER_GROUPS, stakeholderGroupName } from '../../core/api';
import { COUNTRIES } from '../../core/countries';
import { countSupporters, latestPerOrganization, type PublicEndorsement, type SupporterCounts, type SupportersData } from '../../core/endorsements';
import type { EmailConfirmation } from '../store/endorsement-types';
import { cosignerNames } from '../../core/tlog/cosignature';
import { html, page, raw, type Raw } from './html';

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
`;

// Plain script, no data inside: URLs come from data attributes the server escaped.
const SCRIPT = `
(function () {
  function show(el, text, kind) { el.textContent = text; el.className = 'notice ' + kind; }
  async function post(url, body) {
    var res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
    var data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    return { status: res.status, data: data };
  }
  function message(result) {
    return (result.data && result.data.error && result.data.error.message) || ('The request failed (' + result.status + ').');
  }
  // What each field needs, in words; the server's answer about a field is put the same way.
  var NEEDS = {
    organization: 'Enter the name of your organisation.',
    stakeholderGroup: 'Choose the stakeholder group of your organisation.',
    country: 'Choose the country of your organisation.',
    contactName: 'Enter the name of the person we should write to.',
    email: 'Enter an e-mail address such as name@example.org: we send the confirmation link there.',
    statement: 'Shorten the statement to at most 2,000 characters, in plain text.'
  };
  function fieldProblems(body) {
    var problems = {};
    if (!body.organization.trim()) problems.organization = NEEDS.organization;
    if (!body.stakeholderGroup) problems.stakeholderGroup = NEEDS.stakeholderGroup;
    if (!body.country) problems.country = NEEDS.country;
    if (!body.contactName.trim()) problems.contactName = NEEDS.contactName;
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(body.email.trim())) problems.email = NEEDS.email;
    return problems;
  }
  /** Marks each field with its problem (or none); focuses the first; returns how many. */
  function markFields(problems) {
    var first = null, count = 0;
    Object.keys(NEEDS).forEach(function (name) {
      var input = document.getElementById(name), note = document.getElementById(name + '-error');
      if (!input || !note) return;
      var problem = problems[name] || '';
      note.textContent = problem;
      if (problem) { input.setAttribute('aria-invalid', 'true'); count++; if (!first) first = input; }
      else input.removeAttribute('aria-invalid');
    });
    if (first) first.focus();
    return count;
  }
  /** The server names a field first ("email: Invalid email address"): say it in words beside that field. */
  function serverProblems(text) {
    var problems = {};
    String(text).split('; ').forEach(function (part) {
      var name = part.split(':')[0];
      if (Object.prototype.hasOwnProperty.call(NEEDS, name)) problems[name] = NEEDS[name];
    });
    return problems;
  }
  var form = document.getElementById('endorse-form');
  if (form) {
    var status = document.getElementById('endorse-status');
    form.addEventListener('submit', async function (event) {
      event.preventDefault();
      var f = new FormData(form);
      var body = {
        organization: String(f.get('organization') || ''),
        stakeholderGroup: String(f.get('stakeholderGroup') || ''),
        country: String(f.get('country') || ''),
        contactName: String(f.get('contactName') || ''),
        email: String(f.get('email') || ''),
        version: Number(f.get('version'))
      };
      var statement = String(f.get('statement') || '').trim();
      if (statement) body.statement = statement;
      var count = markFields(fieldProblems(body));
      if (count) {
        show(status, count === 1 ? 'One field needs your attention.' : count + ' fields need your attention.', 'error');
        return;
      }
      var button = form.querySelector('button[type=submit]');
      button.disabled = true;
      try {
        var result = await post(form.getAttribute('data-url'), body);
        if (result.status === 202) {
          form.reset();
          show(status, 'Thank you. We have sent a confirmation link to the e-mail address you gave. Once you have opened it, a chair reviews the endorsement and it appears here.', 'ok');
        } else {
          var fromServer = result.status === 400 || result.status === 422 ? markFields(serverProblems(message(result))) : 0;
          if (fromServer) show(status, fromServer === 1 ? 'One field needs your attention.' : fromServer + ' fields need your attention.', 'error');
          else show(status, result.status === 429 ? 'Many endorsements have come from this connection just now. ' + message(result).replace(/^./, function (c) { return c.toUpperCase(); }) + '.' : message(result), 'error');
        }
      } catch (e) {
        show(status, 'The server cannot be reached. Please try again.', 'error');
      } finally {
        button.disabled = false;
      }
    });
  }
  document.querySelectorAll('button[data-reaffirm-url]').forEach(function (button) {
    button.addEventListener('click', async function () {
      var note = document.getElementById(button.getAttribute('aria-describedby'));
      button.disabled = true;
      try {
        var result = await post(button.getAttribute('data-reaffirm-url'), {});
        if (result.status === 202) {
          show(note, 'A confirmation link has been sent to this organisation\\'s contact on record.', 'ok');
          button.hidden = true;
        } else {
          show(note, message(result), 'error');
          button.disabled = false;
        }
      } catch (e) {
        show(note, 'The server cannot be reached. Please try again.', 'error');
        button.disabled = false;
      }
    });
  });
})();
`;

const shortHash = (hash: string): string => hash.replace(/^sha256:/, '').slice(0, 12);
const day = (iso: string): string => iso.slice(0, 10);

function versionName(number: number, data: SupportersData): string {
  const label = data.versions.find((v) => v.number === number)?.label;
  return label ? `Version ${number} — ${label}` : `Version ${number}`;
}

/**
 * The version open for endorsement, about the text first: its name, its
 * meeting, where to read it in full and what changed since the version before.
 * The proof (content hash, checkpoint, witnesses, bundle, command line) is
 * folded under "How to check this".
 */
function openVersionCard(data: SupportersData): Raw {
  const open = data.open;
  if (!open) {
    return html`<section class="card" id="open-version"><h2>Version open for endorsement</h2><p>No version of this document has been published for endorsement yet.</p></section>`;
  }
  const id = enc(data.document.id);
  const version = data.versions.find((v) => v.number === open.version);
  const previous = [...data.versions].filter((v) => v.number < open.version).sort((a, b) => b.number - a.number)[0];
  return html`<section class="card" id="open-version" data-version="${open.version}">
  <p class="eyebrow">Open for endorsement</p>
  <h2 class="version-name" id="open-version-name">${versionName(open.version, data)}</h2>
  <dl class="facts">
    ${version?.meeting ? html`<dt>Meeting</dt><dd id="open-version-meeting">${version.meeting}</dd>` : null}
    <dt>Frozen</dt><dd>${day(open.createdAt)}</dd>
    ${open.setAt ? html`<dt>Published for endorsement</dt><dd>${day(open.setAt)}</dd>` : null}
  </dl>
  <div class="links">
    <a id="read-version" href="/api/documents/${id}/export?version=${open.version}&amp;format=html&amp;view" target="_blank" rel="noopener">Read version ${open.version} in full</a>
    ${
      previous
        ? html`<a id="redline-previous" href="/api/documents/${id}/redline?from=${previous.number}&amp;to=${open.version}&amp;format=html" target="_blank" rel="noopener">What changed since version ${previous.number}${previous.label ? ` (${previous.label})` : ''}</a>`
        : null
    }
  </div>
  <details id="how-to-check">
    <summary>How to check this</summary>
    <p class="muted small">Your endorsement is bound to this exact text by its content hash, and every confirmed endorsement is an entry in this server's signed, public log: anyone can check that no text or endorsement was changed afterwards.</p>
    <dl class="facts">
      <dt>Content hash</dt><dd><code class="hash" id="open-content-hash">${open.contentHash}</code></dd>
      <dt>Log entry</dt><dd>${open.logIndex}</dd>
    </dl>
    <h3>Current log checkpoint</h3>
    <pre id="checkpoint">${data.checkpoint}</pre>
    ${witnessList(data.checkpoint)}
    <div class="links">
      <a href="/api/documents/${id}/bundle" download="${data.document.id}-bundle.json">Verification bundle (JSON)</a>
      <a href="/api/log/key">Log verifier key</a>
    </div>
    <p class="muted small">Check it offline: <code>npx accord verify ${data.document.id}-bundle.json --key &lt;verifier key&gt;</code></p>
  </details>
</section>`;
}

/** The organisations whose witnesses cosigned the checkpoint (the server appends only cosignatures that verify). */
function witnessList(checkpoint: string): Raw {
  const names = cosignerNames(checkpoint);
  if (names.length === 0) return html`<p class="muted small" id="witnesses">No independent witness has cosigned this checkpoint yet.</p>`;
  return html`<p class="small"><strong>Witnessed by</strong> (each cosigned this checkpoint after checking it extends everything it saw before):</p>
  <ul id="witnesses">${names.map((name) => html`<li>${name}</li>`)}</ul>`;
}

function countsTable(caption: string, rows: { label: string; all: number; open: number }[], openVersion: number | null, id: string): Raw {
  return html`<table id="${id}">
  <thead><tr><th>${caption}</th><th class="num">Organisations</th>${openVersion === null ? null : html`<th class="num">On version ${openVersion}</th>`}</tr></thead>
  <tbody>${rows.map((r) => html`<tr data-key="${r.label}"><td>${r.label}</td><td class="num">${r.all}</td>${openVersion === null ? null : html`<td class="num">${r.open}</td>`}</tr>`)}</tbody>
</table>`;
}

export function countsSection(all: SupporterCounts, onOpen: SupporterCounts, openVersion: number | null): Raw {
  const groups = all.byGroup.map((g, i) => ({ label: stakeholderGroupName(g.group), all: g.count, open: onOpen.byGroup[i]?.count ?? 0 }));
  const regions = all.byRegion.map((r) => ({ label: r.region, all: r.count, open: onOpen.byRegion.find((o) => o.region === r.region)?.count ?? 0 }));
  return html`<div class="grid">
  <div><h3>By stakeholder group</h3>${countsTable('Stakeholder group', groups, openVersion, 'counts-by-group')}</div>
  <div><h3>By region (UN M49)</h3>${countsTable('Region', regions, openVersion, 'counts-by-region')}</div>
</div>`;
}

/** One row per organisation (its latest endorsement) and the counts over those rows. */
export function supporterRows(data: SupportersData): { rows: PublicEndorsement[]; all: SupporterCounts; onOpen: SupporterCounts } {
  const rows = latestPerOrganization(data.confirmed);
  const open = data.open?.version ?? null;
  return { rows, all: countSupporters(rows), onOpen: countSupporters(rows.filter((r) => r.version === open)) };
}

function supportersCard(data: SupportersData): Raw {
  const { rows, all, onOpen } = supporterRows(data);
  const open = data.open;
  const onOpenCount = open ? onOpen.total : 0;
  const summary =
    rows.length === 0
      ? 'No organisation has endorsed this document yet.'
      : `${rows.length} ${rows.length === 1 ? 'organisation supports' : 'organisations support'} this document${open ? `; ${onOpenCount} of them the version open for endorsement (version ${open.version})` : ''}.`;
  const id = enc(data.document.id);
  const body = rows.map((r) => {
    const earlier = open !== null && r.version < open.version;
    const noteId = `reaffirm-note-${r.id}`;
    return html`<tr data-endorsement="${r.id}" data-version="${r.version}"${earlier ? raw(' class="earlier"') : null}>
      <td><strong>${r.organization}</strong>${r.statement ? html`<p class="statement">“${r.statement}”</p>` : null}</td>
      <td>${stakeholderGroupName(r.stakeholderGroup)}</td>
      <td>${r.countryName} (${r.country})</td>
      <td>${day(r.confirmedAt)}</td>
      <td>${versionName(r.version, data)}<br><code class="hash small" title="${r.contentHash}">#${shortHash(r.contentHash)}</code> · log ${r.logIndex}
        ${
          earlier
            ? html`<div><button type="button" class="secondary" data-reaffirm-url="/api/documents/${id}/endorsements/${enc(r.id)}/reaffirm" aria-describedby="${noteId}">Re-affirm for version ${open!.version}</button><p class="notice" id="${noteId}" role="status"></p></div>`
            : null
        }
      </td>
    </tr>`;
  });
  return html`<section class="card" id="supporters">
  <h2>Supporting organisations</h2>
  <p id="supporters-summary">${summary}</p>
  ${
    rows.length
      ? html`<table id="supporters-table">
    <thead><tr><th>Organisation</th><th>Stakeholder group</th><th>Country</th><th>Date</th><th>Version endorsed</th></tr></thead>
    <tbody>${body}</tbody>
  </table>
  ${open && rows.some((r) => r.version < open.version) ? html`<p class="muted small">Organisations shown in grey endorsed an earlier version; their endorsement stays bound to that text. Their contact can re-affirm for version ${open.version} in one step.</p>` : null}`
      : null
  }
  ${countsSection(all, onOpen, open?.version ?? null)}
  <div class="links">
    <a id="export-csv" href="/api/documents/${id}/endorsements/export?format=csv">Download the list (CSV)</a>
    <a id="export-html" href="/api/documents/${id}/endorsements/export?format=html" target="_blank" rel="noopener">Printable list</a>
  </div>
</section>`;
}

function formCard(data: SupportersData): Raw {
  const open = data.open;
  if (!open) return raw('');
  const id = enc(data.document.id);
  return html`<section class="card" id="endorse">
  <h2>Endorse version ${open.version}</h2>
  <p>Your organisation endorses exactly this text: <strong>${versionName(open.version, data)}</strong>, content hash <code class="hash">${open.contentHash}</code>.</p>
  <noscript><p class="notice error">This form needs JavaScript.</p></noscript>
  <form id="endorse-form" method="post" action="/api/documents/${id}/endorsements" data-url="/api/documents/${id}/endorsements" novalidate>
    <input type="hidden" name="version" value="${open.version}">
    <div class="full"><label for="organization">Organisation</label><input id="organization" name="organization" required maxlength="200" autocomplete="organization" aria-describedby="organization-error"><p class="field-error" id="organization-error"></p></div>
    <div><label for="stakeholderGroup">Stakeholder group</label><select id="stakeholderGroup" name="stakeholderGroup" required aria-describedby="stakeholderGroup-error">
      <option value="">Choose…</option>
      ${STAKEHOLDER_GROUPS.map((g) => html`<option value="${g}">${stakeholderGroupName(g)}</option>`)}
    </select><p class="field-error" id="stakeholderGroup-error"></p></div>
    <div><label for="country">Country</label><select id="country" name="country" required aria-describedby="country-error">
      <option value="">Choose…</option>
      ${COUNTRIES.map((c) => html`<option value="${c.code}">${c.name}</option>`)}
    </select><p class="field-error" id="country-error"></p></div>
    <div><label for="contactName">Contact person</label><input id="contactName" name="contactName" required maxlength="200" autocomplete="name" aria-describedby="contactName-error"><p class="field-error" id="contactName-error"></p></div>
    <div><label for="email">Contact e-mail</label><input id="email" name="email" type="email" required maxlength="320" autocomplete="email" aria-describedby="email-error"><p class="field-error" id="email-error"></p></div>
    <div class="full"><label for="statement">Statement of support (optional, published)</label><textarea id="statement" name="statement" maxlength="2000" aria-describedby="statement-error"></textarea><p class="field-error" id="statement-error"></p></div>
    <p class="full privacy">The contact person's name and e-mail address are used only to confirm the endorsement: we send a one-time link to that address. They are never published, never written to the signed log and never included in the verification bundle. A chair reviews every endorsement before it appears on this page.</p>
    <div class="full"><button type="submit" id="endorse-submit">Endorse version ${open.version}</button></div>
    <p class="full notice" id="endorse-status" role="status" aria-live="polite"></p>
  </form>
</section>`;
}

export function endorsePage(data: SupportersData, nonce: string): string {
  const body = html`<main>
  <p class="eyebrow">Call for commitment</p>
  <h1 id="doc-title">${data.document.title}</h1>
  <p class="muted">Organisations endorse a signed version of this document. Each endorsement is bound to the exact text endorsed and recorded in a public, signed log.</p>
  ${openVersionCard(data)}
  ${supportersCard(data)}
  ${formCard(data)}
</main>`;
  return page(`Endorse: ${data.document.title}`, body, { css: PAGE_CSS, nonce, script: SCRIPT });
}

const CONFIRM_CSS = `
  #confirm-button { font: inherit; padding: 8px 18px; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
`;

/**
 * The page a confirmation link opens (GET or HEAD): it changes nothing. A
 * usable link shows a Confirm button that POSTs to the same URL; a link that
 * is used, expired or unknown says so, as after a confirmation.
 */
export function confirmPromptPage(
  outcome: EmailConfirmation['outcome'] | 'ready',
  action: string,
  document: { id: string; title: string } | null,
): { status: number; html: string } {
  if (outcome !== 'ready' && outcome !== 'confirmed') return confirmationPage({ outcome }, document);
  const back = document ? html`<p><a href="/endorse/${enc(document.id)}">Back to the call for commitment: ${document.title}</a></p>` : raw('');
  const body = html`<main><section class="card" id="confirmation"><h1>Confirm your endorsement</h1>
<p id="confirmation-result" data-outcome="ready">To confirm that this is your address and that you asked for this endorsement, press Confirm. Nothing is confirmed until you do.</p>
<form method="post" action="${action}"><button type="submit" id="confirm-button">Confirm</button></form>
${back}</section></main>`;
  return { status: 200, html: page('Confirm your endorsement', body, { css: CONFIRM_CSS }) };
}

type ConfirmationResult = EmailConfirmation | { outcome: 'already-used' | 'expired' | 'invalid' };

export function confirmationPage(result: ConfirmationResult, document: { id: string; title: string } | null): { status: number; html: string } {
  const back = document ? html`<p><a href="/endorse/${enc(document.id)}">Back to the call for commitment: ${document.title}</a></p>` : raw('');
  const frame = (title: string, message: Raw): string => page(title, html`<main><section class="card" id="confirmation"><h1>${title}</h1>${message}${back}</section></main>`);
  switch (result.outcome) {
    case 'confirmed':
      return {
        status: 200,
        html: frame(
          'Address confirmed',
          html`<p id="confirmation-result" data-outcome="confirmed">Thank you. The endorsement of version ${result.endorsement.version} by <strong>${result.endorsement.organization}</strong> is confirmed by its contact. A chair reviews it next; once accepted, it appears on the public page and in the signed log.</p>`,
        ),
      };
    case 'already-used':
      return {
        status: 410,
        html: frame('Link already used', html`<p id="confirmation-result" data-outcome="already-used">This confirmation link has already been used (or is otherwise invalid): each link works only once. The address was confirmed the first time; there is nothing more to do.</p>`),
      };
    case 'expired':
      return {
        status: 410,
        html: frame('Link expired', html`<p id="confirmation-result" data-outcome="expired">This confirmation link has expired and is no longer valid. Please submit the endorsement again.</p>`),
      };
    default:
      return {
        status: 404,
        html: frame('Invalid link', html`<p id="confirmation-result" data-outcome="invalid">This confirmation link is invalid or has already been used. Check that you copied the whole link from the e-mail.</p>`),
      };
  }
}

export function notFoundPage(message: string): string {
  return page('Not found', html`<main><section class="card"><h1>Not found</h1><p>${message}</p></section></main>`);
}
