-- A third grid, `cell_wide`: 0.25° × 0.25° cells (about 28 km north–south; row-major, 1,440 columns).
-- Must match WIDE.cellOf() in worker/src/geo.ts. A ring hundreds of km wide (a rural lookup) is a few
-- dozen ranges of wide cells instead of hundreds of ranges of coarse ones (db/ring.ts).
--
-- The lookup's grid queries read only what they can list, through partial indexes:
--  * campaigns: only live ones (the old cell indexes also held unlisted, pending and suppressed rows,
--    each read and then thrown away);
--  * officials (targets): only those awaiting a campaign. "Awaiting" was a NOT EXISTS subquery per
--    official read, so a lookup read every official in its rings (most already have a campaign) and,
--    for each, a row of campaigns. It is now a column, `awaiting`, kept by the triggers below: 1 while
--    no campaign aimed at the official is live or unlisted (db/targets.ts).
-- A signature changes neither status nor target_id: the sign path fires none of these triggers.
ALTER TABLE targets ADD COLUMN awaiting INTEGER NOT NULL DEFAULT 1;
ALTER TABLE campaigns ADD COLUMN cell_wide INTEGER;
ALTER TABLE targets ADD COLUMN cell_wide INTEGER;

UPDATE campaigns
   SET cell_wide = min(CAST((lat + 90) * 4 AS INTEGER), 719) * 1440 + CAST((lon + 180) * 4 AS INTEGER) % 1440;
UPDATE targets
   SET cell_wide = min(CAST((lat + 90) * 4 AS INTEGER), 719) * 1440 + CAST((lon + 180) * 4 AS INTEGER) % 1440;

UPDATE targets
   SET awaiting = NOT EXISTS (SELECT 1 FROM campaigns x WHERE x.target_id = targets.id AND x.status IN ('live', 'unlisted'));

CREATE TRIGGER campaigns_cell_wide_after_insert AFTER INSERT ON campaigns
BEGIN
  UPDATE campaigns
     SET cell_wide = min(CAST((NEW.lat + 90) * 4 AS INTEGER), 719) * 1440 + CAST((NEW.lon + 180) * 4 AS INTEGER) % 1440
   WHERE id = NEW.id;
END;

CREATE TRIGGER campaigns_cell_wide_after_move AFTER UPDATE OF lat, lon ON campaigns
BEGIN
  UPDATE campaigns
     SET cell_wide = min(CAST((NEW.lat + 90) * 4 AS INTEGER), 719) * 1440 + CAST((NEW.lon + 180) * 4 AS INTEGER) % 1440
   WHERE id = NEW.id;
END;

CREATE TRIGGER targets_cell_wide_after_insert AFTER INSERT ON targets
BEGIN
  UPDATE targets
     SET cell_wide = min(CAST((NEW.lat + 90) * 4 AS INTEGER), 719) * 1440 + CAST((NEW.lon + 180) * 4 AS INTEGER) % 1440
   WHERE id = NEW.id;
END;

CREATE TRIGGER targets_cell_wide_after_move AFTER UPDATE OF lat, lon ON targets
BEGIN
  UPDATE targets
     SET cell_wide = min(CAST((NEW.lat + 90) * 4 AS INTEGER), 719) * 1440 + CAST((NEW.lon + 180) * 4 AS INTEGER) % 1440
   WHERE id = NEW.id;
END;

-- Written only where the value changes (an official's every UPDATE bumps the effort's lookup_gen).
CREATE TRIGGER campaigns_awaiting_after_insert AFTER INSERT ON campaigns
WHEN NEW.target_id IS NOT NULL
BEGIN
  UPDATE targets
     SET awaiting = NOT EXISTS (SELECT 1 FROM campaigns x WHERE x.target_id = targets.id AND x.status IN ('live', 'unlisted'))
   WHERE id = NEW.target_id
     AND awaiting IS NOT (NOT EXISTS (SELECT 1 FROM campaigns x WHERE x.target_id = targets.id AND x.status IN ('live', 'unlisted')));
END;

CREATE TRIGGER campaigns_awaiting_after_update AFTER UPDATE OF status, target_id ON campaigns
BEGIN
  UPDATE targets
     SET awaiting = NOT EXISTS (SELECT 1 FROM campaigns x WHERE x.target_id = targets.id AND x.status IN ('live', 'unlisted'))
   WHERE id IN (OLD.target_id, NEW.target_id)
     AND awaiting IS NOT (NOT EXISTS (SELECT 1 FROM campaigns x WHERE x.target_id = targets.id AND x.status IN ('live', 'unlisted')));
END;

CREATE TRIGGER campaigns_awaiting_after_delete AFTER DELETE ON campaigns
WHEN OLD.target_id IS NOT NULL
BEGIN
  UPDATE targets
     SET awaiting = NOT EXISTS (SELECT 1 FROM campaigns x WHERE x.target_id = targets.id AND x.status IN ('live', 'unlisted'))
   WHERE id = OLD.target_id
     AND awaiting IS NOT (NOT EXISTS (SELECT 1 FROM campaigns x WHERE x.target_id = targets.id AND x.status IN ('live', 'unlisted')));
END;

DROP INDEX campaigns_effort_cell;
DROP INDEX campaigns_effort_cell_fine;
DROP INDEX targets_effort_cell;
DROP INDEX targets_effort_cell_fine;

CREATE INDEX campaigns_live_cell ON campaigns (effort_id, cell) WHERE status = 'live';
CREATE INDEX campaigns_live_cell_fine ON campaigns (effort_id, cell_fine) WHERE status = 'live';
CREATE INDEX targets_awaiting_cell ON targets (effort_id, cell) WHERE awaiting = 1;
CREATE INDEX targets_awaiting_cell_fine ON targets (effort_id, cell_fine) WHERE awaiting = 1;
CREATE INDEX campaigns_live_cell_wide ON campaigns (effort_id, cell_wide) WHERE status = 'live';
CREATE INDEX targets_awaiting_cell_wide ON targets (effort_id, cell_wide) WHERE awaiting = 1;
