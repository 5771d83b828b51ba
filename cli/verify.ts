// `accord verify <bundle.json> [--key <verifier key>] [--since <checkpoint file>]
// [--witness <vkey> … --quorum <k>]`: checks a document's history offline with
// the same verifier the browser uses; given an earlier checkpoint, that the log
// was not forked since; given witnesses, that enough of them cosigned.
import { readFileSync } from 'node:fs';
import { verifyBundle } from '../core/bundle';
import type { WitnessOptions } from '../core/bundle-witnesses';
import { terminalSafe } from '../core/text-safety';
import { parseArgs, UsageError } from './args';

export const VERIFY_USAGE = 'accord verify <bundle.json> [--key <verifier key>] [--since <checkpoint file>] [--witness <witness verifier key> …] [--quorum <k>]';

export async function verifyCommand(args: string[]): Promise<number> {
  const { positional, flags, lists } = parseArgs(args, ['key', 'since', 'witness', 'quorum']);
  if (positional.length !== 1) throw new UsageError(`usage: ${VERIFY_USAGE}`);
  let bundle: unknown;
  try {
    bundle = JSON.parse(readFileSync(positional[0]!, 'utf8'));
  } catch (err) {
    console.error(terminalSafe(`FAIL: cannot read ${positional[0]}: ${err instanceof Error ? err.message : String(err)}`));
    return 1;
  }
  const sinceFile = flags.get('since');
  let since: string | undefined;
  if (sinceFile !== undefined) {
    try {
      // A note ends in exactly one newline; editors and shells add or drop trailing ones.
      since = readFileSync(sinceFile, 'utf8').replace(/\s*$/, '\n');
    } catch (err) {
      console.error(`FAIL: cannot read the earlier checkpoint ${sinceFile}: ${err instanceof Error ? err.message : String(err)}`);
      return 1;
    }
  }
  const key = flags.get('key');
  const result = verifyBundle(bundle, { ...(key ? { verifierKey: key } : {}), ...(since !== undefined ? { since } : {}), ...witnessOptions(lists.get('witness'), flags.get('quorum')) });
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

/** `--witness` (repeatable) and `--quorum <k>`: k of the named witnesses must have cosigned; default all of them. */
function witnessOptions(witnesses: string[] | undefined, quorum: string | undefined): WitnessOptions {
  if (quorum === undefined) return witnesses ? { witnesses } : {};
  if (!/^(0|[1-9][0-9]*)$/.test(quorum)) throw new UsageError(`--quorum must be a whole number, not ${quorum}`);
  if (!witnesses) throw new UsageError('--quorum needs the witnesses it counts: --witness <witness verifier key> (repeatable)');
  return { witnesses, quorum: Number(quorum) };
}

function formatSummary(summary: Record<string, unknown>): string {
  const lines = ['OK: the bundle verifies'];
  for (const [name, value] of Object.entries(summary)) {
    lines.push(`  ${name}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
  }
  return lines.join('\n');
}
