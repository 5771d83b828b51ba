// "Show authors": colours the live text by who wrote it, by person or by
// stakeholder group, with a title on each stretch naming who and since when.
// Computed here from the Yjs items under each textblock (every item carries
// its client id) and the server's map of client ids to accounts
// (GET /api/documents/:id/attribution/clients, which the server can stand
// behind: nobody writes under another account's client id). Decorations only:
// never a change to the text.
import { Plugin, PluginKey, type EditorState, type Transaction } from 'prosemirror-state';
import { Decoration, DecorationSet, type EditorView } from 'prosemirror-view';
import type { Node as PMNode } from 'prosemirror-model';
import { ySyncPluginKey } from 'y-prosemirror';
import * as Y from 'yjs';
import type { AttributionAuthor } from '../../core/attribution';
import { formatDate, t } from '../i18n';

export type AuthorMode = 'person' | 'group';

export interface ClientAuthor {
  author: AttributionAuthor;
  at: string;
  note?: string;
}

export interface AuthorsState {
  enabled: boolean;
  mode: AuthorMode;
  clients: ReadonlyMap<number, ClientAuthor>;
  decorations: DecorationSet;
  /** Client ids met in the text that the map does not name yet (new writers): the panel refetches the map. */
  unknown: ReadonlySet<number>;
}

export type AuthorsPatch = Partial<Pick<AuthorsState, 'enabled' | 'mode' | 'clients'>>;

export const authorsKey = new PluginKey<AuthorsState>('authors');

/** Light backgrounds that keep dark text readable (WCAG AA with the text colour). */
export const AUTHOR_COLOURS = ['#ffe0b2', '#c8e6c9', '#bbdefb', '#f8bbd0', '#e1bee7', '#fff59d', '#b2ebf2', '#d7ccc8', '#dcedc8', '#ffccbc', '#c5cae9', '#f0f4c3'];

export const GROUP_COLOURS: Record<string, string> = {
  government: '#bbdefb',
  'private-sector': '#ffe0b2',
  'civil-society': '#c8e6c9',
  'technical-community': '#e1bee7',
  academia: '#fff59d',
  intergovernmental: '#f8bbd0',
};

/** A person's preferred colour (an index into AUTHOR_COLOURS): stable for their account id. */
function preferredColour(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return h % AUTHOR_COLOURS.length;
}

/**
 * The colour of each person shown together: their preferred colour, unless
 * someone before them in account-id order has it, then the next free one.
 * Two people share a colour only beyond AUTHOR_COLOURS.length people; a
 * person keeps their own colour unless someone before them has taken it.
 */
export function personColours(ids: Iterable<string>): Map<string, string> {
  const taken = new Set<number>();
  const colours = new Map<string, string>();
  for (const id of [...new Set(ids)].sort()) {
    let slot = preferredColour(id);
    if (taken.size < AUTHOR_COLOURS.length) while (taken.has(slot)) slot = (slot + 1) % AUTHOR_COLOURS.length;
    taken.add(slot);
    colours.set(id, AUTHOR_COLOURS[slot]!);
  }
  return colours;
}

/** The colours of the people behind `clients` and of this browser's own account (`self`), as the text and the legend show them. */
export function coloursOfClients(clients: ReadonlyMap<number, ClientAuthor>, self: string): Map<string, string> {
  return personColours([self, ...[...clients.values()].map((c) => c.author.id)]);
}

export function colourOf(author: AttributionAuthor, mode: AuthorMode, people: ReadonlyMap<string, string>): string {
  if (mode === 'group') return GROUP_COLOURS[author.stakeholderGroup] ?? '#eeeeee';
  return people.get(author.id) ?? AUTHOR_COLOURS[preferredColour(author.id)]!;
}

/** Tells the plugin what to show; `null` view: nothing to do yet. */
export function setAuthors(view: EditorView | null, patch: AuthorsPatch): void {
  if (view) view.dispatch(view.state.tr.setMeta(authorsKey, patch));
}

const RECOMPUTE_MS = 150;

