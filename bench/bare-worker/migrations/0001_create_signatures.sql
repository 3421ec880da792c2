-- One table, the columns a signature needs, the same uniqueness rule as the real schema.
CREATE TABLE signatures (
  id         INTEGER PRIMARY KEY,
  campaign   TEXT NOT NULL,
  first_name TEXT NOT NULL,
  last_name  TEXT NOT NULL,
  email      TEXT NOT NULL,
  zip        TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (campaign, email)
);
