-- sanctuary-petition schema, first release. Forward-only: later changes are new numbered files.

-- A national effort ("Tell Your Mayor to Defy Trump, Expand Sanctuary") made of local campaigns.
-- signature_count and campaign_count are maintained by the triggers below, so reading the totals
-- is one row, whatever the number of campaigns.
CREATE TABLE efforts (
  id                INTEGER PRIMARY KEY,
  slug              TEXT    NOT NULL UNIQUE,
  title             TEXT    NOT NULL,
  body              TEXT    NOT NULL,
  goal              INTEGER NOT NULL CHECK (goal > 0),
  distance_limit_km REAL    NOT NULL DEFAULT 150,
  -- Templates for supporter-made campaigns ({targetTitle}, {targetName}, {town}).
  title_template    TEXT    NOT NULL
                    DEFAULT 'Tell {targetTitle} {targetName} to Defy Trump, Defend {town}, & Expand Sanctuary',
  body_template     TEXT    NOT NULL DEFAULT '',
  default_goal      INTEGER NOT NULL DEFAULT 100 CHECK (default_goal > 0),
  -- 'post': a new campaign is reachable by its link at once and listed once approved;
  -- 'pre': a new campaign is unreachable until approved.
  moderation        TEXT    NOT NULL DEFAULT 'post' CHECK (moderation IN ('post', 'pre')),
  signature_count   INTEGER NOT NULL DEFAULT 0,
  campaign_count    INTEGER NOT NULL DEFAULT 0,
  created_at        TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- An effort's targets: the officials, one per jurisdiction and title. A target with no campaign is
-- "awaiting a campaign".
CREATE TABLE targets (
  id           INTEGER PRIMARY KEY,
  effort_id    INTEGER NOT NULL REFERENCES efforts(id),
  name         TEXT    NOT NULL,
  title        TEXT    NOT NULL,
  jurisdiction TEXT    NOT NULL,
  state        TEXT    NOT NULL,
  lat          REAL    NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lon          REAL    NOT NULL CHECK (lon BETWEEN -180 AND 180),
  created_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (effort_id, jurisdiction, state, title)
);
CREATE INDEX targets_effort_lat_lon ON targets (effort_id, lat, lon);

-- One local campaign: one target (a mayor, a county executive) in one place.
-- status: 'live' (listed in lookups), 'unlisted' (reachable by its link, awaiting approval),
-- 'pending' (awaiting approval, unreachable), 'suppressed' (unreachable).
-- target_name/target_title are the campaign's own copy (a supporter may name a new target).
CREATE TABLE campaigns (
  id              INTEGER PRIMARY KEY,
  effort_id       INTEGER NOT NULL REFERENCES efforts(id),
  target_id       INTEGER REFERENCES targets(id),
  slug            TEXT    NOT NULL UNIQUE,
  town            TEXT    NOT NULL,
  state           TEXT    NOT NULL,
  lat             REAL    NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lon             REAL    NOT NULL CHECK (lon BETWEEN -180 AND 180),
  target_name     TEXT    NOT NULL,
  target_title    TEXT    NOT NULL,
  title           TEXT    NOT NULL,
  body            TEXT    NOT NULL,
  goal            INTEGER NOT NULL DEFAULT 100 CHECK (goal > 0),
  -- Public form "Denise L."; the creator's email is for organizers only, never public.
  creator_name    TEXT,
  creator_email   TEXT,
  status          TEXT    NOT NULL DEFAULT 'live' CHECK (status IN ('live', 'unlisted', 'pending', 'suppressed')),
  -- Signatures carried over from the page this replaces, whose signers' data we do not hold.
  -- signature_count includes them: it is imported_count plus the rows in signatures.
  imported_count  INTEGER NOT NULL DEFAULT 0 CHECK (imported_count >= 0),
  signature_count INTEGER NOT NULL DEFAULT 0 CHECK (signature_count >= 0),
  created_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX campaigns_effort_lat_lon ON campaigns (effort_id, lat, lon);
CREATE INDEX campaigns_target ON campaigns (target_id);
CREATE INDEX campaigns_effort_status ON campaigns (effort_id, status);

-- One signature per email per campaign: email_hash is an HMAC of the normalised email (a blind
-- index), so deduplication never needs the address in clear.
CREATE TABLE signatures (
  id              INTEGER PRIMARY KEY,
  campaign_id     INTEGER NOT NULL REFERENCES campaigns(id),
  first_name      TEXT    NOT NULL,
  last_name       TEXT    NOT NULL,
  email           TEXT    NOT NULL,
  email_hash      TEXT    NOT NULL,
  zip             TEXT    NOT NULL,
  phone           TEXT,
  partner         TEXT,
  consent_partner INTEGER NOT NULL DEFAULT 0 CHECK (consent_partner IN (0, 1)),
  consent_effort  INTEGER NOT NULL DEFAULT 0 CHECK (consent_effort IN (0, 1)),
  created_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (campaign_id, email_hash)
);
CREATE INDEX signatures_campaign_created ON signatures (campaign_id, created_at);

-- Idempotency-Key replay: the same key gives the same answer and never a second row.
CREATE TABLE idempotency_keys (
  key          TEXT    PRIMARY KEY,
  request_hash TEXT    NOT NULL,
  status       INTEGER NOT NULL,
  response     TEXT    NOT NULL,
  created_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- ZIP codes and their places, for lookup by ZIP or "City, ST".
CREATE TABLE places (
  zip   TEXT PRIMARY KEY,
  city  TEXT NOT NULL,
  state TEXT NOT NULL,
  lat   REAL NOT NULL,
  lon   REAL NOT NULL
);
CREATE INDEX places_city_state ON places (city COLLATE NOCASE, state);

-- Effort totals follow the campaigns' counts.
CREATE TRIGGER campaigns_count_after_update AFTER UPDATE OF signature_count ON campaigns
BEGIN
  UPDATE efforts
     SET signature_count = signature_count
                         + (NEW.signature_count - OLD.signature_count)
  WHERE id = NEW.effort_id;
END;

CREATE TRIGGER campaigns_after_insert AFTER INSERT ON campaigns
BEGIN
  UPDATE efforts
     SET signature_count = signature_count + NEW.signature_count,
         campaign_count  = campaign_count + (NEW.status = 'live')
  WHERE id = NEW.effort_id;
END;

CREATE TRIGGER campaigns_status_after_update AFTER UPDATE OF status ON campaigns
WHEN OLD.status <> NEW.status
BEGIN
  UPDATE efforts
     SET campaign_count = campaign_count + (NEW.status = 'live') - (OLD.status = 'live')
  WHERE id = NEW.effort_id;
END;
