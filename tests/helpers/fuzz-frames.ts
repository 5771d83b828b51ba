// Frame generators for the collaboration fuzz test (tests/fuzz-collab.test.ts),
// as fast-check arbitraries at two levels:
//
// 1. WebSocket framing, written raw on a TCP socket after a valid upgrade:
//    random FIN/RSV bits and opcodes (reserved ones too), masked and unmasked
//    frames, 7/16/64-bit lengths that may lie, huge declared lengths, oversized
//    payloads, broken fragment sequences, oversized control frames, invalid
//    close codes and UTF-8, and TCP resets in the middle of a frame or before
//    the 101.
// 2. y-protocols payloads in valid binary frames: random bytes, valid messages
//    (sync step 1, sync step 2, updates built from a copy of the live document)
//    then mutated, structurally hostile but well-formed updates, awareness
//    updates (random ids, huge states, claims of other connections' ids),
//    unknown message types, auth and query-awareness messages.
//
// The generated values are pure data (so fast-check can shrink them); what
// depends on the live document (an update that types into a paragraph, the
// witnesses' client ids) is built at send time by `materializeY` against a
// `FrameContext`.
import fc from 'fast-check';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { CONTENT_FIELD } from '../../core/schema';
import { syncFrame } from './y-frames';

export type Role = 'editor' | 'stakeholder' | 'observer';
export const ROLES: readonly Role[] = ['editor', 'stakeholder', 'observer'];

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;
const SYNC_STEP1 = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;

/** The most bytes one generated frame may really carry (declared lengths may claim more). */
export const MAX_REAL_PAYLOAD = 10 * 1024 * 1024 - 64 * 1024;

// ---------------------------------------------------------------------------
// Level 2: y-protocols payloads
// ---------------------------------------------------------------------------

/** A client id: one of a witness's, one used by an earlier fuzz frame, or any number. */
export type ClientRef = { ref: 'witnessA' | 'witnessB' | 'witnessObserver' | 'recent'; pick: number } | { id: number };

export type Mutation =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'set'; at: number; byte: number }
  | { op: 'truncate'; at: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'delete'; at: number; len: number };

export type MarkSpec =
  | { mark: 'strong' | 'em' | 'code' }
  | { mark: 'link'; href: string }
  | { mark: 'random'; attrs: Record<string, unknown> };

/** An editor's change, applied to the batch's copy of the live document. */
export type EditRecipe =
  | { op: 'type'; target: number; at: number; text: string; attrs: Record<string, unknown> | null }
  | { op: 'delete'; target: number; at: number; len: number }
  | { op: 'format'; target: number; at: number; len: number; mark: MarkSpec }
  | { op: 'new-section'; at: number; id: string; level: number | string; heading: string; text: string }
  | { op: 'delete-section'; section: number }
  | { op: 'delete-block'; section: number; block: number }
  | { op: 'set-attribute'; section: number; key: string; value: string };

/** Well-formed updates with a structure the editor never produces. */
export type HostileRecipe =
  | { op: 'top-level-text'; at: number; text: string }
  | { op: 'unknown-element'; where: 'top' | 'section'; at: number; name: string; attrs: Record<string, string>; text: string }
  | { op: 'other-root-text'; name: string; text: string }
  | { op: 'accord-map'; key: string; value: unknown }
  | { op: 'other-root-map'; name: string; key: string; value: unknown }
  | { op: 'other-root-array'; name: string; values: unknown[] }
  | { op: 'content-as-map'; key: string; value: unknown }
  | { op: 'content-as-text'; text: string }
  | { op: 'content-as-array'; values: unknown[] }
  | { op: 'deep-nesting'; depth: number; name: string }
  | { op: 'embed'; target: number; at: number; value: unknown }
  | { op: 'huge-attribute'; section: number; size: number }
  | { op: 'many-items'; target: number; count: number };

export type AwarenessState =
  | { t: 'null' }
  | { t: 'json'; value: unknown }
  | { t: 'user'; name: string; color: string; extra: unknown }
  | { t: 'huge'; size: number }
  | { t: 'not-json'; text: string };

export interface AwarenessEntry {
  client: ClientRef;
  clock: number;
  state: AwarenessState;
}

export type YSpec =
  | { t: 'random'; bytes: Uint8Array }
  | { t: 'empty' }
  | { t: 'sync1'; sv: { client: ClientRef; clock: number }[]; trailing: Uint8Array; mutations: Mutation[] }
  | { t: 'edit'; wrap: 'step2' | 'update'; edits: EditRecipe[]; mutations: Mutation[]; mutateInner: boolean }
  | { t: 'hostile'; wrap: 'step2' | 'update'; recipe: HostileRecipe; mutations: Mutation[] }
  | { t: 'replay'; wrap: 'step2' | 'update'; since: 'all' | 'witness' }
  | { t: 'awareness'; entries: AwarenessEntry[]; mutations: Mutation[]; mutateInner: boolean }
  | { t: 'unknown-type'; type: number; bytes: Uint8Array }
  | { t: 'unknown-sync'; sub: number; bytes: Uint8Array }
  | { t: 'auth'; sub: number; reason: string; trailing: Uint8Array }
  | { t: 'query-awareness'; trailing: Uint8Array };

/** What a frame needs from the live session to be built. */
export interface FrameContext {
  clientIds: { witnessA: number; witnessB: number; witnessObserver: number };
  /** Client ids used by earlier fuzz awareness frames (appended to as frames are built). */
  recentClientIds: number[];
  /** This batch's Y.Doc: a copy of the live document (from witness A) that fuzz edits are made in. */
  forge(): Y.Doc;
  /** The state vector of witness A's document (for updates "since what the server has"). */
  liveStateVector(): Uint8Array;
}

const smallText = fc.string({ maxLength: 24, unit: 'binary' });
const name = fc.oneof(
  fc.constantFrom('x', 'elsewhere', 'accord', 'content', 'section', 'paragraph', 'script', '__proto__', 'constructor', ''),
  fc.string({ maxLength: 12 }),
);
const json = fc.jsonValue({ maxDepth: 3 });
const pos = fc.nat(0xffff);
const clock = fc.oneof(
  { weight: 4, arbitrary: fc.nat(1000) },
  { weight: 1, arbitrary: fc.constantFrom(0, 2 ** 31 - 1, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1) },
  { weight: 1, arbitrary: fc.maxSafeNat() },
);

