// Reads the shared Y.XmlFragment as a ProseMirror document without ever
// writing to the Y.Doc. y-prosemirror's reader throws on structure the schema
// cannot hold and, for elements it cannot build, deletes them inside a Yjs
// transaction: a read that writes. This reader walks the Yjs types itself,
// leaves out what the schema cannot hold, repairs what is incomplete, and says
// what it did. For valid structure it builds exactly the node y-prosemirror
// builds (same attrs, same marks, same merged text nodes).
//
// The representation (y-prosemirror's, see its sync-plugin.js): every node is
// a Y.XmlElement named after its node type, node attrs as element attributes;
// a run of text nodes is one Y.XmlText whose delta inserts carry the marks as
// formatting attributes (key = mark name, or `name--<8-char hash>` for marks
// that may overlap; value = mark attrs).
//
// Pure and isomorphic: no Node APIs, no transactions, no observers.
import * as Y from 'yjs';
import {
  Fragment,
  Mark,
  MarkType,
  type AttributeSpec,
  type Attrs,
  type ContentMatch,
  type Node as PMNode,
  type NodeType,
  type Schema,
} from 'prosemirror-model';

export interface ContentReading {
  /** A valid document of the schema (node.check() passes). */
  doc: PMNode;
  /** What had to be left out or repaired, human-readable, e.g. 'content[3]: Y.XmlText at the top level left out'. Empty when the stored structure is valid. */
  problems: string[];
}

/** The hash of y-prosemirror's `name--<8 chars>` keys for marks that may overlap. */
const MARK_HASH = /^[a-zA-Z0-9+/=]{8}$/;

/**
 * The mark name of a formatting key, as y-prosemirror's yattr2markname reads
 * it (`/(.*)(--[a-zA-Z0-9+/=]{8})$/`), without a regex that backtracks on
 * long hostile keys.
 */
function markNameOf(key: string): string {
  const n = key.length;
  return n >= 10 && key.charCodeAt(n - 10) === 45 && key.charCodeAt(n - 9) === 45 && MARK_HASH.test(key.slice(n - 8))
    ? key.slice(0, n - 10)
    : key;
}

const hasOwn = (obj: object, key: string): boolean => Object.prototype.hasOwnProperty.call(obj, key);

interface AttrRule {
  name: string;
  hasDefault: boolean;
  validate: ((value: unknown) => void) | undefined;
}

/** What a node or mark type accepts as attrs, read once per schema. */
interface AttrRules {
  list: AttrRule[];
  byName: Record<string, AttrRule>;
}

interface SchemaInfo {
  nodeAttrs: Map<NodeType, AttrRules>;
  markAttrs: Map<MarkType, AttrRules>;
  /** One shared instance per attr-less mark type (marks are immutable). */
  plainMarks: Map<MarkType, Mark>;
}

const infoCache = new WeakMap<Schema, SchemaInfo>();

function schemaInfo(schema: Schema): SchemaInfo {
  let info = infoCache.get(schema);
  if (!info) {
    info = { nodeAttrs: new Map(), markAttrs: new Map(), plainMarks: new Map() };
    infoCache.set(schema, info);
  }
  return info;
}

function validatorOf(typeName: string, attrName: string, spec: AttributeSpec): ((value: unknown) => void) | undefined {
  const validate = spec.validate;
  if (typeof validate === 'function') return validate;
  if (typeof validate !== 'string') return undefined;
  // Same rule as prosemirror-model's string validators ("string|null", ...).
  const types = validate.split('|');
  return (value) => {
    const name = value === null ? 'null' : typeof value;
    if (!types.includes(name)) throw new RangeError(`expected ${validate} for ${typeName}.${attrName}, got ${name}`);
  };
}

function attrRules(cache: Map<NodeType | MarkType, AttrRules>, type: NodeType | MarkType): AttrRules {
  let rules = cache.get(type);
  if (!rules) {
    const list: AttrRule[] = [];
    const byName: Record<string, AttrRule> = Object.create(null) as Record<string, AttrRule>;
    const specs = (type.spec.attrs ?? {}) as Record<string, AttributeSpec>;
    for (const name of Object.keys(specs)) {
      const spec = specs[name]!;
      const rule = { name, hasDefault: hasOwn(spec, 'default'), validate: validatorOf(type.name, name, spec) };
      list.push(rule);
      byName[name] = rule;
    }
    rules = { list, byName };
    cache.set(type, rules);
  }
  return rules;
}

