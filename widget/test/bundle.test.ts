/// <reference types="mocha" />
/**
 * The BUILT bundle (dist/widget.js, from `vite build`) in real Chromium: catches what only the
 * build gets wrong (raw decorator syntax, missing code, a throwing second copy).
 * Skips, saying why, when the bundle has not been built.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { EFFORT, SIGNED, data, fakeApi } from './helpers.ts';

const BUNDLE = '/dist/widget.js';

describe('dist/widget.js (the built bundle)', function () {
  let built = false;
  before(async function () {
    const res = await fetch(BUNDLE, { method: 'HEAD' }).catch(() => null);
    built = !!res?.ok;
    if (!built) {
      console.warn(`Skipping the bundle tests: ${BUNDLE} is missing; run \`vite build\` first.`);
      this.skip();
    }
  });

  it('has no decorator syntax left and defines the element', async () => {
    const source = await (await fetch(BUNDLE)).text();
    expect(source).not.to.match(/@(property|state)\b/);
    const before = new Set(Object.keys(window));
    await import(/* @vite-ignore */ BUNDLE);
    const ctor = customElements.get('sanctuary-petition');
    expect(ctor).to.be.a('function');
    // No globals of ours; only Lit's own bookkeeping (version markers, decorator metadata).
    const LIT_OWN = ['litPropertyMetadata', 'litElementVersions', 'litHtmlVersions', 'reactiveElementVersions'];
    const added = Object.keys(window).filter((k) => !before.has(k) && !LIT_OWN.includes(k));
    expect(added).to.deep.equal([]);
  });

  it('loads a second copy without throwing', async () => {
    const before = customElements.get('sanctuary-petition');
    await import(/* @vite-ignore */ `${BUNDLE}?copy=2`);
    expect(customElements.get('sanctuary-petition')).to.equal(before);
  });

  it('renders an effort from the API at its own origin', async () => {
    const api = fakeApi();
    const original = window.fetch;
    window.fetch = api.fetch;
    try {
      const el = await fixture<HTMLElement>(html`<sanctuary-petition effort="expand-sanctuary"></sanctuary-petition>`);
      await waitUntil(() => el.shadowRoot?.querySelector('[part~="result"]'), 'the bundle did not render results');
      expect(el.shadowRoot!.querySelector('h2')!.textContent).to.equal(EFFORT.title);
      expect(api.calls[0]!.url.origin).to.equal(location.origin);
      void data;
    } finally {
      window.fetch = original;
    }
  });

  // The build renames `_` members file by file (vite.config.ts): the share panel, a file of its own
  // loaded after signing, must still work with widget.js, and tell the page through it.
  it('signs, then loads the share panel on demand, which copies the link and fires sanctuary-shared', async () => {
    const api = fakeApi();
    const el = await fixture<HTMLElement & { fetchImpl?: typeof fetch }>(
      html`<sanctuary-petition campaign="skokie" loading="eager" .fetchImpl=${api.fetch}></sanctuary-petition>`,
    );
    const $ = <T extends Element>(sel: string) => el.shadowRoot!.querySelector<T>(sel)!;
    await waitUntil(() => el.shadowRoot?.querySelector('[part~="form"]'), 'the bundle did not render the form');
    const values = { firstName: 'Ana', lastName: 'Ruiz', email: 'ana@example.org', zip: '60076' };
    for (const [name, value] of Object.entries(values)) $<HTMLInputElement>(`#f-${name}`).value = value;
    $<HTMLButtonElement>('[part~="submit"]').click();
    await waitUntil(() => el.shadowRoot?.querySelector('[part~="share"] input'), 'the share panel did not load');
    const link = new URL($<HTMLInputElement>('[part~="share"] input').value);
    expect(link.searchParams.get('sp_ref')).to.equal(SIGNED.referralCode);
    const loaded = performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname);
    expect(
      loaded.some((p) => /^\/dist\/widget-share-panel-[\w-]+\.js$/.test(p)),
      loaded.join(' '),
    ).to.equal(true);
    const clipboard = navigator.clipboard as Clipboard & { writeText: (s: string) => Promise<void> };
    const copied: string[] = [];
    clipboard.writeText = async (s: string) => void copied.push(s);
    try {
      const shared = new Promise<CustomEvent>((r) => el.addEventListener('sanctuary-shared', (e) => r(e as CustomEvent), { once: true }));
      $<HTMLButtonElement>('[part~="share"] button').click();
      expect((await shared).detail).to.deep.equal({ campaign: 'skokie', method: 'copy' });
      await waitUntil(() => el.shadowRoot?.querySelector('.share-status'));
      expect($('.share-status').textContent).to.equal('Link copied.');
      expect(copied).to.deep.equal([link.href]);
    } finally {
      delete (clipboard as Partial<Clipboard>).writeText;
    }
  });
});
