// The public endorsement page's script (a Vite entry of its own, served as a
// file: the page's Content-Security-Policy allows no inline script). The
// page is the server's HTML (server/endorsements/page.ts) and reads without
// it; this makes the form check and send itself, and the re-affirm buttons
// work. Its words come from the page (a JSON block in the page's language).
import { ENDORSE_HOOKS, ENDORSE_TEXT_ID, type EndorsePageTexts } from '../../core/endorse-page';
import { enhanceForm } from './form';
import { enhanceReaffirm } from './reaffirm';

function start(): void {
  const texts = JSON.parse(document.getElementById(ENDORSE_TEXT_ID)?.textContent ?? 'null') as EndorsePageTexts | null;
  if (!texts) return;
  const form = document.getElementById(ENDORSE_HOOKS.form);
  const statusHost = document.getElementById(ENDORSE_HOOKS.statusHost);
  if (form instanceof HTMLFormElement && statusHost) enhanceForm(form, statusHost, texts);
  for (const block of document.querySelectorAll<HTMLElement>(`[${ENDORSE_HOOKS.reaffirm}]`)) {
    enhanceReaffirm(block, block.getAttribute(ENDORSE_HOOKS.reaffirm) ?? '', texts);
  }
}

start();
