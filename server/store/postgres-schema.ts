// PostgreSQL schema, as numbered migrations applied once each, in order, by
// the first process that starts (others wait on an advisory lock). The same
// tables as sqlite-schema.ts, in PostgreSQL's types; timestamps stay ISO
// strings so both stores order and compare them the same way.
// Never edit a released migration: add a new one. Numbered as in
// sqlite-schema.ts (by place, or explicitly).
import type { Migration } from './sqlite-schema';

export const PG_MIGRATIONS: readonly Migration[] = [
  `
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    organization TEXT NOT NULL,
    stakeholder_group TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT,
    created_at TEXT NOT NULL,
    disabled_at TEXT
  );
  CREATE UNIQUE INDEX users_by_email ON users (lower(email));
  CREATE TABLE tokens (
    token_hash TEXT PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    expires_at TEXT,
    created_at TEXT NOT NULL,
    admin_token_hash TEXT
  );
  CREATE INDEX tokens_by_user ON tokens (user_id, kind);
  CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  -- Appends to one document are serialised (an advisory lock per document),
  -- so within a document seq order is commit order: "updates after seq n"
  -- never misses a row that commits later with a smaller seq.
  CREATE TABLE updates (
    seq BIGSERIAL PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id),
    data BYTEA NOT NULL
  );
  CREATE INDEX updates_by_doc ON updates (doc_id, seq);
  CREATE TABLE snapshots (
    doc_id TEXT PRIMARY KEY REFERENCES documents(id),
    data BYTEA NOT NULL,
    upto BIGINT NOT NULL
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
    log_index BIGINT NOT NULL UNIQUE,
    PRIMARY KEY (doc_id, number)
  );
  -- The tree head: one row, locked (SELECT ... FOR UPDATE) by every append,
  -- so appends from any number of processes are serialised and the tree never forks.
  CREATE TABLE log_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    size BIGINT NOT NULL
  );
  INSERT INTO log_head (id, size) VALUES (1, 0);
  CREATE TABLE log_leaves (
    idx BIGINT PRIMARY KEY,
    data BYTEA NOT NULL
  );
  CREATE TABLE log_hashes (
    idx BIGINT PRIMARY KEY,
    hash BYTEA NOT NULL
  );
  CREATE TABLE log_checkpoints (
    tree_size BIGINT PRIMARY KEY,
    note TEXT NOT NULL
  );
  -- The log's signing key, only when the operator opts in (ACCORD_LOG_KEY=database).
  CREATE TABLE log_key (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    signer_key TEXT NOT NULL
  );
  CREATE TABLE amendments (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id),
    number INTEGER NOT NULL,
    section TEXT NOT NULL,
    quote TEXT NOT NULL,
    proposed TEXT NOT NULL,
    justification TEXT NOT NULL,
    occurrence INTEGER NOT NULL,
    anchor_start BYTEA NOT NULL,
    anchor_end BYTEA NOT NULL,
    proposer TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (doc_id, number)
  );
  CREATE TABLE amendment_supporters (
    seq BIGSERIAL,
    amendment_id TEXT NOT NULL REFERENCES amendments(id),
    user_id TEXT NOT NULL,
    supporter TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (amendment_id, user_id)
  );
  CREATE TABLE amendment_comments (
    seq BIGSERIAL,
    id TEXT PRIMARY KEY,
    amendment_id TEXT NOT NULL REFERENCES amendments(id),
    author TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX amendment_comments_by_amendment ON amendment_comments (amendment_id, created_at);
  CREATE TABLE amendment_events (
    seq BIGSERIAL PRIMARY KEY,
    amendment_id TEXT NOT NULL UNIQUE REFERENCES amendments(id),
    kind TEXT NOT NULL CHECK (kind IN ('decision', 'withdrawal')),
    decision TEXT CHECK (decision IN ('accept', 'reject')),
    reason TEXT NOT NULL,
    actor TEXT NOT NULL,
    time TEXT NOT NULL,
    log_index BIGINT NOT NULL UNIQUE
  );
  CREATE TABLE endorsements (
    seq BIGSERIAL,
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id),
    version INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    organization TEXT NOT NULL,
    organization_key TEXT NOT NULL,
    stakeholder_group TEXT NOT NULL,
    country TEXT NOT NULL,
    contact_name TEXT NOT NULL,
    email TEXT NOT NULL,
    statement TEXT,
    reaffirms TEXT REFERENCES endorsements(id),
    token_hash TEXT NOT NULL UNIQUE,
    link_expires_at TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    FOREIGN KEY (doc_id, version) REFERENCES versions(doc_id, number)
  );
  CREATE INDEX endorsements_by_organization ON endorsements (doc_id, version, organization_key);
  CREATE TABLE endorsement_events (
    seq BIGSERIAL PRIMARY KEY,
    endorsement_id TEXT NOT NULL REFERENCES endorsements(id),
    kind TEXT NOT NULL CHECK (kind IN ('email-confirmed', 'confirm', 'reject')),
    actor TEXT,
    reason TEXT,
    at TEXT NOT NULL,
    log_index BIGINT UNIQUE
  );
  CREATE UNIQUE INDEX endorsement_events_one_address_confirmation ON endorsement_events (endorsement_id) WHERE kind = 'email-confirmed';
  CREATE UNIQUE INDEX endorsement_events_one_decision ON endorsement_events (endorsement_id) WHERE kind IN ('confirm', 'reject');
  CREATE TABLE endorsement_open_versions (
    seq BIGSERIAL PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id),
    version INTEGER NOT NULL,
    set_at TEXT NOT NULL,
    set_by TEXT NOT NULL,
    FOREIGN KEY (doc_id, version) REFERENCES versions(doc_id, number)
  );
  `,
  // 2: the language a document is written in (BCP 47); documents before it are English.
  `
  ALTER TABLE documents ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
  `,
  // 3: rate-limit counters kept in the store (as SQLite's migration 6), so every
  // process serving the database counts the same attempts. One row per key and
  // one-minute bucket; a window is the sum of its buckets.
  `
  CREATE TABLE rate_counters (
    key TEXT NOT NULL,
    bucket BIGINT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (key, bucket)
  );
  CREATE INDEX rate_counters_by_bucket ON rate_counters (bucket);
  `,
  // 4: the interface language each person chose (as SQLite's migration 7);
  // NULL until they choose.
  `
  ALTER TABLE users ADD COLUMN language TEXT;
  `,
  // 5: attribution (as SQLite's migration 8): client id owners, deletions, the Yjs state
  // of each frozen version, each document's attribution policy.
  `
  CREATE TABLE client_owners (
    doc_id TEXT NOT NULL REFERENCES documents(id),
    client_id BIGINT NOT NULL,
    user_id TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    note TEXT,
    PRIMARY KEY (doc_id, client_id)
  );
  CREATE TABLE version_states (
    doc_id TEXT NOT NULL,
    number INTEGER NOT NULL,
    state BYTEA,
    same_as INTEGER,
    CHECK ((state IS NULL) <> (same_as IS NULL)),
    PRIMARY KEY (doc_id, number),
    FOREIGN KEY (doc_id, number) REFERENCES versions(doc_id, number)
  );
  CREATE TABLE deletions (
    seq BIGSERIAL PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id),
    client_id BIGINT NOT NULL,
    clock BIGINT NOT NULL,
    len BIGINT NOT NULL,
    user_id TEXT NOT NULL,
    deleted_at TEXT NOT NULL
  );
  CREATE INDEX deletions_by_doc ON deletions (doc_id, client_id, clock);
  CREATE TABLE attribution_policies (
    doc_id TEXT PRIMARY KEY REFERENCES documents(id),
    visibility TEXT NOT NULL CHECK (visibility IN ('members', 'public', 'chairs')),
    public_shares BOOLEAN NOT NULL,
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL
  );
  `,
  // 6: continuous history (as SQLite's migration 9).
  {
    version: 6,
    sql: `
  CREATE TABLE history_points (
    doc_id TEXT NOT NULL REFERENCES documents(id),
    number INTEGER NOT NULL,
    at TEXT NOT NULL,
    version INTEGER,
    accounts TEXT NOT NULL,
    upto BIGINT NOT NULL,
    base BOOLEAN NOT NULL,
    data BYTEA NOT NULL,
    state_vector BYTEA NOT NULL,
    PRIMARY KEY (doc_id, number)
  );
  CREATE TABLE history_visits (
    doc_id TEXT NOT NULL REFERENCES documents(id),
    user_id TEXT NOT NULL,
    point INTEGER NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (doc_id, user_id)
  );
  `,
  },
  // 7: witness cosignatures (as SQLite's migration 10), shared by every process.
  {
    version: 7,
    sql: `
  CREATE TABLE witness_cosignatures (
    body TEXT NOT NULL,
    witness TEXT NOT NULL,
    tree_size BIGINT NOT NULL,
    line TEXT NOT NULL,
    timestamp BIGINT NOT NULL,
    PRIMARY KEY (body, witness)
  );
  CREATE INDEX witness_cosignatures_by_witness ON witness_cosignatures (witness, tree_size);
  `,
  },
];
