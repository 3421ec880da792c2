/// <reference types="mocha" />
/**
 * The paths a supporter takes, where the widget used to lead them astray (issue 16): the campaign at
 * the place searched comes first and starting another comes after the list; an empty search replaces
 * the last message and errors read as errors; the nearest few, then "Show more"; long text behind
 * "Read more"; a shared campaign the page already pins is not shown twice; a signature saved on an
 * earlier visit is announced when delivered, and `sanctuary-signed` fires once per campaign per
 * browser; the first screen (the request's guessed location) leads with campaigns, not bad news; share
 * links carry only our own parameters; each "Read and sign" names its campaign.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/index.ts';
import { STORAGE_KEY, sharedOutbox } from '../src/outbox.ts';
import { SIGNED_KEY } from '../src/signed-memory.ts';
import type { SanctuaryPetition } from '../src/sanctuary-petition.ts';
import type { CampaignSummaryOut, LookupOut } from '../src/api.ts';
import { EVANSTON, LOOKUP, SKOKIE, SKOKIE_FULL, apiError, data, fakeApi } from './helpers.ts';

type Api = ReturnType<typeof fakeApi>;
const $ = <T extends Element = HTMLElement>(el: SanctuaryPetition, sel: string) => el.shadowRoot!.querySelector<T>(sel) as T;
const $$ = (el: SanctuaryPetition, sel: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(sel)];
const text = (el: Node | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
const focused = (el: SanctuaryPetition) => el.shadowRoot!.activeElement;
const GOOD = { firstName: 'Ana', lastName: 'Ruiz', email: 'ana@example.org', zip: '60076' };
const fill = (el: SanctuaryPetition) => {
  for (const [name, value] of Object.entries(GOOD)) $<HTMLInputElement>(el, `#f-${name}`).value = value;
};
const submit = (el: SanctuaryPetition) => $<HTMLButtonElement>(el, '[part~="submit"]').click();
const offline = () => Promise.reject(new TypeError('Failed to fetch'));

/** The request's own (guessed) location: none within the limit. */
const GUESS: LookupOut = {
  ...LOOKUP,
  place: { label: 'Austin, TX', lat: 30.27, lon: -97.74, source: 'request', city: 'Austin', state: 'TX' },
  nearest: null,
  code: 'none_nearby',
  awaiting: [
    {
      id: 3,
      name: 'Kirk Watson',
      title: 'Mayor',
      jurisdiction: 'Austin',
      state: 'TX',
      lat: 30.27,
      lon: -97.74,
      distanceKm: 1,
      distance: 0.6,
    },
  ],
};
/** A search for 60076: Skokie's campaign, an official there with none, and the start link. */
const SEARCHED: LookupOut = {
  ...LOOKUP,
  place: { label: 'Skokie, IL 60076', lat: 42.03, lon: -87.73, source: 'zip', zip: '60076', city: 'Skokie', state: 'IL' },
};
const many = (n: number): CampaignSummaryOut[] =>
  Array.from({ length: n }, (_, i) => ({ ...EVANSTON, slug: `town-${i}`, title: `Campaign ${i}`, distanceKm: i + 1 }));

async function finder(api: Api, attrs: { lang?: string } = {}) {
  const el = await fixture<SanctuaryPetition>(
    html`<sanctuary-petition effort="expand-sanctuary" lang=${attrs.lang ?? 'en'} .fetchImpl=${api.fetch}></sanctuary-petition>`,
  );
  await waitUntil(() => $(el, '[part~="finder"]') && !$(el, '.searching'), 'finder did not render');
  return el;
}
async function search(el: SanctuaryPetition, q: string) {
  $<HTMLInputElement>(el, '#q').value = q;
  $<HTMLButtonElement>(el, '[part~="search"] button[type="submit"]').click();
  await el.updateComplete;
  await waitUntil(() => !$(el, '.searching'));
}

afterEach(() => {
  localStorage.removeItem(STORAGE_KEY);
  localStorage.removeItem(SIGNED_KEY);
  sharedOutbox().fetchImpl = undefined;
});

