// The schema gate (server/collab/gate.ts), checked without a server: real
// editing through y-prosemirror is always accepted and converges; each kind of
// update that would give the text a shape the schema cannot hold is refused,
// leaving the server's doc untouched; random raw Yjs writes are either
// refused or leave a valid structure; and a keystroke is cheap to check.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { EditorState, TextSelection, type Transaction } from 'prosemirror-state';
import { addColumnAfter, addRowAfter, deleteRow } from 'prosemirror-tables';
import type { Node as PMNode } from 'prosemirror-model';
import { initProseMirrorDoc, updateYFragment, yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror';
import { parseMarkdown } from '../core/markdown';
import { CONTENT_FIELD, SECTION_ID_PATTERN, isSafeHref, isSafeImageSrc, schema } from '../core/schema';
import { initialState } from '../server/documents/state';
import { checkEditorUpdate } from '../server/collab/gate';

const GPP_STATE = initialState(parseMarkdown(readFileSync(join(import.meta.dirname, '..', 'documents', 'gpp.md'), 'utf8')).doc);

/** The server's doc of the GPP paper, as a room holds it. */
function serverDoc(): Y.Doc {
  const doc = new Y.Doc({ gc: true });
  Y.applyUpdate(doc, GPP_STATE);
  doc.getXmlFragment(CONTENT_FIELD);
  return doc;
}

/** A raw client's copy, synced from the server. */
function clientOf(server: Y.Doc): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
  return doc;
}

/** The update a change to `doc` produces (encodeStateAsUpdate against the state vector before). */
function craft(doc: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const before = Y.encodeStateVector(doc);
  doc.transact(() => change(doc));
  return Y.encodeStateAsUpdate(doc, before);
}

function accept(server: Y.Doc, update: Uint8Array): void {
  expect(checkEditorUpdate(server, update)).toEqual({ ok: true });
  Y.applyUpdate(server, update);
}

function expectRefused(server: Y.Doc, update: Uint8Array, reason: RegExp): void {
  const vector = Y.encodeStateVector(server);
  const state = Y.encodeStateAsUpdate(server);
  const verdict = checkEditorUpdate(server, update);
  expect(verdict.ok).toBe(false);
  if (!verdict.ok) expect(verdict.reason).toMatch(reason);
  expect(sameBytes(Y.encodeStateVector(server), vector)).toBe(true);
  expect(sameBytes(Y.encodeStateAsUpdate(server), state)).toBe(true);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}

/** Yjs types element attributes as strings; y-prosemirror stores numbers and booleans too (and a hostile client anything). */
function setAttr(element: Y.XmlElement, key: string, value: unknown): void {
  element.setAttribute(key, value as string);
}

const REMOTE = 'remote';

/**
 * An editor as the browser runs it: a Y.Doc synced from the server and a
 * ProseMirror state, changes written to Yjs by y-prosemirror's own
 * updateYFragment (what the sync plugin's binding does on every transaction).
 */
class Editor {
  readonly ydoc = new Y.Doc();
  readonly fragment = this.ydoc.getXmlFragment(CONTENT_FIELD);
  /** Local updates as the 'update' event gives them (what y-websocket sends). */
  readonly outbox: Uint8Array[] = [];
  /** What yUndoPlugin sets up (every change its own step here). */
  readonly undoManager = new Y.UndoManager(this.fragment, { trackedOrigins: new Set(['local']), captureTimeout: 0 });
  state: EditorState;
  private meta: ReturnType<typeof initProseMirrorDoc>['meta'];
  private counter = 0;

  constructor(
    readonly name: string,
    server: Y.Doc,
  ) {
    this.ydoc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== REMOTE) this.outbox.push(update);
    });
    Y.applyUpdate(this.ydoc, Y.encodeStateAsUpdate(server), REMOTE);
    const { doc, meta } = initProseMirrorDoc(this.fragment, schema);
    this.state = EditorState.create({ schema, doc });
    this.meta = meta;
  }

  /** A remote update arrives; the view is rebuilt from Yjs (as the binding's _typeChanged does). */
  receive(update: Uint8Array): void {
    Y.applyUpdate(this.ydoc, update, REMOTE);
    this.rebuild();
  }

  private rebuild(): void {
    const { doc, meta } = initProseMirrorDoc(this.fragment, schema);
    this.state = EditorState.create({ schema, doc });
    this.meta = meta;
  }

  /** Undo or redo through Yjs' UndoManager, as yUndoPlugin's commands do; the update, or null when there was nothing to do. */
  history(which: 'undo' | 'redo'): Uint8Array | null {
    const before = Y.encodeStateVector(this.ydoc);
    const done = which === 'undo' ? this.undoManager.undo() : this.undoManager.redo();
    this.rebuild();
    return done === null ? null : Y.encodeStateAsUpdate(this.ydoc, before);
  }

  freshId(): string {
    this.counter += 1;
    return `added-${this.name}-${this.counter}`;
  }

  /** Applies a transaction and writes it to Yjs; the update as encodeStateAsUpdate(doc, vectorBefore), or null when nothing changed. */
  change(make: (state: EditorState) => Transaction | null): Uint8Array | null {
    const tr = make(this.state);
    if (tr === null || !tr.docChanged) return null;
    tr.doc.check();
    const before = Y.encodeStateVector(this.ydoc);
    this.state = this.state.apply(tr);
    this.ydoc.transact(() => updateYFragment(this.ydoc, this.fragment, this.state.doc, this.meta), 'local');
    return Y.encodeStateAsUpdate(this.ydoc, before);
  }

  takeOutbox(): Uint8Array[] {
    return this.outbox.splice(0);
  }
}

// ---------------------------------------------------------------------------
// Editing operations on a ProseMirror state, addressed by arbitrary numbers.

type Edit =
  | { kind: 'type'; a: number; b: number; text: string }
  | { kind: 'mark'; a: number; b: number; c: number; mark: 'strong' | 'em' | 'link' | 'unstrong' }
  | { kind: 'split'; a: number; b: number }
  | { kind: 'list'; a: number; b: number; ordered: boolean }
  | { kind: 'break'; a: number; b: number }
  | { kind: 'deleteText'; a: number; b: number; c: number }
  | { kind: 'deleteParagraph'; a: number }
  | { kind: 'headingLevel'; a: number; b: number }
  | { kind: 'addSection'; a: number }
  | { kind: 'moveSection'; a: number; b: number }
  | { kind: 'undo' | 'redo' };

interface Located {
  node: PMNode;
  pos: number;
}

function textblocks(doc: PMNode, only?: string): Located[] {
  const out: Located[] = [];
  doc.descendants((node, pos) => {
    if (node.isTextblock && (only === undefined || node.type.name === only)) out.push({ node, pos });
    return !node.isTextblock;
  });
  return out;
}

