// Witness status (GET /api/log/witnesses): who cosigned the current checkpoint,
// for everyone; with a chair's or admin's identity also each witness's URL,
// last error and next retry, so a chair can see a witness that is down.
import { Router } from 'express';
import type { WitnessesResponse } from '../../core/witnesses';
import type { WitnessSubmitter } from '../witness/submitter';
import { currentUser } from './identity';

export function witnessRoutes(witnesses: WitnessSubmitter): Router {
  const router = Router();
  router.get('/api/log/witnesses', async (req, res) => {
    const { treeSize, witnesses: all } = await witnesses.status();
    const user = currentUser(req);
    const detailed = user !== null && (user.role === 'chair' || user.role === 'admin');
    const body: WitnessesResponse = {
      treeSize,
      witnesses: all.map((w) => (detailed ? w : { name: w.name, key: w.key, state: w.state, cosignedAt: w.cosignedAt })),
    };
    res.json(body);
  });
  return router;
}
