// A hostile client on a stakeholder's (read-only) connection speaks raw
// y-protocols: crafted sync updates that insert, delete and reformat text,
// restructure sections, or forge the server's amendment counter; then
// malformed frames. None changes the document or its storage, the sender is
// told (permission denied) or disconnected (malformed), and an editor on
// another connection keeps working throughout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import { CONTENT_FIELD } from '../core/schema';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';
import { connect, paragraphText, sleep, waitFor, type Client } from './helpers/ws';
import { rawClient } from './helpers/raw-client';
import { syncFrame } from './helpers/y-frames';

const SYNC = 0;
const AWARENESS = 1;

/** The update a change to the client's copy produces (the change stays local: nothing is sent). */
function craft(doc: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const updates: Uint8Array[] = [];
  const listen = (u: Uint8Array, origin: unknown) => {
    if (origin !== 'server') updates.push(u);
  };
  doc.on('update', listen);
  doc.transact(() => change(doc), 'hostile');
  doc.off('update', listen);
  return Y.mergeUpdates(updates);
}

function sectionOf(doc: Y.Doc, id: string): Y.XmlElement {
  return doc
    .getXmlFragment(CONTENT_FIELD)
    .toArray()
    .find((s) => s instanceof Y.XmlElement && s.getAttribute('id') === id) as Y.XmlElement;
}

let server: TestServer;
let editor: TestUser;
let stakeholder: TestUser;
let observer: TestUser;

// The server's log, captured (the refusals must be logged, not just dropped).
const serverLog: string[] = [];
const consoleLog = console.log;

beforeAll(async () => {
  console.log = (...args: unknown[]) => {
    serverLog.push(args.map(String).join(' '));
  };
  server = await startTestServer({ config: { quiet: false } });
  editor = await server.createUser('editor', 'Eve Editor');
  stakeholder = await server.createUser('stakeholder', 'Mallory Stakeholder');
  observer = await server.createUser('observer', 'Oscar Observer');
});
afterAll(async () => {
  await server.close();
  console.log = consoleLog;
});

