// The offline verifier page (dist/client/verify.html, built by `npm run build`)
// with a bundle placed inside it, so a recipient opens one file and sees the
// result. Never fetches anything; the page itself forbids the network.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Bundle } from '../../core/bundle';

export const VERIFIER_PAGE = fileURLToPath(new URL('../../dist/client/verify.html', import.meta.url));
const SLOT = '<script type="application/json" id="accord-bundle"></script>';

/** verify.html with `bundle` embedded (as JSON no `</script>` can break out of). */
export async function verifierPage(bundle: Bundle): Promise<string> {
  let page: string;
  try {
    page = await readFile(VERIFIER_PAGE, 'utf8');
  } catch {
    throw new Error(`the offline verifier ${VERIFIER_PAGE} is missing: run \`npm run build\``);
  }
  if (!page.includes(SLOT)) throw new Error(`${VERIFIER_PAGE} has no bundle slot`);
  const json = JSON.stringify(bundle).replace(/</g, '\\u003c');
  return page.replace(SLOT, () => `<script type="application/json" id="accord-bundle">${json}</script>`);
}