export const clientRefArb: fc.Arbitrary<ClientRef> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ ref: fc.constantFrom('witnessA', 'witnessB', 'witnessObserver', 'recent') as fc.Arbitrary<'witnessA' | 'witnessB' | 'witnessObserver' | 'recent'>, pick: fc.nat(15) }) },
  { weight: 2, arbitrary: fc.record({ id: fc.nat(0xffffffff) }) },
  { weight: 1, arbitrary: fc.record({ id: fc.oneof(fc.constantFrom(0, 1, 2 ** 32, 2 ** 53 - 1), fc.maxSafeNat()) }) },
);

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: pos, bit: fc.nat(7) }),
  fc.record({ op: fc.constant('set' as const), at: pos, byte: fc.constantFrom(0, 1, 0x7f, 0x80, 0xff) }),
  fc.record({ op: fc.constant('truncate' as const), at: pos }),
  fc.record({ op: fc.constant('insert' as const), at: pos, bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ op: fc.constant('delete' as const), at: pos, len: fc.integer({ min: 1, max: 8 }) }),
);
const mutations = (min: number) => fc.array(mutationArb, { minLength: min, maxLength: 4 });

const markArb: fc.Arbitrary<MarkSpec> = fc.oneof(
  fc.record({ mark: fc.constantFrom('strong', 'em', 'code') as fc.Arbitrary<'strong' | 'em' | 'code'> }),
  fc.record({ mark: fc.constant('link' as const), href: fc.oneof(fc.constantFrom('https://example.org', 'javascript:alert(1)', ''), fc.string({ maxLength: 20 })) }),
  fc.record({ mark: fc.constant('random' as const), attrs: fc.dictionary(name, json, { maxKeys: 3 }) }),
);

export const editArb: fc.Arbitrary<EditRecipe> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('type' as const), target: pos, at: pos, text: smallText, attrs: fc.option(fc.dictionary(name, json, { maxKeys: 2 }), { freq: 4 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), target: pos, at: pos, len: fc.integer({ min: 1, max: 20 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('format' as const), target: pos, at: pos, len: fc.integer({ min: 1, max: 30 }), mark: markArb }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('new-section' as const),
      at: pos,
      // Mostly what the editor makes (a fresh id, a level-2 heading), sometimes not.
      id: fc.oneof({ weight: 3, arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9_-]{3,15}$/) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }),
      level: fc.oneof({ weight: 3, arbitrary: fc.constant(2) }, { weight: 1, arbitrary: fc.constantFrom<number | string>(3, 0, 7, '2', 2.5) }),
      heading: smallText,
      text: smallText,
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete-section' as const), section: pos }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete-block' as const), section: pos, block: pos }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('set-attribute' as const), section: pos, key: fc.oneof(fc.constant('id'), name), value: fc.string({ maxLength: 16 }) }) },
);

export const hostileArb: fc.Arbitrary<HostileRecipe> = fc.oneof(
  fc.record({ op: fc.constant('top-level-text' as const), at: pos, text: smallText }),
  fc.record({ op: fc.constant('unknown-element' as const), where: fc.constantFrom('top', 'section') as fc.Arbitrary<'top' | 'section'>, at: pos, name, attrs: fc.dictionary(name, fc.string({ maxLength: 10 }), { maxKeys: 3 }), text: smallText }),
  fc.record({ op: fc.constant('other-root-text' as const), name, text: smallText }),
  fc.record({ op: fc.constant('accord-map' as const), key: fc.oneof(fc.constant('amendmentsRevision'), name), value: json }),
  fc.record({ op: fc.constant('other-root-map' as const), name, key: name, value: json }),
  fc.record({ op: fc.constant('other-root-array' as const), name, values: fc.array(json, { maxLength: 4 }) }),
  fc.record({ op: fc.constant('content-as-map' as const), key: name, value: json }),
  fc.record({ op: fc.constant('content-as-text' as const), text: smallText }),
  fc.record({ op: fc.constant('content-as-array' as const), values: fc.array(json, { maxLength: 4 }) }),
  fc.record({ op: fc.constant('deep-nesting' as const), depth: fc.integer({ min: 1, max: 300 }), name: fc.constantFrom('blockquote', 'section', 'paragraph', 'x') }),
  fc.record({ op: fc.constant('embed' as const), target: pos, at: pos, value: json }),
  fc.record({ op: fc.constant('huge-attribute' as const), section: pos, size: fc.integer({ min: 1, max: 256 * 1024 }) }),
  fc.record({ op: fc.constant('many-items' as const), target: pos, count: fc.integer({ min: 1, max: 400 }) }),
);

const awarenessStateArb: fc.Arbitrary<AwarenessState> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ t: 'null' as const }) },
  { weight: 6, arbitrary: fc.record({ t: fc.constant('json' as const), value: json }) },
  { weight: 6, arbitrary: fc.record({ t: fc.constant('user' as const), name: fc.string({ maxLength: 20 }), color: fc.oneof(fc.constant('#ff0000'), fc.string({ maxLength: 8 })), extra: json }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('huge' as const), size: fc.integer({ min: 1024, max: 1024 * 1024 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('not-json' as const), text: fc.string({ maxLength: 20 }) }) },
);

export const awarenessEntryArb: fc.Arbitrary<AwarenessEntry> = fc.record({ client: clientRefArb, clock, state: awarenessStateArb });

const wrapArb = fc.constantFrom('step2', 'update') as fc.Arbitrary<'step2' | 'update'>;

