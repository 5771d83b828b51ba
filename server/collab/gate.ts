// The schema gate: decides whether an editor's Yjs update may be applied to a
// document's live Y.Doc, before it touches it. An update is refused whole when
// it would give the shared text a shape the ProseMirror schema (core/schema.ts)
// cannot hold in y-prosemirror's representation (see its sync-plugin.js):
// every node a Y.XmlElement named after its node type, node attrs as element
// attributes, a run of text one Y.XmlText whose formatting attributes are the
// marks (`name` or `name--<8 char hash>`), all inside the Y.XmlFragment
// CONTENT_FIELD, whose children are sections with unique, valid ids.
//
// Why static: the gate runs on every keystroke, so it must cost in proportion
// to the update, not to the document. It never clones the doc or applies the
// update to a copy; the doc is only read. It decodes the update and, for every
// item the doc does not have yet, works out where Yjs will put it exactly as
// Item.getMissing does on integration: the parent is a root name, or the type
// held by the item the parent ID names, or (no parent given) inherited from
// the left neighbour (`origin`), else from the right one (`rightOrigin`).
// Referenced items are found in the doc's struct store (binary search) or in
// the update itself. The item is then checked against what the schema allows
// in that parent, walking up the (shallow) tree above it, memoised. Only when
// an update adds sections or writes a section id does the gate look at the
// document's top-level sections, to keep ids unique.
//
// Decisions:
// - Yjs drops an item whose neighbour or parent was garbage-collected (it
//   integrates it as a GC struct, content discarded): such items are accepted
//   without looking at their content; nothing of them reaches the text. This
//   is what a late edit into text another editor deleted looks like.
// - Tombstones (ContentDeleted) are accepted anywhere in the text, but not in
//   other root types.
// - An update that depends on changes the server does not have (a gap in a
//   client's clocks, a reference to an unknown item) is refused: Yjs would
//   keep it pending and integrate it later, behind the gate's back. For the
//   same reason, deletions are accepted only of changes the server has or the
//   update brings.
// - Section ids: every id a section may end up with counts, namely those the
//   update writes to it (unless the update deletes the write) and the one it
//   has (unless the update deletes that value, as a rename does). A rename
//   that loses to a concurrent one thus cannot leave a duplicate.
// - Mark values: null (end of a format), `true` for marks without required
//   attrs, or an object holding only the mark's attrs, with valid values.
import * as Y from 'yjs';
import type { NodeType } from 'prosemirror-model';
import { CONTENT_FIELD, SECTION_ID_PATTERN, isColumnWidths, isSafeHref, isSafeImageSrc, schema } from '../../core/schema';

export type GateVerdict = { ok: true } | { ok: false; reason: string };

/** Decides whether an editor's update (Yjs update v1 bytes) may be applied to `doc`. Never mutates `doc`. Throws on undecodable bytes. */
/** An update as Y.decodeUpdate gives it. */
export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

export function checkEditorUpdate(doc: Y.Doc, update: Uint8Array): GateVerdict {
  return checkDecodedUpdate(doc, Y.decodeUpdate(update));
}

/** The same check on an update already decoded (the room decodes each editor's update once for the gate and ownership). */
export function checkDecodedUpdate(doc: Y.Doc, { structs, ds }: DecodedUpdate): GateVerdict {
  try {
    new Gate(doc, ds).check(structs);
    return { ok: true };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, reason: error.message };
    throw error;
  }
}

// ---------------------------------------------------------------------------
// What the schema allows, read once.

type ValueCheck = (value: unknown) => boolean;

