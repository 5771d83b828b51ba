import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { diffCommand, type DiffIO } from '../cli/diff';
import { contentHash } from '../core/canonical';
import { parseMarkdown } from '../core/markdown';
import type { PMJSON } from '../core/schema';
import type { Redline } from '../core/redline/index';

const dir = mkdtempSync(join(tmpdir(), 'accord-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const oldPath = join(dir, 'old.md');
const newPath = join(dir, 'new.md');
writeFileSync(oldPath, '# Paper\n\n## Scope {#scope}\n\nThe paper covers devices sold in the region.\n\n## Privacy {#privacy}\n\nData is protected by default.\n');
writeFileSync(newPath, '# Paper\n\n## Scope {#scope}\n\nThe paper covers devices sold or leased in the region.\n\n## Security {#security}\n\nDevices are secure by design.\n');

async function run(args: string[], tty = false): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  const out: Buffer[] = [];
  let err = '';
  const io: DiffIO = {
    stdout: { write: (c: string | Uint8Array) => out.push(Buffer.from(c)), isTTY: tty },
    stderr: { write: (c: string) => (err += c) },
  };
  const code = await diffCommand(args, io);
  return { code, stdout: Buffer.concat(out), stderr: err };
}

describe('accord diff', () => {
  it('prints the redline JSON by default', async () => {
    const { code, stdout } = await run([oldPath, newPath]);
    expect(code).toBe(0);
    const r = JSON.parse(stdout.toString()) as Redline;
    expect(r.from).toBe('old.md');
    expect(r.to).toBe('new.md');
    expect(r.sections.map((s) => `${s.id}:${s.status}`)).toEqual(['scope:changed', 'privacy:removed', 'security:added']);
    expect(r.sections[0]!.blocks[1]!.ops).toEqual([
      { op: 'equal', text: 'The paper covers devices sold ' },
      { op: 'insert', text: 'or leased ' },
      { op: 'equal', text: 'in the region.' },
    ]);
    expect(r.stats.wordsInserted).toBe(2 + 6);
  });

  it('writes HTML and Markdown', async () => {
    const html = await run([oldPath, newPath, '--format', 'html']);
    expect(html.code).toBe(0);
    expect(html.stdout.toString()).toContain('<ins>or leased </ins>');
    expect(html.stdout.toString()).toMatch(/sha256:[0-9a-f]{64}/);
    const md = await run([oldPath, newPath, '--format=md']);
    expect(md.stdout.toString()).toContain('sold {++or leased ++}in the region');
  });

  it('shows the canonical content hash (the server\'s) and names the file\'s SHA-256 a file digest', async () => {
    const html = (await run([oldPath, newPath, '--format', 'html'])).stdout.toString();
    const parsed = parseMarkdown(readFileSync(oldPath, 'utf8'));
    const canonical = contentHash(parsed.title, parsed.doc.toJSON() as PMJSON);
    const digest = `sha256:${createHash('sha256').update(readFileSync(oldPath)).digest('hex')}`;
    expect(html).toMatch(new RegExp(`Content hash</th><td><code>${canonical}</code>`));
    expect(html).toMatch(new RegExp(`File digest \\(SHA-256\\)</th><td><code>${digest}</code>`));
    // The same text in a file with other bytes (CRLF line ends) has the same content hash, another file digest.
    const crlf = join(dir, 'old-crlf.md');
    writeFileSync(crlf, readFileSync(oldPath, 'utf8').replace(/\n/g, '\r\n'));
    const md = (await run([crlf, newPath, '--format', 'md'])).stdout.toString();
    expect(md).toContain(`| Content hash | \`${canonical}\``);
    expect(md).not.toContain(digest);
  });

  it('diffs documents with images: an image changed is the old one deleted and the new one inserted, in every format', async () => {
    const a = join(dir, 'img-old.md');
    const b = join(dir, 'img-new.md');
    writeFileSync(a, '# P\n\n## Figures {#figures}\n\nThe network: ![Network](figures/v1.png) as drafted.\n');
    writeFileSync(b, '# P\n\n## Figures {#figures}\n\nThe network: ![Network](figures/v2.png) as drafted.\n');
    const json = await run([a, b]);
    expect(json.code, json.stderr).toBe(0);
    const r = JSON.parse(json.stdout.toString()) as Redline;
    const ops = r.sections[0]!.blocks[1]!.ops;
    expect(ops.find((o) => o.op === 'delete')?.runs?.[0]?.marks).toEqual([{ type: 'image', href: 'figures/v1.png', title: 'Network' }]);
    expect(ops.find((o) => o.op === 'insert')?.runs?.[0]?.marks).toEqual([{ type: 'image', href: 'figures/v2.png', title: 'Network' }]);
    expect((await run([a, b, '--format', 'md'])).stdout.toString()).toContain('{~~![Network](<figures/v1.png>)~>![Network](<figures/v2.png>)~~}');
    expect((await run([a, b, '--format', 'html'])).stdout.toString()).toContain('<del>[image: Network (figures/v1.png)]</del><ins>[image: Network (figures/v2.png)]</ins>');
    for (const format of ['docx', 'pdf']) expect((await run([a, b, '--format', format, '-o', join(dir, `img.${format}`)])).code).toBe(0);
  });

  it('writes DOCX and PDF to a file with -o', async () => {
    for (const [format, magic] of [
      ['docx', 'PK'],
      ['pdf', '%PDF'],
    ] as const) {
      const file = join(dir, `out.${format}`);
      const { code, stderr } = await run([oldPath, newPath, '--format', format, '-o', file]);
      expect(code).toBe(0);
      expect(stderr).toContain(`wrote ${file}`);
      expect(readFileSync(file).subarray(0, magic.length).toString()).toBe(magic);
    }
  });

  it('writes binary formats to a redirected stdout but not to a terminal', async () => {
    const piped = await run([oldPath, newPath, '--format', 'pdf']);
    expect(piped.code).toBe(0);
    expect(piped.stdout.subarray(0, 4).toString()).toBe('%PDF');
    const tty = await run([oldPath, newPath, '--format', 'docx'], true);
    expect(tty.code).toBe(2);
    expect(tty.stderr).toContain('-o');
  });

  it('reports usage and input errors with exit codes', async () => {
    expect((await run([oldPath])).code).toBe(2);
    expect((await run([oldPath, newPath, '--format', 'rtf'])).code).toBe(2);
    expect((await run([oldPath, newPath, '--colour'])).code).toBe(2);
    const missing = await run([oldPath, join(dir, 'nope.md')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read');
    const bad = join(dir, 'bad.md');
    writeFileSync(bad, 'text before any section\n');
    const invalid = await run([oldPath, bad]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('bad.md');
    expect(existsSync(join(dir, 'never.json'))).toBe(false);
  });
});