export const ySpecArb: fc.Arbitrary<YSpec> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ t: fc.constant('random' as const), bytes: fc.uint8Array({ maxLength: 300 }) }) },
  { weight: 1, arbitrary: fc.constant({ t: 'empty' as const }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('sync1' as const), sv: fc.array(fc.record({ client: clientRefArb, clock }), { maxLength: 6 }), trailing: fc.uint8Array({ maxLength: 4 }), mutations: mutations(0) }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('edit' as const), wrap: wrapArb, edits: fc.array(editArb, { minLength: 1, maxLength: 3 }), mutations: fc.constant<Mutation[]>([]), mutateInner: fc.constant(false) }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('edit' as const), wrap: wrapArb, edits: fc.array(editArb, { minLength: 1, maxLength: 3 }), mutations: mutations(1), mutateInner: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('hostile' as const), wrap: wrapArb, recipe: hostileArb, mutations: fc.oneof({ weight: 3, arbitrary: fc.constant<Mutation[]>([]) }, { weight: 1, arbitrary: mutations(1) }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('replay' as const), wrap: wrapArb, since: fc.constantFrom('all', 'witness') as fc.Arbitrary<'all' | 'witness'> }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('awareness' as const), entries: fc.array(awarenessEntryArb, { maxLength: 4 }), mutations: fc.oneof({ weight: 3, arbitrary: fc.constant<Mutation[]>([]) }, { weight: 1, arbitrary: mutations(1) }), mutateInner: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('unknown-type' as const), type: fc.oneof(fc.integer({ min: 4, max: 200 }), fc.constantFrom(2 ** 31, 2 ** 32, 2 ** 53 - 1)), bytes: fc.uint8Array({ maxLength: 16 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('unknown-sync' as const), sub: fc.oneof(fc.integer({ min: 3, max: 200 }), fc.constant(2 ** 40)), bytes: fc.uint8Array({ maxLength: 16 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('auth' as const), sub: fc.nat(3), reason: fc.string({ maxLength: 40 }), trailing: fc.uint8Array({ maxLength: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('query-awareness' as const), trailing: fc.uint8Array({ maxLength: 4 }) }) },
);

/** A short name for statistics. */
export function yKind(y: YSpec): string {
  switch (y.t) {
    case 'edit':
      return y.mutations.length > 0 ? 'y:edit-mutated' : 'y:edit';
    case 'hostile':
      return y.mutations.length > 0 ? 'y:hostile-mutated' : `y:hostile`;
    case 'awareness':
      return y.entries.some((e) => e.state.t === 'huge') ? 'y:awareness-huge' : y.mutations.length > 0 ? 'y:awareness-mutated' : 'y:awareness';
    case 'sync1':
      return y.mutations.length > 0 ? 'y:sync1-mutated' : 'y:sync1';
    default:
      return `y:${y.t}`;
  }
}

export function resolveClient(ref: ClientRef, ctx: FrameContext): number {
  if ('id' in ref) return ref.id;
  if (ref.ref === 'recent') return ctx.recentClientIds.length > 0 ? ctx.recentClientIds[ref.pick % ctx.recentClientIds.length]! : ctx.clientIds.witnessA;
  return ctx.clientIds[ref.ref];
}

export function mutate(bytes: Uint8Array, ms: readonly Mutation[]): Uint8Array {
  let b = Uint8Array.from(bytes);
  for (const m of ms) {
    const at = b.length === 0 ? 0 : m.at % (b.length + (m.op === 'insert' || m.op === 'truncate' ? 1 : 0));
    switch (m.op) {
      case 'flip':
        if (b.length > 0) b[at % b.length] = b[at % b.length]! ^ (1 << m.bit);
        break;
      case 'set':
        if (b.length > 0) b[at % b.length] = m.byte;
        break;
      case 'truncate':
        b = b.slice(0, at);
        break;
      case 'insert': {
        const out = new Uint8Array(b.length + m.bytes.length);
        out.set(b.subarray(0, at), 0);
        out.set(m.bytes, at);
        out.set(b.subarray(at), at + m.bytes.length);
        b = out;
        break;
      }
      case 'delete': {
        const end = Math.min(b.length, at + m.len);
        const out = new Uint8Array(b.length - (end - at));
        out.set(b.subarray(0, at), 0);
        out.set(b.subarray(end), at);
        b = out;
        break;
      }
    }
  }
  return b;
}

function sectionsOf(doc: Y.Doc): Y.XmlElement[] {
  return doc.getXmlFragment(CONTENT_FIELD).toArray().filter((n): n is Y.XmlElement => n instanceof Y.XmlElement);
}

/** Every Y.XmlText in the content (bounded), in document order. */
function textsOf(doc: Y.Doc): Y.XmlText[] {
  const out: Y.XmlText[] = [];
  const walk = (node: Y.XmlElement | Y.XmlFragment, depth: number): void => {
    for (const child of node.toArray()) {
      if (out.length >= 2000) return;
      if (child instanceof Y.XmlText) out.push(child);
      else if (child instanceof Y.XmlElement && depth < 12) walk(child, depth + 1);
    }
  };
  walk(doc.getXmlFragment(CONTENT_FIELD), 0);
  return out;
}

function pick<T>(items: readonly T[], n: number): T | undefined {
  return items.length === 0 ? undefined : items[n % items.length];
}

function markAttrs(mark: MarkSpec): Record<string, unknown> {
  switch (mark.mark) {
    case 'link':
      return { link: { href: mark.href, title: null } };
    case 'random':
      return mark.attrs;
    default:
      return { [mark.mark]: {} };
  }
}

/** Captures the update(s) one change to `doc` produces. */
function capture(doc: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const updates: Uint8Array[] = [];
  const listen = (u: Uint8Array) => updates.push(u);
  doc.on('update', listen);
  try {
    doc.transact(() => change(doc), 'fuzz');
  } catch {
    // a recipe that does not fit the document (a root of another type): whatever it did so far
  } finally {
    doc.off('update', listen);
  }
  if (updates.length === 0) return Y.encodeStateAsUpdate(new Y.Doc()); // the empty update
  return updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
}

function applyEdit(doc: Y.Doc, e: EditRecipe): void {
  const content = doc.getXmlFragment(CONTENT_FIELD);
  switch (e.op) {
    case 'type': {
      const t = pick(textsOf(doc), e.target);
      if (t) t.insert(e.at % (t.length + 1), e.text, e.attrs ?? undefined);
      return;
    }
    case 'delete': {
      const t = pick(textsOf(doc), e.target);
      if (t && t.length > 0) {
        const at = e.at % t.length;
        t.delete(at, Math.min(e.len, t.length - at));
      }
      return;
    }
    case 'format': {
      const t = pick(textsOf(doc), e.target);
      if (t && t.length > 0) {
        const at = e.at % t.length;
        t.format(at, Math.min(e.len, t.length - at), markAttrs(e.mark));
      }
      return;
    }
    case 'new-section': {
      const section = new Y.XmlElement('section');
      section.setAttribute('id', e.id);
      const heading = new Y.XmlElement('heading');
      heading.setAttribute('level', e.level as string); // y-prosemirror keeps node attrs as they are: a number
      heading.insert(0, [new Y.XmlText(e.heading)]);
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText(e.text)]);
      section.insert(0, [heading, paragraph]);
      content.insert(e.at % (content.length + 1), [section]);
      return;
    }
    case 'delete-section':
      if (content.length > 0) content.delete(e.section % content.length, 1);
      return;
    case 'delete-block': {
      const s = pick(sectionsOf(doc), e.section);
      if (s && s.length > 0) s.delete(e.block % s.length, 1);
      return;
    }
    case 'set-attribute': {
      const s = pick(sectionsOf(doc), e.section);
      if (s) s.setAttribute(e.key, e.value);
      return;
    }
  }
}

