/** Great-circle geometry on a sphere of the Earth's mean radius. Pure functions. */
export const EARTH_RADIUS_KM = 6371.0088;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Haversine distance in kilometres. */
export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = rad(lat2 - lat1);
  const dLon = rad(lon2 - lon1);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

export interface Box {
  minLat: number;
  maxLat: number;
  minLon: number;
  maxLon: number;
}

/**
 * A latitude/longitude box that contains every point within `km` of (lat, lon).
 * Near the poles or across the antimeridian it widens to all longitudes (never too small).
 */
export function boundingBox(lat: number, lon: number, km: number): Box {
  const dLat = (km / EARTH_RADIUS_KM) * (180 / Math.PI);
  const minLat = Math.max(-90, lat - dLat);
  const maxLat = Math.min(90, lat + dLat);
  const cosLat = Math.min(Math.cos(rad(minLat)), Math.cos(rad(maxLat)));
  const dLon = cosLat <= 1e-9 ? 180 : (dLat / cosLat);
  if (dLon >= 180 || lon - dLon < -180 || lon + dLon > 180) return { minLat, maxLat, minLon: -180, maxLon: 180 };
  return { minLat, maxLat, minLon: lon - dLon, maxLon: lon + dLon };
}

/** Rounds a distance for display in an API response (0.1 km). */
export const roundKm = (km: number) => Math.round(km * 10) / 10;
