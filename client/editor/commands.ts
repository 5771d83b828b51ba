// Editing commands for Accord's schema: marks, lists, subheadings, links and
// the section-aware Enter. Each is a plain ProseMirror Command, so keymaps,
// toolbar and tests share one implementation.
import { type Command, type EditorState, TextSelection } from 'prosemirror-state';
import { type MarkType, type NodeType, type ResolvedPos } from 'prosemirror-model';
import { setBlockType, toggleMark } from 'prosemirror-commands';
import { liftListItem, wrapInList } from 'prosemirror-schema-list';
import { isSafeHref, schema, SECTION_HEADING_LEVEL } from '../../core/schema';

const { paragraph, heading, bullet_list: bulletList, ordered_list: orderedList, list_item: listItem } = schema.nodes;

export const toggleStrong: Command = toggleMark(schema.marks.strong);
export const toggleEm: Command = toggleMark(schema.marks.em);

export function markActive(state: EditorState, type: MarkType): boolean {
  const { from, $from, to, empty } = state.selection;
  if (empty) return !!type.isInSet(state.storedMarks ?? $from.marks());
  return state.doc.rangeHasMark(from, to, type);
}

/** Is the position inside the heading that opens its section? */
export function inSectionHeading($pos: ResolvedPos): boolean {
  return $pos.depth === 2 && $pos.parent.type === heading && $pos.index(1) === 0;
}

/** The innermost list around the selection, if any. */
function enclosingList(state: EditorState): { type: NodeType; pos: number } | null {
  const { $from } = state.selection;
  for (let depth = $from.depth; depth > 0; depth--) {
    const node = $from.node(depth);
    if (node.type === bulletList || node.type === orderedList) return { type: node.type, pos: $from.before(depth) };
  }
  return null;
}

export function listActive(state: EditorState, type: NodeType): boolean {
  return enclosingList(state)?.type === type;
}

/** Wrap in a list of `type`; inside one already, lift out of it or switch its kind. */
export function toggleList(type: NodeType): Command {
  return (state, dispatch) => {
    if (inSectionHeading(state.selection.$from)) return false;
    const list = enclosingList(state);
    if (!list) return wrapInList(type)(state, dispatch);
    if (list.type === type) return liftListItem(listItem)(state, dispatch);
    if (dispatch) dispatch(state.tr.setNodeMarkup(list.pos, type).scrollIntoView());
    return true;
  };
}

/** Toggle the current block between a paragraph and a level-3 subheading. */
export const toggleSubheading: Command = (state, dispatch) => {
  const { $from } = state.selection;
  if (inSectionHeading($from)) return false;
  if ($from.parent.type === heading) return setBlockType(paragraph)(state, dispatch);
  return setBlockType(heading, { level: SECTION_HEADING_LEVEL + 1 })(state, dispatch);
};

export function subheadingActive(state: EditorState): boolean {
  const { $from } = state.selection;
  return $from.parent.type === heading && !inSectionHeading($from);
}

/**
 * Enter inside a section's heading: the text after the cursor moves to a new
 * paragraph instead of becoming a second level-2 heading.
 */
export const splitSectionHeading: Command = (state, dispatch) => {
  const { $from, empty } = state.selection;
  if (!inSectionHeading($from)) return false;
  if (empty && $from.parentOffset === 0 && $from.parent.content.size > 0) {
    // Enter before a heading's first letter opens a line above it, as in a word processor: at the end of
    // the section before (a heading is a section's first line), or below it in the first section. The
    // heading keeps its words; it never becomes an empty "untitled" heading over its own text.
    if (dispatch) {
      const sectionStart = $from.before(1);
      const at = sectionStart > 0 ? sectionStart - 1 : $from.after(2);
      const tr = state.tr.insert(at, paragraph.create());
      tr.setSelection(TextSelection.create(tr.doc, at + 1)).scrollIntoView();
      dispatch(tr);
    }
    return true;
  }
  if (dispatch) {
    const tr = state.tr.deleteSelection();
    const pos = tr.selection.from;
    tr.split(pos, 1, [{ type: paragraph }]);
    tr.setSelection(TextSelection.create(tr.doc, pos + 2)).scrollIntoView();
    dispatch(tr);
  }
  return true;
};

/** Normalise what the user typed as a link target; null when it is not a safe one. */
export function normalizeHref(input: string): string | null {
  const href = input.trim();
  if (!href) return null;
  if (isSafeHref(href)) return href;
  // "example.org/page" and "www.example.org": assume the web.
  if (/^[\w.-]+\.[a-z]{2,}(?:[/?#]\S*)?$/i.test(href)) return `https://${href}`;
  if (/^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i.test(href)) return `mailto:${href}`;
  return null;
}

export function linkActive(state: EditorState): boolean {
  return markActive(state, schema.marks.link);
}

/** The extent of the link around the cursor (for editing or removing it). */
function linkRange(state: EditorState): { from: number; to: number } | null {
  const { $from, empty, from, to } = state.selection;
  if (!empty) return state.doc.rangeHasMark(from, to, schema.marks.link) ? { from, to } : null;
  const parent = $from.parent;
  const start = $from.start();
  let range: { from: number; to: number } | null = null;
  parent.forEach((child, offset) => {
    const childFrom = start + offset;
    const childTo = childFrom + child.nodeSize;
    if (schema.marks.link.isInSet(child.marks) && childFrom <= $from.pos && $from.pos <= childTo) {
      range = range && range.to === childFrom ? { from: range.from, to: childTo } : range ?? { from: childFrom, to: childTo };
    }
  });
  return range;
}

export const removeLink: Command = (state, dispatch) => {
  const range = linkRange(state);
  if (!range) return false;
  if (dispatch) dispatch(state.tr.removeMark(range.from, range.to, schema.marks.link));
  return true;
};

/** Apply a link to the selection. Refuses unsafe targets. */
export function setLink(rawHref: string): Command {
  return (state, dispatch) => {
    const href = normalizeHref(rawHref);
    // An empty selection inside a link edits that whole link.
    const range = state.selection.empty ? linkRange(state) : { from: state.selection.from, to: state.selection.to };
    if (!href || !range) return false;
    const { from, to } = range;
    if (dispatch) {
      const tr = state.tr.removeMark(from, to, schema.marks.link).addMark(from, to, schema.marks.link.create({ href }));
      dispatch(tr.scrollIntoView());
    }
    return true;
  };
}

/** Whether the link button can act: a selection to link, or a link to remove. */
export const canToggleLink: Command = (state) => !state.selection.empty || linkActive(state);

/** The href of the link at the selection, for pre-filling the link dialog. */
export function currentHref(state: EditorState): string {
  const range = linkRange(state);
  if (!range) return '';
  let href = '';
  state.doc.nodesBetween(range.from, range.to, (node) => {
    const mark = schema.marks.link.isInSet(node.marks);
    if (mark && !href) href = String(mark.attrs.href);
  });
  return href;
}
