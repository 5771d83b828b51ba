// The editor's table commands (client/editor/tables.ts) on plain ProseMirror
// states: where "Insert table" puts a table and the caret, that a row added
// below the header row is a body row, and that the last row is never deleted.
import { describe, expect, it } from 'vitest';
import { EditorState, TextSelection, type Command } from 'prosemirror-state';
import { parseMarkdown, serializeMarkdown } from '../core/markdown';
import { addRowBelow, deleteTableRow, insertTable } from '../client/editor/tables';

function stateOf(markdown: string): EditorState {
  return EditorState.create({ doc: parseMarkdown(markdown).doc });
}

/** The state with the caret at the start of the textblock whose text is `text` (the n-th such block). */
function caretIn(state: EditorState, text: string, n = 0): EditorState {
  const found: number[] = [];
  state.doc.descendants((node, pos) => {
    if (node.isTextblock && node.textContent === text) found.push(pos + 1);
    return !node.isTextblock;
  });
  return state.apply(state.tr.setSelection(TextSelection.create(state.doc, found[n]!)));
}

function run(command: Command, state: EditorState): EditorState {
  let next: EditorState | null = null;
  expect(command(state, (tr) => (next = state.apply(tr)))).toBe(true);
  return next!;
}

const md = (state: EditorState) => serializeMarkdown('T', state.doc);

describe('table commands', () => {
  it('"Insert table" puts a table with a named header row after the paragraph, the caret in its first body cell', () => {
    const state = run(insertTable, caretIn(stateOf('# T\n\n## A {#a}\n\nFirst.\n\nLast.\n'), 'First.'));
    expect(md(state)).toBe('# T\n\n## A {#a}\n\nFirst.\n\n| Column 1 | Column 2 | Column 3 |\n| --- | --- | --- |\n| | | |\n| | | |\n\nLast.\n');
    expect(state.selection.$from.parent.type.name).toBe('paragraph');
    expect(state.selection.$from.node(-1).type.name).toBe('table_cell');
    expect(state.selection.$from.index(-2)).toBe(0);
    expect(state.selection.$from.index(-3)).toBe(1);
  });

  it('takes the place of an empty paragraph, adds a paragraph after a table that ends its section, and is refused in a heading or a table', () => {
    const empty = stateOf('# T\n\n## A {#a}\n\nFirst.\n');
    const withEmpty = empty.apply(empty.tr.insert(empty.doc.content.size - 2, empty.schema.nodes.paragraph!.create()));
    const replaced = run(insertTable, caretIn(withEmpty, '', 0));
    const section = replaced.doc.firstChild!;
    expect(section.childCount).toBe(4);
    expect([section.child(1).type.name, section.child(2).type.name, section.child(3).type.name]).toEqual(['paragraph', 'table', 'paragraph']);
    expect(insertTable(caretIn(empty, 'A'))).toBe(false);
    expect(insertTable(replaced)).toBe(false);
  });

  it('a row added below the header row is a body row; the caret goes into it', () => {
    const inserted = run(insertTable, caretIn(stateOf('# T\n\n## A {#a}\n\nFirst.\n'), 'First.'));
    const below = run(addRowBelow, caretIn(inserted, 'Column 2'));
    const table = below.doc.firstChild!.child(2);
    expect(table.childCount).toBe(4);
    expect(table.child(1).firstChild!.type.name).toBe('table_cell');
    expect(below.selection.$from.index(-3)).toBe(1);
    expect(below.selection.$from.index(-2)).toBe(0);
  });

  it('deletes the caret’s row, never the last one', () => {
    const state = stateOf('# T\n\n## A {#a}\n\n| h |\n| - |\n| x |\n');
    const deleted = run(deleteTableRow, caretIn(state, 'x'));
    expect(deleted.doc.firstChild!.child(1).childCount).toBe(1);
    expect(deleteTableRow(caretIn(deleted, 'h'))).toBe(false);
    expect(deleteTableRow(caretIn(state, 'A'))).toBe(false);
  });
});
