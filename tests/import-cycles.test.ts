// Arrows point one way (issue 18): no module of core/, server/, client/ or
// cli/ reaches itself again through its imports, type-only imports included.
// Relative imports are followed as the files are written (a pure read of the
// sources, so it runs in milliseconds).
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

/** Every relative `import … from` / `export … from` (type-only too), resolved to a file. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s+['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const target = resolve(dirname(file), m[1]!);
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
