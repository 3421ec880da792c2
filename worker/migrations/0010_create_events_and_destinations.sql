-- Events, destinations and deliveries (issue 14): what happened, written in the same transaction as the
-- change itself (an outbox), then handed to Cloudflare Queues and delivered to each organizer's
-- destination (webhooks, Action Network), with the state of every (event, destination) kept here.
-- Forward-only: new tables and triggers; nothing existing changes.

-- The outbox. `id` is the event's stable id (a receiver drops a repeat by it: it is the webhook-id).
-- The rows are written by the triggers below, inside the statement that made the change, so an event
-- exists if and only if its change was committed. `handed_at`: last given to the queue; `routed_at`:
-- the consumer wrote its deliveries. The cron re-sends what has no `routed_at` (see events/outbox.ts).
CREATE TABLE events (
  seq          INTEGER PRIMARY KEY,
  id           TEXT    NOT NULL UNIQUE,
  type         TEXT    NOT NULL CHECK (type IN ('signature.created', 'signature.confirmed',
                                                'campaign.started', 'campaign.approved', 'campaign.suppressed')),
  effort_id    INTEGER NOT NULL,
  campaign_id  INTEGER NOT NULL,
  signature_id INTEGER,
  created_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  handed_at    TEXT,
  routed_at    TEXT
);
CREATE INDEX events_unhanded ON events (seq) WHERE handed_at IS NULL;
CREATE INDEX events_unrouted ON events (created_at) WHERE routed_at IS NULL;
CREATE INDEX events_signature ON events (signature_id) WHERE signature_id IS NOT NULL;

CREATE TRIGGER signatures_event_after_insert AFTER INSERT ON signatures
BEGIN
  INSERT INTO events (id, type, effort_id, campaign_id, signature_id)
  SELECT 'evt_' || lower(hex(randomblob(16))), 'signature.created', c.effort_id, c.id, NEW.id
    FROM campaigns c WHERE c.id = NEW.campaign_id;
END;

CREATE TRIGGER campaigns_event_after_insert AFTER INSERT ON campaigns
BEGIN
  INSERT INTO events (id, type, effort_id, campaign_id)
  VALUES ('evt_' || lower(hex(randomblob(16))), 'campaign.started', NEW.effort_id, NEW.id);
END;

CREATE TRIGGER campaigns_event_after_approve AFTER UPDATE OF status ON campaigns
WHEN NEW.status = 'live' AND OLD.status <> 'live'
BEGIN
  INSERT INTO events (id, type, effort_id, campaign_id)
  VALUES ('evt_' || lower(hex(randomblob(16))), 'campaign.approved', NEW.effort_id, NEW.id);
END;

CREATE TRIGGER campaigns_event_after_suppress AFTER UPDATE OF status ON campaigns
WHEN NEW.status = 'suppressed' AND OLD.status <> 'suppressed'
BEGIN
  INSERT INTO events (id, type, effort_id, campaign_id)
  VALUES ('evt_' || lower(hex(randomblob(16))), 'campaign.suppressed', NEW.effort_id, NEW.id);
END;

-- Where an effort's events go. partner_code NULL: the effort's own destination (signers who consented
-- to the effort); set: that partner's (signers credited to the partner who consented to it).
-- secret_box: the webhook signing secret or the Action Network API key, AES-GCM encrypted with a key
-- derived from the Worker secret DESTINATIONS_KEY (never in the clear here; see events/secrets.ts).
CREATE TABLE destinations (
  id           TEXT    PRIMARY KEY,
  effort_id    INTEGER NOT NULL REFERENCES efforts(id),
  partner_code TEXT    REFERENCES partners(code),
  kind         TEXT    NOT NULL CHECK (kind IN ('webhook', 'action_network')),
  url          TEXT    NOT NULL,
  name         TEXT    NOT NULL DEFAULT '',
  secret_box   TEXT    NOT NULL,
  status       TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused')),
  created_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX destinations_effort ON destinations (effort_id, status);

-- One row per (event, destination) the event is due at. status: 'pending' (not yet tried, or the
-- destination is paused), 'delivered', 'failing' (tried, will be tried again), 'dead' (retries used
-- up: on the dead-letter queue; an organizer replays it). last_error never holds personal data
-- (an HTTP status or a network error's kind, never a response body).
CREATE TABLE deliveries (
  event_id        TEXT    NOT NULL,
  destination_id  TEXT    NOT NULL,
  status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failing', 'dead')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  last_attempt_at TEXT,
  delivered_at    TEXT,
  created_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (event_id, destination_id)
) WITHOUT ROWID;
CREATE INDEX deliveries_destination ON deliveries (destination_id, status, created_at);

-- The petition delivered to its official: when, to whom, with how many signers.
CREATE TABLE campaign_deliveries (
  id            INTEGER PRIMARY KEY,
  campaign_id   INTEGER NOT NULL REFERENCES campaigns(id),
  official      TEXT    NOT NULL,
  to_email      TEXT    NOT NULL,
  signer_count  INTEGER NOT NULL,
  message_id    TEXT,
  delivered_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX campaign_deliveries_campaign ON campaign_deliveries (campaign_id, delivered_at);