/** Children of sections, with their positions. */
function sectionChildren(doc: PMNode): (Located & { index: number })[] {
  const out: (Located & { index: number })[] = [];
  doc.forEach((section, offset) => section.forEach((node, childOffset, index) => out.push({ node, pos: offset + 1 + childOffset, index })));
  return out;
}

/** The position before the i-th top-level node (i may equal childCount). */
function boundary(doc: PMNode, i: number): number {
  let pos = 0;
  for (let k = 0; k < i; k++) pos += doc.child(k).nodeSize;
  return pos;
}

const pick = <T>(list: T[], n: number): T | undefined => (list.length === 0 ? undefined : list[n % list.length]);

/** A range inside a non-empty textblock. */
function rangeIn(doc: PMNode, a: number, b: number, c: number): { from: number; to: number } | null {
  const block = pick(
    textblocks(doc).filter((t) => t.node.content.size > 0),
    a,
  );
  if (!block) return null;
  const start = block.pos + 1;
  const end = start + block.node.content.size;
  const from = start + (b % (end - start));
  return { from, to: from + 1 + (c % (end - from)) };
}

function item(text: string): PMNode {
  return schema.nodes.list_item!.create(null, schema.nodes.paragraph!.create(null, schema.text(text)));
}

function applyEdit(state: EditorState, edit: Edit, freshId: () => string): Transaction | null {
  const { doc, tr } = state;
  const { nodes, marks } = schema;
  switch (edit.kind) {
    case 'type': {
      const block = pick(textblocks(doc), edit.a);
      return block ? tr.insertText(edit.text, block.pos + 1 + (edit.b % (block.node.content.size + 1))) : null;
    }
    case 'mark': {
      const range = rangeIn(doc, edit.a, edit.b, edit.c);
      if (!range) return null;
      if (edit.mark === 'unstrong') return tr.removeMark(range.from, range.to, marks.strong);
      const mark = edit.mark === 'link' ? marks.link!.create({ href: `https://example.org/${edit.c % 7}`, title: null }) : marks[edit.mark]!.create();
      return tr.addMark(range.from, range.to, mark);
    }
    case 'split': {
      const block = pick(textblocks(doc, 'paragraph'), edit.a);
      return block ? tr.split(block.pos + 1 + (edit.b % (block.node.content.size + 1))) : null;
    }
    case 'list': {
      const child = pick(sectionChildren(doc), edit.a);
      if (!child) return null;
      const list = edit.ordered
        ? nodes.ordered_list!.create({ order: 1 + (edit.b % 5), tight: edit.b % 2 === 0 }, [item(`item ${edit.b}`), item('second')])
        : nodes.bullet_list!.create({ tight: edit.b % 2 === 0 }, item(`point ${edit.b}`));
      return tr.insert(child.pos + child.node.nodeSize, list);
    }
    case 'break': {
      const block = pick(textblocks(doc), edit.a);
      return block ? tr.insert(block.pos + 1 + (edit.b % (block.node.content.size + 1)), nodes.hard_break!.create()) : null;
    }
    case 'deleteText': {
      const range = rangeIn(doc, edit.a, edit.b, edit.c);
      return range ? tr.delete(range.from, range.to) : null;
    }
    case 'deleteParagraph': {
      const paragraph = pick(
        sectionChildren(doc).filter((c) => c.node.type === nodes.paragraph),
        edit.a,
      );
      return paragraph ? tr.delete(paragraph.pos, paragraph.pos + paragraph.node.nodeSize) : null;
    }
    case 'headingLevel': {
      const heading = pick(
        sectionChildren(doc).filter((c) => c.node.type === nodes.heading && c.index > 0),
        edit.a,
      );
      return heading ? tr.setNodeMarkup(heading.pos, undefined, { level: 3 + (edit.b % 4) }) : null;
    }
    case 'addSection': {
      const section = nodes.section!.create({ id: freshId() }, [
        nodes.heading!.create({ level: 2 }, schema.text('A new section')),
        nodes.paragraph!.create(null, schema.text('Its first paragraph.')),
      ]);
      return tr.insert(boundary(doc, edit.a % (doc.childCount + 1)), section);
    }
    case 'undo':
    case 'redo':
      return null; // through the editor's UndoManager, see Editor.history
    case 'moveSection': {
      // Cut and paste: the section is deleted and inserted again, id and all.
      if (doc.childCount < 2) return null;
      const i = edit.a % doc.childCount;
      const section = doc.child(i);
      const from = boundary(doc, i);
      tr.delete(from, from + section.nodeSize);
      return tr.insert(boundary(tr.doc, edit.b % doc.childCount), section);
    }
  }
}

const n = fc.nat({ max: 100_000 });
const textEdit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('type' as const), a: n, b: n, text: fc.stringMatching(/^[a-zA-Z é]{1,6}$/) }),
  fc.record({ kind: fc.constant('mark' as const), a: n, b: n, c: n, mark: fc.constantFrom('strong' as const, 'em' as const, 'link' as const, 'unstrong' as const) }),
  fc.record({ kind: fc.constant('split' as const), a: n, b: n }),
  fc.record({ kind: fc.constant('list' as const), a: n, b: n, ordered: fc.boolean() }),
  fc.record({ kind: fc.constant('break' as const), a: n, b: n }),
  fc.record({ kind: fc.constant('deleteText' as const), a: n, b: n, c: n }),
  fc.record({ kind: fc.constant('deleteParagraph' as const), a: n }),
  fc.record({ kind: fc.constant('headingLevel' as const), a: n, b: n }),
  fc.record({ kind: fc.constant('addSection' as const), a: n }),
);
const anyEdit: fc.Arbitrary<Edit> = fc.oneof(
  { arbitrary: textEdit, weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('moveSection' as const), a: n, b: n }), weight: 1 },
  { arbitrary: fc.constantFrom({ kind: 'undo' as const }, { kind: 'redo' as const }), weight: 2 },
);

/** An edit by an editor: a transaction through y-prosemirror, or an undo/redo. */
function perform(editor: Editor, edit: Edit): Uint8Array | null {
  if (edit.kind === 'undo' || edit.kind === 'redo') return editor.history(edit.kind);
  return editor.change((s) => applyEdit(s, edit, () => editor.freshId()));
}

function liveNode(doc: Y.Doc): PMNode {
  return yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(CONTENT_FIELD), schema);
}

function sectionIds(doc: Y.Doc): string[] {
  return doc
    .getXmlFragment(CONTENT_FIELD)
    .toArray()
    .map((s) => String((s as Y.XmlElement).getAttribute('id')));
}

// ---------------------------------------------------------------------------
// An independent check of a stored structure, for the random raw writes.

