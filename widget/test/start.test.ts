/// <reference types="mocha" />
/**
 * The finder's "Did you mean…", officials awaiting a campaign, and the start-a-campaign form
 * (fetched on demand from more.ts), in Chromium with the network stubbed at `fetch`.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../src/index.ts';
import type { SanctuaryPetition } from '../src/sanctuary-petition.ts';
import type { AwaitingTargetOut, CampaignDraftOut, LookupOut, NewCampaignOut } from '../src/api.ts';
import { LOOKUP, PII_KEYS, SKOKIE_FULL, apiError, data, fakeApi } from './helpers.ts';

type Api = ReturnType<typeof fakeApi>;
const $ = <T extends Element = HTMLElement>(el: SanctuaryPetition, sel: string) => el.shadowRoot!.querySelector<T>(sel) as T;
const $$ = (el: SanctuaryPetition, sel: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(sel)];
const text = (el: Node | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
const focused = (el: SanctuaryPetition) => el.shadowRoot!.activeElement;

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

const DRAFT: CampaignDraftOut = {
  town: 'Morton Grove',
  state: 'IL',
  target: { id: 7, name: 'Dan Biss', title: 'Mayor' },
  title: 'Tell Mayor Dan Biss to Defy Trump, Defend Morton Grove, & Expand Sanctuary',
  body: 'Calling all Morton Grove residents!\n\nKeep Morton Grove welcoming.',
  goal: 100,
  status: 'unlisted',
};

const CREATED: NewCampaignOut = {
  ...SKOKIE_FULL,
  slug: 'morton-grove',
  town: 'Morton Grove',
  title: DRAFT.title,
  body: DRAFT.body,
  target: { name: 'Dan Biss', title: 'Mayor' },
  signatureCount: 0,
  creatorName: 'Rosa P.',
  recentSigners: [],
  status: 'unlisted',
};

function api(routes: Parameters<typeof fakeApi>[0] = {}): Api {
  return fakeApi({
    'GET /v1/efforts/expand-sanctuary/lookup': () => data(NOTHING_NEAR),
    'GET /v1/efforts/expand-sanctuary/campaigns/draft': () => data(DRAFT),
    'POST /v1/efforts/expand-sanctuary/campaigns': () => data(CREATED, 201),
    'GET /v1/campaigns/morton-grove': () => data(CREATED),
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

function fillStart(el: SanctuaryPetition, values: Record<string, string>) {
  for (const [name, value] of Object.entries(values)) $<HTMLInputElement>(el, `#s-${name}`).value = value;
}
const submitStart = (el: SanctuaryPetition) => $<HTMLButtonElement>(el, '.start [part~="submit"]').click();
const ME = { firstName: 'Rosa', lastName: 'Parks', email: 'rosa@example.org' };

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

  it('lists officials with no campaign yet, each with "Start one", and a start button for the place', async () => {
    const el = await effortWidget(api());
    expect(text($(el, '.empty'))).to.equal('No local campaign near Morton Grove, IL 60053 yet.');
    const item = $(el, '.awaiting');
    expect(text(item)).to.contain('No campaign for Mayor Dan Biss yet.');
    expect(text(item)).to.contain('Morton Grove, IL');
    expect(text(item)).to.contain('2.0 mi');
    expect(text($(el, 'button.start-here'))).to.equal('Start a local campaign for Morton Grove, IL 60053');
    await expect(el).to.be.accessible();
  });

  it('speaks Spanish there too', async () => {
    const el = await effortWidget(api(), 'es');
    expect(text($(el, '.awaiting'))).to.contain('Aún no hay campaña para Mayor Dan Biss.');
    expect(text($(el, '.awaiting button'))).to.equal('Inicia una');
  });
});

describe('start a local campaign', () => {
  it('for an official awaiting one: prefilled, sent once with a key, then shown with its link and sign form', async () => {
    const a = api();
    const el = await effortWidget(a);
    $<HTMLButtonElement>(el, '.awaiting button').click();
    await waitUntil(() => $(el, '#s-title'), 'the start form did not open');
    const draftCall = a.calls.find((c) => c.url.pathname.endsWith('/campaigns/draft'))!;
    expect(draftCall.url.searchParams.get('targetId')).to.equal('7');
    expect($<HTMLInputElement>(el, '#s-title').value).to.equal(DRAFT.title);
    expect($<HTMLTextAreaElement>(el, '#s-body').value).to.equal(DRAFT.body);
    expect($<HTMLInputElement>(el, '#s-goal').value).to.equal('100');
    expect(text($(el, '[part~="header"] .place'))).to.equal('Morton Grove, IL');
    await waitUntil(() => focused(el) === $(el, '#s-title'), 'focus did not move to the title');
    await expect(el).to.be.accessible();
    const trap = $(el, '.start input[name="website"]').closest('[aria-hidden="true"]')!;
    expect(trap.getBoundingClientRect().width, 'the honeypot takes no room').to.be.at.most(1);

    fillStart(el, ME);
    const started = oneEvent(el, 'sanctuary-campaign-started');
    submitStart(el);
    const event = await started;
    expect(event.detail).to.deep.equal({ campaign: 'morton-grove' });
    for (const key of PII_KEYS) expect(event.detail).not.to.have.property(key);

    const post = a.calls.find((c) => c.method === 'POST')!;
    expect(post.url.pathname).to.equal('/v1/efforts/expand-sanctuary/campaigns');
    expect(post.headers.get('Idempotency-Key')).to.match(/^[0-9a-f-]{32,36}$/);
    const { elapsedMs, ...body } = post.body as { elapsedMs: number };
    expect(elapsedMs).to.be.a('number');
    expect(body).to.deep.equal({
      targetId: 7,
      title: DRAFT.title,
      body: DRAFT.body,
      goal: 100,
      creator: ME,
    });

    await waitUntil(() => $(el, '[part~="created"]'), 'the new campaign was not shown');
    expect(text($(el, '[part~="created"] h3'))).to.equal('Your campaign is started!');
    expect($<HTMLInputElement>(el, '#share-url').value).to.contain('sp_campaign=morton-grove');
    expect($(el, '[part~="form"]'), 'the creator can sign first').to.exist;
    await waitUntil(() => focused(el) === $(el, '#created-title'), 'focus did not move to the note');
    await expect(el).to.be.accessible();
  });

  it('for a new official at the place searched: names them first, then the draft for them', async () => {
    const a = api();
    const el = await effortWidget(a);
    $<HTMLButtonElement>(el, 'button.start-here').click();
    await waitUntil(() => $(el, '#s-targetName'), 'the start form did not open');
    expect($<HTMLInputElement>(el, '#s-place').value).to.equal('60053');
    // Empty fields: said at each field, nothing sent.
    $<HTMLButtonElement>(el, '.start [part~="submit"]').click();
    await waitUntil(() => $$(el, '.field-error').length === 2, 'the empty fields were not flagged');
    expect(a.calls.some((c) => c.url.pathname.endsWith('/draft'))).to.equal(false);
    fillStart(el, { targetTitle: 'Village President', targetName: 'Ana Ruiz' });
    $<HTMLButtonElement>(el, '.start [part~="submit"]').click();
    await waitUntil(() => $(el, '#s-body'), 'the draft was not shown');
    const draft = a.calls.find((c) => c.url.pathname.endsWith('/draft'))!;
    expect(Object.fromEntries(draft.url.searchParams)).to.deep.equal({ targetName: 'Ana Ruiz', targetTitle: 'Village President', place: '60053' });
    fillStart(el, ME);
    submitStart(el);
    await waitUntil(() => a.calls.some((c) => c.method === 'POST'), 'nothing was sent');
    const post = a.calls.find((c) => c.method === 'POST')!;
    expect(post.body).to.deep.include({ target: { name: 'Ana Ruiz', title: 'Village President' }, place: '60053' });
    expect(post.body).not.to.have.property('targetId');
  });

  it('shows the server’s field errors, and a retry reuses the Idempotency-Key', async () => {
    let attempts = 0;
    const a = api({
      'POST /v1/efforts/expand-sanctuary/campaigns': () =>
        ++attempts === 1 ? apiError('network_glitch', 503) : data(CREATED, 201),
    });
    const el = await effortWidget(a);
    $<HTMLButtonElement>(el, '.awaiting button').click();
    await waitUntil(() => $(el, '#s-title'));
    fillStart(el, { ...ME, email: 'not-an-email' });
    submitStart(el);
    await waitUntil(() => $(el, '#s-email-error'), 'the email was not flagged');
    expect(a.calls.filter((c) => c.method === 'POST')).to.have.length(0);
    fillStart(el, ME);
    submitStart(el);
    await waitUntil(() => $(el, '#s-error'), 'the failure was not shown');
    submitStart(el);
    await waitUntil(() => $(el, '[part~="created"]'), 'the retry did not succeed');
    const keys = a.calls.filter((c) => c.method === 'POST').map((c) => c.headers.get('Idempotency-Key'));
    expect(keys).to.have.length(2);
    expect(keys[0]).to.equal(keys[1]);
  });

  it('maps validation issues from the server to their fields', async () => {
    const a = api({
      'POST /v1/efforts/expand-sanctuary/campaigns': () =>
        apiError('validation_failed', 400, [{ path: 'creator.lastName', message: 'Check the last name.' }]),
    });
    const el = await effortWidget(a);
    $<HTMLButtonElement>(el, '.awaiting button').click();
    await waitUntil(() => $(el, '#s-title'));
    fillStart(el, ME);
    submitStart(el);
    await waitUntil(() => $(el, '#s-lastName-error'), 'the issue was not shown at its field');
    expect(text($(el, '#s-lastName-error'))).to.equal('Check the last name.');
    expect($(el, '#s-lastName').getAttribute('aria-invalid')).to.equal('true');
    await waitUntil(() => focused(el) === $(el, '#s-lastName'), 'focus did not move to the field');
  });

  it('under pre-moderation: no sign form until an organizer approves it', async () => {
    const a = api({ 'POST /v1/efforts/expand-sanctuary/campaigns': () => data({ ...CREATED, status: 'pending' }, 201) });
    const el = await effortWidget(a);
    $<HTMLButtonElement>(el, '.awaiting button').click();
    await waitUntil(() => $(el, '#s-title'));
    fillStart(el, ME);
    submitStart(el);
    await waitUntil(() => $(el, '[part~="created"]'));
    expect(text($(el, '[part~="created"]'))).to.contain('An organizer reviews it before it opens for signatures.');
    expect($(el, '[part~="form"]')).to.be.null;
  });

  it('speaks Spanish and stays accessible in the dark theme, at both steps and after', async () => {
    const a = api();
    const el = await effortWidget(a, 'es');
    el.theme = 'dark';
    $<HTMLButtonElement>(el, 'button.start-here').click();
    await waitUntil(() => $(el, '#s-targetName'));
    expect(text($(el, '#title'))).to.equal('Inicia una campaña local');
    expect(text($(el, 'label[for="s-targetName"]'))).to.equal('Nombre de la autoridad');
    await expect(el).to.be.accessible();
    fillStart(el, { targetTitle: 'Alcalde', targetName: 'Ana Ruiz' });
    $<HTMLButtonElement>(el, '.start [part~="submit"]').click();
    await waitUntil(() => $(el, '#s-body'));
    expect(text($(el, '.start [part~="submit"]'))).to.equal('Iniciar la campaña');
    await expect(el).to.be.accessible();
    fillStart(el, ME);
    submitStart(el);
    await waitUntil(() => $(el, '[part~="created"]'));
    expect(text($(el, '[part~="created"] h3'))).to.equal('¡Tu campaña está en marcha!');
    await expect(el).to.be.accessible();
  });

  it('Cancel goes back to the finder', async () => {
    const el = await effortWidget(api());
    $<HTMLButtonElement>(el, 'button.start-here').click();
    await waitUntil(() => $(el, '#s-targetName'));
    $<HTMLButtonElement>(el, '.start [part~="back"]').click();
    await waitUntil(() => $(el, '[part~="finder"]'), 'not back at the finder');
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