function applyHostile(forge: Y.Doc, h: HostileRecipe): Uint8Array {
  // Root types of another kind than the live document's must be made in a document of their own.
  const fresh = (change: (doc: Y.Doc) => void) => capture(new Y.Doc(), change);
  switch (h.op) {
    case 'top-level-text':
      return capture(forge, (d) => {
        const content = d.getXmlFragment(CONTENT_FIELD);
        content.insert(h.at % (content.length + 1), [new Y.XmlText(h.text)]);
      });
    case 'unknown-element':
      return capture(forge, (d) => {
        const el = new Y.XmlElement(h.name);
        for (const [k, v] of Object.entries(h.attrs)) el.setAttribute(k, v);
        el.insert(0, [new Y.XmlText(h.text)]);
        const parent = h.where === 'top' ? d.getXmlFragment(CONTENT_FIELD) : pick(sectionsOf(d), h.at);
        if (parent) parent.insert(h.at % (parent.length + 1), [el]);
      });
    case 'other-root-text':
      return fresh((d) => d.getText(h.name).insert(0, h.text));
    case 'accord-map':
      return capture(forge, (d) => d.getMap('accord').set(h.key, h.value));
    case 'other-root-map':
      return fresh((d) => d.getMap(h.name).set(h.key, h.value));
    case 'other-root-array':
      return fresh((d) => d.getArray(h.name).push(h.values));
    case 'content-as-map':
      return fresh((d) => d.getMap(CONTENT_FIELD).set(h.key, h.value));
    case 'content-as-text':
      return fresh((d) => d.getText(CONTENT_FIELD).insert(0, h.text));
    case 'content-as-array':
      return fresh((d) => d.getArray(CONTENT_FIELD).push(h.values));
    case 'deep-nesting':
      return capture(forge, (d) => {
        const top = new Y.XmlElement(h.name);
        let el = top;
        for (let i = 1; i < h.depth; i++) {
          const child = new Y.XmlElement(h.name);
          el.insert(0, [child]);
          el = child;
        }
        el.insert(0, [new Y.XmlText('deep')]);
        const content = d.getXmlFragment(CONTENT_FIELD);
        content.insert(content.length, [top]);
      });
    case 'embed':
      return capture(forge, (d) => {
        const t = pick(textsOf(d), h.target);
        if (t) t.insertEmbed(h.at % (t.length + 1), (typeof h.value === 'object' && h.value !== null ? h.value : { value: h.value }) as object);
      });
    case 'huge-attribute':
      return capture(forge, (d) => {
        const s = pick(sectionsOf(d), h.section);
        if (s) s.setAttribute('id', 'h'.repeat(h.size));
      });
    case 'many-items':
      return capture(forge, (d) => {
        const t = pick(textsOf(d), h.target);
        if (!t) return;
        // Every other position: many one-character items, not one run.
        for (let i = 0; i < h.count; i++) t.insert(Math.min(t.length, i * 2), String.fromCharCode(97 + (i % 26)), i % 2 ? { em: {} } : undefined);
      });
  }
}

function awarenessBody(entries: readonly AwarenessEntry[], ctx: FrameContext): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, entries.length);
  for (const entry of entries) {
    const client = resolveClient(entry.client, ctx);
    if (ctx.recentClientIds.length < 64 && !ctx.recentClientIds.includes(client)) ctx.recentClientIds.push(client);
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, entry.clock);
    const s = entry.state;
    const text =
      s.t === 'null'
        ? 'null'
        : s.t === 'json'
          ? JSON.stringify(s.value)
          : s.t === 'user'
            ? JSON.stringify({ user: { name: s.name, color: s.color, id: 'forged-id', role: 'admin' }, extra: s.extra })
            : s.t === 'huge'
              ? JSON.stringify({ user: { name: 'huge' }, blob: 'x'.repeat(s.size) })
              : s.text;
    encoding.writeVarString(e, text);
  }
  return encoding.toUint8Array(e);
}

/** The bytes of a y-protocols message, built against the live session. */
export function materializeY(y: YSpec, ctx: FrameContext): Uint8Array {
  switch (y.t) {
    case 'random':
      return y.bytes;
    case 'empty':
      return new Uint8Array(0);
    case 'sync1': {
      const sv = encoding.createEncoder();
      encoding.writeVarUint(sv, y.sv.length);
      for (const { client, clock } of y.sv) {
        encoding.writeVarUint(sv, resolveClient(client, ctx));
        encoding.writeVarUint(sv, clock);
      }
      const msg = syncFrame(SYNC_STEP1, encoding.toUint8Array(sv));
      return mutate(concat(msg, y.trailing), y.mutations);
    }
    case 'edit': {
      const update = capture(ctx.forge(), (d) => y.edits.forEach((e) => applyEdit(d, e)));
      const sub = y.wrap === 'step2' ? SYNC_STEP2 : SYNC_UPDATE;
      if (y.mutations.length === 0) return syncFrame(sub, update);
      return y.mutateInner ? syncFrame(sub, mutate(update, y.mutations)) : mutate(syncFrame(sub, update), y.mutations);
    }
    case 'hostile': {
      const update = applyHostile(ctx.forge(), y.recipe);
      return mutate(syncFrame(y.wrap === 'step2' ? SYNC_STEP2 : SYNC_UPDATE, update), y.mutations);
    }
    case 'replay': {
      const doc = ctx.forge();
      const update = y.since === 'all' ? Y.encodeStateAsUpdate(doc) : Y.encodeStateAsUpdate(doc, ctx.liveStateVector());
      return syncFrame(y.wrap === 'step2' ? SYNC_STEP2 : SYNC_UPDATE, update);
    }
    case 'awareness': {
      const body = awarenessBody(y.entries, ctx);
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(e, y.mutateInner ? mutate(body, y.mutations) : body);
      const msg = encoding.toUint8Array(e);
      return y.mutateInner ? msg : mutate(msg, y.mutations);
    }
    case 'unknown-type': {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, y.type);
      encoding.writeUint8Array(e, y.bytes);
      return encoding.toUint8Array(e);
    }
    case 'unknown-sync': {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, MESSAGE_SYNC);
      encoding.writeVarUint(e, y.sub);
      encoding.writeUint8Array(e, y.bytes);
      return encoding.toUint8Array(e);
    }
    case 'auth': {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, MESSAGE_AUTH);
      encoding.writeVarUint(e, y.sub);
      encoding.writeVarString(e, y.reason);
      encoding.writeUint8Array(e, y.trailing);
      return encoding.toUint8Array(e);
    }
    case 'query-awareness':
      return concat(Uint8Array.of(MESSAGE_QUERY_AWARENESS), y.trailing);
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Level 1: WebSocket framing on a raw TCP socket
// ---------------------------------------------------------------------------

export type LengthSpec =
  | { form: 'minimal' }
  | { form: '16' | '64' }
  /** A declared length that need not match the payload (or be valid at all). */
  | { form: 'declared'; width: '7' | '16' | '64'; declared: bigint };

