// Amendments of a document: propose, list, support, comment, withdraw,
// decide, and the compilation for meetings. Roles are checked here, at the
// edge; what depends on the amendment itself (its proposer, whether it is
// still open) is the service's to check.
import { Router } from 'express';
import { amendmentCommentBody, amendmentDecisionBody, proposeAmendmentBody } from '../../core/api';
import type { AmendmentService } from '../amendments/service';
import { COMPILATION_FORMATS, type CompilationFormat } from '../amendments/compilation';
import { isLocale, LOCALES } from '../../core/i18n/locales';
import { requireAtLeast, requireRole, requireUser } from './identity';
import { unprocessable, msg } from './errors';
import { exportHeaders } from './headers';

export function amendmentRoutes(amendments: AmendmentService): Router {
  const router = Router();
  const base = '/api/documents/:id/amendments';

  router.post(base, async (req, res) => {
    const user = requireAtLeast(req, 'stakeholder', 'proposeAmendment');
    const body = proposeAmendmentBody.parse(req.body);
    res.status(201).json(await amendments.propose(req.params.id, body, user));
  });

  router.get(base, async (req, res) => {
    res.json(await amendments.list(req.params.id));
  });

  // Before `/:aid`, so "export" is never taken for an amendment id.
  router.get(`${base}/export`, async (req, res) => {
    const raw = req.query.format ?? 'html';
    if (typeof raw !== 'string' || !(COMPILATION_FORMATS as readonly string[]).includes(raw)) {
      throw unprocessable(msg('query.oneOf', { name: 'format', allowed: { anyOf: [...COMPILATION_FORMATS] } }));
    }
    const lang = req.query.lang;
    if (lang !== undefined && !isLocale(lang)) throw unprocessable(msg('query.oneOf', { name: 'lang', allowed: { anyOf: [...LOCALES] } }));
    const rendered = await amendments.exportCompilation(req.params.id, raw as CompilationFormat, lang);
    res.type(rendered.contentType);
    if (raw === 'html') exportHeaders(res);
    if (req.query.download !== undefined || raw !== 'html') res.attachment(`${req.params.id}-amendments.${rendered.extension}`);
    res.send(rendered.body);
  });

  router.get(`${base}/:aid`, async (req, res) => {
    res.json(await amendments.get(req.params.id, req.params.aid));
  });

  router.post(`${base}/:aid/support`, async (req, res) => {
    const user = requireAtLeast(req, 'stakeholder', 'supportAmendment');
    res.json(await amendments.support(req.params.id, req.params.aid, user));
  });

  router.post(`${base}/:aid/comments`, async (req, res) => {
    const user = requireAtLeast(req, 'stakeholder', 'commentAmendment');
    const body = amendmentCommentBody.parse(req.body);
    res.status(201).json(await amendments.comment(req.params.id, req.params.aid, user, body.text));
  });

  router.post(`${base}/:aid/withdraw`, async (req, res) => {
    const user = requireUser(req);
    res.json(await amendments.withdraw(req.params.id, req.params.aid, user));
  });

  router.post(`${base}/:aid/decision`, async (req, res) => {
    const user = requireRole(req, ['chair', 'editor'], 'decideAmendment');
    const body = amendmentDecisionBody.parse(req.body);
    res.json(await amendments.decide(req.params.id, req.params.aid, user, body.decision, body.reason ?? ''));
  });

  return router;
}