describe('a hostile client on a read-only connection', () => {
  let good: Client;
  let db: Database.Database;
  const stored = () => (db.prepare("SELECT count(*) AS n FROM updates WHERE doc_id = 'gpp'").get() as { n: number }).n;
  const serverMarkdown = async () => ((await (await server.api('/api/documents/gpp')).json()) as { markdown: string }).markdown;

  beforeAll(async () => {
    good = await connect(server.wsUrl, 'gpp', editor.token);
    db = new Database(join(server.dataDir, 'accord.sqlite'), { readonly: true });
  });
  afterAll(() => {
    good.destroy();
    db.close();
  });

  /** The editor types; it must reach the server and be the only change there. */
  async function editorStillWorks(marker: string, before: string): Promise<void> {
    paragraphText(good.doc, 'security').insert(0, `${marker} `);
    await expect.poll(serverMarkdown, { timeout: 5000 }).toContain(marker);
    expect(good.text().length).toBe(before.length + marker.length + 1);
  }

  const attacks: [string, (doc: Y.Doc) => void][] = [
    ['insert text', (d) => paragraphText(d, 'privacy').insert(0, 'HOSTILE INSERT ')],
    ['delete text', (d) => paragraphText(d, 'privacy').delete(0, 40)],
    ['reformat text', (d) => paragraphText(d, 'privacy').format(0, 30, { strong: {} })],
    ['link text', (d) => paragraphText(d, 'transparency').format(0, 10, { link: { href: 'https://evil.example', title: null } })],
    ['delete a section', (d) => d.getXmlFragment(CONTENT_FIELD).delete(d.getXmlFragment(CONTENT_FIELD).length - 1, 1)],
    ['rename a section', (d) => sectionOf(d, 'privacy').setAttribute('id', 'hijacked')],
    ['add a paragraph', (d) => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText('HOSTILE PARAGRAPH')]);
      sectionOf(d, 'security').insert(1, [p]);
    }],
    ['forge the amendment counter', (d) => d.getMap('accord').set('amendmentsRevision', 999)],
    ['write another root type', (d) => d.getText('elsewhere').insert(0, 'HOSTILE')],
  ];

  for (const role of ['stakeholder', 'observer'] as const) {
    it(`${role}: crafted updates (insert, delete, format, structure, forged map) are dropped, stored nowhere, relayed to no one`, async () => {
      const token = role === 'stakeholder' ? stakeholder.token : observer.token;
      const hostile = await rawClient(`${server.wsUrl}/collab/gpp?token=${token}`);
      const before = good.text();
      const markdownBefore = await serverMarkdown();
      const storedBefore = stored();
      let sent = 0;
      for (const [, attack] of attacks) {
        const update = craft(hostile.doc, attack);
        expect(update.length).toBeGreaterThan(2);
        // As an incremental update and as a sync step 2 answer: both paths are checked.
        hostile.send(syncFrame(syncProtocol.messageYjsUpdate, update));
        hostile.send(syncFrame(syncProtocol.messageYjsSyncStep2, update));
        sent += 2;
      }
      await waitFor(() => hostile.denials.length >= sent, 5000, 'permission-denied answers');
      expect(hostile.denials.every((r) => /cannot change the text/.test(r))).toBe(true);
      expect(hostile.isOpen()).toBe(true); // told, not cut off: it may still read and propose amendments
      const user = role === 'stakeholder' ? stakeholder : observer;
      expect(serverLog.filter((line) => line.includes(`refused a text change on gpp from ${role} ${user.id}`)).length).toBeGreaterThanOrEqual(sent);

      await sleep(200);
      expect(good.text()).toBe(before);
      expect(good.doc.getMap('accord').get('amendmentsRevision')).toBeUndefined();
      expect(good.doc.getText('elsewhere').toString()).toBe('');
      expect(stored()).toBe(storedBefore);
      expect(await serverMarkdown()).toBe(markdownBefore);

      // The editor keeps working, and the hostile connection still receives the live text.
      const marker = `EDITOR-AFTER-${role.toUpperCase()}`;
      await editorStillWorks(marker, before);
      await waitFor(() => hostile.doc.getXmlFragment(CONTENT_FIELD).toString().includes(marker), 5000, 'relay to the read-only connection');
      hostile.ws.close();
    });
  }

  it('a replayed update the server already has is ignored quietly (a read-only client may resend what it received)', async () => {
    const hostile = await rawClient(`${server.wsUrl}/collab/gpp?token=${stakeholder.token}`);
    const storedBefore = stored();
    hostile.send(syncFrame(syncProtocol.messageYjsSyncStep2, Y.encodeStateAsUpdate(hostile.doc)));
    await sleep(200);
    expect(hostile.denials).toEqual([]);
    expect(stored()).toBe(storedBefore);
    hostile.ws.close();
  });

  const malformed: [string, () => Uint8Array | Buffer | string][] = [
    ['an empty frame', () => new Uint8Array(0)],
    ['an unknown message type', () => Uint8Array.of(99, 1, 2, 3)],
    ['an unknown sync type', () => Uint8Array.of(SYNC, 7, 0)],
    ['a truncated sync update', () => Uint8Array.of(SYNC, 2, 50, 1, 2, 3)],
    ['garbage as an update', () => Uint8Array.of(SYNC, 2, 9, 255, 255, 255, 255, 1, 2, 3, 4, 5)],
    ['an absurd length prefix', () => Uint8Array.of(SYNC, 2, 255, 255, 255, 255, 15)],
    ['garbage as a state vector', () => Uint8Array.of(SYNC, 0, 4, 255, 255, 255, 255)],
    ['garbage as awareness', () => Uint8Array.of(AWARENESS, 5, 1, 255, 255, 255, 255)],
    ['a text frame', () => 'hello'],
  ];

  for (const [name, frame] of malformed) {
    it(`${name} closes only the sender's connection and harms nothing`, async () => {
      const hostile = await rawClient(`${server.wsUrl}/collab/gpp?token=${stakeholder.token}`);
      const before = good.text();
      const storedBefore = stored();
      hostile.send(frame());
      const { code } = await hostile.closed;
      expect([1003, 1007]).toContain(code);
      if (code === 1007) expect(serverLog.some((line) => line.includes(`closing ${stakeholder.id} on gpp: malformed frame`))).toBe(true);
      expect(good.provider.wsconnected).toBe(true);
      expect(good.text()).toBe(before);
      expect(stored()).toBe(storedBefore);
      await editorStillWorks(`EDITOR-AFTER-${name.replace(/\W+/g, '-').toUpperCase()}`, before);
    });
  }

  it('a malformed update from an editor connection is refused as well', async () => {
    const hostile = await rawClient(`${server.wsUrl}/collab/gpp?token=${editor.token}`);
    const before = good.text();
    hostile.send(Uint8Array.of(SYNC, 2, 6, 0, 1, 200, 200, 200, 200));
    expect((await hostile.closed).code).toBe(1007);
    await editorStillWorks('EDITOR-AFTER-MALFORMED-EDITOR', before);
  });

  it('awareness (presence) still flows from a read-only connection', async () => {
    const hostile = await rawClient(`${server.wsUrl}/collab/gpp?token=${stakeholder.token}`);
    const awareness = new awarenessProtocol.Awareness(hostile.doc);
    awareness.setLocalStateField('user', { name: 'Mallory' });
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, AWARENESS);
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, [hostile.doc.clientID]));
    hostile.send(encoding.toUint8Array(encoder));
    // The server stamps the account's identity over the claimed name.
    await waitFor(() => [...good.provider.awareness.getStates().values()].some((s) => (s.user as { id?: string } | undefined)?.id === stakeholder.id), 5000, 'presence');
    awareness.destroy();
    hostile.ws.close();
  });
});
