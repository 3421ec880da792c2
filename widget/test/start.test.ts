/// <reference types="mocha" />
/**
 * The finder's "Did you mean…", officials awaiting a campaign and the links to the hosted
 * start-a-campaign page (tested in start-page.test.ts), in Chromium with the network stubbed at `fetch`.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/index.ts';
import type { SanctuaryPetition } from '../src/sanctuary-petition.ts';
import type { AwaitingTargetOut, LookupOut } from '../src/api.ts';
import { LOOKUP, data, fakeApi } from './helpers.ts';

type Api = ReturnType<typeof fakeApi>;
const $ = <T extends Element = HTMLElement>(el: SanctuaryPetition, sel: string) => el.shadowRoot!.querySelector<T>(sel) as T;
const $$ = (el: SanctuaryPetition, sel: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(sel)];
const text = (el: Node | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

const MAYOR: AwaitingTargetOut = {
  id: 7,
  name: 'Dan Biss',
  title: 'Mayor',
  jurisdiction: 'Morton Grove',
  state: 'IL',
  lat: 42.04,
  lon: -87.78,
  distanceKm: 3.2,
  distance: 2,
};

const NOTHING_NEAR: LookupOut = {
  ...LOOKUP,
  place: { label: 'Morton Grove, IL 60053', lat: 42.04, lon: -87.78, source: 'zip', zip: '60053', city: 'Morton Grove', state: 'IL' },
  nearest: null,
  nearby: [],
  code: 'none_nearby',
  awaiting: [MAYOR],
};

function api(routes: Parameters<typeof fakeApi>[0] = {}): Api {
  return fakeApi({
    'GET /v1/efforts/expand-sanctuary/lookup': () => data(NOTHING_NEAR),
    ...routes,
  });
}

async function effortWidget(a: Api, lang = 'en') {
  const el = await fixture<SanctuaryPetition>(
    html`<sanctuary-petition effort="expand-sanctuary" lang=${lang} .fetchImpl=${a.fetch}></sanctuary-petition>`,
  );
  await waitUntil(() => $(el, '[part~="finder"]') && !$(el, '.searching'), 'the finder did not render');
  return el;
}

describe('finder: did you mean, officials awaiting a campaign', () => {
  it('offers the other places an ambiguous name may mean, and looks one up when picked', async () => {
    const a = api({
      'GET /v1/efforts/expand-sanctuary/lookup': (call) =>
        data({
          ...LOOKUP,
          place: { label: 'Springfield, IL', lat: 39.8, lon: -89.65, source: 'city', city: 'Springfield', state: 'IL' },
          alternatives:
            call.url.searchParams.get('q') === 'Springfield'
              ? [
                  { label: 'Springfield, MO', lat: 37.2, lon: -93.29, source: 'city', city: 'Springfield', state: 'MO' },
                  { label: 'Springfield, MA', lat: 42.1, lon: -72.59, source: 'city', city: 'Springfield', state: 'MA' },
                ]
              : [],
        }),
    });
    const el = await effortWidget(a);
    expect($(el, '.alternatives')).to.be.null;
    $<HTMLInputElement>(el, '#q').value = 'Springfield';
    $<HTMLButtonElement>(el, '[part~="search"] button[type="submit"]').click();
    await waitUntil(() => $(el, '.alternatives'), 'no "Did you mean…"');
    expect(text($(el, '.alternatives p'))).to.equal('Did you mean another place?');
    const picks = $$(el, '.alternatives button');
    expect(picks.map(text)).to.deep.equal(['Springfield, MO', 'Springfield, MA']);
    await expect(el).to.be.accessible();
    picks[0]!.click();
    await waitUntil(() => a.calls.at(-1)!.url.searchParams.get('q') === 'Springfield, MO', 'the pick was not looked up');
    expect($<HTMLInputElement>(el, '#q').value).to.equal('Springfield, MO');
    await waitUntil(() => !$(el, '.alternatives'), 'the alternatives stayed after the pick');
  });

  it('lists officials with no campaign yet, each linking to the start page, and a start link for the place', async () => {
    const el = await effortWidget(api());
    expect(text($(el, '.empty'))).to.equal('No local campaign near Morton Grove, IL 60053 yet.');
    const item = $(el, '.awaiting');
    expect(text(item)).to.contain('No campaign for Mayor Dan Biss yet.');
    expect(text(item)).to.contain('Morton Grove, IL');
    expect(text(item)).to.contain('2.0 mi');
    const official = new URL($<HTMLAnchorElement>(el, '.awaiting a[part~="start"]').href);
    expect(official.origin + official.pathname).to.equal(`${location.origin}/start/`);
    const back = new URL(location.href);
    expect(official.search, 'nothing in the query: the page address stays out of server logs').to.equal('');
    expect(Object.fromEntries(new URLSearchParams(official.hash.slice(1)))).to.deep.equal({
      effort: 'expand-sanctuary',
      target: '7',
      label: 'Morton Grove, IL',
      lang: 'en',
      return: back.href,
    });
    const place = $<HTMLAnchorElement>(el, 'a.start-here');
    expect(text(place)).to.equal('Start a local campaign for Morton Grove, IL 60053');
    const placeParams = new URLSearchParams(new URL(place.href).hash.slice(1));
    expect(placeParams.get('place')).to.equal('60053');
    expect(placeParams.has('target')).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('gives the start page the partner, the language, and this page without its share parameters', async () => {
    const before = location.href;
    history.replaceState(null, '', '?sp_ref=abcdef12&sp_partner=other&keep=1');
    try {
      const el = await fixture<SanctuaryPetition>(
        html`<sanctuary-petition effort="expand-sanctuary" partner="chicago-rising" lang="es" theme="dark" api="https://petitions.example.org" .fetchImpl=${api().fetch}></sanctuary-petition>`,
      );
      await waitUntil(() => $(el, '.awaiting a'), 'no start link');
      const link = new URL($<HTMLAnchorElement>(el, '.awaiting a').href);
      expect(link.origin + link.pathname).to.equal('https://petitions.example.org/start/');
      const params = new URLSearchParams(link.hash.slice(1));
      expect(params.get('partner')).to.equal('chicago-rising');
      expect(params.get('lang')).to.equal('es');
      expect(params.get('theme'), 'the page follows the widget’s theme').to.equal('dark');
      const back = new URL(params.get('return')!);
      expect(back.searchParams.get('keep')).to.equal('1');
      expect(back.searchParams.has('sp_ref') || back.searchParams.has('sp_partner')).to.equal(false);
    } finally {
      history.replaceState(null, '', before);
    }
  });

  it('speaks Spanish there too', async () => {
    const el = await effortWidget(api(), 'es');
    expect(text($(el, '.awaiting'))).to.contain('Aún no hay campaña para Mayor Dan Biss.');
    expect(text($(el, '.awaiting a'))).to.equal('Inicia una');
  });
});

describe('the sign form’s honeypot', () => {
  it('is hidden from people and assistive technology, and sent only when filled', async () => {
    const a = fakeApi();
    const el = await fixture<SanctuaryPetition>(html`<sanctuary-petition campaign="skokie" .fetchImpl=${a.fetch}></sanctuary-petition>`);
    await waitUntil(() => $(el, '[part~="form"]'));
    const trap = $<HTMLInputElement>(el, 'input[name="website"]');
    expect(trap.tabIndex).to.equal(-1);
    const box = trap.closest('[aria-hidden="true"]')!;
    expect(box).to.exist;
    expect(box.getBoundingClientRect().width, 'the trap takes no room on the page').to.be.at.most(1);
    expect(getComputedStyle(box).overflow).to.equal('hidden');
    for (const [k, v] of Object.entries({ firstName: 'Ana', lastName: 'Ruiz', email: 'ana@example.org', zip: '60076' }))
      $<HTMLInputElement>(el, `#f-${k}`).value = v;
    trap.value = 'http://spam.example';
    $<HTMLButtonElement>(el, '[part~="submit"]').click();
    await waitUntil(() => a.calls.some((c) => c.method === 'POST'));
    expect(a.calls.find((c) => c.method === 'POST')!.body).to.include({ website: 'http://spam.example' });
  });
});