describe('supporter paths', () => {
  it('after a search, lists the campaign there first and offers to start another after it ("Not your town?")', async () => {
    const el = await finder(
      fakeApi({ 'GET /v1/efforts/expand-sanctuary/lookup': (c) => data(c.url.searchParams.get('q') ? SEARCHED : LOOKUP) }),
    );
    await search(el, '60076');
    const list = $(el, '[part~="results"]');
    const start = $(el, 'a.start-here');
    expect(text(list.querySelector('h4'))).to.equal(SKOKIE.title);
    expect(list.compareDocumentPosition(start) & Node.DOCUMENT_POSITION_FOLLOWING, 'the start link comes after the list').to.not.equal(0);
    expect(text($(el, '.not-yours'))).to.equal('Not your town?');
    expect(text(start)).to.equal('Start a local campaign for Skokie, IL 60076');
    await expect(el).to.be.accessible();
  });

  it('first screen: the guessed location leads with the campaigns to sign, no "none near you", nothing to start there', async () => {
    const el = await finder(fakeApi({ 'GET /v1/efforts/expand-sanctuary/lookup': () => data(GUESS) }));
    expect($(el, '.empty'), 'no bad news first').to.equal(null);
    expect(text($(el, '[part~="finder"] h4'))).to.equal('Local campaigns to sign');
    expect($$(el, '[part~="result"]').length).to.be.greaterThan(0);
    expect($(el, 'a.start-here')).to.equal(null);
    expect($(el, '.awaiting')).to.equal(null);
    expect(text($(el, '[role="status"]'))).to.not.contain('No local campaign');
  });

  it('an empty search replaces the last message; a lookup error is styled and announced as an error', async () => {
    const el = await finder(
      fakeApi({
        'GET /v1/efforts/expand-sanctuary/lookup': (c) => (c.url.searchParams.get('q') ? apiError('place_not_found', 404) : data(LOOKUP)),
      }),
    );
    await search(el, 'Nowhereville');
    const error = $(el, '.lookup-error');
    expect(error.getAttribute('role')).to.equal('alert');
    expect(getComputedStyle(error).color).to.equal('rgb(179, 38, 30)');
    await search(el, '');
    expect($(el, '.lookup-error'), 'the old message is gone').to.equal(null);
    expect(text($(el, '#q-error'))).to.equal('Enter a ZIP code or a city.');
  });

  it('shows the nearest three, then "Show more", which shows the rest and moves the focus to the first of them', async () => {
    const nearby = many(7);
    const el = await finder(fakeApi({ 'GET /v1/efforts/expand-sanctuary/lookup': () => data({ ...LOOKUP, nearest: nearby[0], nearby }) }));
    expect($$(el, '[part~="result"]')).to.have.length(3);
    const more = $<HTMLButtonElement>(el, '[part~="more"]');
    expect(text(more)).to.equal('Show more local campaigns (4)');
    more.click();
    await waitUntil(() => $$(el, '[part~="result"]').length === 7);
    await waitUntil(() => focused(el) === $(el, '#o-3'), 'focus did not move to the first campaign shown');
    expect($(el, '[part~="more"]')).to.equal(null);
  });

  it('names each "Read and sign" after its campaign', async () => {
    const el = await finder(fakeApi());
    const buttons = $$(el, '[part~="open"]');
    expect(buttons.length).to.be.greaterThan(1);
    for (const b of buttons) {
      const names = b
        .getAttribute('aria-labelledby')!
        .split(' ')
        .map((id) => text($(el, `#${id}`)));
      expect(names[0]).to.equal('Read and sign');
      expect(names[1], 'the campaign title is in the name').to.not.equal('');
    }
    expect(new Set(buttons.map((b) => b.getAttribute('aria-labelledby'))).size).to.equal(buttons.length);
    await expect(el).to.be.accessible();
  });

  it('keeps a long text short until "Read more", so the form is near', async () => {
    const long = ['First paragraph. '.repeat(10), 'Second paragraph. '.repeat(10), 'Third paragraph. '.repeat(10)].join('\n\n');
    const api = fakeApi({ 'GET /v1/campaigns/skokie': () => data({ ...SKOKIE_FULL, body: long }) });
    const el = await fixture<SanctuaryPetition>(
      html`<sanctuary-petition campaign="skokie" lang="es" .fetchImpl=${api.fetch}></sanctuary-petition>`,
    );
    await waitUntil(() => $(el, '[part~="form"]'));
    expect($$(el, '#text p')).to.have.length(1);
    const more = $<HTMLButtonElement>(el, '.more-text');
    expect(more.getAttribute('aria-expanded')).to.equal('false');
    expect(more.getAttribute('aria-controls')).to.equal('text');
    expect(text(more)).to.equal('Leer más');
    more.click();
    await waitUntil(() => $$(el, '#text p').length === 3);
    expect($<HTMLButtonElement>(el, '.more-text').getAttribute('aria-expanded')).to.equal('true');
    await expect(el).to.be.accessible();
  });

  it('does not open a shared campaign in the finder when the page pins that campaign already', async () => {
    const before = location.href;
    history.replaceState(null, '', '?sp_campaign=skokie');
    try {
      const api = fakeApi();
      const el = await fixture<HTMLDivElement>(
        html`<div>
          <sanctuary-petition campaign="skokie" .fetchImpl=${api.fetch}></sanctuary-petition>
          <sanctuary-petition effort="expand-sanctuary" .fetchImpl=${api.fetch}></sanctuary-petition>
        </div>`,
      );
      const [pinned, finderEl] = [...el.querySelectorAll('sanctuary-petition')] as SanctuaryPetition[];
      await waitUntil(() => $(pinned!, '[part~="form"]') && $(finderEl!, '[part~="finder"]'), 'both did not render');
      expect($(finderEl!, '[part~="campaign"]'), 'Skokie once on the page').to.equal(null);
    } finally {
      history.replaceState(null, '', before);
    }
  });

  it('fires sanctuary-signed once per campaign per browser, however often the same supporter signs', async () => {
    const api = fakeApi();
    const el = await fixture<SanctuaryPetition>(
      html`<sanctuary-petition effort="expand-sanctuary" .fetchImpl=${api.fetch}></sanctuary-petition>`,
    );
    const fired: unknown[] = [];
    el.addEventListener('sanctuary-signed', (e) => fired.push(e.detail));
    await waitUntil(() => $(el, '[part~="open"]'));
    for (let i = 0; i < 2; i++) {
      $<HTMLButtonElement>(el, '[data-slug="skokie"]').click();
      await waitUntil(() => $(el, '[part~="form"]'));
      fill(el);
      submit(el);
      await waitUntil(() => $(el, '[part~="thanks"]'));
      $<HTMLButtonElement>(el, '[part~="back"]').click();
      await waitUntil(() => $(el, '[data-slug="skokie"]'));
    }
    expect(api.calls.filter((c) => c.method === 'POST')).to.have.length(2);
    expect(fired).to.have.length(1);
  });

  it('tells a returning supporter their saved signature was delivered, and fires sanctuary-signed for it once', async () => {
    // Signed offline on an earlier visit: the signature waits in the outbox.
    const first = await fixture<SanctuaryPetition>(
      html`<sanctuary-petition campaign="skokie" .fetchImpl=${fakeApi({ 'POST /v1/campaigns/skokie/signatures': offline }).fetch}></sanctuary-petition>`,
    );
    await waitUntil(() => $(first, '[part~="form"]'));
    fill(first);
    submit(first);
    await waitUntil(() => $(first, '[part~="queued"]'));
    first.remove();

    // The next visit: a finder and another widget on the page; the connection is back.
    const api = fakeApi();
    const page = await fixture<HTMLDivElement>(
      html`<div>
        <sanctuary-petition effort="expand-sanctuary" lang="es" .fetchImpl=${api.fetch}></sanctuary-petition>
        <sanctuary-petition effort="expand-sanctuary" .fetchImpl=${api.fetch}></sanctuary-petition>
      </div>`,
    );
    const [a, b] = [...page.querySelectorAll('sanctuary-petition')] as SanctuaryPetition[];
    await waitUntil(() => $(a!, '[part~="finder"]') && $(b!, '[part~="finder"]'));
    const fired: unknown[] = [];
    page.addEventListener('sanctuary-signed', (e) => fired.push((e as CustomEvent).detail));
    sharedOutbox().fetchImpl = api.fetch;
    await sharedOutbox().flush(true);
    await waitUntil(() => $(a!, '[part~="notice"]') || $(b!, '[part~="notice"]'), 'nobody was told');
    await new Promise((r) => setTimeout(r, 50));
    const told = [a, b].filter((w) => $(w!, '[part~="notice"]'));
    expect(told, 'one widget tells it').to.have.length(1);
    expect(text($(told[0]!, '[part~="notice"]'))).to.equal(
      'Tu firma guardada antes en este dispositivo ya fue entregada. ¡Gracias por firmar!',
    );
    expect(fired).to.deep.equal([{ campaign: 'skokie', signatureCount: 2, goal: 100 }]);
  });
});
