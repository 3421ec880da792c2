-- A finer grid beside `cell` (0.05°): `cell_fine`, 0.01° × 0.01° (about 1.1 km north–south; row-major,
-- 36,000 columns). Must match FINE.cellOf() in worker/src/geo.ts. A lookup reads the fine cells right
-- around its point first: where campaigns are dense (a big city) that is enough, and it reads a few
-- dozen rows instead of the hundreds a 3 × 3 block of coarse cells holds there (see db/ring.ts).
ALTER TABLE campaigns ADD COLUMN cell_fine INTEGER;
ALTER TABLE targets ADD COLUMN cell_fine INTEGER;

UPDATE campaigns
   SET cell_fine = min(CAST((lat + 90) * 100 AS INTEGER), 17999) * 36000 + CAST((lon + 180) * 100 AS INTEGER) % 36000;
UPDATE targets
   SET cell_fine = min(CAST((lat + 90) * 100 AS INTEGER), 17999) * 36000 + CAST((lon + 180) * 100 AS INTEGER) % 36000;

CREATE INDEX campaigns_effort_cell_fine ON campaigns (effort_id, cell_fine);
CREATE INDEX targets_effort_cell_fine ON targets (effort_id, cell_fine);

CREATE TRIGGER campaigns_cell_fine_after_insert AFTER INSERT ON campaigns
BEGIN
  UPDATE campaigns
     SET cell_fine = min(CAST((NEW.lat + 90) * 100 AS INTEGER), 17999) * 36000 + CAST((NEW.lon + 180) * 100 AS INTEGER) % 36000
   WHERE id = NEW.id;
END;

CREATE TRIGGER campaigns_cell_fine_after_move AFTER UPDATE OF lat, lon ON campaigns
BEGIN
  UPDATE campaigns
     SET cell_fine = min(CAST((NEW.lat + 90) * 100 AS INTEGER), 17999) * 36000 + CAST((NEW.lon + 180) * 100 AS INTEGER) % 36000
   WHERE id = NEW.id;
END;

CREATE TRIGGER targets_cell_fine_after_insert AFTER INSERT ON targets
BEGIN
  UPDATE targets
     SET cell_fine = min(CAST((NEW.lat + 90) * 100 AS INTEGER), 17999) * 36000 + CAST((NEW.lon + 180) * 100 AS INTEGER) % 36000
   WHERE id = NEW.id;
END;

CREATE TRIGGER targets_cell_fine_after_move AFTER UPDATE OF lat, lon ON targets
BEGIN
  UPDATE targets
     SET cell_fine = min(CAST((NEW.lat + 90) * 100 AS INTEGER), 17999) * 36000 + CAST((NEW.lon + 180) * 100 AS INTEGER) % 36000
   WHERE id = NEW.id;
END;
