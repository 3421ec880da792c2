-- Lookup answers are cached (worker/src/cache.ts); their keys carry the effort's lookup generation,
-- bumped here by anything that changes what a lookup lists: a campaign added, moved, retitled,
-- approved or suppressed, an official (target) added, changed or removed. A signature does not bump it
-- (counts in a cached list may lag a minute; the effort's totals in a lookup are always fresh).
ALTER TABLE efforts ADD COLUMN lookup_gen INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER campaigns_lookup_gen_after_insert AFTER INSERT ON campaigns
BEGIN
  UPDATE efforts SET lookup_gen = lookup_gen + 1 WHERE id = NEW.effort_id;
END;

CREATE TRIGGER campaigns_lookup_gen_after_update
AFTER UPDATE OF status, slug, town, state, lat, lon, title, goal, target_id, target_name, target_title, creator_name ON campaigns
BEGIN
  UPDATE efforts SET lookup_gen = lookup_gen + 1 WHERE id = NEW.effort_id;
END;

CREATE TRIGGER targets_lookup_gen_after_insert AFTER INSERT ON targets
BEGIN
  UPDATE efforts SET lookup_gen = lookup_gen + 1 WHERE id = NEW.effort_id;
END;

CREATE TRIGGER targets_lookup_gen_after_update AFTER UPDATE ON targets
BEGIN
  UPDATE efforts SET lookup_gen = lookup_gen + 1 WHERE id = NEW.effort_id;
END;

CREATE TRIGGER targets_lookup_gen_after_delete AFTER DELETE ON targets
BEGIN
  UPDATE efforts SET lookup_gen = lookup_gen + 1 WHERE id = OLD.effort_id;
END;
