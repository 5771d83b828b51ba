// Response headers that protect browsers: a strict Content-Security-Policy on
// every response (scripts only from this origin, never inline; no framing),
// nosniff, and a stricter policy for HTML exports, which carry user text and
// need no script at all. Source maps are never served.
import { createHash } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { REDLINE_STYLE } from '../../core/redline/render-html';
import { notFoundHandler } from './errors';

const styleHash = (css: string) => `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;

/**
 * The web client's policy. Styles: the bundle's style sheet, the one inline
 * sheet of a redline shown in the history panel's srcdoc frame (by hash), and
 * style attributes (ProseMirror and the presence carets position and colour
 * elements through them). WebSockets to this origin are 'self'.
 */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  `style-src 'self' ${styleHash(REDLINE_STYLE)}`,
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** HTML exports (redlines, clean texts, amendment compilations): their own inline styles, nothing else. */
export const EXPORT_CSP = ["default-src 'none'", "style-src 'unsafe-inline'", "img-src data:", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'"].join('; ');

export const securityHeaders: RequestHandler = (req, res, next) => {
  res.set('Content-Security-Policy', APP_CSP);
  res.set('X-Frame-Options', 'DENY');
  res.set('X-Content-Type-Options', 'nosniff');
  res.set('Referrer-Policy', 'same-origin');
  // Source maps are not built for production; one left in the output directory is still not served.
  if (req.path.endsWith('.map')) return notFoundHandler(req, res, next);
  next();
};

/** For a response that is an HTML export. */
export function exportHeaders(res: Response): void {
  res.set('Content-Security-Policy', EXPORT_CSP);
}
