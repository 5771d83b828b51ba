// Documents: list, create from Markdown, read the live text.
import { Router } from 'express';
import { createDocumentBody, MAX_MARKDOWN_BYTES } from '../../core/api';
import type { DocumentService } from '../documents/service';
import { HttpError, msg } from './errors';
import { requireRole } from './identity';
import { docIdParam } from './query';

export function documentRoutes(documents: DocumentService): Router {
  const router = Router();

  router.get('/api/documents', async (_req, res) => {
    res.json(await documents.list());
  });

  router.post('/api/documents', async (req, res) => {
    requireRole(req, ['chair'], 'createDocument');
    const body = createDocumentBody.parse(req.body);
    const size = Buffer.byteLength(body.markdown, 'utf8');
    if (size > MAX_MARKDOWN_BYTES) throw new HttpError(413, 'too_large', msg('document.tooLarge', { size, max: MAX_MARKDOWN_BYTES }));
    const created = await documents.create(body.id, body.title, body.markdown, body.language);
    res.status(201).json(created);
  });

  router.get('/api/documents/:id', async (req, res) => {
    // Rendered off the event loop and cached by content (documents/view.ts): already JSON.
    const view = await documents.viewBody(docIdParam(req));
    res.type('application/json').set('ETag', view.etag).send(view.bytes);
  });

  return router;
}
