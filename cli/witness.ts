// `accord witness --data-dir <dir> --port <p> [--host <h>] --log <log verifier key> [--name <key name>]`:
// runs a C2SP tlog-witness that cosigns a log's checkpoints only when they
// extend everything it cosigned before. Prints its verifier key on a line of its own.
import { resolve } from 'node:path';
import { parseArgs, UsageError } from './args';

export const WITNESS_USAGE =
  'accord witness --data-dir <dir> --port <port> [--host <host>] --log <log verifier key> [--log …] [--name <witness key name>] [--fsync]';

export async function witnessCommand(args: string[]): Promise<number> {
  const { positional, flags, lists } = parseArgs(args, ['data-dir', 'port', 'host', 'log', 'name'], ['fsync']);
  const dataDir = flags.get('data-dir');
  const portText = flags.get('port');
  const logs = lists.get('log') ?? [];
  if (positional.length > 0 || !dataDir || portText === undefined || logs.length === 0) throw new UsageError(`usage: ${WITNESS_USAGE}`);
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, not ${portText}`);
  const { startWitness } = await import('../server/witness/http');
  const name = flags.get('name');
  const witness = await startWitness({ dataDir: resolve(dataDir), port, host: flags.get('host') ?? '127.0.0.1', logs, fsync: flags.has('fsync'), ...(name ? { name } : {}) });
  console.log(`[witness] cosigning for ${witness.witness.origins.join(', ')} at ${witness.url}/add-checkpoint; verifier key:`);
  console.log(witness.verifierKey);
  await new Promise<void>((done) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => done());
  });
  await witness.close();
  return 0;
}
