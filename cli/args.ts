// Command-line flags through node:util's parseArgs, strict: `--name value`,
// `--name=value` and `--flag`; an unknown flag or a missing value is a usage error.
import { parseArgs as parseNodeArgs } from 'node:util';

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string>;
  /** Every value of each valued flag, in order, for flags that may be repeated. */
  lists: Map<string, string[]>;
}

export function parseArgs(args: string[], valued: readonly string[], booleans: readonly string[] = []): ParsedArgs {
  const options: Record<string, { type: 'string'; multiple: true } | { type: 'boolean' }> = {};
  for (const name of valued) options[name] = { type: 'string', multiple: true };
  for (const name of booleans) options[name] = { type: 'boolean' };
  let parsed: ReturnType<typeof parseNodeArgs>;
  try {
    parsed = parseNodeArgs({ args, options, strict: true, allowPositionals: true });
  } catch (err) {
    // ERR_PARSE_ARGS_UNKNOWN_OPTION, ERR_PARSE_ARGS_INVALID_OPTION_VALUE, ...: the user's words, not a crash.
    if (err instanceof Error && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS_')) throw new UsageError(err.message.replace(/\. To specify .*$/s, ''));
    throw err;
  }
  const flags = new Map<string, string>();
  const lists = new Map<string, string[]>();
  for (const [name, value] of Object.entries(parsed.values)) {
    if (Array.isArray(value)) {
      const values = value.map(String);
      lists.set(name, values);
      flags.set(name, values[values.length - 1]!);
    } else if (value === true) {
      flags.set(name, 'true');
    }
  }
  return { positional: parsed.positionals, flags, lists };
}

export class UsageError extends Error {}
