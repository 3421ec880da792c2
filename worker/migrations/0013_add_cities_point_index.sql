-- "Use my location" names the place: the nearest town of the gazetteer to a point
-- (db/places.ts nearestCity), read through a latitude band of this index instead of every city.
-- Forward-only.
CREATE INDEX cities_lat_lon ON cities (lat, lon);
