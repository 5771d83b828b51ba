#!/usr/bin/env node
// `npx accord ...`: runs the TypeScript CLI through tsx, from any directory.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
