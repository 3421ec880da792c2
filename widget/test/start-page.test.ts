/// <reference types="mocha" />
/**
 * The hosted start-a-campaign page (<sanctuary-start>, start/), in Chromium with the network stubbed at
 * `fetch`. The page reads what the widget's "Start" links carry from its own URL's #fragment, so each
 * test sets the test page's fragment first (and puts the address back after).
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../start/src/index.ts';
import type { SanctuaryStart } from '../../start/src/sanctuary-start.ts';
import { readStartParams } from '../../start/src/sanctuary-start.ts';
import type { CampaignDraftOut, NewCampaignOut } from '../src/api.ts';
import { PII_KEYS, SKOKIE_FULL, apiError, data, fakeApi } from './helpers.ts';

type Api = ReturnType<typeof fakeApi>;
const $ = <T extends Element = HTMLElement>(el: SanctuaryStart, sel: string) => el.shadowRoot!.querySelector<T>(sel) as T;
const $$ = (el: SanctuaryStart, sel: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(sel)];
const text = (el: Node | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
const focused = (el: SanctuaryStart) => el.shadowRoot!.activeElement;

const DRAFT: CampaignDraftOut = {
  town: 'Morton Grove',
  state: 'IL',
  target: { id: 7, name: 'Dan Biss', title: 'Mayor' },
  title: 'Tell Mayor Dan Biss to Defy Trump, Defend Morton Grove, & Expand Sanctuary',
  body: 'Calling all Morton Grove residents!\n\nKeep Morton Grove welcoming.',
  goal: 100,
  status: 'unlisted',
  siteAllowed: true,
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

const PARTNER_PAGE = 'https://partner.example/petition?utm=x#sign';
const ME = { firstName: 'Rosa', lastName: 'Parks', email: 'rosa@example.org' };

function api(routes: Parameters<typeof fakeApi>[0] = {}): Api {
  return fakeApi({
    'GET /v1/efforts/expand-sanctuary/campaigns/draft': () => data(DRAFT),
    'POST /v1/efforts/expand-sanctuary/campaigns': () => data(CREATED, 201),
    ...routes,
  });
}

const original = location.href;
afterEach(() => {
  history.replaceState(null, '', original);
  document.documentElement.classList.remove('dark');
});

/** The start page as the widget links to it: for an official (target) or a place. */
async function startPage(a: Api, params: Record<string, string>): Promise<SanctuaryStart> {
  history.replaceState(null, '', `#${new URLSearchParams({ effort: 'expand-sanctuary', return: PARTNER_PAGE, ...params })}`);
  const el = await fixture<SanctuaryStart>(html`<sanctuary-start .fetchImpl=${a.fetch}></sanctuary-start>`);
  return el;
}

function fill(el: SanctuaryStart, values: Record<string, string>) {
  for (const [name, value] of Object.entries(values)) $<HTMLInputElement>(el, `#s-${name}`).value = value;
}
const submit = (el: SanctuaryStart) => $<HTMLButtonElement>(el, '.start [part~="submit"]').click();

describe('the start page reads its link', () => {
  it('takes an official or a place, the partner and the way back; refuses what it cannot use', () => {
    const base = 'https://petitions.example.org/start/#effort=expand-sanctuary';
    expect(
      readStartParams(`${base}&target=7&label=Morton%20Grove%2C%20IL&partner=chicago-rising&return=${encodeURIComponent(PARTNER_PAGE)}`),
    ).to.deep.equal({
      effort: 'expand-sanctuary',
      where: { targetId: 7, label: 'Morton Grove, IL' },
      partner: 'chicago-rising',
      back: PARTNER_PAGE,
      theme: 'light',
    });
    expect(readStartParams(`${base}&place=60053`)).to.deep.equal({
      effort: 'expand-sanctuary',
      where: { place: '60053', label: '60053' },
      back: 'https://petitions.example.org/',
      theme: 'light',
    });
    expect(readStartParams(`${base}&place=60053&theme=auto`)?.theme).to.equal('auto');
    expect(readStartParams(`${base}&place=60053&theme=purple`)?.theme).to.equal('light');
    expect(readStartParams(`${base}&place=60053&return=javascript:alert(1)`)?.back, 'only an http(s) page to go back to').to.equal(
      'https://petitions.example.org/',
    );
    expect(readStartParams(`${base}&place=60053&partner=<b>`)).not.to.have.property('partner');
    expect(readStartParams(`${base}`), 'no place, no official').to.equal(undefined);
    expect(readStartParams('https://petitions.example.org/start/#effort=Not%20A%20Slug&place=60053')).to.equal(undefined);
    expect(readStartParams(`${base}&target=-3`)).to.equal(undefined);
    expect(readStartParams('https://petitions.example.org/start/?effort=expand-sanctuary&place=60053'), 'the query is not read').to.equal(
      undefined,
    );
  });

  it('without a language in the link, speaks the browser’s', async () => {
    Object.defineProperty(navigator, 'language', { value: 'es-MX', configurable: true });
    document.documentElement.lang = 'en'; // as start/index.html has it
    try {
      const el = await startPage(api(), { place: '60053' });
      expect(text($(el, '#title'))).to.equal('Inicia una campaña local');
      expect(document.documentElement.lang).to.equal('es-MX');
    } finally {
      delete (navigator as { language?: string }).language;
    }
  });

  it('says so, with a way back, when the link is incomplete', async () => {
    const el = await startPage(api(), { effort: 'nope nope' });
    expect(text($(el, '[part~="error"]'))).to.contain('This link to start a campaign is incomplete.');
    expect($<HTMLAnchorElement>(el, '[part~="error"] a').getAttribute('href')).to.equal('/');
    expect(text($(el, '[part~="error"] a'))).to.equal(`Back to ${location.host}`);
    await expect(el).to.be.accessible();
  });
});