/** `self`: the account this browser writes as, for its own text not yet in the server's map. */
export function authorsPlugin(ydoc: Y.Doc, self: ClientAuthor): Plugin<AuthorsState> {
  return new Plugin<AuthorsState>({
    key: authorsKey,
    state: {
      init: () => ({ enabled: false, mode: 'person', clients: new Map(), decorations: DecorationSet.empty, unknown: new Set() }),
      apply(tr: Transaction, value: AuthorsState, _old: EditorState, state: EditorState): AuthorsState {
        const patch = tr.getMeta(authorsKey) as (AuthorsPatch & { recompute?: true }) | undefined;
        if (!patch) return tr.docChanged && value.enabled ? { ...value, decorations: value.decorations.map(tr.mapping, tr.doc) } : value;
        const next = { ...value, ...patch };
        if (!next.enabled) return { ...next, decorations: DecorationSet.empty, unknown: new Set() };
        const clients = new Map(next.clients);
        if (!clients.has(ydoc.clientID)) clients.set(ydoc.clientID, self);
        const { decorations, unknown } = authorDecorations(state, clients, next.mode, self.author.id);
        return { ...next, decorations, unknown };
      },
    },
    props: {
      decorations: (state) => authorsKey.getState(state)?.decorations,
    },
    view() {
      // Decorations follow each change at once (mapped); new text is coloured once y-prosemirror has bound it to its Yjs items.
      let timer: ReturnType<typeof setTimeout> | null = null;
      return {
        update(view, previous) {
          const now = authorsKey.getState(view.state);
          if (!now?.enabled || view.state.doc.eq(previous.doc) || timer !== null) return;
          timer = setTimeout(() => {
            timer = null;
            if (!view.isDestroyed && authorsKey.getState(view.state)?.enabled) view.dispatch(view.state.tr.setMeta(authorsKey, { recompute: true }));
          }, RECOMPUTE_MS);
        },
        destroy() {
          if (timer !== null) clearTimeout(timer);
        },
      };
    },
  });
}

/** Inline decorations over every stretch of text whose client's author is known. */
export function authorDecorations(state: EditorState, clients: ReadonlyMap<number, ClientAuthor>, mode: AuthorMode, self: string): { decorations: DecorationSet; unknown: Set<number> } {
  const binding = (ySyncPluginKey.getState(state) as { binding?: { mapping: Map<Y.AbstractType<unknown>, PMNode | PMNode[]> } } | undefined)?.binding;
  const unknown = new Set<number>();
  if (!binding) return { decorations: DecorationSet.empty, unknown };
  const typeOf = new Map<PMNode, Y.AbstractType<unknown>>();
  for (const [type, node] of binding.mapping) if (!Array.isArray(node)) typeOf.set(node, type);
  const decorations: Decoration[] = [];
  const people = coloursOfClients(clients, self);
  state.doc.descendants((node, pos) => {
    if (!node.isTextblock) return true;
    const type = typeOf.get(node);
    if (type instanceof Y.XmlElement) decorateBlock(type, pos + 1, pos + node.nodeSize - 1, { clients, mode, people }, decorations, unknown);
    return false;
  });
  return { decorations: DecorationSet.create(state.doc, decorations), unknown };
}

/** How the text is coloured: who wrote with each client id, by person or by group, and each person's colour. */
interface Colouring {
  clients: ReadonlyMap<number, ClientAuthor>;
  mode: AuthorMode;
  people: ReadonlyMap<string, string>;
}

function decorateBlock(element: Y.XmlElement, start: number, end: number, { clients, mode, people }: Colouring, out: Decoration[], unknown: Set<number>): void {
  let offset = start;
  let run: { from: number; to: number; client: number } | null = null;
  const flush = (): void => {
    if (!run) return;
    const who = clients.get(run.client);
    if (who) {
      const a = who.author;
      const values = { name: a.name, organization: a.organization, time: formatDate(who.at) };
      const title = who.note ? t('authors.hoverNote', { ...values, note: who.note }) : t('authors.hover', values);
      out.push(Decoration.inline(run.from, Math.min(run.to, end), { class: 'authored', style: `background-color: ${colourOf(a, mode, people)}`, title, 'data-author': a.id, 'data-group': a.stakeholderGroup }));
    } else unknown.add(run.client);
    run = null;
  };
  for (const child of element.toArray()) {
    if (child instanceof Y.XmlText) {
      for (let item = child._start; item !== null; item = item.right) {
        if (item.deleted || !item.countable) continue;
        const len = item.length;
        if (item.content instanceof Y.ContentString) {
          if (run && run.client === item.id.client && run.to === offset) run.to += len;
          else {
            flush();
            run = { from: offset, to: offset + len, client: item.id.client };
          }
        }
        offset += len;
      }
    } else {
      flush();
      offset += 1; // an inline node (image, hard break) takes one position
    }
  }
  flush();
}
