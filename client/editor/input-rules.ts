// Markdown-like shortcuts while typing: "- " starts a bullet list, "1. " a
// numbered list, "> " a quotation and "### " a subheading.
import { inputRules, textblockTypeInputRule, wrappingInputRule } from 'prosemirror-inputrules';
import type { Plugin } from 'prosemirror-state';
import { schema } from '../../core/schema';

export function accordInputRules(): Plugin {
  const { bullet_list: bulletList, ordered_list: orderedList, blockquote, heading } = schema.nodes;
  return inputRules({
    rules: [
      wrappingInputRule(/^\s*([-+*])\s$/, bulletList),
      wrappingInputRule(
        /^(\d+)\.\s$/,
        orderedList,
        (match) => ({ order: Number(match[1]) }),
        (match, node) => node.childCount + (node.attrs.order as number) === Number(match[1]),
      ),
      wrappingInputRule(/^\s*>\s$/, blockquote),
      textblockTypeInputRule(/^(#{3,6})\s$/, heading, (match) => ({ level: match[1]!.length })),
    ],
  });
}
