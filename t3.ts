import { parseMarkdown } from './core/markdown';
import { redline } from './core/redline/index';
import { redlineDocx } from './server/export/docx';
import { resolveTrackedChanges } from './tests/helpers/libreoffice';
import { CORPUS } from './tests/redline-corpus';
const files = new Map<string, Uint8Array>();
for (const p of CORPUS.slice(-4)) {
  const r = redline({ ref: 1, title: 'C', doc: parseMarkdown(p.old).doc.toJSON() as any }, { ref: 2, title: 'C', doc: parseMarkdown(p.new).doc.toJSON() as any });
  files.set(p.name, await redlineDocx(r));
}
const res = await resolveTrackedChanges(files);
for (const [k, v] of res) { console.log('==', k); console.log('ACCEPT:', JSON.stringify(v.accept.split('\n').slice(-14))); console.log('REJECT:', JSON.stringify(v.reject.split('\n').slice(-14))); }