export type PayloadSpec =
  | { t: 'bytes'; bytes: Uint8Array }
  /** `size` bytes of `byte` after an optional prefix: large payloads without generating them. */
  | { t: 'filled'; prefix: Uint8Array; size: number; byte: number }
  | { t: 'y'; y: YSpec }
  | { t: 'close'; code: number | null; reason: Uint8Array }
  | { t: 'utf8'; text: string };

export interface FrameSpec {
  fin: boolean;
  rsv: number;
  opcode: number;
  mask: Uint8Array | null;
  length: LengthSpec;
  payload: PayloadSpec;
}

export type RawAction =
  /** Frames written back to back on the connection. */
  | { t: 'frames'; kind: string; frames: FrameSpec[] }
  /** One message split into fragments, maybe with control frames in between and a broken sequence. */
  | {
      t: 'fragmented';
      opcode: 1 | 2;
      message: PayloadSpec;
      cuts: number[];
      interleave: { after: number; frame: FrameSpec }[];
      breakWith: 'none' | 'new-data-frame' | 'no-final' | 'continuation-after-final';
      mask: Uint8Array;
    }
  /** A prefix of a frame, then a TCP reset. */
  | { t: 'reset-mid-frame'; frame: FrameSpec; cut: number }
  /** A new connection: (part of) an upgrade request, then a TCP reset before the 101/401. */
  | { t: 'reset-before-101'; authenticated: boolean; cut: number | null; wait: boolean }
  /** A new connection with a broken or refused upgrade request. */
  | { t: 'bad-upgrade'; variant: BadUpgrade }
  /** A new connection whose first frames travel with the upgrade request, before the 101. */
  | { t: 'upgrade-with-head'; frames: FrameSpec[] };

export type BadUpgrade =
  | 'no-token'
  | 'bad-token'
  | 'unknown-document'
  | 'bad-percent-encoding'
  | 'no-key'
  | 'bad-version'
  | 'no-upgrade-header'
  | 'post-method'
  | 'huge-header'
  | 'garbage';

const maskArb = fc.uint8Array({ minLength: 4, maxLength: 4 });
const RESERVED_OPCODES = [3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf];
const CLOSE_CODES = [0, 1, 999, 1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1011, 1012, 1014, 1015, 1016, 2999, 3000, 4999, 5000, 65535];
/** Invalid UTF-8: lone continuation, overlong, surrogate, out of range, truncated sequences. */
const INVALID_UTF8: Uint8Array[] = [
  Uint8Array.of(0x80),
  Uint8Array.of(0xc0, 0xaf),
  Uint8Array.of(0xe0, 0x80, 0xaf),
  Uint8Array.of(0xed, 0xa0, 0x80),
  Uint8Array.of(0xf4, 0x90, 0x80, 0x80),
  Uint8Array.of(0xf5, 0x80, 0x80, 0x80),
  Uint8Array.of(0xff),
  Uint8Array.of(0xe2, 0x82),
  Uint8Array.of(0x68, 0x69, 0xf0, 0x9f, 0x98),
];
const invalidUtf8Arb = fc.tuple(fc.string({ maxLength: 10 }), fc.constantFrom(...INVALID_UTF8), fc.string({ maxLength: 10 })).map(([a, bad, b]) =>
  concat(new TextEncoder().encode(a), bad, new TextEncoder().encode(b)),
);

const payloadBytes = fc.uint8Array({ maxLength: 200 });
const smallPayload: fc.Arbitrary<PayloadSpec> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ t: fc.constant('bytes' as const), bytes: payloadBytes }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('y' as const), y: ySpecArb }) },
);
const lengthArb: fc.Arbitrary<LengthSpec> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ form: 'minimal' as const }) },
  { weight: 1, arbitrary: fc.record({ form: fc.constantFrom('16', '64') as fc.Arbitrary<'16' | '64'> }) },
  { weight: 2, arbitrary: fc.record({ form: fc.constant('declared' as const), width: fc.constantFrom('7', '16', '64') as fc.Arbitrary<'7' | '16' | '64'>, declared: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }) }) },
);
const frameOf = (over: Partial<FrameSpec> & Pick<FrameSpec, 'payload'>, mask: Uint8Array | null): FrameSpec => ({
  fin: true,
  rsv: 0,
  opcode: 2,
  mask,
  length: { form: 'minimal' },
  ...over,
});

const validBinaryY = fc.tuple(ySpecArb, maskArb).map(([y, mask]) => frameOf({ payload: { t: 'y', y } }, mask));
const controlFrame = fc.tuple(fc.constantFrom(8, 9, 10), fc.uint8Array({ maxLength: 125 }), maskArb).map(([opcode, bytes, mask]) =>
  frameOf({ opcode, payload: opcode === 8 ? { t: 'close', code: 1000, reason: new Uint8Array(0) } : { t: 'bytes', bytes } }, mask),
);
const pingPong = fc.tuple(fc.constantFrom(9, 10), fc.uint8Array({ maxLength: 125 }), maskArb).map(([opcode, bytes, mask]) => frameOf({ opcode, payload: { t: 'bytes', bytes } }, mask));

const framesAction = (kind: string, frames: fc.Arbitrary<FrameSpec[]>): fc.Arbitrary<RawAction> => frames.map((f) => ({ t: 'frames' as const, kind, frames: f }));
const one = (frame: fc.Arbitrary<FrameSpec>) => frame.map((f) => [f]);

