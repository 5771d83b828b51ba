// Arrows point one way (issue 18): no module of core/, server/, client/ or
// cli/ reaches itself again through its imports, type-only imports included,
// and every import points down the layers drawn in docs/architecture.md
// (LAYERS below is that drawing as data). Relative imports are followed as
// the files are written (a pure read of the sources, so it runs in milliseconds).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (path.endsWith('.ts') && !path.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/**
 * Every relative `import … from` / `export … from` (type-only too), bare
 * `import '…'` and `import('…')`, resolved to a file.
 */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  const statements = /(?:^|\n)\s*(?:(?:import|export)\s[^;]*?\sfrom\s+|import\s+)['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(statements)) {
    const target = resolve(dirname(file), (m[1] ?? m[2])!);
    const candidates = [target, `${target}.ts`, join(target, 'index.ts')];
    const found = candidates.find((c) => c.endsWith('.ts') && existsSync(c));
    if (found) out.push(found);
  }
  return out;
}

/**
 * What a file imports at run time: relative modules (resolved) and package
 * names. Type-only imports are left out: the bundler erases them.
 */
function valueImportsOf(file: string): { files: string[]; packages: string[] } {
  const text = readFileSync(file, 'utf8');
  const files: string[] = [];
  const packages: string[] = [];
  const statements = /(?:^|\n)\s*(?:(import|export)\s+(type\s)?[^;'"]*?\sfrom\s+|import\s+)['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(statements)) {
    if (m[2]) continue;
    const specifier = m[3]!;
    if (!specifier.startsWith('.')) {
      packages.push(specifier);
      continue;
    }
    const target = resolve(dirname(file), specifier);
    const found = [target, `${target}.ts`, join(target, 'index.ts')].find((c) => c.endsWith('.ts') && existsSync(c));
    if (found) files.push(found);
  }
  return { files, packages };
}

/**
 * The layers, top to bottom; docs/architecture.md draws the same table. A
 * file belongs to the layer of its longest matching path, and may import its
 * own layer and the layers its row names: arrows point down, never back up.
 */
const LAYERS: Readonly<Record<string, { readonly paths: readonly string[]; readonly mayImport: readonly string[] }>> = {
  // Tests and benchmarks drive everything.
  tools: { paths: ['bench/', 'tests/'], mayImport: ['cli', 'client', 'composition root', 'http edge', 'services', 'store', 'foundation', 'core'] },
  // `npx accord`: reads the configuration and opens the store, but never goes through HTTP.
  cli: { paths: ['cli/'], mayImport: ['composition root', 'services', 'store', 'foundation', 'core'] },
  // The browser: only the pure core (the bundle test below also keeps zod out).
  client: { paths: ['client/'], mayImport: ['core'] },
  // Reads the environment (config.ts names every module's settings) and wires the store, services and routers.
  'composition root': { paths: ['server/main.ts', 'server/app.ts', 'server/services.ts', 'server/config.ts'], mayImport: ['http edge', 'services', 'store', 'foundation', 'core'] },
  // The only place that knows HTTP: routers, the error mapping (domain error → status and code).
  'http edge': { paths: ['server/http/'], mayImport: ['services', 'store', 'foundation', 'core'] },
  // Every other server module: the domain services, collaboration, auth, workers, mail, witness.
  services: { paths: ['server/'], mayImport: ['store', 'foundation', 'core'] },
  // The storage port and its implementations: no service, no HTTP.
  store: { paths: ['server/store/'], mayImport: ['foundation', 'core'] },
  // Leaves the store and the services share: domain errors, console log lines, metrics, paths, node:crypto's SHA-256, the transparency log's signing key.
  foundation: {
    paths: ['server/errors.ts', 'server/logging.ts', 'server/metrics.ts', 'server/paths.ts', 'server/node-sha256.ts', 'server/transparency/key.ts'],
    mayImport: ['core'],
  },
  // Pure and isomorphic: imports nothing of the rest.
  core: { paths: ['core/'], mayImport: [] },
};

/** The layer of a path relative to the root (longest matching path wins), or undefined. */
function layerOf(path: string, layers: typeof LAYERS): string | undefined {
  let best: { name: string; length: number } | undefined;
  for (const [name, { paths }] of Object.entries(layers)) {
    for (const p of paths) if ((p.endsWith('/') ? path.startsWith(p) : path === p) && p.length > (best?.length ?? -1)) best = { name, length: p.length };
  }
  return best?.name;
}

/** Every import that runs back up (or sideways) the layers, and every file in no layer; paths relative to the root. */
function upwardArrows(graph: ReadonlyMap<string, readonly string[]>, layers: typeof LAYERS): string[] {
  const found: string[] = [];
  for (const [from, targets] of graph) {
    const fromLayer = layerOf(from, layers);
    if (fromLayer === undefined) {
      found.push(`${from} is in no layer`);
      continue;
    }
    for (const to of targets) {
      const toLayer = layerOf(to, layers);
      if (toLayer === undefined) found.push(`${from} → ${to}: ${to} is in no layer`);
      else if (toLayer !== fromLayer && !layers[fromLayer]!.mayImport.includes(toLayer)) found.push(`${from} → ${to}: ${fromLayer} may not import ${toLayer}`);
    }
  }
  return found;
}

/** The strongly connected components with more than one module (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component);
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('module graph', () => {
  it('has no import cycles, type-only imports included', () => {
    const files = ['core', 'server', 'client', 'cli'].flatMap((d) => sources(join(ROOT, d)));
    const graph = new Map(files.map((f) => [f, importsOf(f)]));
    expect(graph.size).toBeGreaterThan(100);
    // The reader finds the imports it should: the store's port imports its repositories' types.
    expect(graph.get(join(ROOT, 'server/store/types.ts'))).toContain(join(ROOT, 'server/store/amendment-types.ts'));
    const named = cycles(graph).map((c) => c.map((f) => relative(ROOT, f)).sort().join(' ↔ '));
    expect(named).toEqual([]);
  });

  it('has every import point down the layers (arrows never run back up)', () => {
    const files = ['core', 'server', 'client', 'cli', 'bench'].flatMap((d) => sources(join(ROOT, d)));
    const graph = new Map(files.map((f) => [relative(ROOT, f), importsOf(f).map((g) => relative(ROOT, g))]));
    expect(graph.size).toBeGreaterThan(100);
    // The reader sees dynamic imports too: the store loads node-postgres' implementation only when asked for.
    expect(graph.get('server/store/open.ts')).toContain('server/store/postgres.ts');
    expect(upwardArrows(graph, LAYERS)).toEqual([]);
  });

  it('the layer rule catches an arrow that runs back up', () => {
    expect(layerOf('server/http/errors.ts', LAYERS)).toBe('http edge');
    expect(layerOf('server/errors.ts', LAYERS)).toBe('foundation');
    expect(layerOf('server/transparency/key.ts', LAYERS)).toBe('foundation');
    expect(layerOf('server/transparency/service.ts', LAYERS)).toBe('services');
    expect(layerOf('server/app.ts', LAYERS)).toBe('composition root');
    const fake = new Map<string, string[]>([
      ['core/markdown.ts', ['server/paths.ts', 'core/schema.ts']],
      ['client/main.ts', ['server/errors.ts', 'core/api.ts']],
      ['server/amendments/service.ts', ['server/http/errors.ts', 'server/errors.ts', 'server/store/types.ts']],
      ['server/store/sqlite.ts', ['server/documents/service.ts', 'server/errors.ts', 'server/transparency/key.ts']],
      ['server/errors.ts', ['server/store/types.ts']],
      ['cli/main.ts', ['server/http/query.ts', 'server/config.ts']],
      ['server/app.ts', ['server/http/errors.ts', 'server/store/open.ts']],
      ['server/http/document-routes.ts', ['server/documents/service.ts', 'server/errors.ts']],
      ['stray/file.ts', []],
    ]);
    expect(upwardArrows(fake, LAYERS)).toEqual([
      'core/markdown.ts → server/paths.ts: core may not import foundation',
      'client/main.ts → server/errors.ts: client may not import foundation',
      'server/amendments/service.ts → server/http/errors.ts: services may not import http edge',
      'server/store/sqlite.ts → server/documents/service.ts: store may not import services',
      'server/errors.ts → server/store/types.ts: foundation may not import store',
      'cli/main.ts → server/http/query.ts: cli may not import http edge',
      'stray/file.ts is in no layer',
    ]);
  });

  it('keeps zod and the server out of the browser bundle: the client imports no value that needs them', () => {
    const reached = new Set<string>();
    const packages = new Map<string, string>();
    const visit = (file: string): void => {
      if (reached.has(file)) return;
      reached.add(file);
      const { files, packages: names } = valueImportsOf(file);
      for (const name of names) if (!packages.has(name)) packages.set(name, relative(ROOT, file));
      files.forEach(visit);
    };
    visit(join(ROOT, 'client/main.ts'));
    visit(join(ROOT, 'client/verify/main.ts'));
    visit(join(ROOT, 'client/endorse/main.ts'));
    expect(reached.size).toBeGreaterThan(30);
    expect([...packages.keys()]).toContain('yjs');
    expect(packages.get('zod'), 'zod is imported (for its values) by').toBeUndefined();
    expect([...reached].map((f) => relative(ROOT, f)).filter((f) => f.startsWith('server/') || f.startsWith('cli/'))).toEqual([]);
  });
});