const INLINE_PARENTS = new Set(['paragraph', 'heading']);
const BLOCKS = ['paragraph', 'heading', 'blockquote', 'bullet_list', 'ordered_list'];
const ALLOWED_CHILDREN: Record<string, string[]> = {
  section: BLOCKS,
  blockquote: BLOCKS,
  list_item: BLOCKS,
  bullet_list: ['list_item'],
  ordered_list: ['list_item'],
  paragraph: ['hard_break', 'image'],
  heading: ['hard_break', 'image'],
  hard_break: [],
  image: [],
};
const ATTRS: Record<string, Record<string, (v: unknown) => boolean>> = {
  section: { id: (v) => typeof v === 'string' && SECTION_ID_PATTERN.test(v) },
  heading: { level: (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 6 },
  bullet_list: { tight: (v) => typeof v === 'boolean' },
  ordered_list: { order: (v) => Number.isInteger(v) && (v as number) >= 0, tight: (v) => typeof v === 'boolean' },
  image: { src: (v) => typeof v === 'string' && isSafeImageSrc(v), alt: (v) => v === null || typeof v === 'string', title: (v) => v === null || typeof v === 'string' },
};

/** Problems with the live structure of `doc` (empty when the schema can hold it). */
function structureProblems(doc: Y.Doc): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  const rootKeys = [...doc.share.keys()].filter((k) => k !== CONTENT_FIELD && doc.share.get(k)!._start !== null);
  if (rootKeys.length) problems.push(`other roots: ${rootKeys.join(',')}`);
  const walk = (element: Y.XmlElement, parent: string): void => {
    const name = element.nodeName;
    if (!(name in ALLOWED_CHILDREN)) return void problems.push(`unknown <${name}>`);
    const allowed = parent === 'top' ? ['section'] : (ALLOWED_CHILDREN[parent] ?? []);
    if (!allowed.includes(name)) problems.push(`<${name}> in <${parent}>`);
    for (const [key, value] of Object.entries(element.getAttributes())) {
      if (!ATTRS[name]?.[key]?.(value)) problems.push(`<${name} ${key}=${JSON.stringify(value)}>`);
    }
    if (name === 'section') {
      const id = String(element.getAttribute('id'));
      if (ids.has(id)) problems.push(`duplicate id ${id}`);
      ids.add(id);
    }
    for (const child of element.toArray()) {
      if (child instanceof Y.XmlElement) walk(child, name);
      else if (child instanceof Y.XmlText) {
        if (!INLINE_PARENTS.has(name)) problems.push(`text in <${name}>`);
        for (const op of child.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
          if (typeof op.insert !== 'string') problems.push('embed in text');
          for (const [key, value] of Object.entries(op.attributes ?? {})) {
            const mark = key.replace(/--[a-zA-Z0-9+/=]{8}$/, '');
            if (!['strong', 'em', 'link', 'code'].includes(mark)) problems.push(`mark ${key}`);
            if (mark === 'link' && !(typeof value === 'object' && value !== null && isSafeHref(String((value as { href?: unknown }).href)))) problems.push('bad link');
          }
        }
        if (Object.keys(child.getAttributes()).length) problems.push('attributes on text');
      } else problems.push(`a ${child.constructor.name} in <${name}>`);
    }
  };
  for (const child of doc.getXmlFragment(CONTENT_FIELD).toArray()) {
    if (child instanceof Y.XmlElement) walk(child, 'top');
    else problems.push('text at the top level');
  }
  return problems;
}

// ---------------------------------------------------------------------------

