/// <reference types="mocha" />
/**
 * The partner-grade embed: accessibility in every state in both languages and both themes, lazy
 * loading, share links with referral codes, the outbox in the element, layout on hostile pages.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../src/index.ts';
import { STORAGE_KEY, sharedOutbox } from '../src/outbox.ts';
import { SIGNED_KEY } from '../src/signed-memory.ts';
import { readShareParams, shareLink } from '../src/share.ts';
import { shareHref } from '../src/share-buttons.ts';
import type { SanctuaryPetition } from '../src/sanctuary-petition.ts';
import { SIGNED, apiError, fakeApi } from './helpers.ts';

type Api = ReturnType<typeof fakeApi>;
const $ = <T extends Element = HTMLElement>(el: SanctuaryPetition, sel: string) => el.shadowRoot!.querySelector<T>(sel) as T;
const $$ = (el: SanctuaryPetition, sel: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(sel)];
const text = (el: Node | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
const focused = (el: SanctuaryPetition) => el.shadowRoot!.activeElement;
const GOOD = { firstName: 'Ana', lastName: 'Ruiz', email: 'ana@example.org', zip: '60076' };
function fill(el: SanctuaryPetition, values: Record<string, string> = GOOD) {
  for (const [name, value] of Object.entries(values)) $<HTMLInputElement>(el, `#f-${name}`).value = value;
}
const submit = (el: SanctuaryPetition) => $<HTMLButtonElement>(el, '[part~="submit"]').click();
const offline = () => Promise.reject(new TypeError('Failed to fetch'));

async function widget(attrs: { lang?: string; theme?: string; campaign?: string; effort?: string }, api: Api = fakeApi()) {
  const el = await fixture<SanctuaryPetition>(
    html`<sanctuary-petition
      lang=${attrs.lang ?? 'en'}
      theme=${attrs.theme ?? 'light'}
      campaign=${attrs.campaign ?? ''}
      effort=${attrs.effort ?? ''}
      .fetchImpl=${api.fetch}
    ></sanctuary-petition>`,
  );
  await waitUntil(() => $(el, attrs.campaign ? '[part~="form"]' : '[part~="result"]'), 'widget did not load');
  return el;
}

afterEach(() => {
  localStorage.removeItem(STORAGE_KEY);
  localStorage.removeItem(SIGNED_KEY);
  sharedOutbox().fetchImpl = undefined;
});

describe('accessibility in every state, both languages, both themes', () => {
  for (const lang of ['en', 'es']) {
    for (const theme of ['light', 'dark']) {
      describe(`${lang}, ${theme}`, () => {
        it('finder with results', async () => {
          const el = await widget({ lang, theme, effort: 'expand-sanctuary' });
          await expect(el).to.be.accessible();
        });
        it('search error', async () => {
          const el = await widget({ lang, theme, effort: 'expand-sanctuary' });
          $<HTMLButtonElement>(el, '[part~="search"] button[type="submit"]').click();
          await waitUntil(() => $(el, '#q-error'));
          await expect(el).to.be.accessible();
        });
        it('form with field errors', async () => {
          const el = await widget({ lang, theme, campaign: 'skokie' });
          submit(el);
          await waitUntil(() => $$(el, '.field-error').length === 4);
          await expect(el).to.be.accessible();
        });
        it('thanks with the share buttons', async () => {
          const el = await widget({ lang, theme, campaign: 'skokie' });
          fill(el);
          submit(el);
          await waitUntil(() => $(el, '[part~="thanks"]'));
          await expect(el).to.be.accessible();
        });
        it('saved for later (offline)', async () => {
          const el = await widget({ lang, theme, campaign: 'skokie' }, fakeApi({ 'POST /v1/campaigns/skokie/signatures': offline }));
          fill(el);
          submit(el);
          await waitUntil(() => $(el, '[part~="queued"]'));
          await expect(el).to.be.accessible();
        });
        it('load error', async () => {
          const api = fakeApi({ 'GET /v1/campaigns/skokie': () => apiError('internal_error', 500) });
          const el = await fixture<SanctuaryPetition>(
            html`<sanctuary-petition lang=${lang} theme=${theme} campaign="skokie" .fetchImpl=${api.fetch}></sanctuary-petition>`,
          );
          await waitUntil(() => $(el, '[part~="error"]'));
          await expect(el).to.be.accessible();
        });
      });
    }
  }

  it('gives every button, link and input a target of at least 24×24 CSS px', async () => {
    const el = await widget({ campaign: 'skokie' });
    fill(el);
    submit(el);
    await waitUntil(() => $(el, '[part~="thanks"]'));
    const targets = $$(el, 'button, a, input');
    expect(targets.length).to.be.greaterThan(6);
    for (const t of targets) {
      const r = t.getBoundingClientRect();
      expect(r.width, t.outerHTML.slice(0, 60)).to.be.at.least(24);
      expect(r.height, t.outerHTML.slice(0, 60)).to.be.at.least(24);
    }
  });

  it('turns the skeleton pulse off under prefers-reduced-motion (the rule exists)', () => {
    const el = document.createElement('sanctuary-petition');
    const sheets = (el.constructor as typeof SanctuaryPetition).elementStyles.map((s) => (s as { cssText: string }).cssText).join('');
    expect(sheets).to.match(/@media\s*\(prefers-reduced-motion:\s*reduce\)\s*\{[^}]*\{[^}]*animation:\s*none/);
  });
});

describe('theme', () => {
  it('applies the dark palette for theme="dark" and falls back to light for an unknown value', async () => {
    const dark = await widget({ theme: 'dark', campaign: 'skokie' });
    const light = await widget({ theme: 'neon', campaign: 'skokie' });
    const bg = (el: SanctuaryPetition) => getComputedStyle($(el, '.container')).backgroundColor;
    expect(bg(dark)).to.equal('rgb(29, 27, 25)');
    expect(bg(light)).to.equal('rgb(255, 255, 255)');
  });

  it('reads --sanctuary-* set once on :root', async () => {
    document.documentElement.style.setProperty('--sanctuary-color-accent', 'rgb(0, 80, 0)');
    try {
      const el = await widget({ campaign: 'skokie' });
      expect(getComputedStyle($(el, '[part~="submit"]')).backgroundColor).to.equal('rgb(0, 80, 0)');
    } finally {
      document.documentElement.style.removeProperty('--sanctuary-color-accent');
    }
  });

  it('keeps its sizes when the page sets html { font-size: 62.5% } and resets everything', async () => {
    const style = document.createElement('style');
    style.textContent = 'html { font-size: 62.5% } * { all: unset } body { line-height: 0.8; letter-spacing: 3px }';
    document.head.append(style);
    try {
      const el = await widget({ campaign: 'skokie' });
      expect(getComputedStyle(el).display).to.equal('block');
      const input = $(el, '#f-email');
      expect(getComputedStyle(input).fontSize).to.equal('16px');
      expect(getComputedStyle($(el, '.container')).letterSpacing).to.equal('normal');
      expect(input.getBoundingClientRect().height).to.be.at.least(44);
    } finally {
      style.remove();
    }
  });
});

describe('lazy loading', () => {
  it('fetches nothing until the widget is near the viewport', async () => {
    const api = fakeApi();
    const spacer = document.createElement('div');
    spacer.style.height = '5000px';
    document.body.append(spacer);
    const el = document.createElement('sanctuary-petition');
    el.fetchImpl = api.fetch;
    el.setAttribute('campaign', 'skokie');
    document.body.append(el);
    try {
      await el.updateComplete;
      await new Promise((r) => setTimeout(r, 100));
      expect(api.calls).to.have.length(0);
      expect($(el, '.skeleton')).to.exist;
      el.scrollIntoView();
      await waitUntil(() => api.calls.length > 0, 'did not load when scrolled into view');
      await waitUntil(() => $(el, '[part~="form"]'));
    } finally {
      el.remove();
      spacer.remove();
      window.scrollTo(0, 0);
    }
  });

  it('loads at once with loading="eager", even far below the fold', async () => {
    const api = fakeApi();
    const spacer = document.createElement('div');
    spacer.style.height = '5000px';
    document.body.append(spacer);
    const el = document.createElement('sanctuary-petition');
    el.fetchImpl = api.fetch;
    el.setAttribute('campaign', 'skokie');
    el.setAttribute('loading', 'eager');
    document.body.append(el);
    try {
      await waitUntil(() => $(el, '[part~="form"]'));
    } finally {
      el.remove();
      spacer.remove();
    }
  });
});

describe('share links and referrals', () => {
  it('reads only valid share parameters', () => {
    expect(readShareParams('https://p.example/x?sp_campaign=skokie&sp_ref=abc123XYZ&sp_partner=north-shore')).to.deep.equal({
      campaign: 'skokie',
      ref: 'abc123XYZ',
      partner: 'north-shore',
    });
    expect(readShareParams('https://p.example/?sp_campaign=Bad%20Slug&sp_ref=<x>&sp_partner=a%20b')).to.deep.equal({});
  });

  it("builds the link from the page's origin and path and our own parameters only (a mailing's akid or email never travels)", () => {
    const link = shareLink('https://p.example/act?akid=123.456&email=ana%40example.org&sp_ref=old123456#sign', {
      campaign: 'skokie',
      ref: 'new123456',
      partner: 'nsijc',
    });
    expect(link).to.equal('https://p.example/act?sp_campaign=skokie&sp_ref=new123456&sp_partner=nsijc');
    expect(shareLink('https://p.example/?email=a%40b.c', {})).to.equal('https://p.example/');
  });

  it('makes a share address for each site, with the link encoded', () => {
    const url = 'https://p.example/?sp_campaign=skokie&sp_ref=abc123';
    for (const target of ['email', 'whatsapp', 'facebook', 'x', 'bluesky'] as const) {
      const href = shareHref(target, url, 'Sign!', 'Subject');
      expect(href).to.contain(encodeURIComponent(url));
    }
    expect(shareHref('whatsapp', url, 'Sign!', 'S')).to.match(/^https:\/\/wa\.me\//);
  });

  it('opens the shared campaign and sends the referral with the signature; the new link carries the new code', async () => {
    const before = location.href;
    const u = new URL(before);
    u.searchParams.set('sp_campaign', 'skokie');
    u.searchParams.set('sp_ref', 'friend-code1');
    u.searchParams.set('sp_partner', 'north-shore-ijc');
    history.replaceState(null, '', u);
    try {
      const api = fakeApi();
      const el = await fixture<SanctuaryPetition>(
        html`<sanctuary-petition effort="expand-sanctuary" .fetchImpl=${api.fetch}></sanctuary-petition>`,
      );
      await waitUntil(() => $(el, '[part~="form"]'), 'the shared campaign did not open');
      fill(el);
      submit(el);
      await waitUntil(() => $(el, '[part~="thanks"]'));
      const post = api.calls.find((c) => c.method === 'POST')!;
      expect(post.body).to.include({ referral: 'friend-code1', partner: 'north-shore-ijc' });
      const link = new URL($<HTMLInputElement>(el, '#share-url').value);
      expect(link.searchParams.get('sp_ref')).to.equal(SIGNED.referralCode);
      expect(link.searchParams.get('sp_campaign')).to.equal('skokie');
      const links = $$(el, '[part~="share-button"][data-share]').map((a) => a.dataset.share);
      expect(links).to.deep.equal(['email', 'whatsapp', 'facebook', 'x', 'bluesky']);
      for (const a of $$(el, 'a[data-share]')) expect(a.getAttribute('href')).to.contain(encodeURIComponent(link.href));
      // Back goes to the finder.
      $<HTMLButtonElement>(el, '[part~="back"]').click();
      await waitUntil(() => $(el, '[part~="finder"]'));
    } finally {
      history.replaceState(null, '', before);
    }
  });

  it('fires sanctuary-shared with the method only', async () => {
    const el = await widget({ campaign: 'skokie' });
    fill(el);
    submit(el);
    await waitUntil(() => $(el, '[part~="thanks"]'));
    const a = $<HTMLAnchorElement>(el, 'a[data-share="facebook"]');
    a.addEventListener('click', (e) => e.preventDefault());
    const event = oneEvent(el, 'sanctuary-shared');
    a.click();
    expect((await event).detail).to.deep.equal({ campaign: 'skokie', method: 'facebook' });
  });
});

describe('the outbox in the element', () => {
  it('saves a signature made offline, says so, and thanks the signer once it is delivered', async () => {
    const api = fakeApi({ 'POST /v1/campaigns/skokie/signatures': offline });
    const el = await widget({ campaign: 'skokie' }, api);
    fill(el);
    const queued = oneEvent(el, 'sanctuary-queued');
    submit(el);
    expect((await queued).detail).to.deep.equal({ campaign: 'skokie' });
    await waitUntil(() => $(el, '[part~="queued"]'));
    await waitUntil(() => focused(el) === $(el, '#queued-title'), 'focus did not move to the saved notice');
    expect(text($(el, '[role="status"]'))).to.contain('Your signature is saved');
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY)!);
    expect(stored).to.have.length(1);
    const key = stored[0].key;

    // Back online: the outbox delivers it with the same key, and the widget thanks the signer.
    const online = fakeApi();
    sharedOutbox().fetchImpl = online.fetch;
    const signed = oneEvent(el, 'sanctuary-signed');
    await sharedOutbox().flush(true);
    await signed;
    await waitUntil(() => $(el, '[part~="thanks"]'));
    const posts = online.calls.filter((c) => c.method === 'POST');
    expect(posts).to.have.length(1);
    expect(posts[0]!.headers.get('Idempotency-Key')).to.equal(key);
    expect(localStorage.getItem(STORAGE_KEY)).to.equal(null);
  });

  it('queues on a 503 and shows 4xx errors instead of queueing them', async () => {
    const el = await widget(
      { campaign: 'skokie' },
      fakeApi({ 'POST /v1/campaigns/skokie/signatures': () => apiError('internal_error', 503) }),
    );
    fill(el);
    submit(el);
    await waitUntil(() => $(el, '[part~="queued"]'));
    const el2 = await widget({ campaign: 'skokie' }, fakeApi({ 'POST /v1/campaigns/skokie/signatures': () => apiError('not_found', 404) }));
    fill(el2);
    submit(el2);
    await waitUntil(() => $(el2, '[part~="form"] [part~="error"]'));
    expect(JSON.parse(localStorage.getItem(STORAGE_KEY)!)).to.have.length(1);
  });

  it('is in Spanish too', async () => {
    const el = await widget({ lang: 'es', campaign: 'skokie' }, fakeApi({ 'POST /v1/campaigns/skokie/signatures': offline }));
    fill(el);
    submit(el);
    await waitUntil(() => $(el, '[part~="queued"]'));
    expect(text($(el, '#queued-title'))).to.equal('Tu firma está guardada');
  });
});

describe('registration', () => {
  it('a second copy of the script does not throw', async () => {
    // A fresh module instance (query string) runs the guarded define again.
    await import(`../src/index.ts?copy=${Date.now()}`);
    expect(customElements.get('sanctuary-petition')).to.exist;
  });
});
