// `accord verify <bundle.json> [--key <verifier key>]`: checks a document's
// history offline with the same verifier the browser uses.
import { readFileSync } from 'node:fs';
import { verifyBundle } from '../core/bundle';
import { terminalSafe } from '../core/text-safety';
import { parseArgs, UsageError } from './args';

export const VERIFY_USAGE = 'accord verify <bundle.json> [--key <verifier key>]';

export async function verifyCommand(args: string[]): Promise<number> {
  const { positional, flags } = parseArgs(args, ['key']);
  if (positional.length !== 1) throw new UsageError(`usage: ${VERIFY_USAGE}`);
  let bundle: unknown;
  try {
    bundle = JSON.parse(readFileSync(positional[0]!, 'utf8'));
  } catch (err) {
    console.error(terminalSafe(`FAIL: cannot read ${positional[0]}: ${err instanceof Error ? err.message : String(err)}`));
    return 1;
  }
  const key = flags.get('key');
  const result = verifyBundle(bundle, key ? { verifierKey: key } : {});
  if (!result.ok) {
    // The error may quote the bundle's unverified text: never let it drive the terminal.
    console.error(terminalSafe(`FAIL: ${result.error}`));
    return 1;
  }
  console.log(terminalSafe(formatSummary(result.summary as unknown as Record<string, unknown>)));
  if (!key) {
    console.log('WARNING: the key came from the bundle itself; pass --key with the log\'s published verifier key to rule out a forged bundle.');
  }
  return 0;
}

function formatSummary(summary: Record<string, unknown>): string {
  const lines = ['OK: the bundle verifies'];
  for (const [name, value] of Object.entries(summary)) {
    lines.push(`  ${name}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
  }
  return lines.join('\n');
}
