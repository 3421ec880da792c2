-- Organizers (issue 15): unreviewed campaigns stop reaching lookups, an audit log of organizer actions,
-- the partner codes pages used without being registered, a per-effort limit on new campaigns, Spanish
-- copy and duplicate marks. Forward-only: new tables and columns; triggers are replaced, no table rebuilt.

-- 1. A campaign awaiting review (unlisted, pending) changes nothing a lookup lists: it neither bumps the
-- effort's lookup generation (every cached lookup would miss) nor hides its official's "start one"
-- prompt. Only a campaign that is, or was, live does (approved, suppressed, edited while live).
DROP TRIGGER campaigns_lookup_gen_after_insert;
CREATE TRIGGER campaigns_lookup_gen_after_insert AFTER INSERT ON campaigns
WHEN NEW.status = 'live'
BEGIN
  UPDATE efforts SET lookup_gen = lookup_gen + 1 WHERE id = NEW.effort_id;
END;

DROP TRIGGER campaigns_lookup_gen_after_update;
CREATE TRIGGER campaigns_lookup_gen_after_update
AFTER UPDATE OF status, slug, town, state, lat, lon, title, goal, target_id, target_name, target_title, creator_name ON campaigns
WHEN OLD.status = 'live' OR NEW.status = 'live'
BEGIN
  UPDATE efforts SET lookup_gen = lookup_gen + 1 WHERE id = NEW.effort_id;
END;

-- An official awaits a campaign while no LIVE campaign is aimed at it (was: live or unlisted).
DROP TRIGGER campaigns_awaiting_after_insert;
CREATE TRIGGER campaigns_awaiting_after_insert AFTER INSERT ON campaigns
WHEN NEW.target_id IS NOT NULL AND NEW.status = 'live'
BEGIN
  UPDATE targets SET awaiting = 0 WHERE id = NEW.target_id AND awaiting <> 0;
END;

DROP TRIGGER campaigns_awaiting_after_update;
CREATE TRIGGER campaigns_awaiting_after_update AFTER UPDATE OF status, target_id ON campaigns
WHEN OLD.status = 'live' OR NEW.status = 'live'
BEGIN
  UPDATE targets
     SET awaiting = NOT EXISTS (SELECT 1 FROM campaigns x WHERE x.target_id = targets.id AND x.status = 'live')
   WHERE id IN (OLD.target_id, NEW.target_id)
     AND awaiting IS NOT (NOT EXISTS (SELECT 1 FROM campaigns x WHERE x.target_id = targets.id AND x.status = 'live'));
END;

DROP TRIGGER campaigns_awaiting_after_delete;
CREATE TRIGGER campaigns_awaiting_after_delete AFTER DELETE ON campaigns
WHEN OLD.target_id IS NOT NULL AND OLD.status = 'live'
BEGIN
  UPDATE targets
     SET awaiting = NOT EXISTS (SELECT 1 FROM campaigns x WHERE x.target_id = targets.id AND x.status = 'live')
   WHERE id = OLD.target_id
     AND awaiting IS NOT (NOT EXISTS (SELECT 1 FROM campaigns x WHERE x.target_id = targets.id AND x.status = 'live'));
END;

UPDATE targets
   SET awaiting = NOT EXISTS (SELECT 1 FROM campaigns x WHERE x.target_id = targets.id AND x.status = 'live')
 WHERE awaiting IS NOT (NOT EXISTS (SELECT 1 FROM campaigns x WHERE x.target_id = targets.id AND x.status = 'live'));

-- 2. At most this many campaigns started by supporters per effort in any hour (0: none at all).
ALTER TABLE efforts ADD COLUMN new_campaigns_per_hour INTEGER NOT NULL DEFAULT 30 CHECK (new_campaigns_per_hour >= 0);
-- Supporter-made campaigns of an effort by time (the hourly limit and the organizers' list).
CREATE INDEX campaigns_effort_created ON campaigns (effort_id, created_at);

-- 3. Spanish copy beside the English ('' = not written: the other language is shown instead).
ALTER TABLE efforts ADD COLUMN title_es TEXT NOT NULL DEFAULT '';
ALTER TABLE efforts ADD COLUMN body_es TEXT NOT NULL DEFAULT '';
ALTER TABLE efforts ADD COLUMN title_template_es TEXT NOT NULL DEFAULT '';
ALTER TABLE efforts ADD COLUMN body_template_es TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN title_es TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN body_es TEXT NOT NULL DEFAULT '';

-- 4. An organizer marks a campaign as a duplicate of another (same official or town).
ALTER TABLE campaigns ADD COLUMN duplicate_of INTEGER REFERENCES campaigns(id);

-- 5. Every organizer action: who (the Access email, or "token" for scripts), what, on what.
-- detail is a short JSON summary of the change; never a supporter's personal data.
CREATE TABLE admin_audit (
  id        INTEGER PRIMARY KEY,
  at        TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  actor     TEXT    NOT NULL,
  action    TEXT    NOT NULL,
  effort_id INTEGER REFERENCES efforts(id),
  subject   TEXT,
  detail    TEXT
);
CREATE INDEX admin_audit_effort ON admin_audit (effort_id, id);

-- 6. Partner codes that pages asked for but that are not registered for the page's site: shown to
-- organizers on /admin so that a partner's credit never fails unseen. One row per effort, code, site.
CREATE TABLE partner_attempts (
  effort_id  INTEGER NOT NULL REFERENCES efforts(id),
  code       TEXT    NOT NULL,
  origin     TEXT    NOT NULL,
  attempts   INTEGER NOT NULL DEFAULT 1,
  first_seen TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  last_seen  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (effort_id, code, origin)
) WITHOUT ROWID;
