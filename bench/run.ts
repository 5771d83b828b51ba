// `npm run bench`: prints every figure the issues ask for, each next to its
// baseline from the same run. A benchmark, not a test: it never fails on a number.
import { benchCollab } from './collab';
import { useNodeSha256 } from '../server/node-sha256';

// As the server and the CLI do: node:crypto's SHA-256 under the core.
useNodeSha256();

type Figures = Record<string, number | string>;

const sections: [string, () => Promise<Figures>][] = [['collaboration', benchCollab]];

for (const extra of ['./versions', './tlog', './witness', './redline', './redline-http', './amendments', './many-authors', './reads', './attribution', './history']) {
  try {
    const mod = (await import(extra)) as Record<string, unknown>;
    for (const [name, fn] of Object.entries(mod)) {
      if (name.startsWith('bench') && typeof fn === 'function') sections.push([name.slice(5).toLowerCase(), fn as () => Promise<Figures>]);
    }
  } catch (err) {
    if (!(err instanceof Error && /Cannot find module|ERR_MODULE_NOT_FOUND/.test(err.message))) throw err;
  }
}

const only = process.argv.slice(2);
for (const [name, run] of sections) {
  if (only.length && !only.includes(name)) continue;
  console.log(`\n== ${name}`);
  const figures = await run();
  const width = Math.max(...Object.keys(figures).map((k) => k.length));
  for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(width)}  ${v}`);
}
process.exit(0);
