// Attribution: who wrote what (live text or a version), the contributions
// report, the client id -> author map the editor colours text with, and the
// document's attribution policy (chairs set it).
import { Router, type Request } from 'express';
import { attributionPolicyBody } from '../../core/api';
import type { AttributionService, TextRef } from '../attribution/service';
import { badRequest, msg, notFound } from './errors';
import { currentUser, requireRole } from './identity';
import { docIdParam } from './query';

export function attributionRoutes(attribution: AttributionService): Router {
  const router = Router();

  router.get('/api/documents/:id/attribution', async (req, res) => {
    res.json(await attribution.visible(docIdParam(req), textRefOf(req), currentUser(req)));
  });

  router.get('/api/documents/:id/contributions', async (req, res) => {
    res.json(await attribution.contributions(docIdParam(req), textRefOf(req), currentUser(req)));
  });

  router.get('/api/documents/:id/attribution/clients', async (req, res) => {
    const id = docIdParam(req);
    if ((await attribution.access(id, currentUser(req))) !== 'names') {
      throw notFound(msg('attribution.namesHidden', { id }));
    }
    const clients: Record<string, unknown> = {};
    for (const [client, who] of await attribution.owners(id)) clients[String(client)] = { author: who.author, at: who.at, ...(who.note ? { note: who.note } : {}) };
    res.json({ clients });
  });

  router.get('/api/documents/:id/attribution/policy', async (req, res) => {
    const { visibility, publicShares } = await attribution.policy(docIdParam(req));
    res.json({ visibility, publicShares });
  });

  router.put('/api/documents/:id/attribution/policy', async (req, res) => {
    const user = requireRole(req, ['chair'], 'setAttributionPolicy');
    const body = attributionPolicyBody.parse(req.body);
    const stored = await attribution.setPolicy(docIdParam(req), body, user);
    res.json({ visibility: stored.visibility, publicShares: stored.publicShares, setBy: stored.setBy, setAt: stored.setAt });
  });

  return router;
}

/** `?version=<n|live>`; live when absent. */
function textRefOf(req: Request): TextRef {
  const raw = req.query.version;
  if (raw === undefined || raw === 'live') return 'live';
  if (typeof raw !== 'string' || !/^\d{1,9}$/.test(raw)) throw badRequest(msg('query.versionRef', { name: 'version' }));
  return Number(raw);
}
