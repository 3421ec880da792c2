-- The finder at scale: a gazetteer of US cities (ZIP codes stay in `places`), and a grid index on
-- campaigns and targets. Forward-only.

-- Every US city and town: from GeoNames (with population) and from the ZIP code list (towns that
-- only a ZIP code names, population unknown). Loaded by scripts/gazetteer.ts, not by hand.
-- name_key is placeKey(name) from worker/src/place-names.ts ("Saint Louis" and "St. Louis" → "st louis").
CREATE TABLE cities (
  id         INTEGER PRIMARY KEY,
  name       TEXT    NOT NULL,
  name_key   TEXT    NOT NULL,
  state      TEXT    NOT NULL,
  lat        REAL    NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lon        REAL    NOT NULL CHECK (lon BETWEEN -180 AND 180),
  population INTEGER,
  zip_count  INTEGER NOT NULL DEFAULT 0,
  UNIQUE (name_key, state)
);

-- What has been loaded into `places` and `cities`: one row per data set, so `npm start` loads the
-- gazetteer once and again only when its version (data packages + generator) changes.
CREATE TABLE gazetteer_meta (
  key       TEXT PRIMARY KEY,
  version   TEXT NOT NULL,
  rows      INTEGER NOT NULL,
  loaded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- The grid cell of each point: 0.05° × 0.05° (row-major, 7,200 columns). Must match cellOf() in
-- worker/src/geo.ts. Computed by the triggers below, whatever code inserts or moves a row.
ALTER TABLE campaigns ADD COLUMN cell INTEGER;
ALTER TABLE targets ADD COLUMN cell INTEGER;

UPDATE campaigns
   SET cell = min(CAST((lat + 90) * 20 AS INTEGER), 3599) * 7200 + CAST((lon + 180) * 20 AS INTEGER) % 7200;
UPDATE targets
   SET cell = min(CAST((lat + 90) * 20 AS INTEGER), 3599) * 7200 + CAST((lon + 180) * 20 AS INTEGER) % 7200;

CREATE INDEX campaigns_effort_cell ON campaigns (effort_id, cell);
CREATE INDEX targets_effort_cell ON targets (effort_id, cell);

CREATE TRIGGER campaigns_cell_after_insert AFTER INSERT ON campaigns
BEGIN
  UPDATE campaigns
     SET cell = min(CAST((NEW.lat + 90) * 20 AS INTEGER), 3599) * 7200 + CAST((NEW.lon + 180) * 20 AS INTEGER) % 7200
   WHERE id = NEW.id;
END;

CREATE TRIGGER campaigns_cell_after_move AFTER UPDATE OF lat, lon ON campaigns
BEGIN
  UPDATE campaigns
     SET cell = min(CAST((NEW.lat + 90) * 20 AS INTEGER), 3599) * 7200 + CAST((NEW.lon + 180) * 20 AS INTEGER) % 7200
   WHERE id = NEW.id;
END;

CREATE TRIGGER targets_cell_after_insert AFTER INSERT ON targets
BEGIN
  UPDATE targets
     SET cell = min(CAST((NEW.lat + 90) * 20 AS INTEGER), 3599) * 7200 + CAST((NEW.lon + 180) * 20 AS INTEGER) % 7200
   WHERE id = NEW.id;
END;

CREATE TRIGGER targets_cell_after_move AFTER UPDATE OF lat, lon ON targets
BEGIN
  UPDATE targets
     SET cell = min(CAST((NEW.lat + 90) * 20 AS INTEGER), 3599) * 7200 + CAST((NEW.lon + 180) * 20 AS INTEGER) % 7200
   WHERE id = NEW.id;
END;