/** Level 1: what is written on a raw TCP connection. */
export function rawActionArb(opts: { bigPayloads: boolean }): fc.Arbitrary<RawAction> {
  const random = fc.record({ fin: fc.boolean(), rsv: fc.nat(7), opcode: fc.nat(15), mask: fc.option(maskArb, { freq: 4 }), length: lengthArb, payload: smallPayload });
  const reserved = fc.tuple(fc.constantFrom(...RESERVED_OPCODES), fc.boolean(), fc.option(maskArb, { freq: 6 }), payloadBytes).map(([opcode, fin, mask, bytes]) =>
    frameOf({ opcode, fin, payload: { t: 'bytes', bytes } }, mask),
  );
  const rsv = fc.tuple(fc.integer({ min: 1, max: 7 }), smallPayload, maskArb).map(([r, payload, mask]) => frameOf({ rsv: r, payload }, mask));
  const unmasked = smallPayload.map((payload) => frameOf({ payload }, null));
  const nonMinimal = fc.tuple(fc.constantFrom('16', '64') as fc.Arbitrary<'16' | '64'>, smallPayload, maskArb).map(([form, payload, mask]) => frameOf({ length: { form }, payload }, mask));
  const lie = fc
    .tuple(
      fc.constantFrom('7', '16', '64') as fc.Arbitrary<'7' | '16' | '64'>,
      fc.oneof(fc.bigInt({ min: 0n, max: 300n }), fc.constantFrom(126n, 127n, 65535n, 65536n, 1n << 24n, 1n << 31n, 1n << 32n)),
      smallPayload,
      fc.option(maskArb, { freq: 6 }),
    )
    .map(([width, declared, payload, mask]) => frameOf({ length: { form: 'declared', width, declared }, payload }, mask));
  const hugeDeclared = fc
    .tuple(fc.constantFrom(1n << 40n, (1n << 53n) - 1n, 1n << 53n, (1n << 63n) - 1n, 1n << 63n, (1n << 64n) - 1n, 64n << 20n, 33n << 20n, 17n << 20n), fc.uint8Array({ maxLength: 64 }), maskArb, fc.constantFrom(1, 2, 0))
    .map(([declared, bytes, mask, opcode]) => frameOf({ opcode, length: { form: 'declared', width: '64', declared }, payload: { t: 'bytes', bytes } }, mask));
  const controlBig = fc
    .tuple(fc.constantFrom(8, 9, 10), fc.integer({ min: 126, max: 400 }), fc.boolean(), maskArb)
    .map(([opcode, size, fin, mask]) => frameOf({ opcode, fin, payload: { t: 'filled', prefix: Uint8Array.of(0x03, 0xe8), size, byte: 0x61 } }, mask));
  const controlNotFinal = fc.tuple(fc.constantFrom(8, 9, 10), fc.uint8Array({ maxLength: 20 }), maskArb).map(([opcode, bytes, mask]) => frameOf({ opcode, fin: false, payload: { t: 'bytes', bytes } }, mask));
  const close = fc
    .tuple(fc.option(fc.constantFrom(...CLOSE_CODES), { freq: 8 }), fc.oneof(fc.uint8Array({ maxLength: 0 }), invalidUtf8Arb, fc.string({ maxLength: 30 }).map((s) => new TextEncoder().encode(s))), maskArb, fc.boolean())
    .map(([code, reason, mask, oneByte]) =>
      oneByte ? frameOf({ opcode: 8, payload: { t: 'bytes', bytes: Uint8Array.of(0x03) } }, mask) : frameOf({ opcode: 8, payload: { t: 'close', code, reason } }, mask),
    );
  const text = fc
    .tuple(fc.oneof(fc.string({ maxLength: 60 }).map((text): PayloadSpec => ({ t: 'utf8', text })), invalidUtf8Arb.map((bytes): PayloadSpec => ({ t: 'bytes', bytes }))), maskArb)
    .map(([payload, mask]) => frameOf({ opcode: 1, payload }, mask));
  const continuationFirst = fc.tuple(fc.boolean(), payloadBytes, maskArb).map(([fin, bytes, mask]) => frameOf({ opcode: 0, fin, payload: { t: 'bytes', bytes } }, mask));
  const fragmented: fc.Arbitrary<RawAction> = fc.record({
    t: fc.constant('fragmented' as const),
    opcode: fc.constantFrom(1, 2) as fc.Arbitrary<1 | 2>,
    message: fc.oneof(
      { weight: 3, arbitrary: fc.record({ t: fc.constant('y' as const), y: ySpecArb }) },
      { weight: 1, arbitrary: fc.record({ t: fc.constant('utf8' as const), text: fc.string({ maxLength: 40, unit: 'grapheme' }) }) },
      { weight: 1, arbitrary: fc.record({ t: fc.constant('bytes' as const), bytes: invalidUtf8Arb }) },
    ),
    cuts: fc.array(fc.nat(0xffff), { minLength: 1, maxLength: 12 }),
    interleave: fc.array(fc.record({ after: fc.nat(12), frame: fc.oneof(pingPong, controlFrame, controlBig) }), { maxLength: 3 }),
    breakWith: fc.constantFrom('none', 'none', 'new-data-frame', 'no-final', 'continuation-after-final') as fc.Arbitrary<'none' | 'new-data-frame' | 'no-final' | 'continuation-after-final'>,
    mask: maskArb,
  });
  const manyTiny = fc.tuple(ySpecArb, maskArb).map(
    ([y, mask]): RawAction => ({ t: 'fragmented', opcode: 2, message: { t: 'y', y }, cuts: Array.from({ length: 64 }, (_, i) => i + 1), interleave: [], breakWith: 'none', mask }),
  );
  const resetMid = fc.record({ t: fc.constant('reset-mid-frame' as const), frame: fc.oneof(validBinaryY, random, hugeDeclared), cut: fc.nat(0xffff) });
  const resetBefore = fc.record({ t: fc.constant('reset-before-101' as const), authenticated: fc.boolean(), cut: fc.option(fc.nat(0xffff), { freq: 3 }), wait: fc.boolean() });
  const badUpgrade = fc.record({
    t: fc.constant('bad-upgrade' as const),
    variant: fc.constantFrom('no-token', 'bad-token', 'unknown-document', 'bad-percent-encoding', 'no-key', 'bad-version', 'no-upgrade-header', 'post-method', 'huge-header', 'garbage') as fc.Arbitrary<BadUpgrade>,
  });
  const withHead = fc.record({ t: fc.constant('upgrade-with-head' as const), frames: fc.array(fc.oneof(validBinaryY, random), { minLength: 1, maxLength: 4 }) });

  const arbs: fc.WeightedArbitrary<RawAction>[] = [
    { weight: 6, arbitrary: framesAction('ws:random', fc.array(random, { minLength: 1, maxLength: 3 })) },
    { weight: 2, arbitrary: framesAction('ws:reserved-opcode', one(reserved)) },
    { weight: 2, arbitrary: framesAction('ws:rsv-bits', one(rsv)) },
    { weight: 2, arbitrary: framesAction('ws:unmasked', one(unmasked)) },
    { weight: 1, arbitrary: framesAction('ws:length-non-minimal', one(nonMinimal)) },
    { weight: 3, arbitrary: framesAction('ws:length-lie', fc.tuple(lie, validBinaryY).map(([a, b]) => [a, b])) },
    { weight: 2, arbitrary: framesAction('ws:length-huge', one(hugeDeclared)) },
    { weight: 2, arbitrary: framesAction('ws:control-oversized', one(controlBig)) },
    { weight: 1, arbitrary: framesAction('ws:control-not-final', one(controlNotFinal)) },
    { weight: 2, arbitrary: framesAction('ws:close', one(close)) },
    { weight: 2, arbitrary: framesAction('ws:text', one(text)) },
    { weight: 2, arbitrary: framesAction('ws:ping', fc.array(pingPong, { minLength: 1, maxLength: 3 })) },
    { weight: 2, arbitrary: framesAction('ws:continuation-first', one(continuationFirst)) },
    { weight: 4, arbitrary: fragmented },
    { weight: 1, arbitrary: manyTiny },
    { weight: 8, arbitrary: framesAction('ws:binary-y', fc.array(validBinaryY, { minLength: 1, maxLength: 4 })) },
    { weight: 2, arbitrary: resetMid },
    { weight: 2, arbitrary: resetBefore },
    { weight: 1, arbitrary: badUpgrade },
    { weight: 1, arbitrary: withHead },
  ];
  if (opts.bigPayloads) {
    // Real payloads of a few MB up to just under 10 MB: over a limit of a few MB, never more than ~10 MB sent.
    const size = fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 16 * 1024, max: 1 << 20 }) },
      { weight: 1, arbitrary: fc.constantFrom((2 << 20) + 1, (4 << 20) + 1, (8 << 20) + 1, MAX_REAL_PAYLOAD) },
    );
    const big = fc
      .tuple(size, fc.constantFrom(0, 1, 2, 0x61, 0xff), maskArb, fc.constantFrom('raw', 'awareness', 'update'))
      .map(([size, byte, mask, shape]) => {
        // Prefixes that make the payload a plausible y-protocols message of that size.
        const prefix =
          shape === 'awareness'
            ? Uint8Array.of(MESSAGE_AWARENESS, ...varUint(size - 8), 1, 1, 1, ...varUint(size - 16), 0x22)
            : shape === 'update'
              ? Uint8Array.of(MESSAGE_SYNC, SYNC_UPDATE, ...varUint(size - 8))
              : new Uint8Array(0);
        return frameOf({ payload: { t: 'filled', prefix, size, byte } }, mask);
      });
    arbs.push({ weight: 1, arbitrary: framesAction('ws:oversized-payload', one(big)) });
  }
  return fc.oneof(...arbs);
}