function nodeTypeNamed(schema: Schema, name: string): NodeType | null {
  return hasOwn(schema.nodes, name) ? (schema.nodes[name] ?? null) : null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/** Characters of text in a Yjs subtree, to say how much a left-out part held. */
function textLength(type: unknown): number {
  if (type instanceof Y.XmlText) return type.length;
  if (type instanceof Y.XmlElement || type instanceof Y.XmlFragment) {
    let n = 0;
    for (const child of type.toArray()) n += textLength(child);
    return n;
  }
  return 0;
}

function lostText(type: unknown): string {
  const n = textLength(type);
  return n === 0 ? '' : ` (${n} character${n === 1 ? '' : 's'} of text lost)`;
}

/** A piece of stored text or a stored name, quoted and cut short for a problem message. */
function excerpt(text: string): string {
  return JSON.stringify(text.length > 30 ? `${text.slice(0, 30)}…` : text);
}

/**
 * Yjs decodes objects by assignment, so a stored key "__proto__" becomes the
 * object's prototype, whose keys would then read as inherited values. (Values
 * written locally may be ProseMirror attrs objects, whose prototype is null:
 * those are fine.)
 */
function hasForeignPrototype(obj: object): boolean {
  const proto: unknown = Object.getPrototypeOf(obj);
  return proto !== Object.prototype && proto !== null;
}

/** The own keys of `obj` in a plain object. */
function ownCopy(obj: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(obj)) if (key !== '__proto__') copy[key] = obj[key];
  return copy;
}

function isEmpty(obj: object): boolean {
  for (const _ in obj) return false;
  return true;
}

const tagOf = (type: NodeType): string => `<${type.name}>`;
const ownerName = (owner: NodeType | MarkType): string => (owner instanceof MarkType ? `mark "${owner.name}"` : tagOf(owner));

class Reader {
  readonly problems: string[] = [];
  /** Indices of the Yjs children being read; only the first `depth` count. */
  private readonly path: number[] = [];
  private depth = 0;
  private readonly info: SchemaInfo;
  /** Formatting key → mark type (null: unknown to the schema); per read, as keys come from peers. */
  private readonly markKeys = new Map<string, MarkType | null>();
  private readonly textType: NodeType;

  constructor(
    private readonly schema: Schema,
    private readonly root: string,
  ) {
    this.info = schemaInfo(schema);
    this.textType = schema.nodes.text as NodeType;
  }

  private where(): string {
    let out = this.root;
    for (let d = 0; d < this.depth; d++) out += `[${this.path[d]!}]`;
    return out;
  }

  private note(message: string): void {
    this.problems.push(`${this.where()}: ${message}`);
  }

  /**
   * Known attrs only; an invalid value falls back to the default. Returns the
   * attrs to pass to `create` (the given object itself when it is clean), or
   * null when a required attr is missing or invalid.
   */
  private cleanAttrs(rules: AttrRules, given: Record<string, unknown>, owner: NodeType | MarkType): Record<string, unknown> | null {
    if (hasForeignPrototype(given)) {
      this.note(`attribute "__proto__" of ${ownerName(owner)} left out`);
      given = ownCopy(given);
    }
    let attrs = given;
    let copied = false;
    for (const key in given) {
      if (rules.byName[key] === undefined) {
        if (!copied) {
          attrs = { ...given };
          copied = true;
        }
        delete attrs[key];
        this.note(`attribute ${excerpt(key)} of ${ownerName(owner)} left out`);
      }
    }
    for (const rule of rules.list) {
      const value = attrs[rule.name];
      if (value === undefined) {
        if (!rule.hasDefault) {
          this.note(`${ownerName(owner)} lacks its required attribute ${JSON.stringify(rule.name)}`);
          return null;
        }
      } else if (rule.validate) {
        try {
          rule.validate(value);
        } catch {
          if (!rule.hasDefault) {
            this.note(`${ownerName(owner)} has an invalid value for its required attribute ${JSON.stringify(rule.name)}`);
            return null;
          }
          if (!copied) {
            attrs = { ...attrs };
            copied = true;
          }
          delete attrs[rule.name];
          this.note(`invalid value of attribute ${JSON.stringify(rule.name)} of ${ownerName(owner)} replaced by the default`);
        }
      }
    }
    return attrs;
  }