describe('real editing through y-prosemirror is accepted', () => {
  it('typing, marks, splits, lists, a new section, deleting a paragraph and cutting/pasting a section', () => {
    const server = serverDoc();
    const editor = new Editor('a', server);
    const { nodes, marks } = schema;
    const firstParagraph = (s: EditorState) => textblocks(s.doc, 'paragraph')[0]!;
    const steps: [string, ((s: EditorState) => Transaction | null) | 'undo' | 'redo'][] = [
      ['typing', (s) => s.tr.insertText('Hello, ', firstParagraph(s).pos + 1)],
      ['bold', (s) => s.tr.addMark(firstParagraph(s).pos + 1, firstParagraph(s).pos + 6, marks.strong!.create())],
      ['emphasis overlapping bold', (s) => s.tr.addMark(firstParagraph(s).pos + 3, firstParagraph(s).pos + 12, marks.em!.create())],
      ['link', (s) => s.tr.addMark(firstParagraph(s).pos + 8, firstParagraph(s).pos + 20, marks.link!.create({ href: 'https://example.org/', title: 'Example' }))],
      ['unbold', (s) => s.tr.removeMark(firstParagraph(s).pos + 1, firstParagraph(s).pos + 4, marks.strong)],
      ['splitting a paragraph', (s) => s.tr.split(firstParagraph(s).pos + 10)],
      ['a hard break', (s) => s.tr.insert(firstParagraph(s).pos + 3, nodes.hard_break!.create())],
      ['an image', (s) => s.tr.insert(firstParagraph(s).pos + 4, nodes.image!.create({ src: 'figures/net.png', alt: 'Network', title: null }))],
      ['inline code', (s) => s.tr.addMark(firstParagraph(s).pos + 1, firstParagraph(s).pos + 3, marks.code!.create())],
      ['adding a list', (s) => s.tr.insert(firstParagraph(s).pos + firstParagraph(s).node.nodeSize, nodes.ordered_list!.create({ order: 3, tight: false }, [item('one'), item('two')]))],
      ['a sub-heading level', (s) => s.tr.setNodeMarkup(sectionChildren(s.doc).find((c) => c.node.type === nodes.heading && c.index > 0)!.pos, undefined, { level: 4 })],
      ['adding a section', (s) => applyEdit(s, { kind: 'addSection', a: 2 }, () => 'brand-new')],
      ['deleting a paragraph', (s) => applyEdit(s, { kind: 'deleteParagraph', a: 5 }, () => '')],
      ['cut/paste of a section (same id)', (s) => applyEdit(s, { kind: 'moveSection', a: 0, b: 4 }, () => '')],
      ['cut/paste of the last section to the top', (s) => applyEdit(s, { kind: 'moveSection', a: s.doc.childCount - 1, b: 0 }, () => '')],
      ['deleting text across marks', (s) => s.tr.delete(firstParagraph(s).pos + 2, firstParagraph(s).pos + 9)],
      ['undo (the deleted text comes back)', 'undo'],
      ['undo again (the last section moves back)', 'undo'],
      ['redo', 'redo'],
    ];
    for (const [name, step] of steps) {
      const update = typeof step === 'string' ? editor.history(step) : editor.change(step);
      expect(update, name).not.toBeNull();
      const events = Y.mergeUpdates(editor.takeOutbox());
      expect(checkEditorUpdate(server, update!), name).toEqual({ ok: true });
      expect(checkEditorUpdate(server, events), `${name} (as the update event gives it)`).toEqual({ ok: true });
      Y.applyUpdate(server, update!);
    }
    expect(liveNode(server).eq(editor.state.doc)).toBe(true);
    expect(sectionIds(server)).toContain('brand-new');
    expect(new Set(sectionIds(server)).size).toBe(sectionIds(server).length);
    expect(structureProblems(server)).toEqual([]);
  });

  it('a table inserted, typed into, a row added and one deleted with prosemirror-tables’ commands', () => {
    const server = serverDoc();
    const editor = new Editor('t', server);
    const { nodes } = schema;
    const cell = (type: 'table_header' | 'table_cell', text: string) => nodes[type]!.create(null, nodes.paragraph!.create(null, text ? schema.text(text) : undefined));
    const table = nodes.table!.create(null, [
      nodes.table_row!.create(null, [cell('table_header', 'Term'), cell('table_header', 'Meaning')]),
      nodes.table_row!.create(null, [cell('table_cell', ''), cell('table_cell', '')]),
    ]);
    const cellStart = (s: EditorState, n: number) => textblocks(s.doc).filter((t) => s.doc.resolve(t.pos).parent.type.spec.tableRole)[n]!.pos + 1;
    const inCell = (s: EditorState, n: number) => s.apply(s.tr.setSelection(TextSelection.create(s.doc, cellStart(s, n))));
    const run = (command: (state: EditorState, dispatch: (tr: Transaction) => void) => boolean) => (s: EditorState) => {
      let out: Transaction | null = null;
      expect(command(s, (tr) => (out = tr))).toBe(true);
      return out;
    };
    const steps: [string, (s: EditorState) => Transaction | null][] = [
      ['inserting a table', (s) => s.tr.insert(textblocks(s.doc, 'paragraph')[0]!.pos + textblocks(s.doc, 'paragraph')[0]!.node.nodeSize, table)],
      ['typing in a cell', (s) => s.tr.insertText('data', cellStart(s, 2))],
      ['typing in another cell', (s) => s.tr.insertText('personal data', cellStart(s, 3))],
      ['a row added below', (s) => run(addRowAfter)(inCell(s, 2))],
      ['typing in the new row', (s) => s.tr.insertText('device', cellStart(s, 4))],
      ['a row deleted', (s) => run(deleteRow)(inCell(s, 2))],
      ['a column added', (s) => run(addColumnAfter)(inCell(s, 0))],
    ];
    for (const [name, step] of steps) {
      const update = editor.change(step);
      expect(update, name).not.toBeNull();
      expect(checkEditorUpdate(server, update!), name).toEqual({ ok: true });
      Y.applyUpdate(server, update!);
    }
    expect(liveNode(server).eq(editor.state.doc)).toBe(true);
    const json = JSON.stringify(liveNode(server).toJSON());
    expect(json).toContain('"table_header"');
    expect(json).toContain('"text":"device"');
    expect(json).not.toContain('"text":"personal data"');
  });

  it('random sequences of edits are always accepted and the server converges with the editor', () => {
    fc.assert(
      fc.property(fc.array(anyEdit, { minLength: 1, maxLength: 10 }), (edits) => {
        const server = serverDoc();
        const editor = new Editor('a', server);
        for (const edit of edits) {
          const update = perform(editor, edit);
          const events = editor.takeOutbox();
          if (update === null) continue;
          expect(checkEditorUpdate(server, update), edit.kind).toEqual({ ok: true });
          expect(checkEditorUpdate(server, Y.mergeUpdates(events)), edit.kind).toEqual({ ok: true });
          Y.applyUpdate(server, update);
        }
        expect(server.getXmlFragment(CONTENT_FIELD).toJSON()).toBe(editor.fragment.toJSON());
        expect(liveNode(server).eq(editor.state.doc)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('two editors editing concurrently: every update is accepted when it reaches the server, and all three converge', () => {
    type Step = { who: 0 | 1; edit: Edit | null };
    const edit = fc.oneof({ arbitrary: textEdit, weight: 5 }, { arbitrary: fc.constantFrom({ kind: 'undo' as const }, { kind: 'redo' as const }), weight: 1 });
    const step: fc.Arbitrary<Step> = fc.record({ who: fc.constantFrom(0 as const, 1 as const), edit: fc.option(edit, { freq: 3 }) });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 16 }), (steps) => {
        const server = serverDoc();
        const editors = [new Editor('a', server), new Editor('b', server)] as const;
        /** The server receives an editor's queued updates, gates, applies, and relays them to the other. */
        const deliver = (who: 0 | 1): void => {
          for (const update of editors[who].takeOutbox()) {
            expect(checkEditorUpdate(server, update)).toEqual({ ok: true });
            Y.applyUpdate(server, update);
            editors[1 - who]!.receive(update);
          }
        };
        for (const { who, edit } of steps) {
          const editor = editors[who];
          if (edit === null) deliver(who);
          else perform(editor, edit);
        }
        for (let round = 0; round < 4; round++) {
          deliver(0);
          deliver(1);
        }
        expect(editors[0].outbox).toEqual([]);
        expect(editors[1].outbox).toEqual([]);
        const json = server.getXmlFragment(CONTENT_FIELD).toJSON();
        expect(editors[0].fragment.toJSON()).toBe(json);
        expect(editors[1].fragment.toJSON()).toBe(json);
        expect(structureProblems(server)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it('one editor moves sections while another edits inside them and adds one: both accepted, all converge', () => {
    const server = serverDoc();
    const a = new Editor('a', server);
    const b = new Editor('b', server);
    perform(a, { kind: 'moveSection', a: 0, b: 6 });
    perform(a, { kind: 'moveSection', a: 2, b: 0 });
    perform(b, { kind: 'type', a: 1, b: 4, text: 'meanwhile ' });
    perform(b, { kind: 'list', a: 2, b: 1, ordered: true });
    perform(b, { kind: 'addSection', a: 1 });
    for (const [from, to] of [
      [a, b],
      [b, a],
    ] as const) {
      for (const update of from.takeOutbox()) {
        accept(server, update);
        to.receive(update);
      }
    }
    expect(a.fragment.toJSON()).toBe(server.getXmlFragment(CONTENT_FIELD).toJSON());
    expect(b.fragment.toJSON()).toBe(server.getXmlFragment(CONTENT_FIELD).toJSON());
    expect(structureProblems(server)).toEqual([]);
  });

  it('an edit into a paragraph another editor deleted meanwhile is accepted (Yjs discards it)', () => {
    const server = serverDoc();
    const a = new Editor('a', server);
    const b = new Editor('b', server);
    accept(server, a.change((s) => applyEdit(s, { kind: 'deleteParagraph', a: 3 }, () => ''))!);
    const deleted = sectionChildren(b.state.doc).filter((c) => c.node.type === schema.nodes.paragraph)[3]!;
    accept(server, b.change((s) => s.tr.insertText('late words', deleted.pos + 5))!);
    expect(liveNode(server).textContent).not.toContain('late words');
    expect(structureProblems(server)).toEqual([]);
  });

  it('raw Yjs: a section deleted and reinserted with the same id, ids swapped, attributes removed, an empty update', () => {
    const server = serverDoc();
    const client = clientOf(server);
    const content = client.getXmlFragment(CONTENT_FIELD);
    const section = (i: number) => content.get(i) as Y.XmlElement;
    accept(
      server,
      craft(client, () => {
        const id = section(1).getAttribute('id') as string;
        content.delete(1, 1);
        const again = new Y.XmlElement('section');
        again.setAttribute('id', id);
        again.insert(0, [new Y.XmlElement('heading')]);
        content.insert(3, [again]);
      }),
    );
    accept(
      server,
      craft(client, () => {
        const [x, y] = [section(0).getAttribute('id') as string, section(1).getAttribute('id') as string];
        section(0).setAttribute('id', y);
        section(1).setAttribute('id', x);
      }),
    );
    accept(server, craft(client, () => (section(2).get(0) as Y.XmlElement).removeAttribute('level')));
    accept(server, craft(client, () => undefined));
    accept(server, Y.encodeStateAsUpdate(client, Y.encodeStateVector(server)));
    expect(sectionIds(server)).toEqual(sectionIds(client));
    expect(new Set(sectionIds(server)).size).toBe(sectionIds(server).length);
  });

  it('an update overlapping what the server already has is checked on its new part only', () => {
    const server = serverDoc();
    const client = clientOf(server);
    const text = () => ((client.getXmlFragment(CONTENT_FIELD).get(0) as Y.XmlElement).get(1) as Y.XmlElement).get(0) as Y.XmlText;
    const first = craft(client, () => text().insert(0, 'ab'));
    const second = craft(client, () => text().insert(2, 'cd'));
    accept(server, first);
    accept(server, Y.mergeUpdates([first, second]));
    expect(server.getXmlFragment(CONTENT_FIELD).toJSON()).toBe(client.getXmlFragment(CONTENT_FIELD).toJSON());
  });
});

describe('updates the schema cannot hold are refused, and the server doc is untouched', () => {
  const server = serverDoc();
  const content = (d: Y.Doc) => d.getXmlFragment(CONTENT_FIELD);
  const section = (d: Y.Doc, i = 1) => content(d).get(i) as Y.XmlElement;
  const paragraph = (d: Y.Doc) => section(d).get(1) as Y.XmlElement;
  const text = (d: Y.Doc) => paragraph(d).get(0) as Y.XmlText;
  const newSection = (id: unknown): Y.XmlElement => {
    const s = new Y.XmlElement('section');
    if (id !== undefined) setAttr(s, 'id', id);
    s.insert(0, [new Y.XmlElement('heading')]);
    return s;
  };
  const asChild = (value: unknown) => value as Y.XmlElement;

  const cases: [string, (d: Y.Doc) => void, RegExp][] = [
    // 1. other roots, map entries on the content fragment
    ['a write to another root type', (d) => d.getText('other').insert(0, 'x'), /"other"/],
    ['a write to the server’s own map', (d) => d.getMap('accord').set('amendmentsRevision', 99), /"accord"/],
    ['a map entry on the content fragment', (d) => d.getMap(CONTENT_FIELD).set('x', 1), /map entry "x"/],
    // 2. top level
    ['a Y.XmlText at the top level', (d) => content(d).insert(0, [new Y.XmlText('x')]), /text inside the top level/],
    ['a paragraph at the top level', (d) => content(d).insert(1, [new Y.XmlElement('paragraph')]), /<paragraph> inside the top level/],
    ['a hook at the top level', (d) => content(d).insert(1, [asChild(new Y.XmlHook('h'))]), /Y.XmlHook inside the top level/],
    // 3. section ids
    ['a section without an id', (d) => content(d).insert(1, [newSection(undefined)]), /without an id/],
    ['a section with an existing id', (d) => content(d).insert(1, [newSection('privacy')]), /"privacy" is already taken/],
    ['two new sections with the same id', (d) => content(d).insert(1, [newSection('twin'), newSection('twin')]), /"twin" is already taken/],
    ['a section with an invalid id', (d) => content(d).insert(1, [newSection('Not Valid!')]), /attribute "id" of <section>/],
    ['a section with a numeric id', (d) => content(d).insert(1, [newSection(7)]), /attribute "id" of <section>/],
    ['renaming a section to another one’s id', (d) => section(d, 2).setAttribute('id', 'privacy'), /"privacy" is already taken/],
    ['renaming a section to an invalid id', (d) => section(d, 2).setAttribute('id', ''), /attribute "id" of <section>/],
    // 4. node names and nesting
    ['an unknown element', (d) => section(d).insert(1, [new Y.XmlElement('script')]), /<script> is not a node type/],
    ['a <doc> element', (d) => section(d).insert(1, [new Y.XmlElement('doc')]), /<doc> is not a node type/],
    ['a <text> element', (d) => paragraph(d).insert(0, [new Y.XmlElement('text')]), /<text> is not a node type/],
    ['a section inside a section', (d) => section(d).insert(1, [newSection('nested')]), /<section> inside <section>/],
    ['a paragraph inside a paragraph', (d) => paragraph(d).insert(0, [new Y.XmlElement('paragraph')]), /<paragraph> inside <paragraph>/],
    ['a list item outside a list', (d) => section(d).insert(1, [new Y.XmlElement('list_item')]), /<list_item> inside <section>/],
    ['a hard break outside inline content', (d) => section(d).insert(1, [new Y.XmlElement('hard_break')]), /<hard_break> inside <section>/],
    ['text directly in a section', (d) => section(d).insert(1, [new Y.XmlText('loose')]), /text inside <section>/],
    ['text directly in a list', (d) => section(d).insert(1, [(() => { const l = new Y.XmlElement('bullet_list'); l.insert(0, [new Y.XmlText('x')]); return l; })()]), /text inside <bullet_list>/],
    ['a hook in a section', (d) => section(d).insert(1, [asChild(new Y.XmlHook('h'))]), /Y.XmlHook inside <section>/],
    // 5. plain values as children
    ['a plain value at the top level', (d) => content(d).insert(0, [asChild('x')]), /a plain value inside the top level/],
    ['a plain value in a section', (d) => section(d).insert(1, [asChild({ a: 1 })]), /a plain value inside <section>/],
    // 6. inside text
    ['an embed in text', (d) => text(d).insertEmbed(0, { image: 'x' }), /an embed inside text/],
    ['a type in text', (d) => text(d).insertEmbed(0, new Y.XmlElement('paragraph')), /<paragraph> inside text/],
    ['an unknown mark', (d) => text(d).format(0, 3, { script: {} }), /"script", which is not a mark/],
    ['an unknown hashed mark', (d) => text(d).format(0, 3, { 'script--abcd1234': {} }), /"script", which is not a mark/],
    ['a ychange mark', (d) => text(d).format(0, 3, { ychange: { type: 'added' } }), /"ychange", which is not a mark/],
    ['a javascript: link', (d) => text(d).format(0, 3, { link: { href: 'javascript:alert(1)', title: null } }), /unsafe address/],
    ['a link without href', (d) => text(d).format(0, 3, { link: {} }), /lacks its attribute "href"/],
    ['a link set to true', (d) => text(d).format(0, 3, { link: true }), /invalid attributes for mark "link"/],
    ['a link with a numeric title', (d) => text(d).format(0, 3, { link: { href: 'https://x.org', title: 5 } }), /attribute "title" of mark "link"/],
    ['a mark with a stray attribute', (d) => text(d).format(0, 3, { strong: { onclick: 'x' } }), /attribute "onclick" of mark "strong"/],
    ['a mark with a number as value', (d) => text(d).format(0, 3, { em: 5 }), /invalid attributes for mark "em"/],
    ['inserted text with an unsafe link', (d) => text(d).insert(0, 'click', { link: { href: 'data:text/html,x' } }), /unsafe address/],
    // 7. element attributes
    ['a heading level out of range', (d) => setAttr(section(d).get(0) as Y.XmlElement, 'level', 9), /attribute "level" of <heading>/],
    ['a heading level as a string', (d) => (section(d).get(0) as Y.XmlElement).setAttribute('level', '2'), /attribute "level" of <heading>/],
    ['an attribute the node does not have', (d) => paragraph(d).setAttribute('onclick', 'x'), /<paragraph> has no attribute "onclick"/],
    ['a negative list order', (d) => section(d).insert(1, [(() => { const l = new Y.XmlElement('ordered_list'); setAttr(l, 'order', -1); return l; })()]), /attribute "order" of <ordered_list>/],
    ['a non-boolean tight', (d) => section(d).insert(1, [(() => { const l = new Y.XmlElement('bullet_list'); l.setAttribute('tight', 'yes'); return l; })()]), /attribute "tight" of <bullet_list>/],
    ['a type as an attribute value', (d) => setAttr(paragraph(d), 'level', new Y.XmlText('x')), /has no attribute "level"/],
    ['a type as the heading level', (d) => setAttr(section(d).get(0) as Y.XmlElement, 'level', new Y.Map()), /attribute "level" of <heading>/],
    ['an attribute on a text run', (d) => text(d).setAttribute('style', 'x'), /attribute "style" on a text run/],
    ['an image from a javascript: address', (d) => paragraph(d).insert(0, [(() => { const i = new Y.XmlElement('image'); i.setAttribute('src', 'javascript:alert(1)'); return i; })()]), /attribute "src" of <image>/],
    // 8. tables: rows only in tables, cells only in rows, text only in a cell's paragraph, no merged cells
    ['a table row outside a table', (d) => section(d).insert(1, [new Y.XmlElement('table_row')]), /<table_row> inside <section>/],
    ['a table cell outside a row', (d) => section(d).insert(1, [(() => { const t = new Y.XmlElement('table'); t.insert(0, [new Y.XmlElement('table_cell')]); return t; })()]), /<table_cell> inside <table>/],
    ['a paragraph directly in a row', (d) => section(d).insert(1, [(() => { const t = new Y.XmlElement('table'); const r = new Y.XmlElement('table_row'); r.insert(0, [new Y.XmlElement('paragraph')]); t.insert(0, [r]); return t; })()]), /<paragraph> inside <table_row>/],
    ['text directly in a cell', (d) => section(d).insert(1, [(() => { const t = new Y.XmlElement('table'); const r = new Y.XmlElement('table_row'); const c = new Y.XmlElement('table_cell'); c.insert(0, [new Y.XmlText('x')]); r.insert(0, [c]); t.insert(0, [r]); return t; })()]), /text inside <table_cell>/],
    ['a table inside a cell', (d) => section(d).insert(1, [(() => { const t = new Y.XmlElement('table'); const r = new Y.XmlElement('table_row'); const c = new Y.XmlElement('table_header'); c.insert(0, [new Y.XmlElement('table')]); r.insert(0, [c]); t.insert(0, [r]); return t; })()]), /<table> inside <table_header>/],
    ['a merged cell (colspan 2)', (d) => section(d).insert(1, [(() => { const t = new Y.XmlElement('table'); const r = new Y.XmlElement('table_row'); const c = new Y.XmlElement('table_cell'); setAttr(c, 'colspan', 2); r.insert(0, [c]); t.insert(0, [r]); return t; })()]), /attribute "colspan" of <table_cell>/],
    ['a column width that is not a list of widths', (d) => section(d).insert(1, [(() => { const t = new Y.XmlElement('table'); const r = new Y.XmlElement('table_row'); const c = new Y.XmlElement('table_cell'); setAttr(c, 'colwidth', 'wide'); r.insert(0, [c]); t.insert(0, [r]); return t; })()]), /attribute "colwidth" of <table_cell>/],
    ['an image from a data: address', (d) => paragraph(d).insert(0, [(() => { const i = new Y.XmlElement('image'); i.setAttribute('src', 'data:image/png;base64,AAAA'); return i; })()]), /attribute "src" of <image>/],
  ];

  for (const [name, change, reason] of cases) {
    it(name, () => {
      const client = clientOf(server);
      expectRefused(server, craft(client, change), reason);
    });
  }

  it('an allowed hashed mark key passes (overlapping marks are written that way)', () => {
    const client = clientOf(server);
    const update = craft(client, (d) => text(d).format(0, 3, { 'strong--abcd1234': {}, em: true }));
    expect(checkEditorUpdate(server, update)).toEqual({ ok: true });
  });

  it('writes inside structure that is already invalid are refused; deleting it is allowed', () => {
    const bricked = serverDoc();
    // Stored before the gate existed: a <script> with text, and text at the top level.
    bricked.transact(() => {
      const script = new Y.XmlElement('script');
      script.insert(0, [new Y.XmlText('alert')]);
      section(bricked).insert(1, [script]);
      content(bricked).insert(0, [new Y.XmlText('stray')]);
    });
    const client = clientOf(bricked);
    expectRefused(bricked, craft(client, (d) => ((section(d, 2).get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'more')), /writes inside invalid structure: <script> is not a node type/);
    const again = clientOf(bricked);
    expectRefused(bricked, craft(again, (d) => (content(d).get(0) as Y.XmlText).insert(0, 'more')), /writes inside invalid structure: text inside the top level/);
    const cleaner = clientOf(bricked);
    accept(
      bricked,
      craft(cleaner, (d) => {
        content(d).delete(0, 1);
        section(d).delete(1, 1);
      }),
    );
    expect(structureProblems(bricked)).toEqual([]);
  });

  it('an update with a gap (the first of two updates skipped)', () => {
    const client = clientOf(server);
    craft(client, (d) => text(d).insert(0, 'first '));
    // Elsewhere, so that nothing in it refers to the skipped change: only the gap in the clocks tells.
    const elsewhere = craft(client, (d) => ((section(d, 3).get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'second '));
    expectRefused(server, elsewhere, /depends on changes the server does not have/);
    const after = craft(client, (d) => text(d).insert(6, 'third '));
    expectRefused(server, after, /depends on changes the server does not have/);
  });

  it('a reference to an item the server does not have', () => {
    const other = clientOf(server);
    const unseen = craft(other, (d) => text(d).insert(0, 'unseen '));
    const client = clientOf(server);
    Y.applyUpdate(client, unseen);
    expectRefused(server, craft(client, (d) => text(d).insert(3, 'x')), /depends on changes the server does not have/);
    // A deletion of it is refused too: Yjs would keep it pending, to apply later behind the gate.
    const deleter = clientOf(server);
    Y.applyUpdate(deleter, unseen);
    expectRefused(server, craft(deleter, (d) => text(d).delete(0, 3)), /deletes changes the server does not have/);
  });

  it('a mixed update is refused whole', () => {
    const client = clientOf(server);
    const update = craft(client, (d) => {
      text(d).insert(0, 'fine ');
      section(d).insert(1, [new Y.XmlElement('script')]);
    });
    expectRefused(server, update, /<script>/);
  });

  it('undecodable bytes throw (the caller treats that as a malformed frame)', () => {
    const client = clientOf(server);
    const update = craft(client, (d) => text(d).insert(0, 'x'));
    expect(() => checkEditorUpdate(server, update.slice(0, update.length - 4))).toThrow();
  });
});

describe('hand-encoded updates: references resolved the way Yjs resolves them', () => {
  /** Encodes items as an update v1 (one block per client, an empty delete set). */
  function encodeItems(groups: { client: number; items: Y.Item[] }[]): Uint8Array {
    const encoder = new Y.UpdateEncoderV1();
    encoding.writeVarUint(encoder.restEncoder, groups.length);
    for (const { client, items } of groups) {
      encoding.writeVarUint(encoder.restEncoder, items.length);
      encoder.writeClient(client);
      encoding.writeVarUint(encoder.restEncoder, items[0]!.id.clock);
      for (const item of items) item.write(encoder, 0);
    }
    encoding.writeVarUint(encoder.restEncoder, 0);
    return encoder.toUint8Array();
  }
  const char = (client: number, clock: number, origin: Y.ID | null, parent: Y.ID | null = null): Y.Item =>
    new Y.Item(Y.createID(client, clock), null, origin, null, null, parent, null, new Y.ContentString('x'));
  /** The id of the first character of the first paragraph of the first section. */
  const firstChar = (doc: Y.Doc): Y.ID => (((doc.getXmlFragment(CONTENT_FIELD).get(0) as Y.XmlElement).get(1) as Y.XmlElement).get(0) as Y.XmlText)._start!.id;

  it('a chain across two clients in one update, each after the other’s character, is accepted and lands in the text', () => {
    const server = serverDoc();
    const update = encodeItems([
      { client: 7001, items: [char(7001, 0, firstChar(server))] },
      { client: 7002, items: [char(7002, 0, Y.createID(7001, 0))] },
    ]);
    accept(server, update);
    expect(liveNode(server).child(0).child(1).textContent.slice(0, 3)).toBe('Txx');
    expect(structureProblems(server)).toEqual([]);
  });

  it('references in a circle are refused', () => {
    const server = serverDoc();
    const update = encodeItems([
      { client: 7001, items: [char(7001, 0, Y.createID(7002, 0))] },
      { client: 7002, items: [char(7002, 0, Y.createID(7001, 0))] },
    ]);
    expectRefused(server, update, /in a circle/);
  });

  it('a reference to a later change of the same client is refused', () => {
    const server = serverDoc();
    const update = encodeItems([{ client: 7001, items: [char(7001, 0, Y.createID(7001, 1)), char(7001, 1, firstChar(server))] }]);
    expectRefused(server, update, /later change of its own client/);
  });

  it('a character whose parent is a character, not a type, is refused', () => {
    const server = serverDoc();
    expectRefused(server, encodeItems([{ client: 7001, items: [char(7001, 0, null, firstChar(server))] }]), /not a type/);
  });

  it('an item whose parent is an element of the same update is checked against that element', () => {
    const server = serverDoc();
    const fresh = (clock: number, origin: Y.ID | null, parent: Y.ID | null, type: Y.XmlElement | Y.XmlText): Y.Item =>
      new Y.Item(Y.createID(7001, clock), null, origin, null, null, parent, null, new Y.ContentType(type));
    const section = server.getXmlFragment(CONTENT_FIELD).get(0)._item!.id;
    // <blockquote> (clock 0) as a child of the first section, then text (clock 1) straight inside it.
    const update = encodeItems([{ client: 7001, items: [fresh(0, null, section, new Y.XmlElement('blockquote')), fresh(1, null, Y.createID(7001, 0), new Y.XmlText())] }]);
    expectRefused(server, update, /text inside <blockquote>/);
  });
});

describe('random raw Yjs writes are refused or leave a structure the schema can hold', () => {
  const NAMES = ['section', 'paragraph', 'heading', 'blockquote', 'bullet_list', 'ordered_list', 'list_item', 'hard_break', 'script', 'doc', 'text'];
  const ATTR_KEYS = ['id', 'level', 'order', 'tight', 'onclick'];
  const VALUES: unknown[] = ['privacy', 'fresh-one', 'fresh-two', 'Bad Id', 3, 9, -1, 0, true, 'x'];
  const PLAUSIBLE: Record<string, unknown[]> = { id: ['renamed-1', 'renamed-2', 'privacy', 'Bad Id'], level: [2, 3, 4, 9], order: [1, 5, -1], tight: [true, false, 'yes'] };
  const FORMAT_KEYS = ['strong', 'em', 'link', 'script', 'strong--abcd1234', 'ychange'];
  const FORMAT_VALUES: unknown[] = [{}, null, true, { href: 'https://x.org', title: null }, { href: 'javascript:x' }, 5];

  type Op =
    | { kind: 'element'; target: number; index: number; name: number; id: number }
    | { kind: 'text'; target: number; index: number }
    | { kind: 'type'; target: number; index: number }
    | { kind: 'format'; target: number; index: number; key: number; value: number }
    | { kind: 'attribute'; target: number; key: number; value: number }
    | { kind: 'delete'; target: number; index: number }
    | { kind: 'foreign' };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('element' as const), target: n, index: n, name: n, id: n }),
    fc.record({ kind: fc.constant('text' as const), target: n, index: n }),
    fc.record({ kind: fc.constant('type' as const), target: n, index: n }),
    fc.record({ kind: fc.constant('format' as const), target: n, index: n, key: n, value: n }),
    fc.record({ kind: fc.constant('attribute' as const), target: n, key: n, value: n }),
    fc.record({ kind: fc.constant('delete' as const), target: n, index: n }),
    fc.constant({ kind: 'foreign' as const }),
  );

  function containers(doc: Y.Doc): (Y.XmlFragment | Y.XmlElement)[] {
    const out: (Y.XmlFragment | Y.XmlElement)[] = [doc.getXmlFragment(CONTENT_FIELD)];
    for (const element of doc.getXmlFragment(CONTENT_FIELD).createTreeWalker((t) => t instanceof Y.XmlElement)) out.push(element as Y.XmlElement);
    return out;
  }
  function texts(doc: Y.Doc): Y.XmlText[] {
    return [...doc.getXmlFragment(CONTENT_FIELD).createTreeWalker((t) => t instanceof Y.XmlText)] as Y.XmlText[];
  }

  function run(doc: Y.Doc, o: Op): void {
    const at = <T>(list: T[], k: number): T => list[k % list.length]!;
    switch (o.kind) {
      case 'element': {
        // Half the time a name the target can hold, so that accepted writes are common too.
        const target = at(containers(doc), o.target);
        const fits = target instanceof Y.XmlElement ? (ALLOWED_CHILDREN[target.nodeName] ?? []) : ['section'];
        const element = new Y.XmlElement(o.name % 2 === 0 && fits.length ? at(fits, o.name >> 1) : at(NAMES, o.name >> 1));
        if (element.nodeName === 'section' ? o.id % 5 !== 0 : o.id % 7 === 0) setAttr(element, 'id', o.id % 2 === 0 ? `fresh-${o.id}` : at(VALUES, o.id));
        target.insert(o.index % (target.length + 1), [element]);
        return;
      }
      case 'text': {
        const target = at(containers(doc), o.target);
        target.insert(o.index % (target.length + 1), [new Y.XmlText('words')]);
        return;
      }
      case 'type': {
        const list = texts(doc);
        if (list.length) at(list, o.target).insert(o.index % (at(list, o.target).length + 1), 'typed');
        return;
      }
      case 'format': {
        const list = texts(doc);
        const t = list.length ? at(list, o.target) : null;
        if (t && t.length > 0) t.format(o.index % t.length, 2, { [at(FORMAT_KEYS, o.key)]: at(FORMAT_VALUES, o.value) });
        return;
      }
      case 'attribute': {
        // Half the time an attribute the element has, with a plausible value.
        const elements = containers(doc).slice(1) as Y.XmlElement[];
        const withAttrs = elements.filter((e) => e.nodeName in ATTRS);
        if (o.key % 2 === 0 && withAttrs.length) {
          const element = at(withAttrs, o.target);
          const key = at(Object.keys(ATTRS[element.nodeName]!), o.key >> 1);
          setAttr(element, key, at(PLAUSIBLE[key] ?? VALUES, o.value));
        } else {
          setAttr(at(elements, o.target), at(ATTR_KEYS, o.key >> 1), at(VALUES, o.value));
        }
        return;
      }
      case 'delete': {
        const target = at(containers(doc), o.target);
        if (target.length > 1) target.delete(o.index % target.length, 1);
        return;
      }
      case 'foreign':
        doc.getMap('accord').set('amendmentsRevision', 1);
        return;
    }
  }

  it('for any sequence of raw writes', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 8 }), (ops) => {
        const server = serverDoc();
        let client = clientOf(server);
        for (const o of ops) {
          const update = craft(client, (d) => run(d, o));
          const before = Y.encodeStateVector(server);
          if (checkEditorUpdate(server, update).ok) {
            Y.applyUpdate(server, update);
            expect(structureProblems(server), o.kind).toEqual([]);
          } else {
            expect(sameBytes(Y.encodeStateVector(server), before)).toBe(true);
            client = clientOf(server); // the refused change stays with this client only
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('performance', () => {
  it('checking a one-character insert against the GPP paper takes well under a millisecond', () => {
    const server = serverDoc();
    const client = clientOf(server);
    const middle = client.getXmlFragment(CONTENT_FIELD).get(3) as Y.XmlElement;
    const update = craft(client, () => ((middle.get(2) as Y.XmlElement).get(0) as Y.XmlText).insert(5, 'x'));
    expect(checkEditorUpdate(server, update)).toEqual({ ok: true });
    for (let i = 0; i < 200; i++) checkEditorUpdate(server, update);
    const runs = 1000;
    const start = performance.now();
    for (let i = 0; i < runs; i++) checkEditorUpdate(server, update);
    const perCheck = (performance.now() - start) / runs;
    // A new section pasted with twenty paragraphs, for scale.
    const paste = craft(clientOf(server), (d) => {
      const s = new Y.XmlElement('section');
      s.setAttribute('id', 'pasted');
      const heading = new Y.XmlElement('heading');
      setAttr(heading, 'level', 2);
      heading.insert(0, [new Y.XmlText('Pasted')]);
      const paragraphs = Array.from({ length: 20 }, (_, i) => {
        const p = new Y.XmlElement('paragraph');
        const t = new Y.XmlText();
        t.applyDelta([
          { insert: `Paragraph ${i} with ` },
          { insert: 'bold', attributes: { strong: {} } },
          { insert: ' and a ' },
          { insert: 'link', attributes: { link: { href: 'https://example.org', title: null } } },
        ]);
        p.insert(0, [t]);
        return p;
      });
      s.insert(0, [heading, ...paragraphs]);
      d.getXmlFragment(CONTENT_FIELD).insert(4, [s]);
    });
    expect(checkEditorUpdate(server, paste)).toEqual({ ok: true });
    const pasteStart = performance.now();
    for (let i = 0; i < 200; i++) checkEditorUpdate(server, paste);
    const perPaste = (performance.now() - pasteStart) / 200;
    console.log(`gate: ${(perCheck * 1000).toFixed(1)} µs per one-character insert, ${(perPaste * 1000).toFixed(1)} µs per pasted 20-paragraph section (GPP paper, ${GPP_STATE.length} bytes of state)`);
    expect(perCheck).toBeLessThan(2);
  });
});
