// `node accord-verify.mjs <bundle.json> [--key …] [--since …]`: `accord verify`
// as one file with no dependencies (vite builds it into dist/client), shipped
// in every meeting package so recipients with Node.js need nothing else.
import { UsageError } from './args';
import { verifyCommand, VERIFY_USAGE } from './verify';
import { useNodeSha256 } from '../server/node-sha256';

useNodeSha256();

try {
  process.exitCode = await verifyCommand(process.argv.slice(2));
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  if (!(err instanceof UsageError)) console.error(`error: ${message}`);
  else if (!message.startsWith('usage:')) console.error(message);
  console.error(`usage: node accord-verify.mjs ${VERIFY_USAGE.replace(/^accord verify /, '')}`);
  process.exitCode = 2;
}
