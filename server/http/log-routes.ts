// The transparency log's public read API (contract: "Versions and the signed log").
import { Router } from 'express';
import { encodeBase64 } from '../../core/tlog/base64';
import { base64All, MAX_ENTRIES_PER_PAGE, type TransparencyLog } from '../transparency/service';
import { intParam, optionalIntParam } from './query';

export function logRoutes(transparency: TransparencyLog): Router {
  const router = Router();

  router.get('/api/log/checkpoint', async (_req, res) => {
    res.type('text/plain; charset=utf-8').send(await transparency.checkpoint());
  });

  router.get('/api/log/key', (_req, res) => {
    res.type('text/plain; charset=utf-8').send(`${transparency.key.verifierKey}\n`);
  });

  router.get('/api/log/entries', async (req, res) => {
    const size = await transparency.size();
    const start = optionalIntParam(req, 'start') ?? 0;
    const end = optionalIntParam(req, 'end') ?? Math.min(size, start + MAX_ENTRIES_PER_PAGE);
    const entries = await transparency.entries(start, end);
    res.json({
      start,
      end,
      size,
      leaves: entries.map((e) => encodeBase64(e.leaf)),
      entries: entries.map((e) => ({ index: e.index, entry: e.entry })),
    });
  });

  router.get('/api/log/proof/inclusion', async (req, res) => {
    const index = intParam(req, 'index');
    const size = intParam(req, 'size');
    res.json({ index, size, hashes: base64All(await transparency.inclusion(index, size)) });
  });

  router.get('/api/log/proof/consistency', async (req, res) => {
    const from = intParam(req, 'from');
    const to = intParam(req, 'to');
    res.json({ from, to, hashes: base64All(await transparency.consistency(from, to)) });
  });

  return router;
}
