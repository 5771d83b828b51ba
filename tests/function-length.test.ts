// Issue 18: no function longer than about a screen. Every .ts under server/,
// core/, cli/, client/ and bench/ is parsed with the TypeScript compiler and
// every function (declarations, expressions, arrows, methods, constructors,
// accessors) is measured from its first to its last line; a factory that
// returns an object of methods is one function, so it counts whole.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const DIRECTORIES = ['server', 'core', 'cli', 'client', 'bench'];
const MAX_LINES = 80;

interface LongFunction {
  /** `<path from the repository root>: <name>`. */
  id: string;
  line: number;
  lines: number;
}

type FunctionNode = ts.FunctionLikeDeclaration;

function isFunction(node: ts.Node): node is FunctionNode {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

/** What a reader would call the function: its name, the variable or property it is assigned to, or the call it is passed to. */
function nameOf(node: FunctionNode, source: ts.SourceFile): string {
  const own = ts.isConstructorDeclaration(node) ? 'constructor' : node.name?.getText(source);
  const parent = node.parent;
  const owner = ts.isClassLike(parent) && parent.name ? `${parent.name.text}.` : '';
  if (own) return owner + own;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) return parent.name.getText(source);
  if (ts.isCallExpression(parent)) return `(callback of ${parent.expression.getText(source).replace(/\s+/g, '')})`;
  return '(anonymous)';
}

/** Every function of `text` longer than `max` lines; `file` names them. */
function longFunctions(file: string, text: string, max = MAX_LINES): LongFunction[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: LongFunction[] = [];
  const visit = (node: ts.Node): void => {
    if (isFunction(node) && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = last - first + 1;
      if (lines > max) found.push({ id: `${file}: ${nameOf(node, source)}`, line: first + 1, lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

describe('function length', () => {
  it('measures: a function one line over the limit is found, by name, wherever it is', () => {
    const body = (n: number) => Array.from({ length: n - 2 }, (_, i) => `  step(${i});`).join('\n');
    const text = [
      `export function long() {\n${body(MAX_LINES + 1)}\n}`,
      `export function fits() {\n${body(MAX_LINES)}\n}`,
      `class Repo {\n  method() {\n${body(MAX_LINES + 1)}\n  }\n}`,
      `const factory = () => ({\n  a() {},\n${body(MAX_LINES)}\n});`,
      `router.get('/x', async () => {\n${body(MAX_LINES + 5)}\n});`,
    ].join('\n');
    expect(longFunctions('x.ts', text).map((f) => [f.id, f.lines])).toEqual([
      ['x.ts: long', MAX_LINES + 1],
      ['x.ts: Repo.method', MAX_LINES + 1],
      ['x.ts: factory', MAX_LINES + 1],
      ['x.ts: (callback of router.get)', MAX_LINES + 5],
    ]);
  });

  it(`no function in ${DIRECTORIES.join(', ')} is longer than ${MAX_LINES} lines`, () => {
    const found = DIRECTORIES.flatMap((dir) => sourceFiles(join(ROOT, dir))).flatMap((path) => {
      const file = relative(ROOT, path).split('\\').join('/');
      return longFunctions(file, readFileSync(path, 'utf8'));
    });
    const over = found.map((f) => `${f.id} (line ${f.line}): ${f.lines} lines`);
    expect(over, `split these along their natural seams:\n${over.join('\n')}`).toEqual([]);
  });
});
