// A remote presence state is drawn only when y-prosemirror can resolve its
// cursor: the client's own defence, beside the server's (issue: one
// observer's `cursor: { anchor: null, head: null }` stopped every editor).
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { isPresenceCursor } from '../core/presence';
import { drawableCursorState } from '../client/editor/presence';

const doc = new Y.Doc();
const text = doc.getXmlFragment('content');
text.insert(0, [new Y.XmlText('hello')]);
const valid = {
  anchor: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, 0)),
  head: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, 1)),
};

describe('presence cursors', () => {
  it('accepts the cursors y-prosemirror writes, and states without a cursor', () => {
    expect(isPresenceCursor(valid)).toBe(true);
    expect(isPresenceCursor({ anchor: { tname: 'content' }, head: { tname: 'content', assoc: -1 } })).toBe(true);
    expect(drawableCursorState(1, 2, { user: { name: 'A' }, cursor: valid })).toBe(true);
    expect(drawableCursorState(1, 2, { user: { name: 'A' } })).toBe(true);
    expect(drawableCursorState(1, 2, { cursor: null })).toBe(true);
  });

  it('refuses every malformed cursor, never throwing, and never draws our own', () => {
    const bad: unknown[] = [
      { anchor: null, head: null },
      { anchor: valid.anchor },
      { anchor: valid.anchor, head: 'x' },
      { anchor: {}, head: {} },
      { anchor: { item: { client: -1, clock: 0 } }, head: valid.head },
      { anchor: { item: { client: 1, clock: 1.5 } }, head: valid.head },
      { anchor: { type: 'x' }, head: valid.head },
      { anchor: { tname: 5 }, head: valid.head },
      { anchor: { ...valid.anchor, assoc: 'left' }, head: valid.head },
      [],
      'cursor',
      42,
    ];
    for (const cursor of bad) {
      expect(isPresenceCursor(cursor)).toBe(false);
      expect(drawableCursorState(1, 2, { user: { name: 'A' }, cursor })).toBe(false);
    }
    const hostile = { get cursor(): unknown { throw new Error('boom'); } };
    expect(drawableCursorState(1, 2, hostile)).toBe(false);
    expect(drawableCursorState(7, 7, { cursor: valid })).toBe(false);
  });

  it('what it accepts, y-prosemirror can read back', () => {
    for (const c of [valid, { anchor: { tname: 'content' }, head: { tname: 'content' } }]) {
      expect(() => Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(c.anchor), doc)).not.toThrow();
    }
  });
});
