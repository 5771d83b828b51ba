// Enter in a section heading (client/editor/commands.ts splitSectionHeading):
// before the first letter it opens a line above the heading, which keeps its
// words; elsewhere it splits the heading, the rest becoming the first paragraph.
import { describe, expect, it } from 'vitest';
import { EditorState, TextSelection, type Transaction } from 'prosemirror-state';
import { schema } from '../core/schema';
import { splitSectionHeading } from '../client/editor/commands';

const section = (id: string, heading: string, ...paragraphs: string[]) =>
  schema.nodes.section.create({ id }, [
    schema.nodes.heading.create({ level: 2 }, schema.text(heading)),
    ...paragraphs.map((p) => schema.nodes.paragraph.create(null, schema.text(p))),
  ]);

function enterAt(sectionIndex: number, offset: number): EditorState {
  const doc = schema.nodes.doc.create(null, [section('privacy', 'Privacy', 'Devices protect privacy.'), section('security', 'Security', 'Devices are secure.')]);
  let start = 0;
  for (let i = 0; i < sectionIndex; i++) start += doc.child(i).nodeSize;
  const state = EditorState.create({ doc, selection: TextSelection.create(doc, start + 2 + offset) });
  let next = state;
  expect(splitSectionHeading(state, (tr: Transaction) => (next = state.apply(tr)))).toBe(true);
  return next;
}

const outline = (state: EditorState) => state.doc.content.content.map((s) => s.content.content.map((b) => `${b.type.name}:${b.textContent}`));

describe('Enter in a section heading', () => {
  it('before the first letter of a later section\'s heading: an empty line at the end of the section before; the heading is untouched', () => {
    const after = enterAt(1, 0);
    expect(outline(after)).toEqual([
      ['heading:Privacy', 'paragraph:Devices protect privacy.', 'paragraph:'],
      ['heading:Security', 'paragraph:Devices are secure.'],
    ]);
    expect(after.selection.$from.parent.type.name).toBe('paragraph');
    expect(after.selection.$from.parent.textContent).toBe('');
    expect(after.selection.$from.index(0)).toBe(0);
  });

  it('before the first letter of the first heading: an empty line below it', () => {
    const after = enterAt(0, 0);
    expect(outline(after)[0]).toEqual(['heading:Privacy', 'paragraph:', 'paragraph:Devices protect privacy.']);
    expect(after.selection.$from.parent.type.name).toBe('paragraph');
  });

  it('inside the heading: the rest of its words open the section\'s first paragraph', () => {
    const after = enterAt(1, 3);
    expect(outline(after)[1]).toEqual(['heading:Sec', 'paragraph:urity', 'paragraph:Devices are secure.']);
  });
});