const isBoolean: ValueCheck = (v) => typeof v === 'boolean';
const integerIn =
  (min: number, max: number): ValueCheck =>
  (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** Every attr of every node type needs a check here; a schema change without one fails at load. */
const NODE_ATTR_CHECKS: Record<string, Record<string, ValueCheck>> = {
  section: { id: (v) => typeof v === 'string' && SECTION_ID_PATTERN.test(v) },
  heading: { level: integerIn(1, 6) },
  bullet_list: { tight: isBoolean },
  ordered_list: { order: integerIn(0, Number.MAX_SAFE_INTEGER), tight: isBoolean },
  // Spans are always 1 (GFM tables cannot merge cells); widths as prosemirror-tables writes them.
  table_cell: { colspan: integerIn(1, 1), rowspan: integerIn(1, 1), colwidth: isColumnWidths },
  table_header: { colspan: integerIn(1, 1), rowspan: integerIn(1, 1), colwidth: isColumnWidths },
  image: { src: (v) => typeof v === 'string' && isSafeImageSrc(v), alt: (v) => v === null || (typeof v === 'string' && v.length <= 4096), title: (v) => v === null || (typeof v === 'string' && v.length <= 4096) },
};

const MARK_ATTR_CHECKS: Record<string, Record<string, ValueCheck>> = {
  link: { href: (v) => typeof v === 'string' && isSafeHref(v), title: (v) => v === null || typeof v === 'string' },
};

interface NodeRule {
  type: NodeType;
  /** Element children it can ever hold (any position: order is the reader's business). */
  children: ReadonlySet<NodeType>;
  attrs: ReadonlyMap<string, ValueCheck>;
}

interface MarkRule {
  attrs: ReadonlyMap<string, ValueCheck>;
  required: readonly string[];
}

const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

function attrChecks(kind: string, typeName: string, specs: object | undefined, table: Record<string, Record<string, ValueCheck>>): Map<string, ValueCheck> {
  const checks = new Map<string, ValueCheck>();
  for (const attr of Object.keys(specs ?? {})) {
    const check = hasOwn(table, typeName) ? table[typeName]?.[attr] : undefined;
    if (!check) throw new Error(`gate: no check for attribute "${attr}" of ${kind} "${typeName}"`);
    checks.set(attr, check);
  }
  return checks;
}

/** The node types reachable anywhere in a content expression. */
function reachableTypes(type: NodeType): Set<NodeType> {
  const types = new Set<NodeType>();
  const seen = new Set([type.contentMatch]);
  const pending = [type.contentMatch];
  for (let match = pending.pop(); match !== undefined; match = pending.pop()) {
    for (let i = 0; i < match.edgeCount; i++) {
      const edge = match.edge(i);
      if (!edge.type.isText) types.add(edge.type);
      if (!seen.has(edge.next)) {
        seen.add(edge.next);
        pending.push(edge.next);
      }
    }
  }
  return types;
}

function nodeRule(type: NodeType): NodeRule {
  return { type, children: reachableTypes(type), attrs: attrChecks('node', type.name, type.spec.attrs, NODE_ATTR_CHECKS) };
}

/** The rule of the content fragment itself: the schema's top node. */
const TOP_RULE = nodeRule(schema.topNodeType);

/** Element rules by nodeName; the top node and text are no elements. */
const NODE_RULES = new Map<string, NodeRule>(
  Object.values(schema.nodes)
    .filter((type) => type !== schema.topNodeType && !type.isText)
    .map((type) => [type.name, nodeRule(type)]),
);

const MARK_RULES = new Map<string, MarkRule>(
  Object.values(schema.marks).map((type) => {
    const specs = type.spec.attrs ?? {};
    const required = Object.keys(specs).filter((attr) => !hasOwn(specs[attr] ?? {}, 'default'));
    return [type.name, { attrs: attrChecks('mark', type.name, specs, MARK_ATTR_CHECKS), required }];
  }),
);

/** Same as y-prosemirror's yattr2markname: `name--<8 chars>` names an overlapping mark. */
const HASHED_MARK_KEY = /(.*)(--[a-zA-Z0-9+/=]{8})$/;

// ---------------------------------------------------------------------------
// The gate proper.

class Refusal extends Error {}

function refuse(reason: string): never {
  throw new Refusal(reason);
}

const MISSING = 'depends on changes the server does not have';
const DELETES_MISSING = 'deletes changes the server does not have';

/** Guards the resolution recursion (possible only across clients) against crafted chains. */
const MAX_DEPTH = 1000;

type Struct = Y.Item | Y.GC | Y.Skip;
type YType = Y.AbstractType<unknown>;

/** Where Yjs will put an item (what Item.getMissing resolves). */
type Placement =
  | { kind: 'root'; name: string; sub: string | null }
  /** `owner` is the item whose content is `type`; `fresh` when it comes with the update. */
  | { kind: 'type'; type: YType; owner: Y.Item; fresh: boolean; sub: string | null }
  /** Yjs drops the item: a neighbour or its parent was garbage-collected. */
  | { kind: 'garbage' };

const GARBAGE: Placement = { kind: 'garbage' };

/** What the schema says about the inside of a type. */
type Context =
  /** The content fragment (`top`) or a Y.XmlElement of a known node type in a valid place. */
  | { kind: 'node'; rule: NodeRule; top: boolean }
  /** A Y.XmlText in a node with inline content. */
  | { kind: 'text' }
  /** Somewhere under another root type than the content fragment. */
  | { kind: 'foreign'; root: string }
  /** Inside structure the schema cannot hold. */
  | { kind: 'invalid'; what: string };

const TEXT: Context = { kind: 'text' };

interface Range {
  clock: number;
  end: number;
}

class Gate {
  private readonly store: Y.Doc['store'];
  /** The update's structs by client, in clock order. */
  private readonly updateStructs = new Map<number, Struct[]>();
  /** Per client, the clock up to which the server has changes once the update is applied. */
  private readonly covered = new Map<number, number>();
  private readonly placements = new Map<Y.Item, Placement>();
  private readonly contexts = new Map<Y.Item, Context>();
  private depth = 0;
  private deletions: Map<number, Range[]> | null = null;
  /** New top-level sections (not deleted by the update itself). */
  private readonly newSections: Y.Item[] = [];
  /** Section ids the update writes, by the item holding the section. */
  private readonly idClaims = new Map<Y.Item, string[]>();

  constructor(
    private readonly doc: Y.Doc,
    private readonly ds: ReturnType<typeof Y.decodeUpdate>['ds'],
  ) {
    this.store = doc.store;
  }

  check(structs: Struct[]): void {
    const fresh = this.index(structs);
    this.checkDeletions();
    for (const item of fresh) this.checkItem(item);
    this.checkSectionIds();
  }

  // -- The update's shape: no gaps, nothing pending.

  /** Indexes the update's structs and returns the items (or parts) the doc does not have yet. */
  private index(structs: Struct[]): Y.Item[] {
    const fresh: Y.Item[] = [];
    let client: number | null = null;
    let list: Struct[] = [];
    let covered = 0;
    for (const struct of structs) {
      if (struct.id.client !== client) {
        client = struct.id.client;
        if (this.updateStructs.has(client)) refuse('malformed update: a client appears twice');
        list = [];
        this.updateStructs.set(client, list);
        covered = Y.getState(this.store, client);
      }
      list.push(struct);
      if (struct instanceof Y.Skip) continue;
      if (struct.id.clock > covered) refuse(MISSING);
      const end = struct.id.clock + struct.length;
      if (struct instanceof Y.Item && end > Y.getState(this.store, client)) fresh.push(struct);
      covered = Math.max(covered, end);
      this.covered.set(client, covered);
    }
    return fresh;
  }

  private checkDeletions(): void {
    for (const [client, ranges] of this.ds.clients) {
      const limit = this.covered.get(client) ?? Y.getState(this.store, client);
      for (const range of ranges) {
        if (range.clock + range.len > limit) refuse(DELETES_MISSING);
      }
    }
  }

  // -- Resolving references the way Yjs will.

  /** The struct holding `id`, in the doc or else in the update; refuses what is in neither. */
  private lookup(id: Y.ID, from: Y.Item): { struct: Y.Item | Y.GC; inDoc: boolean } {
    if (id.clock < Y.getState(this.store, id.client)) {
      const structs = this.store.clients.get(id.client) ?? [];
      const struct = structs[Y.findIndexSS(structs, id.clock)];
      // Checked positively, so that a struct of an unexpected class is refused, never taken for garbage.
      if (!(struct instanceof Y.Item || struct instanceof Y.GC)) refuse(MISSING);
      return { struct, inDoc: true };
    }
    // Yjs takes a reference to the item's own client as already integrated.
    if (id.client === from.id.client && id.clock >= from.id.clock) refuse('malformed update: an item refers to a later change of its own client');
    const struct = this.findInUpdate(id);
    if (struct === undefined || struct instanceof Y.Skip) refuse(MISSING);
    return { struct, inDoc: false };
  }

  private findInUpdate(id: Y.ID): Struct | undefined {
    return findCovering(this.updateStructs.get(id.client) ?? [], id.clock, (s) => s.id.clock, (s) => s.id.clock + s.length);
  }

  /** Where an item of the doc sits (integrated items always have a type as parent). */
  private docPlacement(item: Y.Item): Placement {
    const parent: unknown = item.parent;
    if (!(parent instanceof Y.AbstractType)) refuse('the document holds an item without a parent');
    const type = parent as YType;
    if (type._item === null) return { kind: 'root', name: Y.findRootTypeKey(type), sub: item.parentSub };
    return { kind: 'type', type, owner: type._item, fresh: false, sub: item.parentSub };
  }

  /** Where an item of the update will sit (memoised). */
  private freshPlacement(item: Y.Item): Placement {
    const known = this.placements.get(item);
    if (known) return known;
    if (++this.depth > MAX_DEPTH) refuse('malformed update: references chained too deep or in a circle');
    const placement = this.resolve(item);
    this.depth--;
    this.placements.set(item, placement);
    return placement;
  }

  /** Item.getMissing: neighbours first (a collected one makes the item garbage), then the parent. */
  private resolve(item: Y.Item): Placement {
    const left = item.origin === null ? null : this.neighbourPlacement(item.origin, item);
    const right = item.rightOrigin === null ? null : this.neighbourPlacement(item.rightOrigin, item);
    if (left?.kind === 'garbage' || right?.kind === 'garbage') return GARBAGE;
    const parent: unknown = item.parent;
    if (parent === null) return left ?? right ?? refuse('malformed update: an item without a place');
    if (typeof parent === 'string') return { kind: 'root', name: parent, sub: item.parentSub };
    if (parent instanceof Y.ID) return this.placementIn(parent, item);
    return refuse('malformed update: an item with an unreadable parent');
  }

  /** The placement a neighbour passes on (Yjs copies parent and parentSub from it). */
  private neighbourPlacement(id: Y.ID, from: Y.Item): Placement {
    const { struct, inDoc } = this.lookup(id, from);
    if (struct instanceof Y.GC) return GARBAGE;
    return inDoc ? this.docPlacement(struct) : this.freshPlacement(struct);
  }

  /** The placement of a child of the type held by item `parentId`. */
  private placementIn(parentId: Y.ID, item: Y.Item): Placement {
    const { struct, inDoc } = this.lookup(parentId, item);
    if (struct instanceof Y.GC) return GARBAGE;
    if (!inDoc && this.freshPlacement(struct).kind === 'garbage') return GARBAGE;
    const content = struct.content;
    // A deleted type whose content was collected: Yjs drops what is put in it.
    if (content instanceof Y.ContentDeleted) return GARBAGE;
    if (!(content instanceof Y.ContentType)) refuse('writes into something that is not a type');
    return { kind: 'type', type: content.type as YType, owner: struct, fresh: !inDoc, sub: item.parentSub };
  }

  // -- What the schema says about a place.

  private contextIn(placement: Exclude<Placement, { kind: 'garbage' }>): Context {
    if (placement.kind === 'root') {
      return placement.name === CONTENT_FIELD ? { kind: 'node', rule: TOP_RULE, top: true } : { kind: 'foreign', root: placement.name };
    }
    return this.typeContext(placement.type, placement.owner, placement.fresh);
  }

  /** The context inside `type` (memoised by the item holding it), checking the type's own place up to the root. */
  private typeContext(type: YType, owner: Y.Item, fresh: boolean): Context {
    const known = this.contexts.get(owner);
    if (known) return known;
    if (++this.depth > MAX_DEPTH) refuse('malformed update: structure nested too deep');
    const where = fresh ? this.freshPlacement(owner) : this.docPlacement(owner);
    let context: Context;
    if (where.kind === 'garbage') {
      context = { kind: 'invalid', what: 'a discarded type' };
    } else {
      const outer = this.contextIn(where);
      if (outer.kind === 'foreign' || outer.kind === 'invalid') context = outer;
      else if (where.sub !== null) context = { kind: 'invalid', what: `a ${typeName(type)} stored as attribute "${where.sub}"` };
      else context = childContext(outer, type);
    }
    this.depth--;
    this.contexts.set(owner, context);
    return context;
  }

  // -- Checking the update's items.

  private checkItem(item: Y.Item): void {
    const placement = this.freshPlacement(item);
    if (placement.kind === 'garbage') return;
    const context = this.contextIn(placement);
    if (context.kind === 'foreign') refuse(`writes to "${context.root}"; editors may change only the document text`);
    const content = item.content;
    if (content instanceof Y.ContentDeleted) return;
    if (context.kind === 'invalid') refuse(`writes inside invalid structure: ${context.what}`);
    if (placement.sub !== null) this.checkAttribute(context, placement, item);
    else if (context.kind === 'text') checkTextContent(content);
    else this.checkChild(context, item);
  }

  private checkChild(context: Extract<Context, { kind: 'node' }>, item: Y.Item): void {
    const content = item.content;
    if (!(content instanceof Y.ContentType)) {
      refuse(`${contentName(content)} inside ${describe(context)}; only elements and text belong there`);
    }
    const child = childContext(context, content.type as YType);
    if (child.kind === 'invalid') refuse(`invalid structure: ${child.what}`);
    if (context.top && !this.deletedByUpdate(item.id)) this.newSections.push(item);
  }

  private checkAttribute(context: Extract<Context, { kind: 'node' | 'text' }>, placement: Exclude<Placement, { kind: 'garbage' }>, item: Y.Item): void {
    const key = placement.sub ?? '';
    if (context.kind === 'text') refuse(`sets attribute "${key}" on a text run`);
    if (context.top) refuse(`sets map entry "${key}" on the document text`);
    const node = context.rule.type.name;
    const check = context.rule.attrs.get(key);
    if (!check) refuse(`<${node}> has no attribute "${key}"`);
    const content = item.content;
    if (!(content instanceof Y.ContentAny) || content.arr.length === 0 || !content.arr.every((value: unknown) => check(value))) {
      refuse(`invalid value for attribute "${key}" of <${node}>`);
    }
    if (node === 'section' && key === 'id' && placement.kind === 'type') this.claimSectionId(placement.owner, item, content.arr);
  }

  // -- Section ids: valid (checked as attributes), present on new sections, unique.

  private claimSectionId(section: Y.Item, write: Y.Item, values: unknown[]): void {
    if (section.deleted || this.deletedByUpdate(section.id) || this.deletedByUpdate(write.id)) return;
    const claims = this.idClaims.get(section) ?? [];
    for (const value of values) if (typeof value === 'string') claims.push(value);
    this.idClaims.set(section, claims);
  }

  private checkSectionIds(): void {
    if (this.newSections.length === 0 && this.idClaims.size === 0) return;
    for (const section of this.newSections) {
      if (!this.idClaims.get(section)?.length) refuse('adds a section without an id');
    }
    // Every id a section may end up with: the ids it keeps and the ids the
    // update writes to it. No two sections may share one.
    const holders = this.keptSectionIds();
    for (const [section, ids] of this.idClaims) {
      for (const id of ids) {
        const others = holders.get(id) ?? [];
        if (others.some((other) => other !== section)) refuse(`section id "${id}" is already taken`);
        holders.set(id, [...others, section]);
      }
    }
  }

  /**
   * Ids of the doc's live top-level sections that the update does not delete,
   * by id, unless the update deletes the id itself (a rename deletes the value
   * it overwrites). A renamed section keeps its old id here otherwise: if the
   * rename loses to a concurrent one, the old id stays.
   */
  private keptSectionIds(): Map<string, Y.Item[]> {
    const holders = new Map<string, Y.Item[]>();
    const content = this.doc.share.get(CONTENT_FIELD);
    for (let item = content?._start ?? null; item !== null; item = item.right) {
      if (item.deleted || this.deletedByUpdate(item.id) || !(item.content instanceof Y.ContentType)) continue;
      const idItem = item.content.type._map.get('id');
      if (idItem === undefined || idItem.deleted || this.deletedByUpdate(idItem.id) || !(idItem.content instanceof Y.ContentAny)) continue;
      const id: unknown = idItem.content.arr[idItem.content.arr.length - 1];
      if (typeof id === 'string') holders.set(id, [...(holders.get(id) ?? []), item]);
    }
    return holders;
  }

  /** Whether the update's delete set deletes `id` (sorted and merged once, on first use). */
  private deletedByUpdate(id: Y.ID): boolean {
    this.deletions ??= mergedRanges(this.ds.clients);
    const ranges = this.deletions.get(id.client) ?? [];
    return findCovering(ranges, id.clock, (r) => r.clock, (r) => r.end) !== undefined;
  }
}

// ---------------------------------------------------------------------------
// Pure checks.

/** The context inside `type` when it is a child of a node context. */
function childContext(outer: Extract<Context, { kind: 'node' | 'text' }>, type: YType): Context {
  if (outer.kind === 'text') return { kind: 'invalid', what: `a ${typeName(type)} inside text` };
  if (type instanceof Y.XmlElement) {
    const rule = NODE_RULES.get(type.nodeName);
    if (!rule) return { kind: 'invalid', what: `<${type.nodeName}> is not a node type of the schema` };
    if (!outer.rule.children.has(rule.type)) return { kind: 'invalid', what: `<${type.nodeName}> inside ${describe(outer)}` };
    return { kind: 'node', rule, top: false };
  }
  if (type instanceof Y.XmlText) {
    return outer.rule.type.inlineContent ? TEXT : { kind: 'invalid', what: `text inside ${describe(outer)}` };
  }
  return { kind: 'invalid', what: `a ${typeName(type)} inside ${describe(outer)}` };
}

function checkTextContent(content: Y.Item['content']): void {
  if (content instanceof Y.ContentString) return;
  if (content instanceof Y.ContentFormat) return checkFormat(content.key, content.value);
  refuse(`${contentName(content)} inside text; text holds only characters and formatting`);
}

function checkFormat(key: string, value: unknown): void {
  const name = HASHED_MARK_KEY.exec(key)?.[1] ?? key;
  const rule = MARK_RULES.get(name);
  if (!rule) refuse(`formats text with "${name}", which is not a mark of the schema`);
  if (value === null) return; // the end of a format
  if (value === true && rule.required.length === 0) return;
  if (!isPlainObject(value)) refuse(`invalid attributes for mark "${name}"`);
  for (const [attr, attrValue] of Object.entries(value)) {
    const check = rule.attrs.get(attr);
    if (!check || !check(attrValue)) {
      refuse(name === 'link' && attr === 'href' ? 'a link to an unsafe address' : `invalid attribute "${attr}" of mark "${name}"`);
    }
  }
  for (const attr of rule.required) if (!hasOwn(value, attr)) refuse(`mark "${name}" lacks its attribute "${attr}"`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

function describe(context: Extract<Context, { kind: 'node' }>): string {
  return context.top ? 'the top level of the document (only sections belong there)' : `<${context.rule.type.name}>`;
}

function typeName(type: YType): string {
  if (type instanceof Y.XmlElement) return `<${type.nodeName}>`;
  if (type instanceof Y.XmlText) return 'Y.XmlText';
  if (type instanceof Y.XmlFragment) return 'Y.XmlFragment';
  if (type instanceof Y.XmlHook) return 'Y.XmlHook';
  if (type instanceof Y.Text) return 'Y.Text';
  if (type instanceof Y.Map) return 'Y.Map';
  if (type instanceof Y.Array) return 'Y.Array';
  return 'Yjs type';
}

function contentName(content: Y.Item['content']): string {
  if (content instanceof Y.ContentType) return typeName(content.type as YType);
  if (content instanceof Y.ContentString) return 'a string';
  if (content instanceof Y.ContentEmbed) return 'an embed';
  if (content instanceof Y.ContentFormat) return 'formatting';
  if (content instanceof Y.ContentAny || content instanceof Y.ContentJSON) return 'a plain value';
  if (content instanceof Y.ContentBinary) return 'binary data';
  if (content instanceof Y.ContentDoc) return 'a subdocument';
  return 'unknown content';
}

/** A delete set's ranges per client, sorted and merged so a binary search finds any clock. */
function mergedRanges(clients: Map<number, { clock: number; len: number }[]>): Map<number, Range[]> {
  const out = new Map<number, Range[]>();
  for (const [client, items] of clients) {
    const sorted = items.map((d) => ({ clock: d.clock, end: d.clock + d.len })).sort((a, b) => a.clock - b.clock);
    const merged: Range[] = [];
    for (const range of sorted) {
      const last = merged[merged.length - 1];
      if (last && range.clock <= last.end) last.end = Math.max(last.end, range.end);
      else merged.push({ ...range });
    }
    out.set(client, merged);
  }
  return out;
}

/** The element of `sorted` (disjoint, ascending clock ranges) whose range [start, end) holds `clock`. */
function findCovering<T>(sorted: readonly T[], clock: number, start: (t: T) => number, end: (t: T) => number): T | undefined {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const item = sorted[mid]!;
    if (clock < start(item)) high = mid - 1;
    else if (clock >= end(item)) low = mid + 1;
    else return item;
  }
  return undefined;
}
