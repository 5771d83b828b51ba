import { cleanPdf } from '../server/export/pdf';
import { manySections } from '../tests/helpers/documents';
const doc = manySections(60000);
const json = JSON.stringify(doc);
console.log('json bytes', json.length);
for (let i = 0; i < 2; i++) { const c0 = process.cpuUsage(); const s = performance.now(); const content = JSON.parse(json); const pdf = await cleanPdf('Big', content, { label: 'V1', date: '2026-01-01T00:00:00Z', contentHash: 'sha256:00' }); console.log('pdf', pdf.length, (performance.now() - s).toFixed(0), 'cpu', (process.cpuUsage(c0).user / 1000).toFixed(0)); }
