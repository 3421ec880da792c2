-- Embedding rules per effort, partners and their sites, and the retention job's bookkeeping.
-- Forward-only: new tables, a new column and new indexes; no table is rebuilt.

-- The sites allowed to embed an effort. No row for an effort: any site may embed it (the default).
-- Origins are stored as the browser sends them: scheme://host[:port], lower-case, no path.
CREATE TABLE effort_origins (
  effort_id  INTEGER NOT NULL REFERENCES efforts(id),
  origin     TEXT    NOT NULL,
  created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (effort_id, origin)
);

-- Partner groups: a signature is credited to a partner code only when it comes from one of the
-- partner's own sites (partner_origins); otherwise it is stored with partner NULL.
CREATE TABLE partners (
  code       TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE partner_origins (
  partner_code TEXT NOT NULL REFERENCES partners(code),
  origin       TEXT NOT NULL,
  created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (partner_code, origin)
);

-- Retention: when a signature's personal data was reduced (email emptied, last name to its initial,
-- phone removed, ZIP to 3 digits). email_hash is kept, so a later repeat is still not counted twice.
ALTER TABLE signatures ADD COLUMN anonymised_at TEXT;
CREATE INDEX signatures_to_anonymise ON signatures (created_at) WHERE anonymised_at IS NULL;

-- Idempotency keys expire; the retention job deletes them by age.
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
