// Where the sections of the live text are on the screen: their elements,
// found through the editor's own mapping of nodes to DOM, so the outline and
// the page never look sections up by element id.
import type { EditorView } from 'prosemirror-view';

export interface SectionElement {
  id: string;
  element: HTMLElement;
}

/** Every section of the text, in order, with its element (none before the editor exists). */
export function sectionElements(view: EditorView | null): SectionElement[] {
  const out: SectionElement[] = [];
  view?.state.doc.forEach((node, offset) => {
    const element = view.nodeDOM(offset);
    if (node.type.name === 'section' && element instanceof HTMLElement) out.push({ id: node.attrs.id as string, element });
  });
  return out;
}