function varUint(n: number): number[] {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, n);
  return [...encoding.toUint8Array(e)];
}

export function rawKind(a: RawAction): string {
  switch (a.t) {
    case 'frames':
      return a.kind;
    case 'fragmented':
      return a.breakWith === 'none' ? (a.interleave.length > 0 ? 'ws:fragmented-interleaved' : 'ws:fragmented') : `ws:fragmented-${a.breakWith}`;
    case 'reset-mid-frame':
      return 'tcp:reset-mid-frame';
    case 'reset-before-101':
      return a.authenticated ? 'tcp:reset-before-101' : 'tcp:reset-before-401';
    case 'bad-upgrade':
      return `http:bad-upgrade`;
    case 'upgrade-with-head':
      return 'ws:frames-with-upgrade';
  }
}

/** The payload of a frame, unmasked. */
export function materializePayload(p: PayloadSpec, ctx: FrameContext): Uint8Array {
  switch (p.t) {
    case 'bytes':
      return p.bytes;
    case 'filled': {
      const out = new Uint8Array(Math.max(p.size, p.prefix.length));
      out.fill(p.byte);
      out.set(p.prefix, 0);
      return out;
    }
    case 'y':
      return materializeY(p.y, ctx);
    case 'close': {
      if (p.code === null) return new Uint8Array(0);
      const out = new Uint8Array(2 + p.reason.length);
      out[0] = (p.code >> 8) & 0xff;
      out[1] = p.code & 0xff;
      out.set(p.reason, 2);
      return out;
    }
    case 'utf8':
      return new TextEncoder().encode(p.text);
  }
}

/** A WebSocket frame as bytes on the wire: header, masking key, (masked) payload. */
export function encodeFrame(spec: Omit<FrameSpec, 'payload'>, payload: Uint8Array): Buffer {
  const header: number[] = [((spec.fin ? 1 : 0) << 7) | ((spec.rsv & 7) << 4) | (spec.opcode & 0xf)];
  const maskBit = spec.mask ? 0x80 : 0;
  const len = BigInt(payload.length);
  const L = spec.length;
  const width = L.form === 'minimal' ? (payload.length <= 125 ? '7' : payload.length <= 0xffff ? '16' : '64') : L.form === 'declared' ? L.width : L.form;
  const declared = L.form === 'declared' ? L.declared : len;
  if (width === '7') header.push(maskBit | Number(declared & 0x7fn));
  else if (width === '16') header.push(maskBit | 126, Number((declared >> 8n) & 0xffn), Number(declared & 0xffn));
  else {
    header.push(maskBit | 127);
    for (let i = 7; i >= 0; i--) header.push(Number((declared >> BigInt(i * 8)) & 0xffn));
  }
  const out = Buffer.allocUnsafe(header.length + (spec.mask ? 4 : 0) + payload.length);
  out.set(header, 0);
  let o = header.length;
  if (spec.mask) {
    out.set(spec.mask, o);
    o += 4;
    const m = spec.mask;
    for (let i = 0; i < payload.length; i++) out[o + i] = payload[i]! ^ m[i & 3]!;
  } else {
    out.set(payload, o);
  }
  return out;
}

/** The frames of a fragmented action, in wire order. */
export function fragmentFrames(a: Extract<RawAction, { t: 'fragmented' }>, ctx: FrameContext): Buffer[] {
  const message = materializePayload(a.message, ctx);
  const cuts = [...new Set(a.cuts.map((c) => (message.length === 0 ? 0 : c % (message.length + 1))))].sort((x, y) => x - y);
  const bounds = [0, ...cuts.filter((c) => c > 0 && c < message.length), message.length];
  const pieces: Uint8Array[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) pieces.push(message.subarray(bounds[i], bounds[i + 1]));
  if (pieces.length === 0) pieces.push(new Uint8Array(0));
  const frames: Buffer[] = [];
  const control = (i: number) => {
    for (const x of a.interleave) if (x.after % (pieces.length + 1) === i) frames.push(encodeFrame(x.frame, materializePayload(x.frame.payload, ctx)));
  };
  pieces.forEach((piece, i) => {
    const last = i === pieces.length - 1;
    const fin = last && a.breakWith !== 'no-final';
    const opcode = i === 0 ? a.opcode : a.breakWith === 'new-data-frame' && i === 1 ? a.opcode : 0;
    frames.push(encodeFrame({ fin, rsv: 0, opcode, mask: a.mask, length: { form: 'minimal' } }, piece));
    control(i + 1);
  });
  if (a.breakWith === 'continuation-after-final') frames.push(encodeFrame({ fin: true, rsv: 0, opcode: 0, mask: a.mask, length: { form: 'minimal' } }, Uint8Array.of(1, 2, 3)));
  return frames;
}