describe('start a local campaign on the hosted page', () => {
  it('leads back only to a site the API says is registered for the effort or the partner', async () => {
    const a = api({ 'GET /v1/efforts/expand-sanctuary/campaigns/draft': () => data({ ...DRAFT, siteAllowed: false }) });
    const el = await startPage(a, { target: '7', label: 'Morton Grove, IL', partner: 'chicago-rising' });
    await waitUntil(() => $(el, '#s-title'), 'the draft did not load');
    const draftCall = a.calls.find((c) => c.url.pathname.endsWith('/campaigns/draft'))!;
    expect(draftCall.url.searchParams.get('site')).to.equal('https://partner.example');
    expect(draftCall.url.searchParams.get('partner')).to.equal('chicago-rising');
    expect($<HTMLAnchorElement>(el, '[part~="back"]').href, 'not the unregistered page').to.equal(new URL('/', location.href).href);
  });

  it('for an official awaiting one: prefilled, sent once with a key, then its link and the way back to sign first', async () => {
    const a = api();
    const el = await startPage(a, { target: '7', label: 'Morton Grove, IL', partner: 'chicago-rising' });
    await waitUntil(() => $(el, '#s-title'), 'the draft did not load');
    const draftCall = a.calls.find((c) => c.url.pathname.endsWith('/campaigns/draft'))!;
    expect(draftCall.url.origin, 'the API on the page’s own origin').to.equal(location.origin);
    expect(draftCall.url.searchParams.get('targetId')).to.equal('7');
    expect($<HTMLInputElement>(el, '#s-title').value).to.equal(DRAFT.title);
    expect($<HTMLTextAreaElement>(el, '#s-body').value).to.equal(DRAFT.body);
    expect($<HTMLInputElement>(el, '#s-goal').value).to.equal('100');
    expect(text($(el, '[part~="header"] .place'))).to.equal('Morton Grove, IL');
    expect($<HTMLAnchorElement>(el, '[part~="back"]').href, 'Cancel goes back to the partner page').to.equal(PARTNER_PAGE);
    await waitUntil(() => focused(el) === $(el, '#s-title'), 'focus did not move to the title');
    await expect(el).to.be.accessible();
    const trap = $(el, '.start input[name="website"]').closest('[aria-hidden="true"]')!;
    expect(trap.getBoundingClientRect().width, 'the honeypot takes no room').to.be.at.most(1);

    fill(el, ME);
    const started = oneEvent(el, 'sanctuary-campaign-started');
    submit(el);
    const event = await started;
    expect(event.detail).to.deep.equal({ campaign: 'morton-grove' });
    for (const key of PII_KEYS) expect(event.detail).not.to.have.property(key);

    const post = a.calls.find((c) => c.method === 'POST')!;
    expect(post.url.pathname).to.equal('/v1/efforts/expand-sanctuary/campaigns');
    expect(post.headers.get('Idempotency-Key')).to.match(/^[0-9a-f-]{32,36}$/);
    const { elapsedMs, ...body } = post.body as { elapsedMs: number };
    expect(elapsedMs).to.be.a('number');
    expect(body).to.deep.equal({ targetId: 7, title: DRAFT.title, body: DRAFT.body, goal: 100, creator: ME, partner: 'chicago-rising' });

    await waitUntil(() => $(el, '[part~="created"]'), 'the new campaign was not shown');
    expect(text($(el, '#created-title'))).to.equal('Your campaign is started!');
    const link = new URL($<HTMLInputElement>(el, '#share-url').value);
    expect(link.origin + link.pathname).to.equal('https://partner.example/petition');
    expect(link.searchParams.get('sp_campaign')).to.equal('morton-grove');
    expect(link.searchParams.get('sp_partner')).to.equal('chicago-rising');
    expect(link.searchParams.has('utm'), 'only our own parameters travel in a link to share').to.equal(false);
    const signFirst = $<HTMLAnchorElement>(el, '[part~="created"] a[part~="submit"]');
    expect(signFirst.href, 'sign first: the partner page, this campaign open').to.equal(link.href);
    expect(text(signFirst), 'it says where it leads').to.equal('Sign it first on partner.example');
    expect(text($(el, '[part~="created"] a.link'))).to.equal('Back to partner.example');
    expect(document.title).to.equal('Start a local campaign');
    await waitUntil(() => focused(el) === $(el, '#created-title'), 'focus did not move to the note');
    await expect(el).to.be.accessible();
  });

  it('for a new official at the place searched: names them first, then the draft for them', async () => {
    const a = api();
    const el = await startPage(a, { place: '60053', label: 'Morton Grove, IL 60053' });
    await waitUntil(() => $(el, '#s-targetName'), 'the form did not render');
    expect($<HTMLInputElement>(el, '#s-place').value).to.equal('60053');
    // Empty fields: said at each field, nothing sent.
    submit(el);
    await waitUntil(() => $$(el, '.field-error').length === 2, 'the empty fields were not flagged');
    expect(a.calls.some((c) => c.url.pathname.endsWith('/draft'))).to.equal(false);
    fill(el, { targetTitle: 'Village President', targetName: 'Ana Ruiz' });
    submit(el);
    await waitUntil(() => $(el, '#s-body'), 'the draft was not shown');
    const draft = a.calls.find((c) => c.url.pathname.endsWith('/draft'))!;
    expect(Object.fromEntries(draft.url.searchParams)).to.deep.equal({
      targetName: 'Ana Ruiz',
      targetTitle: 'Village President',
      place: '60053',
      // Only the origin of the page to go back to: its address stays in the browser.
      site: 'https://partner.example',
    });
    fill(el, ME);
    submit(el);
    await waitUntil(() => a.calls.some((c) => c.method === 'POST'), 'nothing was sent');
    const post = a.calls.find((c) => c.method === 'POST')!;
    expect(post.body).to.deep.include({ target: { name: 'Ana Ruiz', title: 'Village President' }, place: '60053' });
    expect(post.body).not.to.have.property('targetId');
  });

  it('shows the server’s field errors, and a retry reuses the Idempotency-Key', async () => {
    let attempts = 0;
    const a = api({
      'POST /v1/efforts/expand-sanctuary/campaigns': () => (++attempts === 1 ? apiError('network_glitch', 503) : data(CREATED, 201)),
    });
    const el = await startPage(a, { target: '7' });
    await waitUntil(() => $(el, '#s-title'));
    fill(el, { ...ME, email: 'not-an-email' });
    submit(el);
    await waitUntil(() => $(el, '#s-email-error'), 'the email was not flagged');
    expect(a.calls.filter((c) => c.method === 'POST')).to.have.length(0);
    fill(el, ME);
    submit(el);
    await waitUntil(() => $(el, '#s-error'), 'the failure was not shown');
    submit(el);
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
    const el = await startPage(a, { target: '7' });
    await waitUntil(() => $(el, '#s-title'));
    fill(el, ME);
    submit(el);
    await waitUntil(() => $(el, '#s-lastName-error'), 'the issue was not shown at its field');
    expect(text($(el, '#s-lastName-error'))).to.equal('Check the last name.');
    expect($(el, '#s-lastName').getAttribute('aria-invalid')).to.equal('true');
    await waitUntil(() => focused(el) === $(el, '#s-lastName'), 'focus did not move to the field');
  });

  it('under pre-moderation: no "sign first" until an organizer approves it', async () => {
    const a = api({ 'POST /v1/efforts/expand-sanctuary/campaigns': () => data({ ...CREATED, status: 'pending' }, 201) });
    const el = await startPage(a, { target: '7' });
    await waitUntil(() => $(el, '#s-title'));
    fill(el, ME);
    submit(el);
    await waitUntil(() => $(el, '[part~="created"]'));
    expect(text($(el, '[part~="created"]'))).to.contain('An organizer reviews it before it opens for signatures.');
    expect($(el, '[part~="created"] a[part~="submit"]')).to.be.null;
  });

  it('speaks Spanish and stays accessible in the widget’s dark theme, at both steps and after', async () => {
    const a = api();
    const el = await startPage(a, { place: '60053', lang: 'es', theme: 'dark' });
    expect($(el, '.container').classList.contains('dark'), 'the widget’s theme follows').to.equal(true);
    expect(document.documentElement.classList.contains('dark')).to.equal(true);
    await waitUntil(() => $(el, '#s-targetName'));
    expect(document.documentElement.lang).to.equal('es');
    expect(text($(el, '#title'))).to.equal('Inicia una campaña local');
    expect(text($(el, 'label[for="s-targetName"]'))).to.equal('Nombre de la autoridad');
    await expect(el).to.be.accessible();
    fill(el, { targetTitle: 'Alcalde', targetName: 'Ana Ruiz' });
    submit(el);
    await waitUntil(() => $(el, '#s-body'));
    expect(text($(el, '.start [part~="submit"]'))).to.equal('Iniciar la campaña');
    await expect(el).to.be.accessible();
    fill(el, ME);
    submit(el);
    await waitUntil(() => $(el, '[part~="created"]'));
    expect(text($(el, '#created-title'))).to.equal('¡Tu campaña está en marcha!');
    expect(text($(el, '[part~="created"] a[part~="submit"]'))).to.equal('Fírmala primero en partner.example');
    expect(document.title).to.equal('Inicia una campaña local');
    await expect(el).to.be.accessible();
  });
});
