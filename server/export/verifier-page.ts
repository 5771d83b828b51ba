// The offline verifiers built by `npm run build`: the page
// (dist/client/verify.html), served with a bundle placed inside it so a
// recipient opens one file and sees the result (it never fetches anything; the
// page itself forbids the network), and `accord verify` as one Node.js file.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CLIENT_DIR } from '../paths';

export const VERIFIER_PAGE = join(CLIENT_DIR, 'verify.html');
export const VERIFIER_SCRIPT = join(CLIENT_DIR, 'accord-verify.mjs');
const SLOT = '<script type="application/json" id="accord-bundle"></script>';

/** verify.html with the bundle (its JSON text) embedded so that no `</script>` can break out. */
export async function verifierPage(bundleJson: string): Promise<string> {
  const page = await built(VERIFIER_PAGE);
  if (!page.includes(SLOT)) throw new Error(`${VERIFIER_PAGE} has no bundle slot`);
  // "<" occurs in JSON only inside strings, where \u003c means the same.
  const json = bundleJson.replace(/</g, '\\u003c');
  return page.replace(SLOT, () => `<script type="application/json" id="accord-bundle">${json}</script>`);
}

/** `node accord-verify.mjs <bundle.json> --key …`: the CLI's verify, dependency-free. */
export function verifierScript(): Promise<string> {
  return built(VERIFIER_SCRIPT);
}

async function built(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new Error(`the offline verifier ${file} is missing: run \`npm run build\``);
  }
}