// ---------------------------------------------------------------------------
// A batch: frames, each on a connection of a role
// ---------------------------------------------------------------------------

/** Which connection a frame goes on: a new one, or one of a few per role (reused). */
export type ConnSpec = { fresh: true } | { slot: number };

export type ActionBody = { level: 'raw'; raw: RawAction } | { level: 'ws'; y: YSpec };

export interface FuzzAction {
  /** Index into ROLES; a read-only batch maps editors to stakeholder/observer. */
  role: number;
  conn: ConnSpec;
  body: ActionBody;
}

export interface FuzzBatch {
  /** Only stakeholder/observer (and unauthenticated) connections: the stored state must not change. */
  readOnly: boolean;
  actions: FuzzAction[];
}

export const POOL_SLOTS = 3;

export function actionArb(opts: { bigPayloads: boolean }): fc.Arbitrary<FuzzAction> {
  return fc.record({
    role: fc.nat(2),
    conn: fc.oneof({ weight: 3, arbitrary: fc.record({ slot: fc.nat(POOL_SLOTS - 1) }) }, { weight: 1, arbitrary: fc.constant({ fresh: true as const }) }),
    body: fc.oneof(
      { weight: 1, arbitrary: rawActionArb(opts).map((raw): ActionBody => ({ level: 'raw', raw })) },
      { weight: 1, arbitrary: ySpecArb.map((y): ActionBody => ({ level: 'ws', y })) },
    ),
  });
}

/**
 * Batches of 1–maxFrames actions (uniform length). Shrinking drops chunks of
 * actions first, halves before quarters (delta debugging): the one frame that
 * kills the server is isolated in about log2(n) runs, wherever it sits in the
 * batch (fc.array's shrinker keeps the tail, so a culprit at the start costs
 * many runs, and every failing run here costs a server restart). Then each
 * remaining action is simplified by its own arbitrary's shrinker.
 */
class BatchArbitrary extends fc.Arbitrary<FuzzBatch> {
  constructor(
    private readonly action: fc.Arbitrary<FuzzAction>,
    private readonly maxFrames: number,
  ) {
    super();
  }

  generate(mrng: fc.Random, biasFactor: number | undefined): fc.Value<FuzzBatch> {
    const readOnly = mrng.nextInt(0, 1) === 1;
    const n = mrng.nextInt(1, this.maxFrames);
    const items = Array.from({ length: n }, () => this.action.generate(mrng, biasFactor));
    return new fc.Value<FuzzBatch>({ readOnly, actions: items.map((v) => v.value) }, { contexts: items.map((v) => v.context) });
  }

  canShrinkWithoutContext(value: unknown): value is FuzzBatch {
    return false;
  }

  shrink(value: FuzzBatch, context: unknown): fc.Stream<fc.Value<FuzzBatch>> {
    if (context === undefined) return fc.Stream.nil();
    return new fc.Stream(this.candidates(value, (context as { contexts: unknown[] }).contexts));
  }

  private *candidates(batch: FuzzBatch, contexts: unknown[]): IterableIterator<fc.Value<FuzzBatch>> {
    const n = batch.actions.length;
    const make = (actions: FuzzAction[], ctxs: unknown[]) => new fc.Value<FuzzBatch>({ readOnly: batch.readOnly, actions }, { contexts: ctxs });
    for (let size = Math.ceil(n / 2); size >= 1 && n > 1; size = size === 1 ? 0 : Math.ceil(size / 2)) {
      for (let start = 0; start < n; start += size) {
        const keep = (_: unknown, i: number) => i < start || i >= start + size;
        if (n - Math.min(size, n - start) < 1) continue;
        yield make(batch.actions.filter(keep), contexts.filter(keep));
      }
    }
    for (let i = 0; i < n; i++) {
      for (const smaller of this.action.shrink(batch.actions[i]!, contexts[i])) {
        const actions = [...batch.actions];
        const ctxs = [...contexts];
        actions[i] = smaller.value;
        ctxs[i] = smaller.context;
        yield make(actions, ctxs);
      }
    }
  }
}

export function batchArb(opts: { maxFrames: number; bigPayloads: boolean }): fc.Arbitrary<FuzzBatch> {
  return new BatchArbitrary(actionArb(opts), opts.maxFrames);
}

export function roleOf(batch: FuzzBatch, action: FuzzAction, index: number): Role {
  const role = ROLES[action.role % ROLES.length]!;
  if (batch.readOnly && role === 'editor') return index % 2 === 0 ? 'stakeholder' : 'observer';
  return role;
}

export function actionKind(a: FuzzAction): string {
  return a.body.level === 'ws' ? yKind(a.body.y) : rawKind(a.body.raw);
}

// ---------------------------------------------------------------------------
// HTTP upgrade requests, written by hand
// ---------------------------------------------------------------------------

export function upgradeRequest(host: string, path: string, key: string, extra: Record<string, string> = {}, method = 'GET'): string {
  const headers: Record<string, string> = {
    Host: host,
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': key,
    'Sec-WebSocket-Version': '13',
    ...extra,
  };
  return `${method} ${path} HTTP/1.1\r\n${Object.entries(headers)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
}

export function badUpgradeRequest(variant: BadUpgrade, host: string, token: string, key: string): string {
  switch (variant) {
    case 'no-token':
      return upgradeRequest(host, '/collab/gpp', key);
    case 'bad-token':
      return upgradeRequest(host, '/collab/gpp?token=not-a-token', key);
    case 'unknown-document':
      return upgradeRequest(host, `/collab/no-such-doc?token=${token}`, key);
    case 'bad-percent-encoding':
      return upgradeRequest(host, `/collab/%E0%A4%A?token=${token}`, key);
    case 'no-key':
      return upgradeRequest(host, `/collab/gpp?token=${token}`, key, { 'Sec-WebSocket-Key': '' });
    case 'bad-version':
      return upgradeRequest(host, `/collab/gpp?token=${token}`, key, { 'Sec-WebSocket-Version': '8' });
    case 'no-upgrade-header':
      return upgradeRequest(host, `/collab/gpp?token=${token}`, key, { Upgrade: 'h2c' });
    case 'post-method':
      return upgradeRequest(host, `/collab/gpp?token=${token}`, key, {}, 'POST');
    case 'huge-header':
      return upgradeRequest(host, `/collab/gpp?token=${token}`, key, { 'X-Padding': 'p'.repeat(20_000) });
    case 'garbage':
      return `\x00\xff GARBAGE /collab/gpp?token=${token}\r\n\r\n`;
  }
}
