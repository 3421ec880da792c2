/** Shared fixtures for the widget tests: API data shaped like the Worker's, and a fake fetch. */
import type { CampaignOut, CampaignSummaryOut, EffortOut, LookupOut } from '../src/api.ts';

export const EFFORT: EffortOut = {
  slug: 'expand-sanctuary',
  title: 'Tell Your Mayor to Defy Trump, Expand Sanctuary',
  body: 'With the new executive orders, our cities need a new take on sanctuary that protects everyone.',
  goal: 30000,
  signatureCount: 29681,
  confirmedCount: 0,
  campaignCount: 9,
};

export const SKOKIE: CampaignSummaryOut = {
  slug: 'skokie',
  town: 'Skokie',
  state: 'IL',
  title: 'Tell Mayor of Skokie George Van Dusen to Defy Trump, Defend Skokie, & Expand Sanctuary',
  target: { name: 'George Van Dusen', title: 'Mayor' },
  goal: 100,
  signatureCount: 1,
  confirmedCount: 0,
  creatorName: 'Michael D.',
  lat: 42.0324,
  lon: -87.7416,
  distanceKm: 5.1,
};

export const EVANSTON: CampaignSummaryOut = {
  slug: 'evanston',
  town: 'Evanston',
  state: 'IL',
  title: 'Tell Mayor Steve Hagerty to Defy Trump & Expand Sanctuary',
  target: { name: 'Steve Hagerty', title: 'Mayor' },
  goal: 100,
  signatureCount: 7,
  confirmedCount: 0,
  creatorName: null,
  lat: 42.0451,
  lon: -87.6877,
  distanceKm: 12.4,
};

export const LOOKUP: LookupOut = {
  place: { label: 'Skokie, IL', lat: 42.03, lon: -87.74, source: 'request' },
  distanceLimitKm: 80,
  nearest: SKOKIE,
  nearby: [SKOKIE, EVANSTON],
  code: 'found',
  unit: 'mi',
  distanceLimit: 49.7,
  alternatives: [],
  awaiting: [],
  effort: EFFORT,
};

export const SKOKIE_FULL: CampaignOut = {
  ...SKOKIE,
  body: 'Calling all Skokie residents!\n\nKeep Skokie welcoming for all.',
  effort: { slug: EFFORT.slug, title: EFFORT.title },
  recentSigners: [{ name: 'Denise L.', signedAt: '2026-11-01T12:00:00Z' }],
};

export const SIGNED = { campaign: 'skokie', signatureCount: 2, goal: 100, referralCode: 'R3f-c0de_abc' };

export const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
export const data = (d: unknown, status = 200) => json({ data: d }, status);
export const apiError = (code: string, status: number, issues: { path: string; message: string }[] = []) =>
  json({ error: { code, message: `${code} (server message)`, issues } }, status);

export interface Call {
  url: URL;
  method: string;
  headers: Headers;
  body: unknown;
}
type Handler = (call: Call) => Response | Promise<Response>;

/**
 * A fake `fetch` for the element (`el.fetchImpl = api.fetch`) or the page (`window.fetch`).
 * Routes are `"METHOD /v1/path"`; unknown routes answer 404 not_found. Every call is recorded.
 */
export function fakeApi(routes: Record<string, Handler> = {}) {
  const calls: Call[] = [];
  const defaults: Record<string, Handler> = {
    'GET /v1/efforts/expand-sanctuary': () => data(EFFORT),
    'GET /v1/efforts/expand-sanctuary/lookup': () => data(LOOKUP),
    'GET /v1/campaigns/skokie': () => data(SKOKIE_FULL),
    'GET /v1/campaigns/evanston': () => data({ ...SKOKIE_FULL, ...EVANSTON, distanceKm: undefined }),
    'POST /v1/campaigns/skokie/signatures': () => data(SIGNED, 201),
  };
  const all = { ...defaults, ...routes };
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input), location.href);
    const method = (init.method ?? 'GET').toUpperCase();
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    const call: Call = { url, method, headers: new Headers(init.headers), body };
    calls.push(call);
    if (init.signal?.aborted) throw new DOMException('aborted', 'AbortError');
    const handler = all[`${method} ${url.pathname}`];
    return handler ? handler(call) : apiError('not_found', 404);
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

/** A promise with its resolve exposed, for holding a response back. */
export function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export const PII_KEYS = ['firstName', 'lastName', 'name', 'email', 'zip', 'phone'];
