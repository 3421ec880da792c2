-- Every real signature counts, and every counted signature can be shown to be a person (issue 13).
-- Forward-only: new columns (with defaults that keep every existing row as it was: counted, not held,
-- not confirmed), new tables, indexes and triggers. No table is rebuilt.

-- An effort counts a signature when it is signed ('at_once', the default) or once its signer has
-- confirmed their email ('confirmed'). confirmed_count: confirmed signatures, kept by the trigger below.
ALTER TABLE efforts ADD COLUMN counting TEXT NOT NULL DEFAULT 'at_once' CHECK (counting IN ('at_once', 'confirmed'));
ALTER TABLE efforts ADD COLUMN confirmed_count INTEGER NOT NULL DEFAULT 0;

-- held_reason: why a signature is suspect ('honeypot', 'too_fast', or both, comma-separated), NULL when
-- it is not. A held signature is stored and answered like any other but not counted until confirmed.
-- counted: 1 when the signature is in its campaign's signature_count (which is imported_count plus the
-- rows with counted = 1). confirmed_at: when the signer pressed "Confirm my signature". lang: the
-- language it was signed in (the confirmation email's).
ALTER TABLE signatures ADD COLUMN held_reason TEXT;
ALTER TABLE signatures ADD COLUMN counted INTEGER NOT NULL DEFAULT 1 CHECK (counted IN (0, 1));
ALTER TABLE signatures ADD COLUMN confirmed_at TEXT;
ALTER TABLE signatures ADD COLUMN lang TEXT;

ALTER TABLE campaigns ADD COLUMN confirmed_count INTEGER NOT NULL DEFAULT 0 CHECK (confirmed_count >= 0);
-- A supporter's new campaign with a suspect signal is held (status 'pending') until its creator confirms.
ALTER TABLE campaigns ADD COLUMN held_reason TEXT;
ALTER TABLE campaigns ADD COLUMN creator_confirmed_at TEXT;
ALTER TABLE campaigns ADD COLUMN creator_lang TEXT;

CREATE TRIGGER campaigns_confirmed_after_update AFTER UPDATE OF confirmed_count ON campaigns
BEGIN
  UPDATE efforts SET confirmed_count = confirmed_count + (NEW.confirmed_count - OLD.confirmed_count)
   WHERE id = NEW.effort_id;
END;

-- Confirmation tokens: only their SHA-256 is stored (the token itself is only in the email). One purpose
-- each ('signature' or 'campaign'), for one row (subject_id), until expires_at (30 days).
CREATE TABLE confirmation_tokens (
  token_hash TEXT    PRIMARY KEY,
  purpose    TEXT    NOT NULL CHECK (purpose IN ('signature', 'campaign')),
  subject_id INTEGER NOT NULL,
  expires_at TEXT    NOT NULL,
  used_at    TEXT,
  created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) WITHOUT ROWID;
CREATE INDEX confirmation_tokens_expires ON confirmation_tokens (expires_at);

-- Email owed: one row per confirmation email to send, written in the same transaction as the signature
-- (or the campaign). Sent right after the answer; a failed send stays owed (attempts, next_attempt_at,
-- last_error) and the cron sweeps it again. Sent rows are kept 30 days: they are also how "no second
-- email within a day" is decided.
CREATE TABLE email_outbox (
  id              INTEGER PRIMARY KEY,
  kind            TEXT    NOT NULL CHECK (kind IN ('signature', 'campaign')),
  subject_id      INTEGER NOT NULL,
  lang            TEXT    NOT NULL DEFAULT 'en',
  -- The Worker's origin the confirmation link points at.
  base_url        TEXT    NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  sent_at         TEXT,
  message_id      TEXT,
  last_error      TEXT,
  created_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX email_outbox_subject ON email_outbox (kind, subject_id, created_at);
CREATE INDEX email_outbox_owed ON email_outbox (next_attempt_at) WHERE sent_at IS NULL;