  private markTypeFor(key: string): MarkType | null {
    const cache = this.markKeys;
    let type = cache.get(key);
    if (type === undefined) {
      const name = markNameOf(key);
      type = hasOwn(this.schema.marks, name) ? (this.schema.marks[name] ?? null) : null;
      cache.set(key, type);
    }
    return type;
  }

  private readMark(type: MarkType, value: unknown): Mark | null {
    const rules = attrRules(this.info.markAttrs, type);
    let given = isPlainObject(value) ? value : {};
    if (hasForeignPrototype(given)) {
      this.note(`attribute "__proto__" of mark "${type.name}" left out`);
      given = ownCopy(given);
    }
    if (rules.list.length === 0) {
      for (const key in given) this.note(`attribute ${excerpt(key)} of mark "${type.name}" left out`);
      let mark = this.info.plainMarks.get(type);
      if (!mark) {
        mark = type.create();
        this.info.plainMarks.set(type, mark);
      }
      return mark;
    }
    const attrs = this.cleanAttrs(rules, given, type);
    return attrs === null ? null : type.create(attrs as Attrs);
  }

  private readMarks(formatting: Record<string, unknown>, parent: NodeType, text: string): readonly Mark[] {
    let marks: readonly Mark[] = Mark.none;
    if (hasForeignPrototype(formatting)) {
      this.note(`formatting "__proto__" on ${excerpt(text)} left out`);
      formatting = ownCopy(formatting);
    }
    for (const key in formatting) {
      const type = this.markTypeFor(key);
      if (type === null) {
        this.note(`unknown mark ${excerpt(key)} on ${excerpt(text)} left out`);
        continue;
      }
      if (!parent.allowsMarkType(type)) {
        this.note(`mark "${type.name}" not allowed in ${tagOf(parent)}, left out on ${excerpt(text)}`);
        continue;
      }
      const mark = this.readMark(type, formatting[key]);
      if (mark === null) {
        this.note(`mark "${type.name}" on ${excerpt(text)} left out`);
        continue;
      }
      const before = marks.length;
      marks = mark.addToSet(marks);
      if (marks.length !== before + 1) this.note(`conflicting marks "${type.name}" on ${excerpt(text)}: one kept`);
    }
    return marks;
  }

  /** Text nodes of one Y.XmlText, appended to `out`; `match` is the parent's state. */
  private readText(ytext: Y.XmlText, parent: NodeType, match: ContentMatch, out: PMNode[]): ContentMatch {
    const next = match.matchType(this.textType);
    if (next === null) {
      this.note(`text not allowed in ${tagOf(parent)}, left out${lostText(ytext)}`);
      return match;
    }
    const delta = ytext.toDelta() as { insert?: unknown; attributes?: Record<string, unknown> }[];
    for (const op of delta) {
      const insert = op.insert;
      if (typeof insert !== 'string') {
        this.note(`embedded object in text left out`);
        continue;
      }
      if (insert.length === 0) continue;
      const marks = op.attributes ? this.readMarks(op.attributes, parent, insert) : Mark.none;
      out.push(this.schema.text(insert, marks));
    }
    return next;
  }

  /**
   * The node types to insert at `match` so that `type` fits after them
   * (empty when it fits directly), or null. The same search as
   * ContentMatch.fillBefore, asked for one node type.
   */
  private fillerFor(match: ContentMatch, type: NodeType): NodeType[] | null {
    const seen: ContentMatch[] = [match];
    const search = (m: ContentMatch, types: NodeType[]): NodeType[] | null => {
      if (m.matchType(type)) return types;
      for (let i = 0; i < m.edgeCount; i++) {
        const edge = m.edge(i);
        if (!(edge.type.isText || edge.type.hasRequiredAttrs()) && !seen.includes(edge.next)) {
          seen.push(edge.next);
          const found = search(edge.next, types.concat(edge.type));
          if (found) return found;
        }
      }
      return null;
    };
    return search(match, []);
  }

