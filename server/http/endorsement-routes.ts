// The call for commitment over HTTP: the public form's endpoint and list,
// the one-time confirmation link, the chair's decisions, the version open for
// endorsement, the exports, and the public page (contract: "Endorsements").
import { randomBytes } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { endorsementDecisionBody, openVersionBody, submitEndorsementBody } from '../../core/endorsements';
import { chairView, type EndorsementService } from '../endorsements/service';
import { NotFoundError, RateLimitedError } from '../errors';
import { supportersCsv, supportersHtml } from '../endorsements/export';
import { confirmationPage, confirmPromptPage, endorsePage, notFoundPage } from '../endorsements/page';
import { msg, notFound, unprocessable } from './errors';
import { currentUser, requireRole } from './identity';
import { pageLocale, requestLocale } from './locale';
import { endorseText } from '../../core/i18n/messages/endorse';

const DECIDERS = ['chair'] as const; // admin always may

function clientOf(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/** Runs `fn`, adding Retry-After when it is refused for going too fast. */
async function pacing<T>(res: Response, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof RateLimitedError) res.set('Retry-After', String(err.retryAfterSeconds));
    throw err;
  }
}

const isChair = (req: Request): boolean => {
  const role = currentUser(req)?.role;
  return role === 'chair' || role === 'admin';
};

/** `nonce`: the page's own style sheet; `script`: the page loads its script (a file of this origin, never inline). */
function htmlHeaders(res: Response, nonce?: string, script = false): void {
  res.set('Content-Security-Policy', [
    "default-src 'none'",
    script ? "script-src 'self'" : "script-src 'none'",
    nonce ? `style-src 'nonce-${nonce}'` : "style-src 'unsafe-inline'",
    "connect-src 'self'",
    "img-src 'self' data:",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; '));
  res.set('Referrer-Policy', 'no-referrer');
  res.set('X-Content-Type-Options', 'nosniff');
  res.set('Cache-Control', 'no-store');
  res.type('html');
}

export function endorsementRoutes(endorsements: EndorsementService): Router {
  const router = Router();
  submissionRoutes(router, endorsements);
  chairRoutes(router, endorsements);
  pageRoutes(router, endorsements);
  return router;
}

/** The public form's API: submit, re-affirm, list and export. */
function submissionRoutes(router: Router, endorsements: EndorsementService): void {
  router.post('/api/documents/:id/endorsements', async (req, res) => {
    const created = await pacing(res, async () => {
      const client = clientOf(req);
      await endorsements.admitClient(client);
      const body = submitEndorsementBody.parse(req.body ?? {});
      return endorsements.submit(req.params.id, body, client, requestLocale(req));
    });
    res.status(202).json({ id: created.id, status: 'pending', version: created.version, contentHash: created.contentHash });
  });

  router.get('/api/documents/:id/endorsements', async (req, res) => {
    res.json(isChair(req) ? await endorsements.all(req.params.id) : await endorsements.confirmed(req.params.id));
  });

  // Before the :eid routes, so "export" is never taken for an endorsement id.
  router.get('/api/documents/:id/endorsements/export', async (req, res) => {
    const format = req.query.format ?? 'csv';
    if (format !== 'csv' && format !== 'html') throw unprocessable(msg('format.csvOrHtml'));
    const data = await endorsements.publicData(req.params.id);
    if (format === 'csv') {
      res.type('text/csv; charset=utf-8').attachment(`${req.params.id}-supporters.csv`).send(supportersCsv(data));
    } else {
      htmlHeaders(res);
      res.send(supportersHtml(data, endorseText(pageLocale(req))));
    }
  });

  router.post('/api/documents/:id/endorsements/:eid/reaffirm', async (req, res) => {
    const created = await pacing(res, async () => {
      const client = clientOf(req);
      await endorsements.admitClient(client);
      return endorsements.reaffirm(req.params.id, req.params.eid, client, requestLocale(req));
    });
    res.status(202).json({ id: created.id, status: 'pending', version: created.version, contentHash: created.contentHash, reaffirms: created.reaffirms });
  });
}

/** A chair's decisions and the version open for endorsement (read by anyone, set by a chair). */
function chairRoutes(router: Router, endorsements: EndorsementService): void {
  router.post('/api/documents/:id/endorsements/:eid/decision', async (req, res) => {
    const actor = requireRole(req, DECIDERS, 'decideEndorsement');
    const body = endorsementDecisionBody.parse(req.body ?? {});
    const decided = await endorsements.decide(req.params.id, req.params.eid, body.decision, body.reason ?? null, actor);
    res.json(chairView(decided));
  });

  router.get('/api/documents/:id/endorsement-version', async (req, res) => {
    const open = await endorsements.openVersion(req.params.id);
    if (!open) throw notFound(msg('version.noneYet', { id: req.params.id }));
    res.json(open);
  });

  router.put('/api/documents/:id/endorsement-version', async (req, res) => {
    const actor = requireRole(req, DECIDERS, 'openForEndorsement');
    const body = openVersionBody.parse(req.body ?? {});
    res.json(await endorsements.setOpenVersion(req.params.id, body.version, actor));
  });
}

/** The public HTML pages: the call for commitment and the one-time confirmation link. */
function pageRoutes(router: Router, endorsements: EndorsementService): void {
  router.get('/endorse/:id', async (req, res) => {
    let data;
    try {
      data = await endorsements.publicData(req.params.id);
    } catch (err) {
      if (err instanceof NotFoundError) {
        htmlHeaders(res);
        return res.status(404).send(notFoundPage(endorseText(pageLocale(req)), req.params.id));
      }
      throw err;
    }
    const nonce = randomBytes(16).toString('base64');
    htmlHeaders(res, nonce, true);
    res.send(endorsePage(data, nonce, endorseText(pageLocale(req))));
  });

  // Opening the link (GET, and HEAD, which Express answers with the GET
  // route) only shows a Confirm button: mail scanners and link previews
  // follow links, and must not confirm anything. The button POSTs here.
  router.get('/endorse/:id/confirm', async (req, res) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const outcome = await endorsements.peekAddress(req.params.id, token);
    const document = await endorsements.documentOrNull(req.params.id);
    const t = endorseText(pageLocale(req));
    // The Confirm button keeps the language the link asked for.
    const lang = typeof req.query.lang === 'string' && req.query.lang === t.locale ? `&lang=${t.locale}` : '';
    const action = `/endorse/${encodeURIComponent(req.params.id)}/confirm?token=${encodeURIComponent(token)}${lang}`;
    const page = confirmPromptPage(outcome, action, document, t);
    htmlHeaders(res);
    res.status(page.status).send(page.html);
  });

  router.post('/endorse/:id/confirm', async (req, res) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const result = await endorsements.confirmAddress(req.params.id, token);
    const document = await endorsements.documentOrNull(req.params.id);
    const page = confirmationPage(result, document, endorseText(pageLocale(req)));
    htmlHeaders(res);
    res.status(page.status).send(page.html);
  });
}
