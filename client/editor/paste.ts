// Whatever is pasted or dropped passes through the schema (ProseMirror's
// clipboard parser); this plugin then drops links with unsafe targets and
// unwraps pasted sections, so a paste can never smuggle in a second copy of a
// section id or a script URL.
import { Plugin, PluginKey } from 'prosemirror-state';
import { Fragment, Slice, type Node as PMNode } from 'prosemirror-model';
import { isSafeHref, schema, SECTION_HEADING_LEVEL } from '../../core/schema';

export const pasteSafetyKey = new PluginKey('paste-safety');

function withSafeMarks(fragment: Fragment): Fragment {
  const nodes: PMNode[] = [];
  fragment.forEach((node) => {
    if (node.isText) {
      nodes.push(node.mark(node.marks.filter((mark) => mark.type !== schema.marks.link || isSafeHref(String(mark.attrs.href ?? '')))));
    } else {
      nodes.push(node.copy(withSafeMarks(node.content)));
    }
  });
  return Fragment.fromArray(nodes);
}

/** Replace each section by its blocks; its heading becomes an ordinary subheading. */
function unwrapSections(fragment: Fragment): Fragment {
  const blocks: PMNode[] = [];
  fragment.forEach((section) => {
    section.content.forEach((block) => {
      if (block.type === schema.nodes.heading && (block.attrs.level as number) <= SECTION_HEADING_LEVEL) {
        blocks.push(schema.nodes.heading.create({ ...block.attrs, level: SECTION_HEADING_LEVEL + 1 }, block.content, block.marks));
      } else {
        blocks.push(block);
      }
    });
  });
  return Fragment.fromArray(blocks);
}

export function sanitizeSlice(slice: Slice): Slice {
  let { content, openStart, openEnd } = slice;
  // Slices are flat at the top: if one top node is a section, all are.
  if (content.firstChild?.type === schema.nodes.section) {
    content = unwrapSections(content);
    openStart = Math.max(0, openStart - 1);
    openEnd = Math.max(0, openEnd - 1);
  }
  return new Slice(withSafeMarks(content), openStart, openEnd);
}

export function pasteSafety(): Plugin {
  return new Plugin({
    key: pasteSafetyKey,
    props: {
      transformPasted: (slice) => sanitizeSlice(slice),
    },
  });
}
