// Whatever is pasted or dropped passes through the schema (ProseMirror's
// clipboard parser); this plugin then drops links with unsafe targets and
// unwraps pasted sections, so a paste can never smuggle in a second copy of a
// section id or a script URL.
import { Plugin, PluginKey } from 'prosemirror-state';
import { Fragment, Slice, type Node as PMNode } from 'prosemirror-model';
import { isSafeHref, schema, SECTION_HEADING_LEVEL } from '../../core/schema';

export const pasteSafetyKey = new PluginKey('paste-safety');

/**
 * One pass over pasted content: links with unsafe targets lose their link
 * (the text stays), sections are replaced by their blocks, and a heading that
 * claims a section's level becomes an ordinary subheading. The clipboard
 * parser is loose, so sections may sit anywhere, even beside plain blocks.
 */
function cleanFragment(fragment: Fragment): Fragment {
  const nodes: PMNode[] = [];
  fragment.forEach((node) => {
    if (node.isText) {
      nodes.push(node.mark(node.marks.filter((mark) => mark.type !== schema.marks.link || isSafeHref(String(mark.attrs.href ?? '')))));
    } else if (node.type === schema.nodes.section) {
      cleanFragment(node.content).forEach((child) => nodes.push(child));
    } else if (node.type === schema.nodes.heading && (node.attrs.level as number) <= SECTION_HEADING_LEVEL) {
      nodes.push(schema.nodes.heading.create({ ...node.attrs, level: SECTION_HEADING_LEVEL + 1 }, cleanFragment(node.content), node.marks));
    } else {
      nodes.push(node.copy(cleanFragment(node.content)));
    }
  });
  return Fragment.fromArray(nodes);
}

export function sanitizeSlice(slice: Slice): Slice {
  const { content } = slice;
  // Unwrapping an open section at either edge lifts its content one level.
  const openStart = content.firstChild?.type === schema.nodes.section ? Math.max(0, slice.openStart - 1) : slice.openStart;
  const openEnd = content.lastChild?.type === schema.nodes.section ? Math.max(0, slice.openEnd - 1) : slice.openEnd;
  return new Slice(cleanFragment(content), openStart, openEnd);
}

export function pasteSafety(): Plugin {
  return new Plugin({
    key: pasteSafetyKey,
    props: {
      transformPasted: (slice) => sanitizeSlice(slice),
    },
  });
}
