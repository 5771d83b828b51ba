// Documents in PostgreSQL, the same contract as documents-sqlite.ts: created
// with their first state as the first update, in one transaction.
import type { DocumentSummary } from '../../core/api';
import { errorText } from '../../core/i18n/messages/errors';
import { DEFAULT_LANGUAGE } from '../../core/language';
import { insertUpdate, type PgDatabase } from './postgres-common';
import { ConflictError } from '../errors';
import type { DocumentRepository, NewDocument } from './types';

export class PgDocumentRepository implements DocumentRepository {
  constructor(private readonly db: PgDatabase) {}

  async create(doc: NewDocument, initialUpdate: Uint8Array) {
    await this.db.transaction(async (c) => {
      const inserted = await c.query('INSERT INTO documents (id, title, created_at, language) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING', [
        doc.id,
        doc.title,
        new Date().toISOString(),
        doc.language ?? DEFAULT_LANGUAGE,
      ]);
      if (inserted.rowCount === 0) throw new ConflictError(errorText('document.exists', { id: doc.id }));
      await insertUpdate(c, doc.id, initialUpdate);
    });
  }

  async get(id: string) {
    const [row] = await this.db.query<DocumentSummary>('SELECT id, title, language FROM documents WHERE id = $1', [id]);
    return row ?? null;
  }

  async list() {
    return this.db.query<DocumentSummary>('SELECT id, title, language FROM documents ORDER BY created_at, id');
  }
}
