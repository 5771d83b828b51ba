// One editor's client can no longer brick the document. Over a real server:
// updates the schema cannot hold are refused (permission denied; not applied,
// stored or relayed), reads never write, and a document that already holds
// invalid structure still loads, reads and exports, while freezing it is a
// clear 422 rather than a signed invalid text.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { CONTENT_FIELD } from '../core/schema';
import { startTestServer, type TestServer } from './helpers/server';
import { connect, paragraphText, sleep, waitFor, type Client } from './helpers/ws';
import { updateFrame } from './helpers/rooms';
import { rawClient } from './helpers/raw-client';

let server: TestServer | undefined;
const clients: Client[] = [];
afterEach(async () => {
  clients.splice(0).forEach((c) => c.destroy());
  await server?.close();
  server = undefined;
});

/** The sequence number of the last stored update, compacted or not: it moves only when something is written. */
function lastStoredSeq(dataDir: string): number {
  const db = new Database(join(dataDir, 'accord.sqlite'), { readonly: true });
  try {
    const q = "SELECT max(coalesce((SELECT max(seq) FROM updates), 0), coalesce((SELECT max(upto) FROM snapshots), 0)) AS n";
    return (db.prepare(q).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function change(doc: Y.Doc, fn: (d: Y.Doc) => void): Uint8Array {
  const before = Y.encodeStateVector(doc);
  fn(doc);
  return Y.encodeStateAsUpdate(doc, before);
}

describe('the schema gate over a real server', () => {
  it('refuses each bricking update from an editor; reads keep working and never write; others never see it', async () => {
    server = await startTestServer();
    const editor = await server.createUser('editor');
    const witness = await connect(server.wsUrl, 'gpp', editor.token);
    clients.push(witness);
    const cases: [string, (d: Y.Doc) => void][] = [
      ['top-level XmlText', (d) => d.getXmlFragment(CONTENT_FIELD).insert(0, [new Y.XmlText('brick')])],
      ['unknown element', (d) => ((d.getXmlFragment(CONTENT_FIELD).get(0) as Y.XmlElement).insert(1, [new Y.XmlElement('script')]))],
      ['paragraph outside any section', (d) => d.getXmlFragment(CONTENT_FIELD).insert(1, [new Y.XmlElement('paragraph')])],
      ['another root type', (d) => d.getMap('accord').set('amendmentsRevision', 99)],
    ];
    for (const [name, fn] of cases) {
      const raw = await rawClient(`${server.wsUrl}/collab/gpp?token=${editor.token}`);
      const rows = lastStoredSeq(server.dataDir);
      raw.send(updateFrame(change(raw.doc, fn)));
      await waitFor(() => raw.denials.length > 0, 5000, `denial for ${name}`);
      expect(raw.denials[0], name).toMatch(/^update refused/);
      const res = await server.api('/api/documents/gpp');
      expect(res.status, name).toBe(200);
      expect(lastStoredSeq(server.dataDir), name).toBe(rows);
      raw.ws.close();
    }
    expect(witness.doc.getXmlFragment(CONTENT_FIELD).toArray().every((n) => n instanceof Y.XmlElement && n.nodeName === 'section')).toBe(true);
    // The document still edits, reads and freezes.
    paragraphText(witness.doc, 'privacy').insert(0, 'still fine ');
    await sleep(300);
    expect(((await (await server.api('/api/documents/gpp')).json()) as { markdown: string }).markdown).toContain('still fine');
    const frozen = await server.api('/api/documents/gpp/versions', { method: 'POST', token: editor.token, body: { label: 'after the attack' } });
    expect(frozen.status).toBe(201);
  });

  it('a document that already holds invalid structure loads, reads and exports without writing; freezing it is a 422', async () => {
    server = await startTestServer();
    const dataDir = server.dataDir;
    // Before the gate existed, invalid structure could be stored: write it straight into the store.
    await server.server.close();
    const db = new Database(join(dataDir, 'accord.sqlite'));
    const rows = db.prepare("SELECT data FROM updates WHERE doc_id = 'gpp' ORDER BY seq").all() as { data: Buffer }[];
    const doc = new Y.Doc();
    for (const r of rows) Y.applyUpdate(doc, new Uint8Array(r.data));
    const invalid = change(doc, (d) => {
      const content = d.getXmlFragment(CONTENT_FIELD);
      content.insert(0, [new Y.XmlText('stray top-level text')]);
      (content.get(2) as Y.XmlElement).insert(1, [new Y.XmlElement('script')]);
      content.insert(3, [new Y.XmlElement('paragraph')]);
    });
    db.prepare("INSERT INTO updates (doc_id, data) VALUES ('gpp', ?)").run(Buffer.from(invalid));
    db.close();
    server = await startTestServer({ dataDir });
    const editor = await server.createUser('editor');
    const before = lastStoredSeq(dataDir);

    const res = await server.api('/api/documents/gpp');
    expect(res.status).toBe(200);
    const view = (await res.json()) as { markdown: string; sections: { id: string }[] };
    expect(view.markdown).toContain('## Privacy');
    expect(view.markdown).not.toContain('stray top-level text');
    expect(view.sections.map((s) => s.id)).toContain('security');
    expect((await server.api('/api/documents/gpp/redline?from=3&to=live')).status).toBe(200);
    expect((await server.api('/api/documents/gpp/amendments/export?format=html')).status).toBe(200);

    const frozen = await server.api('/api/documents/gpp/versions', { method: 'POST', token: editor.token, body: { label: 'would sign invalid text' } });
    expect(frozen.status).toBe(422);
    const body = (await frozen.json()) as { error: { code: string; message: string } };
    expect(body.error.message).toMatch(/structure/);

    // An editor's browser still loads it; reads wrote nothing.
    const client = await connect(server.wsUrl, 'gpp', editor.token);
    clients.push(client);
    expect(client.doc.getXmlFragment(CONTENT_FIELD).length).toBeGreaterThan(5);
    await new Promise((r) => setTimeout(r, 200));
    expect(lastStoredSeq(dataDir)).toBe(before);
  });
});
