// Sections are the stable skeleton of a document: their ids anchor amendments,
// redlines and links. This plugin refuses local edits that would delete, add,
// reorder or re-id a section, or turn a section heading into anything else.
// Changes arriving from Yjs (remote peers, undo) are never filtered here.
import { Plugin, PluginKey, type Transaction } from 'prosemirror-state';
import type { Node as PMNode } from 'prosemirror-model';
import { ySyncPluginKey } from 'y-prosemirror';
import { schema } from '../../core/schema';

export const sectionGuardKey = new PluginKey('section-guard');

/** True when `after` has the same sections, ids and section-heading levels as `before`. */
export function sectionsIntact(before: PMNode, after: PMNode): boolean {
  if (before.childCount !== after.childCount) return false;
  for (let i = 0; i < after.childCount; i++) {
    const was = before.child(i);
    const now = after.child(i);
    if (now.type !== schema.nodes.section || now.attrs.id !== was.attrs.id) return false;
    const wasHeading = was.firstChild;
    const heading = now.firstChild;
    if (!heading || heading.type !== schema.nodes.heading) return false;
    if (wasHeading && heading.attrs.level !== wasHeading.attrs.level) return false;
  }
  return true;
}

export function isRemoteOrSyncTransaction(tr: Transaction): boolean {
  return tr.getMeta(ySyncPluginKey) !== undefined;
}

export function sectionGuard(): Plugin {
  return new Plugin({
    key: sectionGuardKey,
    filterTransaction(tr, state) {
      if (!tr.docChanged || isRemoteOrSyncTransaction(tr)) return true;
      return sectionsIntact(state.doc, tr.doc);
    },
  });
}
