// The `accord` command: user administration, offline verification, backup and
// restore, and redlines of Markdown files, on top of core/ and the server's store.
import { UsageError } from './args';
import { userCommand, USER_USAGE } from './user';
import { verifyCommand, VERIFY_USAGE } from './verify';
import { witnessCommand, WITNESS_USAGE } from './witness';
import { backupCommand, restoreCommand, BACKUP_USAGE } from './backup';
import { useNodeSha256 } from '../server/node-sha256';

useNodeSha256();

const USAGE = `usage:
  ${USER_USAGE.split('\n').join('\n  ')}
  ${VERIFY_USAGE}
  ${WITNESS_USAGE}
  ${BACKUP_USAGE.split('\n').join('\n  ')}
  accord diff <old.md> <new.md> [--format json|html|md|docx|pdf] [-o file]`;

export async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  try {
    switch (command) {
      case 'user':
        return await userCommand(rest);
      case 'verify':
        return await verifyCommand(rest);
      case 'witness':
        return await witnessCommand(rest);
      case 'backup':
        return await backupCommand(rest);
      case 'restore':
        return await restoreCommand(rest);
      case 'diff': {
        const { diffCommand } = await import('./diff');
        return await diffCommand(rest);
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"\n${USAGE}`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(err.message);
      return 2;
    }
    console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
