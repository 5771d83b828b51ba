#!/usr/bin/env node
// `npx accord ...`: runs the TypeScript CLI through tsx, from any directory.
import { register } from 'tsx/esm/api';

register();
// `accord ... | head` closes the pipe early: that is not an error of ours.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
