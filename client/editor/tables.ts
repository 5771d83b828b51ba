// Tables in the editor: prosemirror-tables' cell editing (cell selections,
// fixing tables that concurrent edits left ragged) and its Tab / Shift-Tab
// between cells, plus the commands the toolbar offers: insert a table, add a
// row below, delete a row. Tables are GFM tables (core/schema.ts): a header
// row, one paragraph per cell, no merged cells, so nothing here merges.
import { keymap } from 'prosemirror-keymap';
import { Fragment, type Node as PMNode } from 'prosemirror-model';
import { TextSelection, type Command, type EditorState, type Plugin } from 'prosemirror-state';
import { addRowAfter, deleteRow, goToNextCell, isInTable, selectedRect, tableEditing } from 'prosemirror-tables';
import { schema } from '../../core/schema';
import { inSectionHeading } from './commands';

const { table, table_row: tableRow, table_header: tableHeader, table_cell: tableCell, paragraph } = schema.nodes;

/** Columns of a new table. */
const COLUMNS = 3;
/** Body rows of a new table (under its header row). */
const BODY_ROWS = 2;

function cell(type: typeof tableCell, text = ''): PMNode {
  return type.create(null, paragraph.create(null, text ? schema.text(text) : undefined));
}

/**
 * A header row (named "Column 1", "Column 2", …, so no header is ever blank
 * for a screen reader) and empty body rows.
 */
export function newTable(columns = COLUMNS, rows = BODY_ROWS): PMNode {
  const header = tableRow.create(null, Array.from({ length: columns }, (_, i) => cell(tableHeader, `Column ${i + 1}`)));
  const body = Array.from({ length: rows }, () => tableRow.create(null, Array.from({ length: columns }, () => cell(tableCell))));
  return table.create(null, [header, ...body]);
}

/**
 * Insert a table after the paragraph the caret is in (in its place when the
 * paragraph is empty), with an empty paragraph after it when nothing follows
 * (so the text can go on below), and put the caret in its first body cell.
 * Not in a section's heading, and not inside another table.
 */
export const insertTable: Command = (state, dispatch) => {
  const { $from } = state.selection;
  if (inSectionHeading($from) || isInTable(state) || !$from.parent.isTextblock) return false;
  const depth = $from.depth - 1;
  const parent = $from.node(depth);
  const index = $from.index(depth);
  const replace = $from.parent.type === paragraph && $from.parent.content.size === 0;
  const from = replace ? $from.before() : $from.after();
  const to = replace ? $from.after() : from;
  const last = index === parent.childCount - 1;
  const content = last ? [newTable(), paragraph.create()] : [newTable()];
  if (!parent.canReplace(replace ? index : index + 1, replace ? index + 1 : index + 1, Fragment.from(content))) return false;
  if (dispatch) {
    const tr = state.tr.replaceWith(from, to, content);
    // Into the first body cell: past the table's start and its header row, then into row, cell and paragraph.
    const firstBodyCell = from + 1 + tr.doc.nodeAt(from)!.firstChild!.nodeSize + 3;
    dispatch(tr.setSelection(TextSelection.create(tr.doc, firstBodyCell)).scrollIntoView());
  }
  return true;
};

/**
 * Add a row below the selected row(s) and put the caret in its first cell.
 * The new row is a body row even under the header row (prosemirror-tables
 * would copy the header cells: GFM has one header row).
 */
export const addRowBelow: Command = (state, dispatch) => {
  if (!isInTable(state)) return false;
  if (!dispatch) return addRowAfter(state);
  const rect = selectedRect(state);
  return addRowAfter(state, (tr) => {
    const tableNode = tr.doc.nodeAt(rect.tableStart - 1)!;
    let rowPos = rect.tableStart;
    for (let i = 0; i < rect.bottom; i++) rowPos += tableNode.child(i).nodeSize;
    tr.doc.nodeAt(rowPos)!.forEach((cellNode, offset) => {
      if (cellNode.type === tableHeader) tr.setNodeMarkup(rowPos + 1 + offset, tableCell, cellNode.attrs);
    });
    // Into the new row, its first cell and that cell's paragraph.
    dispatch(tr.setSelection(TextSelection.create(tr.doc, rowPos + 3)).scrollIntoView());
  });
};

/** Delete the caret's row; the last row of a table is kept (delete the table's text instead). */
export const deleteTableRow: Command = (state: EditorState, dispatch) => {
  if (!isInTable(state)) return false;
  const $cell = state.selection.$from;
  for (let d = $cell.depth; d > 0; d--) {
    if ($cell.node(d).type === table) {
      if ($cell.node(d).childCount <= 1) return false;
      break;
    }
  }
  return deleteRow(state, dispatch);
};

/** Cell editing and Tab / Shift-Tab between cells; goes before the list keymap, whose Tab would indent. */
export function tablePlugins(): Plugin[] {
  return [tableEditing({ allowTableNodeSelection: false }), keymap({ Tab: goToNextCell(1), 'Shift-Tab': goToNextCell(-1) })];
}
