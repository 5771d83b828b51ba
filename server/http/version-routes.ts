// Versions of a document: freeze, list, read.
import { Router } from 'express';
import { createVersionBody } from '../../core/api';
import { summaryOf, type VersionService } from '../versions/service';
import { requireRole } from './identity';
import { intParam } from './query';

export function versionRoutes(versions: VersionService): Router {
  const router = Router();

  router.post('/api/documents/:id/versions', async (req, res) => {
    const actor = requireRole(req, ['chair', 'editor'], 'freezeVersion');
    const body = createVersionBody.parse(req.body);
    const version = await versions.freeze(req.params.id, body.label, body.meeting ?? null, actor);
    res.status(201).json(summaryOf(version));
  });

  router.get('/api/documents/:id/versions', async (req, res) => {
    res.json(await versions.list(req.params.id));
  });

  router.get('/api/documents/:id/versions/:n', async (req, res) => {
    res.type('application/json').send(await versions.viewJson(req.params.id, intParam(req, 'n', 'params')));
  });

  return router;
}
