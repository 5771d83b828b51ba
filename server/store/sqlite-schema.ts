// SQLite schema, as numbered migrations applied once each, in order.
// Never edit a released migration: add a new one. An entry is numbered by its
// place in the list, or explicitly ({ version, sql }) when numbers were handed
// out to work done in parallel; numbers must increase along the list.
export type Migration = string | { readonly version: number; readonly sql: string };

/** Each migration with its number; throws when the numbers do not increase along the list. */
export function numberedMigrations(list: readonly Migration[]): { version: number; sql: string }[] {
  let last = 0;
  return list.map((m, i) => {
    const numbered = typeof m === 'string' ? { version: i + 1, sql: m } : m;
    if (numbered.version <= last) throw new Error(`migration ${numbered.version} is listed after migration ${last}`);
    last = numbered.version;
    return numbered;
  });
}

export const MIGRATIONS: readonly Migration[] = [
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
  // 2: amendments. A row is written once; what happens to an amendment later
  // (support, comments, its decision or withdrawal) is appended in other tables.
  `
  CREATE TABLE amendments (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id),
    number INTEGER NOT NULL,
    section TEXT NOT NULL,
    quote TEXT NOT NULL,
    proposed TEXT NOT NULL,
    justification TEXT NOT NULL,
    occurrence INTEGER NOT NULL,
    anchor_start BLOB NOT NULL,
    anchor_end BLOB NOT NULL,
    proposer TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (doc_id, number)
  );
  CREATE TABLE amendment_supporters (
    amendment_id TEXT NOT NULL REFERENCES amendments(id),
    user_id TEXT NOT NULL,
    supporter TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (amendment_id, user_id)
  );
  CREATE TABLE amendment_comments (
    id TEXT PRIMARY KEY,
    amendment_id TEXT NOT NULL REFERENCES amendments(id),
    author TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX amendment_comments_by_amendment ON amendment_comments (amendment_id, created_at);
  -- Decisions and withdrawals: at most one per amendment, each with its log leaf.
  CREATE TABLE amendment_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    amendment_id TEXT NOT NULL UNIQUE REFERENCES amendments(id),
    kind TEXT NOT NULL CHECK (kind IN ('decision', 'withdrawal')),
    decision TEXT CHECK (decision IN ('accept', 'reject')),
    reason TEXT NOT NULL,
    actor TEXT NOT NULL,
    time TEXT NOT NULL,
    log_index INTEGER NOT NULL UNIQUE
  );
  `,
  // 3: endorsements. A row is written once, with the hash of its one-time
  // link; the address confirmation and the chair's decision are appended events.
  `
  CREATE TABLE endorsements (
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
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    endorsement_id TEXT NOT NULL REFERENCES endorsements(id),
    kind TEXT NOT NULL CHECK (kind IN ('email-confirmed', 'confirm', 'reject')),
    actor TEXT,
    reason TEXT,
    at TEXT NOT NULL,
    log_index INTEGER UNIQUE
  );
  CREATE UNIQUE INDEX endorsement_events_one_address_confirmation ON endorsement_events (endorsement_id) WHERE kind = 'email-confirmed';
  CREATE UNIQUE INDEX endorsement_events_one_decision ON endorsement_events (endorsement_id) WHERE kind IN ('confirm', 'reject');
  CREATE TABLE endorsement_open_versions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL REFERENCES documents(id),
    version INTEGER NOT NULL,
    set_at TEXT NOT NULL,
    set_by TEXT NOT NULL,
    FOREIGN KEY (doc_id, version) REFERENCES versions(doc_id, number)
  );
  `,
  // 4: accounts that can be stopped. A user can be disabled; every token and
  // session has a public id (to list and revoke it); a session opened with the
  // admin token keeps that token's hash and ends when the token changes.
  // Admin sessions from before this migration carry no hash, so they end too.
  `
  ALTER TABLE users ADD COLUMN disabled_at TEXT;
  ALTER TABLE tokens ADD COLUMN id TEXT;
  ALTER TABLE tokens ADD COLUMN admin_token_hash TEXT;
  UPDATE tokens SET id = lower(hex(randomblob(8))) WHERE id IS NULL;
  CREATE UNIQUE INDEX tokens_by_id ON tokens (id);
  CREATE INDEX tokens_by_user ON tokens (user_id, kind);
  `,
  // 5: the language a document is written in (BCP 47); documents before it are English.
  `
  ALTER TABLE documents ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
  `,
  // 6: rate-limit counters kept in the store, so every process serving the
  // same database counts the same attempts and a restart forgets nothing.
  // One row per key and one-minute bucket; a window is the sum of its buckets.
  `
  CREATE TABLE rate_counters (
    key TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (key, bucket)
  ) WITHOUT ROWID;
  CREATE INDEX rate_counters_by_bucket ON rate_counters (bucket);
  `,
  // 7: the interface language each person chose (one of the six UN
  // languages); NULL until they choose, when their browser's languages decide.
  `
  ALTER TABLE users ADD COLUMN language TEXT;
  `,
  // 8: attribution. Which account introduced each Yjs client id of a
  // document (the server refuses new items under a client id another account
  // owns) and who deleted which items (recorded as updates arrive); the Yjs state each version was frozen from (its attribution, exact
  // later); each document's attribution policy.
  `
  CREATE TABLE client_owners (
    doc_id TEXT NOT NULL REFERENCES documents(id),
    client_id INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    note TEXT,
    PRIMARY KEY (doc_id, client_id)
  ) WITHOUT ROWID;
  CREATE TABLE version_states (
    doc_id TEXT NOT NULL,
    number INTEGER NOT NULL,
    state BLOB,
    same_as INTEGER,
    CHECK ((state IS NULL) <> (same_as IS NULL)),
    PRIMARY KEY (doc_id, number),
    FOREIGN KEY (doc_id, number) REFERENCES versions(doc_id, number)
  );
  CREATE TABLE deletions (
    doc_id TEXT NOT NULL REFERENCES documents(id),
    client_id INTEGER NOT NULL,
    clock INTEGER NOT NULL,
    len INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    deleted_at TEXT NOT NULL
  );
  CREATE INDEX deletions_by_doc ON deletions (doc_id, client_id, clock);
  CREATE TABLE attribution_policies (
    doc_id TEXT PRIMARY KEY REFERENCES documents(id),
    visibility TEXT NOT NULL CHECK (visibility IN ('members', 'public', 'chairs')),
    public_shares INTEGER NOT NULL,
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL
  );
  `,
  // 9: continuous history (server/store/history-types.ts). A point is a Yjs
  // delta against the point before it, or a full state (base = 1); the
  // numbers of a document's points are unique, so a point is recorded once
  // whichever process records it. Visits: the point each account last saw.
  {
    version: 9,
    sql: `
  CREATE TABLE history_points (
    doc_id TEXT NOT NULL REFERENCES documents(id),
    number INTEGER NOT NULL,
    at TEXT NOT NULL,
    version INTEGER,
    accounts TEXT NOT NULL,
    upto INTEGER NOT NULL,
    base INTEGER NOT NULL CHECK (base IN (0, 1)),
    data BLOB NOT NULL,
    state_vector BLOB NOT NULL,
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
  // 10: the witness cosignatures the server collected (cosignature-types.ts),
  // until now kept in a file of their own (DATA_DIR/witness-cosignatures.sqlite,
  // imported once on start: server/witness/legacy-cosignatures.ts), so a
  // backup holds them and every process sharing a store serves the same ones.
  {
    version: 10,
    sql: `
  CREATE TABLE witness_cosignatures (
    body TEXT NOT NULL,
    witness TEXT NOT NULL,
    tree_size INTEGER NOT NULL,
    line TEXT NOT NULL,
    timestamp INTEGER NOT NULL,
    PRIMARY KEY (body, witness)
  );
  CREATE INDEX witness_cosignatures_by_witness ON witness_cosignatures (witness, tree_size);
  `,
  },
];
