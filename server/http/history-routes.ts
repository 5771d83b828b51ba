// The continuous history of a document: its points, the text at a point, a
// redline between any two points, versions or the live text, and the
// signed-in account's last visit. Read like the document itself.
import { Router } from 'express';
import type { AttributionService } from '../attribution/service';
import { historyPointParams, historyRedlineQuery, refName } from '../../core/history';
import type { HistoryService } from '../history/service';
import { exportHeaders } from './headers';
import { currentUser, requireUser } from './identity';
import { docIdParam } from './query';

export function historyRoutes(history: HistoryService, attribution: AttributionService): Router {
  const router = Router();
  // Who was active at a point is attribution: shown to whom the document's policy shows names (namesShown).

  router.get('/api/documents/:id/history', async (req, res) => {
    const docId = docIdParam(req);
    res.json({ points: await history.list(docId, await attribution.namesShown(docId, currentUser(req))) });
  });

  router.get('/api/documents/:id/history/redline', async (req, res) => {
    const query = historyRedlineQuery.parse(req.query);
    const docId = docIdParam(req);
    const rendered = await history.redline(docId, query.from, query.to, query.format);
    res.type(rendered.contentType);
    if (query.format === 'html') exportHeaders(res);
    if (req.query.download !== undefined) res.attachment(`${docId}-redline-${refName(query.from)}-to-${refName(query.to)}.${query.format}`);
    res.send(rendered.body);
  });

  router.get('/api/documents/:id/history/last-visit', async (req, res) => {
    const user = requireUser(req);
    res.json({ visit: await history.lastVisit(docIdParam(req), user.id) });
  });

  router.get('/api/documents/:id/history/:n', async (req, res) => {
    const { n } = historyPointParams.parse(req.params);
    const docId = docIdParam(req);
    res.type('application/json').send(await history.viewJson(docId, n, await attribution.namesShown(docId, currentUser(req))));
  });

  return router;
}