  /** Builds the children of a node of type `parent` from its Yjs children, repairing as it goes. */
  private readChildren(children: unknown[], parent: NodeType): PMNode[] | null {
    const out: PMNode[] = [];
    let match = parent.contentMatch;
    const inline = parent.inlineContent;
    const depth = this.depth;
    this.depth = depth + 1;
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      this.path[depth] = i;
      if (child instanceof Y.XmlText) {
        if (!inline) {
          const place = depth === 0 ? 'at the top level' : `in ${tagOf(parent)}`;
          this.note(`Y.XmlText ${place} left out${lostText(child)}`);
        } else {
          match = this.readText(child, parent, match, out);
        }
        continue;
      }
      if (!(child instanceof Y.XmlElement)) {
        this.note(`unsupported Yjs type ${(child as object)?.constructor?.name ?? typeof child} left out`);
        continue;
      }
      const type = nodeTypeNamed(this.schema, child.nodeName);
      if (type === null || type.isText) {
        const name = child.nodeName.length > 30 ? `${child.nodeName.slice(0, 30)}…` : child.nodeName;
        this.note(`unknown element <${name}> left out${lostText(child)}`);
        continue;
      }
      let next = match.matchType(type);
      let fillers: PMNode[] | null = null;
      if (next === null) {
        const types = this.fillerFor(match, type);
        const nodes = types?.map((t) => t.createAndFill()) ?? null;
        if (nodes === null || nodes.some((n) => n === null)) {
          this.note(`${tagOf(type)} cannot stand in ${tagOf(parent)} here, left out${lostText(child)}`);
          continue;
        }
        fillers = nodes as PMNode[];
      }
      const node = this.readElement(child, type);
      if (node === null) continue; // noted by readElement
      if (fillers !== null) {
        this.note(`inserted empty ${fillers.map((n) => tagOf(n.type)).join(', ')} before ${tagOf(type)} (required by ${tagOf(parent)})`);
        for (const filler of fillers) {
          out.push(filler);
          match = match.matchType(filler.type)!;
        }
        next = match.matchType(type)!;
      }
      out.push(node);
      match = next!;
    }
    this.depth = depth;
    if (!match.validEnd) {
      let fill: Fragment | null = null;
      try {
        fill = match.fillBefore(Fragment.empty, true);
      } catch {
        fill = null;
      }
      if (fill === null) return null;
      const added: string[] = [];
      fill.forEach((n) => {
        out.push(n);
        added.push(tagOf(n.type));
      });
      const state =
        out.length > added.length ? 'was incomplete' : children.length === 0 ? 'was empty' : 'kept nothing valid';
      this.note(`${tagOf(parent)} ${state}: added empty ${added.join(', ')}${out.length > added.length ? ' at the end' : ''}`);
    }
    return out;
  }

  private readElement(el: Y.XmlElement, type: NodeType): PMNode | null {
    const rules = attrRules(this.info.nodeAttrs, type);
    // No attrs to read: null lets `create` reuse the type's shared default
    // attrs. (`_map` holds the element's attributes; empty means none was
    // ever set, so getAttributes() can be skipped.)
    let attrs: Record<string, unknown> | null = null;
    const given = rules.list.length === 0 && el._map.size === 0 ? null : (el.getAttributes() as Record<string, unknown>);
    if (given !== null && (rules.list.length > 0 || !isEmpty(given))) {
      attrs = this.cleanAttrs(rules, given, type);
      if (attrs === null) {
        this.note(`${tagOf(type)} left out${lostText(el)}`);
        return null;
      }
    }
    const children = this.readChildren(el.toArray(), type);
    if (children === null) {
      this.note(`${tagOf(type)} cannot be completed, left out${lostText(el)}`);
      return null;
    }
    try {
      return type.create(attrs as Attrs, Fragment.fromArray(children));
    } catch (e) {
      this.note(`${tagOf(type)} left out: ${(e as Error).message}`);
      return null;
    }
  }

  readRoot(fragment: Y.XmlFragment): PMNode {
    const top = this.schema.topNodeType;
    const children = this.readChildren(fragment.toArray(), top);
    const doc = children === null ? top.createAndFill() : top.create(null, Fragment.fromArray(children));
    // Only a schema whose top node cannot be filled at all gets here.
    if (doc === null) throw new RangeError(`schema cannot build an empty ${top.name}`);
    return doc;
  }
}

/**
 * Reads a Y.XmlFragment as a document of `schema`. Never writes to the Y.Doc
 * (no transactions) and never throws on structure: what the schema cannot
 * hold is left out, what is incomplete is completed minimally, and each such
 * step is listed in `problems`.
 */
export function readContent(fragment: Y.XmlFragment, schema: Schema): ContentReading {
  const reader = new Reader(schema, 'content');
  const doc = reader.readRoot(fragment);
  return { doc, problems: reader.problems };
}
