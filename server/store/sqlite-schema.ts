// SQLite schema, as numbered migrations applied once each, in order.
// Never edit a released migration: add a new one.
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    organization TEXT NOT NULL,
    stakeholder_group TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT,
    created_at TEXT NOT NULL
  );
  CREATE TABLE tokens (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    expires_at TEXT,
    created_at TEXT NOT NULL
  );
  CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE updates (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL REFERENCES documents(id),
    data BLOB NOT NULL
  );
  CREATE INDEX updates_by_doc ON updates (doc_id, seq);
  CREATE TABLE snapshots (
    doc_id TEXT PRIMARY KEY REFERENCES documents(id),
    data BLOB NOT NULL,
    upto INTEGER NOT NULL
  );
  CREATE TABLE versions (
    doc_id TEXT NOT NULL REFERENCES documents(id),
    number INTEGER NOT NULL,
    label TEXT NOT NULL,
    meeting TEXT,
    title TEXT NOT NULL,
    content TEXT NOT NULL,
    markdown TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    log_index INTEGER NOT NULL UNIQUE,
    PRIMARY KEY (doc_id, number)
  );
  CREATE TABLE log_leaves (
    idx INTEGER PRIMARY KEY,
    data BLOB NOT NULL
  );
  CREATE TABLE log_hashes (
    idx INTEGER PRIMARY KEY,
    hash BLOB NOT NULL
  );
  CREATE TABLE log_checkpoints (
    tree_size INTEGER PRIMARY KEY,
    note TEXT NOT NULL
  );
  `,
];
