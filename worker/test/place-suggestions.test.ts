/**
 * Lookups that used to lead nowhere (issue 16): a misspelt town answers place_not_found with the near
 * spellings as issues ("Did you mean Evanston, IL?"), and a point ("use my location") is named after
 * the nearest town of the gazetteer, so the finder can say where it looked and offer to start there.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { editDistance } from '../src/place-names.ts';
import { call, json } from './helpers.ts';

const lookup = (qs: string) => call(`/v1/efforts/expand-sanctuary/lookup?${qs}`);

beforeAll(async () => {
  await env.DB.batch(env.TEST_GAZETTEER.map((s) => env.DB.prepare(s)));
});

describe('near spellings', () => {
  it('counts insertions, deletions, substitutions and swaps as one edit each, and stops past the limit', () => {
    expect(editDistance('skokie', 'skokie', 2)).toBe(0);
    expect(editDistance('skokei', 'skokie', 2)).toBe(1);
    expect(editDistance('skoki', 'skokie', 2)).toBe(1);
    expect(editDistance('sprngfield', 'springfield', 2)).toBe(1);
    expect(editDistance('evnstn', 'evanston', 2)).toBe(2);
    expect(editDistance('boston', 'austin', 1)).toBe(2);
  });

  it.each([
    ['Evanstn', 'Evanston, IL'],
    ['Evnaston, IL', 'Evanston, IL'],
    ['Honolullu', 'Honolulu, HI'],
  ])('a misspelt %s suggests %s', async (q, label) => {
    const res = await lookup(`q=${encodeURIComponent(q)}`);
    expect(res.status).toBe(404);
    const body = await json<{ error: { code: string; issues: { path: string; message: string; suggestion?: string }[] } }>(res);
    expect(body.error.code).toBe('place_not_found');
    expect(body.error.issues[0]).toEqual({ path: 'q', message: `Did you mean ${label}?`, suggestion: label });
    // The suggestion finds the place.
    expect((await lookup(`q=${encodeURIComponent(label)}`)).status).toBe(200);
  });

  it('suggests the most populous of equally near spellings first, at most three', async () => {
    const body = await json<{ error: { issues: { suggestion?: string }[] } }>(await lookup('q=Sprngfield'));
    const suggestions = body.error.issues.map((i) => i.suggestion);
    expect(suggestions.length).toBeGreaterThan(0);
    expect(suggestions.length).toBeLessThanOrEqual(3);
    for (const s of suggestions) expect(s).toMatch(/^Springfield, [A-Z]{2}$/);
  });

  it('suggests nothing for a name nothing is spelt like, and keeps the plain issue', async () => {
    const body = await json<{ error: { issues: unknown[] } }>(await lookup('q=Xyzzyqwv'));
    expect(body.error.issues).toEqual([{ path: 'q', message: 'Unknown place.' }]);
  });
});

describe('a point is named after the nearest town', () => {
  it('names "use my location" after the town there, with its city and state', async () => {
    const res = await lookup('lat=21.305&lon=-157.857');
    expect(res.status).toBe(200);
    const { data } = await json<{ data: { place: { label: string; source: string; city?: string; state?: string } } }>(res);
    expect(data.place).toMatchObject({ label: 'Honolulu, HI', source: 'coordinates', city: 'Honolulu', state: 'HI' });
  });

  it('keeps the coordinates where no town is near (out at sea)', async () => {
    const { data } = await json<{ data: { place: { label: string; city?: string } } }>(await lookup('lat=30.000&lon=-140.000'));
    expect(data.place.label).toBe('30.000, -140.000');
    expect(data.place.city).toBeUndefined();
  });
});
