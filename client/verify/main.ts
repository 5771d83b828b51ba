// The offline verifier (dist/client/verify.html, one file with everything
// inlined): verifies the bundle embedded in the page, or one the reader drops
// or chooses, with the same core/bundle.ts the CLI uses. It never touches the
// network; the page's Content-Security-Policy forbids it. Its words follow
// the reader's browser languages (or the language last chosen in Accord).
import { verifyBundle, type VerifyOptions } from '../../core/bundle';
import { h, replaceChildren } from '../dom';
import { t, type ClientKey } from '../i18n';
import { describeResult, type VerdictLine } from './describe';

// The page's fixed texts: each element names its message (data-i18n, data-i18n-placeholder).
for (const element of document.querySelectorAll<HTMLElement>('[data-i18n]')) element.textContent = t(element.dataset.i18n as ClientKey);
for (const element of document.querySelectorAll<HTMLInputElement>('[data-i18n-placeholder]')) element.placeholder = t(element.dataset.i18nPlaceholder as ClientKey);
document.title = t('verifier.pageTitle');

const result = document.getElementById('result') as HTMLDivElement;
const keyInput = document.getElementById('verifier-key') as HTMLInputElement;
const sinceInput = document.getElementById('since') as HTMLTextAreaElement;
const fileInput = document.getElementById('bundle-file') as HTMLInputElement;
const drop = document.getElementById('drop') as HTMLDivElement;

/** The bundle text last checked: the embedded one until the reader picks a file. */
let current: { text: string; source: string } | null = null;
const embedded = document.getElementById('accord-bundle')?.textContent?.trim();
if (embedded) current = { text: embedded, source: t('verifier.sourceEmbedded') };

function options(): VerifyOptions {
  const key = keyInput.value.trim();
  const since = sinceInput.value.trim();
  return { ...(key ? { verifierKey: key } : {}), ...(since ? { since: `${since}\n` } : {}) };
}

function show(): void {
  if (!current) return;
  let bundle: unknown;
  try {
    bundle = JSON.parse(current.text);
  } catch {
    render(false, t('verifier.notJson', { source: current.source }), []);
    return;
  }
  const verdict = describeResult(verifyBundle(bundle, options()));
  render(verdict.ok, verdict.headline, [{ text: t('verifier.checked', { source: current.source }), warning: false }, ...verdict.lines]);
}

function render(ok: boolean, headline: string, lines: VerdictLine[]): void {
  result.hidden = false;
  result.dataset.result = ok ? 'ok' : 'fail';
  replaceChildren(result, h('p', { class: 'verdict' }, headline), h('ul', {}, lines.map((line) => h('li', { class: line.warning ? 'warning' : null }, line.text))));
}

async function readFile(file: File): Promise<void> {
  current = { text: await file.text(), source: t('verifier.sourceFile', { name: file.name }) };
  show();
}

fileInput.addEventListener('change', () => {
  const file = fileInput.files?.[0];
  if (file) void readFile(file);
});
drop.addEventListener('dragover', (event) => {
  event.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (event) => {
  event.preventDefault();
  drop.classList.remove('over');
  const file = event.dataTransfer?.files[0];
  if (file) void readFile(file);
});
document.getElementById('verify-again')!.addEventListener('click', show);
show();
