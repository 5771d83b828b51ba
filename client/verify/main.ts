// The offline verifier (dist/client/verify.html, one file with everything
// inlined): verifies the bundle embedded in the page, or one the reader drops
// or chooses, with the same core/bundle.ts the CLI uses. It never touches the
// network; the page's Content-Security-Policy forbids it. Its words follow
// the reader's browser languages (or the language last chosen in Accord).
// The verdict is state; the result box is a view of it.
import { verifyBundle, type VerifyOptions } from '../../core/bundle';
import { interfaceReady, t, type ClientKey } from '../i18n';
import { createStore, html, mountView, nothing } from '../view';
import { describeResult, type Verdict } from './describe';

/** The elements of verify.html this script works with. */
const page = {
  resultHost: document.getElementById('result-host') as HTMLDivElement,
  keyInput: document.getElementById('verifier-key') as HTMLInputElement,
  sinceInput: document.getElementById('since') as HTMLTextAreaElement,
  fileInput: document.getElementById('bundle-file') as HTMLInputElement,
  drop: document.getElementById('drop') as HTMLDivElement,
  again: document.getElementById('verify-again') as HTMLButtonElement,
};

interface VerifierState {
  /** The bundle text last checked: the embedded one until the reader picks a file. */
  current: { text: string; source: string } | null;
  verdict: Verdict | null;
}

const store = createStore<VerifierState>({ current: null, verdict: null });

function resultView({ verdict }: VerifierState) {
  return html`<div id="result" class="result" role="status" aria-live="polite" ?hidden=${!verdict} data-result=${verdict ? (verdict.ok ? 'ok' : 'fail') : nothing}>${
    verdict ? html`<p class="verdict">${verdict.headline}</p><ul>${verdict.lines.map((line) => html`<li class=${line.warning ? 'warning' : nothing}>${line.text}</li>`)}</ul>` : nothing
  }</div>`;
}

function options(): VerifyOptions {
  const key = page.keyInput.value.trim();
  const since = page.sinceInput.value.trim();
  return { ...(key ? { verifierKey: key } : {}), ...(since ? { since: `${since}\n` } : {}) };
}

/** Checks the current bundle with the options as typed. */
function check(): void {
  const { current } = store.get();
  if (!current) return;
  let bundle: unknown;
  try {
    bundle = JSON.parse(current.text);
  } catch {
    store.update({ verdict: { ok: false, headline: t('verifier.notJson', { source: current.source }), lines: [] } });
    return;
  }
  const verdict = describeResult(verifyBundle(bundle, options()));
  store.update({ verdict: { ...verdict, lines: [{ text: t('verifier.checked', { source: current.source }), warning: false }, ...verdict.lines] } });
}

async function readFile(file: File): Promise<void> {
  store.update({ current: { text: await file.text(), source: t('verifier.sourceFile', { name: file.name }) } });
  check();
}

function start(): void {
  // The page's fixed texts: each element names its message (data-i18n, data-i18n-placeholder).
  for (const element of document.querySelectorAll<HTMLElement>('[data-i18n]')) element.textContent = t(element.dataset.i18n as ClientKey);
  for (const element of document.querySelectorAll<HTMLInputElement>('[data-i18n-placeholder]')) element.placeholder = t(element.dataset.i18nPlaceholder as ClientKey);
  document.title = t('verifier.pageTitle');
  mountView(page.resultHost, store, resultView);
  page.fileInput.addEventListener('change', () => {
    const file = page.fileInput.files?.[0];
    if (file) void readFile(file);
  });
  page.drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    page.drop.classList.add('over');
  });
  page.drop.addEventListener('dragleave', () => page.drop.classList.remove('over'));
  page.drop.addEventListener('drop', (event) => {
    event.preventDefault();
    page.drop.classList.remove('over');
    const file = event.dataTransfer?.files[0];
    if (file) void readFile(file);
  });
  page.again.addEventListener('click', check);
  const embedded = document.getElementById('accord-bundle')?.textContent?.trim();
  if (embedded) store.update({ current: { text: embedded, source: t('verifier.sourceEmbedded') } });
  check();
}

void interfaceReady.then(start);
