// Amendments inline, as a redline at their anchors: the words an open
// proposal removes are struck through and the words it adds appear beside
// them, coloured by status; an outdated one is flagged over what its quote now
// reads; an accepted one marks the text it brought in. Decorations only: the
// document is never touched.
//
// Positions come from the anchors (Yjs relative positions), resolved through
// y-prosemirror's mapping of Y types to ProseMirror nodes. They are resolved
// again when the list changes or a remote change arrives (y-prosemirror
// rebuilds the whole document then); local typing just maps them.
import type { Node as PMNode } from 'prosemirror-model';
import { Plugin, PluginKey, type EditorState, type Transaction } from 'prosemirror-state';
import { Decoration, DecorationSet, type EditorView } from 'prosemirror-view';
import { relativePositionToAbsolutePosition, ySyncPluginKey } from 'y-prosemirror';
import * as Y from 'yjs';
import { readAnchor } from '../../core/amendment-anchors';
import { redlineParts } from '../../core/amendment-text';
import { anchorOf } from '../amendments/live-status';
import type { Amendment } from '../api';
import type { AmendmentFeed } from '../amendments/feed';
import { t } from '../i18n';
import { statusLabel } from '../amendments/status';

export const amendmentDecorationsKey = new PluginKey<DecorationState>('amendment-decorations');

interface DecorationState {
  amendments: readonly Amendment[];
  decorations: DecorationSet;
}

/** Statuses shown inline; rejected and withdrawn proposals only live in the panel. */
const INLINE: ReadonlySet<string> = new Set(['open', 'outdated', 'accepted']);


/** What y-prosemirror's sync plugin keeps in its state (the parts used here). */
export interface SyncState {
  doc: Y.Doc;
  type: Y.XmlFragment;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  binding: { mapping: Map<Y.AbstractType<any>, PMNode | PMNode[]> } | null;
}

/** An amendment's place in the editor: ProseMirror positions of its anchored text, and what it reads. */
export interface ResolvedAmendment {
  amendment: Amendment;
  from: number;
  to: number;
  current: string;
}

/** Resolves every anchor of `amendments` against the editor state (the cost the bench measures). */
export function resolveAmendments(state: EditorState, amendments: readonly Amendment[], shown: (a: Amendment) => boolean = () => true): ResolvedAmendment[] {
  const sync = ySyncPluginKey.getState(state) as SyncState | undefined;
  if (!sync?.binding) return [];
  const out: ResolvedAmendment[] = [];
  const size = state.doc.content.size;
  for (const amendment of amendments) {
    if (!shown(amendment)) continue;
    const anchor = anchorOf(amendment);
    const reading = readAnchor(sync.doc, anchor);
    if (!reading.present) continue;
    const from = relativePositionToAbsolutePosition(sync.doc, sync.type, anchor.start, sync.binding.mapping);
    const to = relativePositionToAbsolutePosition(sync.doc, sync.type, anchor.end, sync.binding.mapping);
    if (from === null || to === null || from > to || to > size) continue;
    out.push({ amendment, from, to, current: reading.current });
  }
  return out;
}

function insertion(a: Amendment, text: string): HTMLElement {
  const element = document.createElement('ins');
  element.className = `amendment-ins amendment-${a.status}`;
  element.dataset.amendmentId = a.id;
  element.textContent = text;
  element.title = t('inline.adds', { number: a.number, status: statusLabel(a.status), name: a.proposer.name, organization: a.proposer.organization, text });
  element.contentEditable = 'false';
  return element;
}

function decorationsFor(state: EditorState, amendments: readonly Amendment[]): DecorationSet {
  const decorations: Decoration[] = [];
  for (const { amendment: listed, from, to, current } of resolveAmendments(state, amendments, (a) => INLINE.has(a.status))) {
    // The text may have moved on since the list was fetched: an open quote that reads differently now is outdated.
    const a: Amendment = listed.status === 'open' && current !== listed.quote ? { ...listed, status: 'outdated' } : listed;
    const who = { number: a.number, name: a.proposer.name, organization: a.proposer.organization };
    const attrs = { class: `amendment-inline amendment-${a.status}`, 'data-amendment-id': a.id, 'data-status': a.status };
    if (a.status === 'open' && current === a.quote) {
      const parts = redlineParts(a.quote, a.proposed);
      const cut = from + parts.before.length;
      const cutEnd = cut + parts.removed.length;
      if (from < to) decorations.push(Decoration.inline(from, to, { ...attrs, title: t('inline.open', { ...who, justification: a.justification }) }, { amendmentId: a.id }));
      if (cut < cutEnd) decorations.push(Decoration.inline(cut, cutEnd, { class: 'amendment-del', 'data-amendment-id': a.id }));
      if (parts.inserted) decorations.push(Decoration.widget(cutEnd, () => insertion(a, parts.inserted), { side: -1, key: `ins-${a.id}-${a.status}-${parts.inserted}`, marks: [] }));
    } else if (a.status === 'outdated') {
      if (from < to) decorations.push(Decoration.inline(from, to, { ...attrs, title: t('inline.outdated', { ...who, quote: a.quote, current }) }, { amendmentId: a.id }));
      else decorations.push(Decoration.widget(from, () => insertion(a, a.proposed || '⌫'), { side: -1, key: `out-${a.id}`, marks: [] }));
    } else if (a.status === 'accepted' && from < to) {
      decorations.push(Decoration.inline(from, to, { ...attrs, title: t('inline.accepted', who) }, { amendmentId: a.id }));
    }
  }
  return DecorationSet.create(state.doc, decorations);
}

/** Scrolls the amendment's marked text to the middle of the screen; false when the text shows no mark for it. */
export function scrollToAmendment(view: EditorView, amendmentId: string): boolean {
  const set = amendmentDecorationsKey.getState(view.state)?.decorations;
  const [mark] = set?.find(undefined, undefined, (spec: { amendmentId?: string }) => spec.amendmentId === amendmentId) ?? [];
  if (!mark) return false;
  const { node } = view.domAtPos(mark.from, 1);
  const element = node instanceof Element ? node : node.parentElement;
  element?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  return element !== null;
}

function isRemoteSync(tr: Transaction): boolean {
  const meta = tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined;
  return meta?.isChangeOrigin === true;
}

/** The inline redline of the amendments in `feed`. */
export function amendmentDecorations(feed: AmendmentFeed): Plugin<DecorationState> {
  return new Plugin<DecorationState>({
    key: amendmentDecorationsKey,
    state: {
      init: (_config, state) => ({ amendments: feed.list(), decorations: decorationsFor(state, feed.list()) }),
      apply(tr, previous, _old, state) {
        const list = tr.getMeta(amendmentDecorationsKey) as readonly Amendment[] | undefined;
        if (list) return { amendments: list, decorations: decorationsFor(state, list) };
        if (isRemoteSync(tr)) return { amendments: previous.amendments, decorations: decorationsFor(state, previous.amendments) };
        if (tr.docChanged) return { amendments: previous.amendments, decorations: previous.decorations.map(tr.mapping, tr.doc) };
        return previous;
      },
    },
    props: {
      decorations: (state) => amendmentDecorationsKey.getState(state)?.decorations,
    },
    view(view) {
      const push = (): void => view.dispatch(view.state.tr.setMeta(amendmentDecorationsKey, feed.list()).setMeta('addToHistory', false));
      const unsubscribe = feed.subscribe(push);
      // The binding's mapping is complete once the view exists: resolve now.
      queueMicrotask(() => {
        if (!view.isDestroyed) push();
      });
      return { destroy: unsubscribe };
    },
  });
}
