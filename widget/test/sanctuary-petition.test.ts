/// <reference types="mocha" />
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../src/index.ts';
import type { SanctuaryPetition } from '../src/sanctuary-petition.ts';
import { SIGNED_KEY } from '../src/signed-memory.ts';
import { EFFORT, EVANSTON, LOOKUP, PII_KEYS, SIGNED, SKOKIE, apiError, data, deferred, fakeApi } from './helpers.ts';

type Api = ReturnType<typeof fakeApi>;

const $ = <T extends Element = HTMLElement>(el: SanctuaryPetition, sel: string) => el.shadowRoot!.querySelector<T>(sel) as T;
const $$ = (el: SanctuaryPetition, sel: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(sel)];
const text = (el: Node | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
const focused = (el: SanctuaryPetition) => el.shadowRoot!.activeElement;

async function effortWidget(api: Api = fakeApi(), extra = html``) {
  const el = await fixture<SanctuaryPetition>(
    html`<sanctuary-petition effort="expand-sanctuary" .fetchImpl=${api.fetch}></sanctuary-petition>${extra}`,
  );
  await waitUntil(() => $(el, '[part~="finder"]') && !$(el, '.searching'), 'finder with results did not render');
  return el;
}

async function campaignWidget(api: Api = fakeApi(), partner = '') {
  const el = await fixture<SanctuaryPetition>(
    html`<sanctuary-petition campaign="skokie" partner=${partner} .fetchImpl=${api.fetch}></sanctuary-petition>`,
  );
  await waitUntil(() => $(el, '[part~="form"]'), 'campaign form did not render');
  return el;
}

function fill(el: SanctuaryPetition, values: Partial<Record<'firstName' | 'lastName' | 'email' | 'zip' | 'phone', string>>) {
  for (const [name, value] of Object.entries(values)) $<HTMLInputElement>(el, `#f-${name}`).value = value;
}
const GOOD = { firstName: 'Ana', lastName: 'Ruiz', email: 'ana@example.org', zip: '60076' };
const submit = (el: SanctuaryPetition) => $<HTMLButtonElement>(el, '[part~="submit"]').click();
const signCalls = (api: Api) => api.calls.filter((c) => c.method === 'POST');

async function search(el: SanctuaryPetition, q: string) {
  $<HTMLInputElement>(el, '#q').value = q;
  $<HTMLButtonElement>(el, '[part~="search"] button[type="submit"]').click();
  await el.updateComplete;
}

// What this browser signed is remembered (sanctuary-signed fires once per campaign): each test starts afresh.
afterEach(() => localStorage.removeItem(SIGNED_KEY));

describe('<sanctuary-petition>', () => {
  describe('accessibility', () => {
    it('is accessible in the finder state (before any result)', async () => {
      const api = fakeApi({ 'GET /v1/efforts/expand-sanctuary/lookup': () => apiError('place_not_found', 404) });
      const el = await effortWidget(api);
      expect($$(el, '[part~="result"]')).to.have.length(0);
      await expect(el).to.be.accessible();
    });

    it('is accessible with results', async () => {
      const el = await effortWidget();
      expect($$(el, '[part~="result"]')).to.have.length(2);
      await expect(el).to.be.accessible();
    });

    it('is accessible with the sign form', async () => {
      const el = await campaignWidget(fakeApi(), 'chicago-rising');
      await expect(el).to.be.accessible();
    });

    it('is accessible with field errors', async () => {
      const el = await campaignWidget();
      submit(el);
      await waitUntil(() => $$(el, '.field-error').length === 4);
      await expect(el).to.be.accessible();
    });

    it('is accessible in the thanks state', async () => {
      const el = await campaignWidget();
      fill(el, GOOD);
      submit(el);
      await waitUntil(() => $(el, '[part~="thanks"]'));
      await expect(el).to.be.accessible();
    });
  });

  describe('defaults', () => {
    it('calls the API on the origin that served the module', async () => {
      const api = fakeApi();
      const el = await effortWidget(api);
      expect(el.api).to.equal(new URL(import.meta.url).origin);
      expect(api.calls[0]!.url.origin).to.equal(new URL(import.meta.url).origin);
      expect(el.partner).to.equal('');
      expect(el.campaign).to.equal('');
    });

    it('makes one request for the first paint: the location lookup (no query), which carries the effort', async () => {
      const api = fakeApi();
      const el = await effortWidget(api);
      const paths = api.calls.map((c) => c.url.pathname + c.url.search);
      expect(paths).to.deep.equal(['/v1/efforts/expand-sanctuary/lookup']);
      expect(text($(el, 'h2'))).to.equal(EFFORT.title);
      expect($$(el, '[part~="result"]')).to.have.length(2);
    });

    it('asks for the effort alone when the first lookup fails or does not carry it', async () => {
      const failing = fakeApi({ 'GET /v1/efforts/expand-sanctuary/lookup': () => apiError('internal_error', 500) });
      const el = await effortWidget(failing);
      expect(failing.calls.map((c) => c.url.pathname)).to.deep.equal([
        '/v1/efforts/expand-sanctuary/lookup',
        '/v1/efforts/expand-sanctuary',
      ]);
      expect(text($(el, 'h2'))).to.equal(EFFORT.title);
      expect($$(el, '[part~="result"]')).to.have.length(0);

      const { effort: _omitted, ...older } = LOOKUP;
      const olderApi = fakeApi({ 'GET /v1/efforts/expand-sanctuary/lookup': () => data(older) });
      const el2 = await effortWidget(olderApi);
      expect(olderApi.calls).to.have.length(2);
      expect($$(el2, '[part~="result"]')).to.have.length(2);
    });

    it('shows a loading skeleton with a height of its own first', async () => {
      const hold = deferred<Response>();
      const api = fakeApi({ 'GET /v1/efforts/expand-sanctuary/lookup': () => hold.promise });
      const el = await fixture<SanctuaryPetition>(
        html`<sanctuary-petition effort="expand-sanctuary" .fetchImpl=${api.fetch}></sanctuary-petition>`,
      );
      expect($(el, '.skeleton')).to.exist;
      expect(el.getBoundingClientRect().height).to.be.greaterThan(300);
      await waitUntil(() => text($(el, '[role="status"]')) === 'Loading the petition…');
      hold.resolve(data(LOOKUP));
      await waitUntil(() => $(el, '[part~="finder"]'));
    });

    it('uses the attribute `api` when given', async () => {
      const api = fakeApi();
      await fixture(
        html`<sanctuary-petition campaign="skokie" api="https://petitions.example.org/" .fetchImpl=${api.fetch}></sanctuary-petition>`,
      );
      await waitUntil(() => api.calls.length > 0);
      expect(api.calls[0]!.url.href).to.equal('https://petitions.example.org/v1/campaigns/skokie');
    });
  });

  describe('attribute validation', () => {
    let errors: unknown[][];
    let warnings: unknown[][];
    const original = { error: console.error, warn: console.warn };
    beforeEach(() => {
      errors = [];
      warnings = [];
      console.error = (...args: unknown[]) => errors.push(args);
      console.warn = (...args: unknown[]) => warnings.push(args);
    });
    afterEach(() => Object.assign(console, original));

    for (const [name, attrs] of [
      ['a bad effort slug', { effort: 'Expand Sanctuary!' }],
      ['a bad campaign slug', { campaign: '../admin' }],
      ['neither effort nor campaign', {}],
      ['an api that is not http(s)', { effort: 'expand-sanctuary', api: 'javascript:alert(1)' }],
    ] as const) {
      it(`renders a polite error state, logs and fetches nothing for ${name}`, async () => {
        const api = fakeApi();
        const el = document.createElement('sanctuary-petition');
        el.fetchImpl = api.fetch;
        for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
        const event = oneEvent(el, 'sanctuary-error');
        document.body.append(el);
        try {
          expect((await event).detail).to.deep.equal({ code: 'invalid_attribute' });
          await el.updateComplete;
          expect(text($(el, '[part~="error"]'))).to.contain('site owner');
          expect(errors).to.have.length(1);
          expect(String(errors[0]![0])).to.match(/^\[sanctuary-petition\] .*(Invalid|Set effort)/);
          expect(api.calls).to.have.length(0);
        } finally {
          el.remove();
        }
      });
    }

    it('recovers when a bad attribute is corrected', async () => {
      const api = fakeApi();
      const el = await fixture<SanctuaryPetition>(html`<sanctuary-petition effort="NOPE" .fetchImpl=${api.fetch}></sanctuary-petition>`);
      await waitUntil(() => $(el, '[part~="error"]'));
      el.setAttribute('effort', 'expand-sanctuary');
      await waitUntil(() => $(el, '[part~="finder"]'));
      expect(text($(el, 'h2'))).to.equal(EFFORT.title);
    });

    it('ignores an invalid partner code with a warning, and signs without it', async () => {
      const api = fakeApi();
      const el = await campaignWidget(api, 'bad partner!');
      expect(warnings.map((w) => String(w[0]))).to.satisfy((w: string[]) =>
        w.some((m) => m.startsWith('[sanctuary-petition] Ignoring partner')),
      );
      expect($(el, 'input[name="consentPartner"]')).to.be.null;
      fill(el, GOOD);
      submit(el);
      await waitUntil(() => $(el, '[part~="thanks"]'));
      expect(signCalls(api)[0]!.body).not.to.have.property('partner');
    });

    it('falls back to English for an unsupported lang', async () => {
      const el = await fixture<SanctuaryPetition>(
        html`<sanctuary-petition lang="fr" campaign="skokie" .fetchImpl=${fakeApi().fetch}></sanctuary-petition>`,
      );
      await waitUntil(() => $(el, '[part~="form"]'));
      expect(text($(el, '[part~="submit"]'))).to.equal('Sign');
      expect($(el, '[part~="container"]').lang).to.equal('en');
    });
  });

  describe('rendering by part', () => {
    it('shows the effort: title, text and totals with a bar', async () => {
      const el = await effortWidget();
      expect(text($(el, '[part~="header"] [part~="title"]'))).to.equal(EFFORT.title);
      expect(text($(el, '[part~="header"] .body'))).to.equal(EFFORT.body);
      expect(text($(el, '[part~="header"] [part~="progress"]'))).to.equal('29,681 of 30,000 signatures across 9 local campaigns');
      const bar = $<HTMLProgressElement>(el, '[part~="header"] progress');
      expect(bar.max).to.equal(30000);
      expect(bar.value).to.equal(29681);
    });

    it('shows the finder form with a labelled search box', async () => {
      const el = await effortWidget();
      expect(text($(el, '[part~="finder"] h3'))).to.equal('Find your local campaign');
      const input = $<HTMLInputElement>(el, '[part~="search"] #q');
      expect(text($(el, 'label[for="q"]'))).to.equal('ZIP code or city');
      expect(input.placeholder).to.equal('60076');
      expect(text($(el, '[part~="search"] button[type="submit"]'))).to.equal('Find');
      expect(text($(el, '[part~="search"] button.locate'))).to.equal('Use my location');
    });

    it('lists nearby campaigns with place, target, progress, creator and distance', async () => {
      const el = await effortWidget();
      const [first, second] = $$(el, '[part~="results"] [part~="result"]');
      const t1 = text(first);
      expect(t1).to.contain('Skokie, IL');
      expect(t1).to.contain(SKOKIE.title);
      expect(t1).to.contain('To: Mayor George Van Dusen');
      expect(t1).to.contain('1 of 100 Signatures');
      expect(t1).to.contain('Created by Michael D.');
      expect(text(first!.querySelector('.distance'))).to.equal('3.2 mi');
      expect(text(first!.querySelector('.badge'))).to.equal('Closest');
      expect(text(second)).to.contain('Evanston, IL');
      expect(text(second)).not.to.contain('Created by');
      expect(text(second!.querySelector('.distance'))).to.equal('7.7 mi');
    });

    it('shows one campaign: place, title, target, text paragraphs, creator, signers and the form', async () => {
      const el = await campaignWidget();
      const c = $(el, '[part~="campaign"]');
      expect(text(c.querySelector('.place'))).to.equal('Skokie, IL');
      expect(text(c.querySelector('[part~="title"]'))).to.equal(SKOKIE.title);
      expect(text(c.querySelector('.target'))).to.equal('To: Mayor George Van Dusen');
      expect(text(c.querySelector('[part~="progress"]'))).to.equal('1 of 100 Signatures');
      expect(c.querySelectorAll('.body p')).to.have.length(2);
      expect(text(c.querySelector('.creator'))).to.equal('Created by Michael D.');
      expect(text(c.querySelector('.signers'))).to.equal('Denise L.');
      expect($(el, '[part~="back"]')).to.be.null; // pinned to one campaign: nowhere to go back to
    });

    it('gives every form field a label, autocomplete and the right keyboard', async () => {
      const el = await campaignWidget(fakeApi(), 'chicago-rising');
      const expectations = {
        firstName: ['First name', 'given-name', null],
        lastName: ['Last name', 'family-name', null],
        email: ['Email', 'email', 'email'],
        zip: ['ZIP code', 'postal-code', 'numeric'],
        phone: ['Phone (optional)', 'tel', 'tel'],
      };
      for (const [name, [label, ac, mode]] of Object.entries(expectations)) {
        const input = $<HTMLInputElement>(el, `#f-${name}`);
        expect(text($(el, `label[for="f-${name}"]`)), name).to.equal(label);
        expect(input.getAttribute('autocomplete'), name).to.equal(ac);
        expect(input.getAttribute('inputmode'), name).to.equal(mode);
        expect(input.required, name).to.equal(name !== 'phone');
        expect(input.getAttribute('part')).to.equal('input');
      }
      expect(text($(el, 'input[name="consentEffort"]').closest('label'))).to.equal('Keep me updated about this campaign');
      expect(text($(el, 'input[name="consentPartner"]').closest('label'))).to.equal('…and from chicago-rising');
      expect(text($(el, '[part~="submit"]'))).to.equal('Sign');
    });

    it('uses no inline style attributes (strict CSP)', async () => {
      const el = await effortWidget();
      expect($$(el, '[style]')).to.have.length(0);
      $<HTMLButtonElement>(el, '[part~="open"]').click();
      await waitUntil(() => $(el, '[part~="form"]'));
      expect($$(el, '[style]')).to.have.length(0);
    });
  });

  describe('behaviour', () => {
    it('finds campaigns by ZIP code', async () => {
      const api = fakeApi({
        'GET /v1/efforts/expand-sanctuary/lookup': (call) =>
          call.url.searchParams.get('q') === '47708'
            ? data({ ...LOOKUP, place: { label: '47708', lat: 37.97, lon: -87.57, source: 'zip' }, nearest: EVANSTON, nearby: [EVANSTON] })
            : data(LOOKUP),
      });
      const el = await effortWidget(api);
      await search(el, ' 47708 ');
      await waitUntil(() => $$(el, '[part~="result"]').length === 1, 'results were not replaced');
      const last = api.calls.at(-1)!;
      expect(last.url.pathname).to.equal('/v1/efforts/expand-sanctuary/lookup');
      expect(last.url.searchParams.get('q')).to.equal('47708');
      expect(text($(el, '[part~="result"]'))).to.contain('Evanston, IL');
      expect(text($(el, '[role="status"]'))).to.equal('1 local campaign near 47708.');
    });

    it('says so when the place is unknown', async () => {
      const api = fakeApi({
        'GET /v1/efforts/expand-sanctuary/lookup': (call) =>
          call.url.searchParams.has('q') ? apiError('place_not_found', 404) : data(LOOKUP),
      });
      const el = await effortWidget(api);
      await search(el, 'Atlantis, ZZ');
      await waitUntil(() => $(el, '[part~="finder"] [part~="error"]'));
      expect(text($(el, '[part~="finder"] [part~="error"]'))).to.contain('We couldn’t find that place');
    });

    it('says so when no campaign is near yet', async () => {
      const api = fakeApi({
        'GET /v1/efforts/expand-sanctuary/lookup': () =>
          data({
            ...LOOKUP,
            place: { label: 'Nome, AK', lat: 64.5, lon: -165.4, source: 'city', city: 'Nome', state: 'AK' },
            nearest: null,
            nearby: [],
            code: 'none_nearby',
          }),
      });
      const el = await effortWidget(api);
      expect(text($(el, '.empty'))).to.equal('No local campaign near Nome, AK yet.');
      expect($(el, '[part~="results"]')).to.be.null;
      expect(text($(el, '[part~="start"]'))).to.equal('Start a local campaign for Nome, AK');
    });

    it('checks the search box is not empty before calling the API', async () => {
      const api = fakeApi();
      const el = await effortWidget(api);
      const before = api.calls.length;
      await search(el, '   ');
      const input = $<HTMLInputElement>(el, '#q');
      expect(api.calls.length).to.equal(before);
      expect(input.getAttribute('aria-invalid')).to.equal('true');
      expect(text($(el, `#${input.getAttribute('aria-describedby')}`))).to.equal('Enter a ZIP code or a city.');
      expect(focused(el)).to.equal(input);
    });

    describe('use my location', () => {
      const geo = navigator.geolocation;
      afterEach(() => {
        delete (geo as Partial<Geolocation> & { getCurrentPosition?: unknown }).getCurrentPosition;
      });

      it('looks up the rounded position', async () => {
        geo.getCurrentPosition = (ok) => ok({ coords: { latitude: 42.032412, longitude: -87.741623 } } as GeolocationPosition);
        const api = fakeApi();
        const el = await effortWidget(api);
        $<HTMLButtonElement>(el, 'button.locate').click();
        await waitUntil(() => api.calls.some((c) => c.url.searchParams.has('lat')));
        const call = api.calls.find((c) => c.url.searchParams.has('lat'))!;
        expect(call.url.searchParams.get('lat')).to.equal('42.032');
        expect(call.url.searchParams.get('lon')).to.equal('-87.742');
      });

      it('explains politely when location is denied, and the search still works', async () => {
        geo.getCurrentPosition = (_ok, fail) => fail?.({ code: 1, message: 'denied' } as GeolocationPositionError);
        const el = await effortWidget();
        $<HTMLButtonElement>(el, 'button.locate').click();
        await el.updateComplete;
        expect(text($(el, '[part~="finder"] [part~="error"]'))).to.contain('Location access was not allowed');
        await search(el, '60076');
        await waitUntil(() => $$(el, '[part~="result"]').length === 2);
      });
    });

    it('opens a campaign from the results and goes back to them', async () => {
      const api = fakeApi();
      const el = await effortWidget(api);
      const opened = oneEvent(el, 'sanctuary-campaign-opened');
      $<HTMLButtonElement>(el, '[part~="result"] [part~="open"]').click();
      expect((await opened).detail).to.deep.equal({ campaign: 'skokie' });
      await el.updateComplete;
      expect(api.calls.at(-1)!.url.pathname).to.equal('/v1/campaigns/skokie');
      expect(text($(el, '[part~="campaign"] h2'))).to.equal(SKOKIE.title);
      await waitUntil(() => focused(el) === $(el, '#title'), 'focus did not move to the campaign title');
      const back = $<HTMLButtonElement>(el, '[part~="back"]');
      expect(text(back)).to.equal('← Back to all campaigns');
      back.click();
      await waitUntil(() => $(el, '[part~="results"]'));
      expect($$(el, '[part~="result"]')).to.have.length(2);
      await waitUntil(() => focused(el) === $(el, '[data-slug="skokie"]'), 'focus did not return to the result');
    });

    it('checks required fields, email and ZIP before sending, and focuses the first error', async () => {
      const api = fakeApi();
      const el = await campaignWidget(api);
      submit(el);
      await waitUntil(() => $$(el, '.field-error').length === 4);
      for (const name of ['firstName', 'lastName', 'email', 'zip']) {
        const input = $<HTMLInputElement>(el, `#f-${name}`);
        expect(input.getAttribute('aria-invalid'), name).to.equal('true');
        expect($(el, `#${input.getAttribute('aria-describedby')}`), name).to.exist;
      }
      expect(text($(el, '#f-firstName-error'))).to.equal('Enter your first name.');
      expect(focused(el)).to.equal($(el, '#f-firstName'));

      fill(el, { ...GOOD, email: 'ana@example', zip: '123' });
      submit(el);
      await waitUntil(() => $$(el, '.field-error').length === 2);
      expect(text($(el, '#f-email-error'))).to.equal('Enter a valid email address, like name@example.com.');
      expect(text($(el, '#f-zip-error'))).to.equal('Enter a 5-digit ZIP code.');
      expect($(el, '#f-firstName').getAttribute('aria-invalid')).to.equal('false');
      expect(focused(el)).to.equal($(el, '#f-email'));
      expect(signCalls(api)).to.have.length(0);
    });

    it('maps the server’s 400 issues to fields and focuses the first one', async () => {
      const api = fakeApi({
        'POST /v1/campaigns/skokie/signatures': () =>
          apiError('validation_failed', 400, [{ path: 'lastName', message: 'Your last name cannot start with = + - or @.' }]),
      });
      const el = await campaignWidget(api);
      fill(el, { ...GOOD, lastName: 'Ruiz' });
      submit(el);
      await waitUntil(() => $(el, '#f-lastName-error'));
      expect(text($(el, '#f-lastName-error'))).to.equal('Your last name cannot start with = + - or @.');
      expect($(el, '#f-lastName').getAttribute('aria-invalid')).to.equal('true');
      expect($(el, '#f-firstName').getAttribute('aria-invalid')).to.equal('false');
      await waitUntil(() => focused(el) === $(el, '#f-lastName'));
    });

    it('shows a form error with the translated code for other failures', async () => {
      const api = fakeApi({ 'POST /v1/campaigns/skokie/signatures': () => apiError('forbidden_origin', 403) });
      const el = await campaignWidget(api);
      fill(el, GOOD);
      submit(el);
      await waitUntil(() => $(el, '[part~="form"] [part~="error"]'));
      expect(text($(el, '[part~="form"] [part~="error"]'))).to.contain('not yet allowed');
    });

    it('disables the button and says "Signing…" while sending', async () => {
      const hold = deferred<Response>();
      const el = await campaignWidget(fakeApi({ 'POST /v1/campaigns/skokie/signatures': () => hold.promise }));
      fill(el, GOOD);
      submit(el);
      await el.updateComplete;
      const button = $<HTMLButtonElement>(el, '[part~="submit"]');
      expect(button.disabled).to.equal(true);
      expect(button.getAttribute('aria-busy')).to.equal('true');
      expect(text(button)).to.equal('Signing…');
      hold.resolve(data(SIGNED, 201));
      await waitUntil(() => $(el, '[part~="thanks"]'));
    });

    it('sends the signature and thanks the signer with the new count', async () => {
      const api = fakeApi();
      const el = await campaignWidget(api, 'chicago-rising');
      fill(el, { ...GOOD, phone: '(847) 555-0100' });
      $<HTMLInputElement>(el, 'input[name="consentEffort"]').checked = true;
      submit(el);
      await waitUntil(() => $(el, '[part~="thanks"]'));
      const [call] = signCalls(api);
      expect(call!.url.pathname).to.equal('/v1/campaigns/skokie/signatures');
      expect(call!.headers.get('Content-Type')).to.equal('application/json');
      expect(call!.headers.get('Idempotency-Key')).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      // How long the form was shown: a person takes seconds, a bot posting at once does not.
      const { elapsedMs, ...body } = call!.body as { elapsedMs: number };
      expect(elapsedMs).to.be.a('number').and.to.be.at.least(0);
      expect(body).to.deep.equal({
        ...GOOD,
        phone: '(847) 555-0100',
        partner: 'chicago-rising',
        consentEffort: true,
        consentPartner: false,
      });
      expect(text($(el, '[part~="thanks"] h2'))).to.equal('Thanks for signing!');
      expect(text($(el, '[part~="thanks"] [part~="progress"]'))).to.equal('2 of 100 Signatures');
      await waitUntil(() => focused(el) === $(el, '#thanks-title'), 'focus did not move to the thanks heading');
      const shared = new URL($<HTMLInputElement>(el, '[part~="share"] input').value);
      expect(shared.origin + shared.pathname).to.equal(location.origin + location.pathname);
      expect(shared.searchParams.get('sp_campaign')).to.equal('skokie');
      expect(shared.searchParams.get('sp_ref')).to.equal(SIGNED.referralCode);
      expect(shared.searchParams.get('sp_partner')).to.equal('chicago-rising');
    });

    it('reuses the Idempotency-Key when the same signature is sent again after a 4xx, not for a new one', async () => {
      let reject = true;
      const api = fakeApi({
        'POST /v1/campaigns/skokie/signatures': async () => (reject ? apiError('forbidden_origin', 403) : data(SIGNED, 201)),
      });
      const el = await campaignWidget(api);
      fill(el, GOOD);
      submit(el);
      await waitUntil(() => $(el, '[part~="form"] [part~="error"]'));
      submit(el); // same data again: the same attempt
      await waitUntil(() => signCalls(api).length === 2);
      await waitUntil(() => !$<HTMLButtonElement>(el, '[part~="submit"]').disabled);
      fill(el, { email: 'ana.ruiz@example.org' }); // different data: a new attempt
      submit(el);
      await waitUntil(() => signCalls(api).length === 3);
      await waitUntil(() => !$<HTMLButtonElement>(el, '[part~="submit"]').disabled);
      const keys = signCalls(api).map((c) => c.headers.get('Idempotency-Key'));
      expect(keys[0]).to.be.a('string').and.not.empty;
      expect(keys[1]).to.equal(keys[0]);
      expect(keys[2]).not.to.equal(keys[0]);
      reject = false;
      submit(el);
      await waitUntil(() => $(el, '[part~="thanks"]'));
      expect(signCalls(api)[3]!.headers.get('Idempotency-Key')).to.equal(keys[2]);
    });

    it('shows an error state with a working Retry button', async () => {
      let down = true;
      const api = fakeApi({
        'GET /v1/campaigns/skokie': () =>
          down ? apiError('internal_error', 500) : data({ ...SKOKIE, body: 'x', effort: { slug: 'e', title: 'E' }, recentSigners: [] }),
      });
      const el = await fixture<SanctuaryPetition>(
        html`<sanctuary-petition campaign="skokie" .fetchImpl=${api.fetch}></sanctuary-petition>`,
      );
      await waitUntil(() => $(el, '[part~="error"]'));
      expect(text($(el, '[part~="error"]'))).to.contain('Something went wrong on our side');
      down = false;
      $<HTMLButtonElement>(el, '[part~="error"] button').click();
      await waitUntil(() => $(el, '[part~="form"]'));
    });

    it('copies the share link', async () => {
      const el = await campaignWidget();
      fill(el, GOOD);
      submit(el);
      await waitUntil(() => $(el, '[part~="share"]'));
      const copied: string[] = [];
      const clipboard = navigator.clipboard as Clipboard & { writeText: (s: string) => Promise<void> };
      clipboard.writeText = async (s: string) => void copied.push(s);
      try {
        $<HTMLButtonElement>(el, '[part~="share"] button').click();
        await waitUntil(() => $(el, '.share-status'));
      } finally {
        delete (clipboard as Partial<Clipboard>).writeText;
      }
      expect(copied).to.have.length(1);
      const link = new URL(copied[0]!);
      expect(link.searchParams.get('sp_campaign')).to.equal('skokie');
      expect(link.searchParams.get('sp_ref')).to.equal(SIGNED.referralCode);
      expect(text($(el, '.share-status'))).to.equal('Link copied.');
    });

    it('adds a new signature to the effort total and the result when going back', async () => {
      const el = await effortWidget();
      $<HTMLButtonElement>(el, '[part~="open"]').click();
      await waitUntil(() => $(el, '[part~="form"]'));
      fill(el, GOOD);
      submit(el);
      await waitUntil(() => $(el, '[part~="thanks"]'));
      $<HTMLButtonElement>(el, '[part~="thanks"] [part~="back"]').click();
      await waitUntil(() => $(el, '[part~="finder"]'));
      expect(text($(el, '[part~="header"] [part~="progress"]'))).to.contain('29,682 of 30,000');
      expect(text($(el, '[part~="result"]'))).to.contain('2 of 100 Signatures');
    });
  });

  describe('events', () => {
    it('fires sanctuary-signed, bubbling and composed, with counts and no personal data', async () => {
      const el = await campaignWidget(fakeApi(), 'chicago-rising');
      fill(el, { ...GOOD, phone: '8475550100' });
      const event = oneEvent(document, 'sanctuary-signed');
      submit(el);
      const e = await event;
      expect(e.bubbles && e.composed).to.equal(true);
      expect(e.detail).to.deep.equal({ campaign: 'skokie', signatureCount: 2, goal: 100, partner: 'chicago-rising' });
      for (const key of PII_KEYS) expect(e.detail).not.to.have.property(key);
      const serialized = JSON.stringify(e.detail);
      for (const value of [...Object.values(GOOD), '8475550100']) expect(serialized).not.to.contain(value);
    });

    it('fires sanctuary-error with the code and status', async () => {
      const api = fakeApi({ 'GET /v1/campaigns/skokie': () => apiError('not_found', 404) });
      const el = document.createElement('sanctuary-petition');
      el.fetchImpl = api.fetch;
      el.setAttribute('campaign', 'skokie');
      const event = oneEvent(document, 'sanctuary-error');
      document.body.append(el);
      try {
        const e = await event;
        expect(e.composed).to.equal(true);
        expect(e.detail).to.deep.equal({ code: 'not_found', status: 404 });
        await el.updateComplete;
        expect(text($(el, '[part~="error"]'))).to.contain('We couldn’t find this petition');
      } finally {
        el.remove();
      }
    });

    it('fires sanctuary-error on a network failure', async () => {
      const el = document.createElement('sanctuary-petition');
      el.fetchImpl = async () => {
        throw new TypeError('Failed to fetch');
      };
      el.setAttribute('effort', 'expand-sanctuary');
      const event = oneEvent(el, 'sanctuary-error');
      document.body.append(el);
      try {
        expect((await event).detail).to.deep.equal({ code: 'network' });
      } finally {
        el.remove();
      }
    });
  });

  describe('in Spanish', () => {
    const nf = (n: number) => new Intl.NumberFormat('es').format(n);

    it('renders the finder in Spanish with lang="es"', async () => {
      const api = fakeApi();
      const el = await fixture<SanctuaryPetition>(
        html`<sanctuary-petition lang="es" effort="expand-sanctuary" .fetchImpl=${api.fetch}></sanctuary-petition>`,
      );
      await waitUntil(() => $$(el, '[part~="result"]').length === 2);
      expect($(el, '[part~="container"]').lang).to.equal('es');
      expect(text($(el, '[part~="finder"] h3'))).to.equal('Encuentra tu campaña local');
      expect(text($(el, '[part~="header"] [part~="progress"]'))).to.equal(`${nf(29681)} de ${nf(30000)} firmas en 9 campañas locales`);
      expect(text($(el, 'label[for="q"]'))).to.equal('Código postal o ciudad');
      expect(text($(el, '[part~="search"] button[type="submit"]'))).to.equal('Buscar');
      const first = $(el, '[part~="result"]');
      expect(text(first)).to.contain('Creada por Michael D.');
      expect(text(first)).to.contain(`${nf(1)} de ${nf(100)} firmas`);
      expect(text(first.querySelector('.distance'))).to.equal(
        `${new Intl.NumberFormat('es', { minimumFractionDigits: 1 }).format(5.1)} km`,
      );
    });

    it('takes the language from the closest [lang] ancestor', async () => {
      const wrapper = await fixture<HTMLElement>(
        html`<div lang="es-MX"><sanctuary-petition campaign="skokie" .fetchImpl=${fakeApi().fetch}></sanctuary-petition></div>`,
      );
      const el = wrapper.querySelector('sanctuary-petition')!;
      await waitUntil(() => $(el, '[part~="form"]'));
      expect(text($(el, '[part~="submit"]'))).to.equal('Firmar');
      expect(text($(el, 'label[for="f-firstName"]'))).to.equal('Nombre');
      expect(text($(el, '[part~="campaign"] .creator'))).to.equal('Creada por Michael D.');
    });

    it('shows field errors in Spanish, never the server’s English message', async () => {
      const api = fakeApi({
        'POST /v1/campaigns/skokie/signatures': () =>
          apiError('validation_failed', 400, [{ path: 'email', message: 'Enter a valid email address.' }]),
      });
      const el = await fixture<SanctuaryPetition>(
        html`<sanctuary-petition lang="es" campaign="skokie" .fetchImpl=${api.fetch}></sanctuary-petition>`,
      );
      await waitUntil(() => $(el, '[part~="form"]'));
      submit(el);
      await waitUntil(() => $(el, '#f-firstName-error'));
      expect(text($(el, '#f-firstName-error'))).to.equal('Escribe tu nombre.');
      fill(el, GOOD);
      submit(el);
      await waitUntil(() => $$(el, '.field-error').length === 1 && $(el, '#f-email-error'));
      expect(text($(el, '#f-email-error'))).to.equal('Escribe un correo válido, como nombre@ejemplo.com.');
      expect(text(el.shadowRoot!)).not.to.contain('Enter a valid email');
    });

    it('thanks in Spanish', async () => {
      const el = await fixture<SanctuaryPetition>(
        html`<sanctuary-petition lang="es" campaign="skokie" .fetchImpl=${fakeApi().fetch}></sanctuary-petition>`,
      );
      await waitUntil(() => $(el, '[part~="form"]'));
      fill(el, GOOD);
      submit(el);
      await waitUntil(() => $(el, '[part~="thanks"]'));
      expect(text($(el, '#thanks-title'))).to.equal('¡Gracias por firmar!');
      expect(text($(el, '[part~="thanks"] [part~="progress"]'))).to.equal('2 de 100 firmas');
    });
  });

  describe('several widgets on one page', () => {
    it('work independently, each in its own language', async () => {
      const apiA = fakeApi();
      const apiB = fakeApi();
      const wrapper = await fixture<HTMLElement>(html`<div>
        <sanctuary-petition id="a" effort="expand-sanctuary" .fetchImpl=${apiA.fetch}></sanctuary-petition>
        <sanctuary-petition id="b" lang="es" campaign="skokie" partner="p1" .fetchImpl=${apiB.fetch}></sanctuary-petition>
      </div>`);
      const a = wrapper.querySelector<SanctuaryPetition>('#a')!;
      const b = wrapper.querySelector<SanctuaryPetition>('#b')!;
      await waitUntil(() => $$(a, '[part~="result"]').length === 2 && $(b, '[part~="form"]'));
      expect(text($(a, '[part~="finder"] h3'))).to.equal('Find your local campaign');
      expect(text($(b, '[part~="submit"]'))).to.equal('Firmar');

      fill(b, GOOD);
      submit(b);
      await waitUntil(() => $(b, '[part~="thanks"]'));
      expect($(a, '[part~="thanks"]')).to.be.null;
      expect($(a, '[part~="finder"]')).to.exist;
      expect(apiA.calls.every((c) => c.method === 'GET')).to.equal(true);
      expect(signCalls(apiB)).to.have.length(1);

      await search(a, '60076');
      await waitUntil(() => apiA.calls.some((c) => c.url.searchParams.get('q') === '60076'));
      expect(apiB.calls.some((c) => c.url.searchParams.has('q'))).to.equal(false);
    });
  });

  describe('teardown', () => {
    let uncaught: unknown[];
    const onError = (e: ErrorEvent | PromiseRejectionEvent) => uncaught.push('reason' in e ? e.reason : e.error);
    beforeEach(() => {
      uncaught = [];
      window.addEventListener('error', onError);
      window.addEventListener('unhandledrejection', onError);
    });
    afterEach(() => {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onError);
    });

    it('can be removed while loading and added again', async () => {
      const hold = deferred<Response>();
      let first = true;
      const api = fakeApi({
        'GET /v1/efforts/expand-sanctuary/lookup': () => {
          if (first) {
            first = false;
            return hold.promise;
          }
          return data(LOOKUP);
        },
      });
      const el = await fixture<SanctuaryPetition>(
        html`<sanctuary-petition effort="expand-sanctuary" loading="eager" .fetchImpl=${api.fetch}></sanctuary-petition>`,
      );
      const parent = el.parentElement!;
      el.remove();
      hold.resolve(data({ ...LOOKUP, effort: { ...EFFORT, title: 'STALE' } }));
      await new Promise((r) => setTimeout(r, 0));
      parent.append(el);
      await waitUntil(() => $(el, '[part~="finder"]'));
      expect(text($(el, 'h2'))).to.equal(EFFORT.title);
      expect(uncaught).to.deep.equal([]);
    });

    it('keeps working after being moved to another parent', async () => {
      const api = fakeApi();
      const el = await effortWidget(api);
      const other = document.createElement('section');
      document.body.append(other);
      try {
        other.append(el);
        await el.updateComplete;
        expect($$(el, '[part~="result"]')).to.have.length(2);
        await search(el, '60076');
        await waitUntil(() => api.calls.some((c) => c.url.searchParams.get('q') === '60076'));
        await waitUntil(() => $$(el, '[part~="result"]').length === 2);
        expect(uncaught).to.deep.equal([]);
      } finally {
        other.remove();
      }
    });
  });
});
