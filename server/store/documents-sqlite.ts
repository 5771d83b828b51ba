// Documents in SQLite (the documents table): created with their first Yjs
// state as the first update, in one transaction.
import type Database from 'better-sqlite3';
import type { DocumentSummary } from '../../core/api';
import { errorText } from '../../core/i18n/messages/errors';
import { DEFAULT_LANGUAGE } from '../../core/language';
import type { SqliteTransaction } from './sqlite-database';
import { ConflictError } from '../errors';
import type { DocumentRepository, NewDocument } from './types';

function statements(db: Database.Database) {
  return {
    insert: db.prepare('INSERT INTO documents (id, title, created_at, language) VALUES (?, ?, ?, ?)'),
    get: db.prepare<[string], DocumentSummary>('SELECT id, title, language FROM documents WHERE id = ?'),
    list: db.prepare<[], DocumentSummary>('SELECT id, title, language FROM documents ORDER BY created_at, id'),
    insertUpdate: db.prepare('INSERT INTO updates (doc_id, data) VALUES (?, ?)'),
  };
}

export class SqliteDocumentRepository implements DocumentRepository {
  private readonly stmt: ReturnType<typeof statements>;

  constructor(
    db: Database.Database,
    private readonly transaction: SqliteTransaction,
  ) {
    this.stmt = statements(db);
  }

  async create(doc: NewDocument, initialUpdate: Uint8Array) {
    this.transaction(() => {
      if (this.stmt.get.get(doc.id)) throw new ConflictError(errorText('document.exists', { id: doc.id }));
      this.stmt.insert.run(doc.id, doc.title, new Date().toISOString(), doc.language ?? DEFAULT_LANGUAGE);
      this.stmt.insertUpdate.run(doc.id, Buffer.from(initialUpdate));
    });
  }

  async get(id: string) {
    return this.stmt.get.get(id) ?? null;
  }

  async list() {
    return this.stmt.list.all();
  }
}
