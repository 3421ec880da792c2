/**
 * Place names: how a typed "St. Louis, Missouri" meets the gazetteer's "Saint Louis, MO".
 * Pure functions, shared by the Worker (the query side) and scripts/gazetteer.ts (the load side):
 * both sides compute the same key, so a match is one indexed equality.
 */

/** USPS codes of the states, DC and the territories the gazetteer covers, with their names. */
export const STATES: Readonly<Record<string, string>> = {
  AL: 'Alabama', AK: 'Alaska', AZ: 'Arizona', AR: 'Arkansas', CA: 'California', CO: 'Colorado',
  CT: 'Connecticut', DE: 'Delaware', DC: 'District of Columbia', FL: 'Florida', GA: 'Georgia',
  HI: 'Hawaii', ID: 'Idaho', IL: 'Illinois', IN: 'Indiana', IA: 'Iowa', KS: 'Kansas', KY: 'Kentucky',
  LA: 'Louisiana', ME: 'Maine', MD: 'Maryland', MA: 'Massachusetts', MI: 'Michigan', MN: 'Minnesota',
  MS: 'Mississippi', MO: 'Missouri', MT: 'Montana', NE: 'Nebraska', NV: 'Nevada', NH: 'New Hampshire',
  NJ: 'New Jersey', NM: 'New Mexico', NY: 'New York', NC: 'North Carolina', ND: 'North Dakota',
  OH: 'Ohio', OK: 'Oklahoma', OR: 'Oregon', PA: 'Pennsylvania', RI: 'Rhode Island',
  SC: 'South Carolina', SD: 'South Dakota', TN: 'Tennessee', TX: 'Texas', UT: 'Utah', VT: 'Vermont',
  VA: 'Virginia', WA: 'Washington', WV: 'West Virginia', WI: 'Wisconsin', WY: 'Wyoming',
  PR: 'Puerto Rico', VI: 'U.S. Virgin Islands', GU: 'Guam', AS: 'American Samoa',
  MP: 'Northern Mariana Islands',
};

/** Words written either way in place names; the key keeps the short form. */
const WORD_FORMS: Readonly<Record<string, string>> = {
  saint: 'st', sainte: 'ste', fort: 'ft', mount: 'mt',
};

/**
 * The comparison key of a place or state name: lower case, no accents, no punctuation, single
 * spaces, "Saint"/"St." → "st", "Fort" → "ft", "Mount" → "mt".
 * "St. Louis" and "Saint Louis" → "st louis"; "Mayagüez" → "mayaguez"; "Winston-Salem" → "winston salem".
 */
export function placeKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean)
    .map((w) => WORD_FORMS[w] ?? w)
    .join(' ');
}

const STATE_BY_KEY = new Map<string, string>();
for (const [code, name] of Object.entries(STATES)) {
  STATE_BY_KEY.set(placeKey(name), code);
  STATE_BY_KEY.set(code.toLowerCase(), code);
}
STATE_BY_KEY.set('d c', 'DC');
STATE_BY_KEY.set('washington dc', 'DC');
STATE_BY_KEY.set('virgin islands', 'VI');
STATE_BY_KEY.set('us virgin islands', 'VI');

/** "IL", "il", "Illinois", "District of Columbia", "D.C." → the USPS code, else null. */
export function stateCode(text: string): string | null {
  return STATE_BY_KEY.get(placeKey(text)) ?? null;
}

export type ParsedPlace =
  | { kind: 'zip'; zip: string }
  | { kind: 'city'; city: string; state: string | null; alsoWhole: boolean };

/**
 * What a supporter typed, understood: "60076", "60076-1234", "Skokie, IL", "Skokie IL",
 * "Springfield, Illinois", "Portland Oregon", or a bare "Springfield".
 * Without a comma, trailing words that name a state are a guess ("Portland Oregon"), so `alsoWhole`
 * tells the caller to try the whole text as a city name too when the guess finds nothing.
 * Returns null for text that is neither a ZIP nor a place name.
 */
export function parsePlaceQuery(q: string): ParsedPlace | null {
  const text = q.trim().replace(/\s+/g, ' ');
  const zip = /^(\d{5})(?:[-\s]?\d{4})?$/.exec(text);
  if (zip) return { kind: 'zip', zip: zip[1]! };
  if (!isPlaceText(text)) return null;
  const comma = text.lastIndexOf(',');
  if (comma >= 0) {
    const city = text.slice(0, comma).trim().replace(/,$/, '').trim();
    const rest = text.slice(comma + 1).trim();
    if (!rest) return placeKey(city) ? { kind: 'city', city, state: null, alsoWhole: false } : null;
    // "Skokie, IL 60076": a trailing ZIP after the state is allowed and ignored.
    const state = stateCode(rest.replace(/\s+\d{5}(?:-\d{4})?$/, ''));
    if (!placeKey(city)) return null;
    if (state) return { kind: 'city', city, state, alsoWhole: false };
    return { kind: 'city', city: text, state: null, alsoWhole: false };
  }
  // No comma: the last one, two or three words may name the state ("Portland Oregon", "Fargo North Dakota").
  const words = text.split(' ');
  for (let n = Math.min(3, words.length - 1); n >= 1; n--) {
    const state = stateCode(words.slice(-n).join(' '));
    if (state) return { kind: 'city', city: words.slice(0, -n).join(' '), state, alsoWhole: true };
  }
  return { kind: 'city', city: text, state: null, alsoWhole: false };
}

/** Letters (any script), digits, spaces and the punctuation of place names; at least two letters. */
export function isPlaceText(text: string): boolean {
  return /^[\p{L}\p{M}\p{N} .,'’()-]+$/u.test(text) && (text.match(/\p{L}/gu)?.length ?? 0) >= 2;
}

/**
 * The edit distance of two keys (insertions, deletions, substitutions and swaps of two neighbours each
 * count one), or `max + 1` as soon as it is known to exceed `max`.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > max) return max + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length]!;
}
