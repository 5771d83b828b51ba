// Redlines, meeting exports and the verification bundle of a document.
import { Router, type Request, type Response } from 'express';
import { DEFAULT_LOCALE, LOCALES, type Locale } from '../../core/i18n/locales';
import { CLEAN_FORMATS, parseRef, REDLINE_FORMATS, type ExportService, type Rendered } from '../export/service';
import type { BundleService } from '../transparency/bundle';
import { unprocessable, msg } from './errors';
import { verifierPage } from '../export/verifier-page';
import { exportHeaders } from './headers';
import { intParam } from './query';
import { currentUser } from './identity';
import type { AttributionService } from '../attribution/service';

function send(res: Response, rendered: Rendered, filename: string, inline: boolean): void {
  res.type(rendered.contentType);
  // Set before `send`, which then neither hashes the body for one nor misses a conditional request.
  if (rendered.etag) res.set('ETag', rendered.etag);
  if (rendered.contentType.startsWith('text/html')) exportHeaders(res);
  if (!inline) res.attachment(`${filename}.${rendered.extension}`);
  res.send(rendered.body);
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], name: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw unprocessable(msg('query.oneOf', { name, allowed: { anyOf: [...allowed] } }));
}

/** `?lang=`: the language of an export's own texts (one of the six), overriding the document's. */
function exportLang(req: Request): Locale | undefined {
  return req.query.lang === undefined ? undefined : oneOf(req.query.lang, LOCALES, 'lang', DEFAULT_LOCALE);
}

export function exportRoutes(exports: ExportService, bundles: BundleService, attribution: AttributionService): Router {
  const router = Router();

  router.get('/api/documents/:id/redline', async (req, res) => {
    const from = parseRef(req.query.from, 'from');
    const to = parseRef(req.query.to ?? 'live', 'to');
    const format = oneOf(req.query.format, REDLINE_FORMATS, 'format', 'json');
    // The changes name their authors for those the document's attribution policy shows names to.
    const names = await attribution.namesShown(req.params.id, currentUser(req));
    const rendered = await exports.renderRedline(req.params.id, from, to, format, undefined, exportLang(req), names);
    const inline = req.query.download === undefined && (format === 'json' || format === 'html' || format === 'md');
    send(res, rendered, `${req.params.id}-redline-${from}-to-${to}`, inline);
  });

  router.get('/api/documents/:id/export', async (req, res) => {
    const version = intParam(req, 'version');
    const format = oneOf(req.query.format, [...CLEAN_FORMATS, 'bundle', 'zip'] as const, 'format', 'zip');
    const name = `${req.params.id}-v${version}`;
    if (format === 'zip') {
      const access = await attribution.accessOrNone(req.params.id, currentUser(req));
      return send(res, await exports.meetingPackage(req.params.id, version, exportLang(req), access), `${name}-meeting-package`, false);
    }
    if (format === 'bundle') {
      res.attachment(`${req.params.id}-bundle.json`);
      return res.type('application/json').send(await bundles.json(req.params.id));
    }
    // `&view` opens the HTML in the browser (the public page's "Read it in full") instead of downloading it.
    send(res, await exports.renderVersion(req.params.id, version, format, exportLang(req)), name, format === 'html' && req.query.view !== undefined);
  });

  router.get('/api/documents/:id/bundle', async (req, res) => {
    res.type('application/json').send(await bundles.json(req.params.id));
  });

  // The offline verifier with the current bundle inside: one file to keep or send.
  router.get('/api/documents/:id/verify.html', async (req, res) => {
    const page = await verifierPage(await bundles.json(req.params.id));
    res.type('text/html; charset=utf-8');
    res.attachment(`${req.params.id}-verify.html`);
    res.send(page);
  });

  return router;
}
