/**
 * The hostile partner page (demo/hostile.html: strict CSP + Trusted Types, `* { all: unset }`,
 * `html { font-size: 62.5% }`, three widgets, the script loaded twice) against the real Worker:
 * a keyboard-only signature in Spanish, no CSP violation, sane sizes from 280 px, axe on every
 * widget state, lazy loading, the share link's referral round trip, and the versioned bundle URL.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { fillSignForm, registerPartner, startStack, watchPage, type Stack } from './harness.ts';

let stack: Stack;
before(async () => {
  stack = await startStack('e2e-hostile');
  // A partner is credited only from its own sites: the hostile page's partner is this test's origin.
  registerPartner(stack, 'hostile-demo', 'Hostile demo', stack.worker.url);
});
after(async () => {
  await stack?.close();
});

const PAGE = () => `${stack.worker.url}/hostile.html`;
const sqlText = (s: string) => `'${s.replace(/'/g, "''")}'`;
const rowFor = (email: string) =>
  stack.query<{ n: number; partner: string | null; referral_code: string | null; referred_by: string | null }>(
    `SELECT count(*) OVER () AS n, partner, referral_code, referred_by FROM signatures WHERE email = ${sqlText(email)}`,
  );

const watch = (page: Page) => watchPage(page);

/** The focused element, looking inside shadow roots, with the widget it belongs to. */
const focusInfo = (page: Page) =>
  page.evaluate(() => {
    let a: Element | null = document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    const host = (a?.getRootNode() as ShadowRoot | Document | undefined) instanceof ShadowRoot ? (a!.getRootNode() as ShadowRoot).host : null;
    return {
      id: a?.id ?? '',
      tag: a?.tagName.toLowerCase() ?? '',
      slug: (a as HTMLElement | null)?.dataset?.slug ?? '',
      name: a?.getAttribute('name') ?? '',
      part: a?.getAttribute('part') ?? '',
      widget: host ? (host.getAttribute('effort') ? 'finder' : host.getAttribute('campaign')) : null,
    };
  });

async function tabTo(page: Page, want: (f: Awaited<ReturnType<typeof focusInfo>>) => boolean, what: string) {
  for (let i = 0; i < 80; i++) {
    if (want(await focusInfo(page))) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`Tab never reached ${what}; last focus ${JSON.stringify(await focusInfo(page))}`);
}

test('a supporter signs in Spanish by keyboard alone (Tab, Enter, Space, typing), with no CSP violation', async () => {
  const page = await stack.browser.newPage();
  const w = await watch(page);
  await page.goto(PAGE());
  const finder = page.locator('sanctuary-petition[effort]');
  await finder.getByRole('heading', { name: 'Encuentra tu campaña local', exact: true }).last().waitFor();

  await tabTo(page, (f) => f.widget === 'finder' && f.id === 'q', 'the Spanish search box');
  await page.keyboard.type('60076');
  await page.keyboard.press('Enter');
  await finder.getByRole('heading', { name: /Campañas locales cerca de/ }).waitFor();

  await tabTo(page, (f) => f.widget === 'finder' && f.slug === 'skokie', '"Leer y firmar" for Skokie');
  await page.keyboard.press('Enter');
  await finder.getByRole('heading', { name: /George Van Dusen/ }).waitFor();
  assert.equal((await focusInfo(page)).id, 'title', 'focus moves to the campaign heading');

  const email = `teclado.${Date.now()}@example.org`;
  for (const [field, value] of [
    ['f-firstName', 'Lucía'],
    ['f-lastName', 'Hernández'],
    ['f-email', email],
    ['f-zip', '60076'],
  ] as const) {
    await tabTo(page, (f) => f.widget === 'finder' && f.id === field, field);
    await page.keyboard.type(value);
  }
  await tabTo(page, (f) => f.widget === 'finder' && f.name === 'consentEffort', 'the consent box');
  await page.keyboard.press('Space');
  assert.equal(await finder.locator('input[name="consentEffort"]').isChecked(), true);
  await tabTo(page, (f) => f.widget === 'finder' && f.part.includes('submit'), 'the sign button');
  await page.keyboard.press('Enter');

  await finder.getByRole('heading', { name: '¡Gracias por firmar!' }).waitFor();
  assert.equal((await focusInfo(page)).id, 'thanks-title', 'focus moves to the thanks heading');
  const rows = rowFor(email);
  assert.equal(rows.length, 1, 'exactly one signature stored');
  assert.equal(rows[0]!.partner, 'hostile-demo');
  assert.match(rows[0]!.referral_code ?? '', /^[A-Za-z0-9_-]{12}$/);

  // Share buttons are reachable by keyboard too, and say where they go in Spanish.
  await tabTo(page, (f) => f.widget === 'finder' && f.part.includes('share-button'), 'a share button');
  await finder.getByRole('link', { name: /WhatsApp \(se abre en una pestaña nueva\)/ }).waitFor();

  assert.deepEqual(await w.csp(), [], 'no Content-Security-Policy or Trusted Types violation');
  assert.deepEqual(w.problems, []);
  // The policy really is enforced on this page: an unvetted HTML sink is refused.
  const sink = await page.evaluate(() => {
    try {
      document.createElement('div').innerHTML = '<b>x</b>';
      return 'allowed';
    } catch {
      return 'blocked';
    }
  });
  assert.equal(sink, 'blocked', 'Trusted Types are enforced by the page');
  await page.close();
});

const sizes = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('sanctuary-petition')].map((el) => {
      const r = el.getBoundingClientRect();
      const root = el.shadowRoot!;
      const container = root.querySelector<HTMLElement>('.container')!;
      const inputs = [...root.querySelectorAll<HTMLElement>('input[type="text"], input[type="email"]')];
      const buttons = [...root.querySelectorAll<HTMLElement>('button')];
      return {
        which: el.getAttribute('campaign') ?? el.getAttribute('effort'),
        width: r.width,
        height: r.height,
        overflow: container.scrollWidth - container.clientWidth,
        inputHeights: inputs.map((i) => i.getBoundingClientRect().height),
        inputFont: inputs.map((i) => getComputedStyle(i).fontSize),
        buttonHeights: buttons.map((b) => b.getBoundingClientRect().height),
      };
    }),
  );

test('sizes hold on the hostile page from 280 px wide to a desktop, and nothing overflows', async () => {
  const page = await stack.browser.newPage({ viewport: { width: 280, height: 800 } });
  const w = await watch(page);
  await page.goto(PAGE());
  await page.locator('sanctuary-petition[campaign="skokie"]').getByLabel('First name').waitFor();
  await page.locator('sanctuary-petition[effort]').getByRole('button', { name: 'Buscar', exact: true }).waitFor();
  const narrow = (await sizes(page)).slice(0, 2);
  for (const s of narrow) {
    assert.ok(s.width >= 240 && s.width <= 280, `${s.which}: width ${s.width} at 280 px`);
    assert.ok(s.overflow <= 0, `${s.which}: no horizontal overflow (${s.overflow})`);
    for (const h of [...s.inputHeights, ...s.buttonHeights]) assert.ok(h >= 44, `${s.which}: a control ${h}px high`);
    for (const f of s.inputFont) assert.equal(f, '16px', `${s.which}: 16px text in inputs despite html { font-size: 62.5% }`);
  }
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 280), 'the page does not scroll sideways');

  await page.setViewportSize({ width: 1280, height: 900 });
  const wide = (await sizes(page)).slice(0, 2);
  for (const s of wide) {
    assert.ok(s.width >= 400 && s.width <= 640, `${s.which}: width ${s.width} at 1280 px`);
    assert.ok(s.height >= 300, `${s.which}: height ${s.height}`);
    assert.ok(s.overflow <= 0, `${s.which}: no overflow`);
  }
  assert.deepEqual(await w.csp(), []);
  assert.deepEqual(w.problems, []);
  await page.close();
});

test('lazy: the widget far below the fold fetches nothing until scrolled near, then loads (dark theme)', async () => {
  const page = await stack.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const w = await watch(page);
  const mellen: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/v1/campaigns/mellen')) mellen.push(r.url());
  });
  await page.goto(PAGE());
  await page.locator('sanctuary-petition[campaign="skokie"]').getByLabel('First name').waitFor();
  await page.locator('sanctuary-petition[effort]').getByRole('button', { name: 'Buscar', exact: true }).waitFor();
  assert.deepEqual(mellen, [], 'nothing fetched for the widget below the fold');
  const below = page.locator('sanctuary-petition[campaign="mellen"]');
  await below.scrollIntoViewIfNeeded();
  await below.getByLabel('First name').waitFor();
  assert.equal(mellen.length, 1);
  assert.deepEqual(await w.csp(), []);
  assert.deepEqual(w.problems, []);
  await page.close();
});

test('axe finds nothing in any widget state, in English, Spanish and the dark theme', async () => {
  // A context without CSP only to inject axe-core (the CSP itself is tested above).
  const context = await stack.browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.goto(PAGE());
  await page.addScriptTag({ content: axeSource });
  const check = async (state: string) => {
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<{ violations: { id: string; nodes: unknown[] }[] }> } }).axe;
      const r = await axe.run({ include: [['sanctuary-petition']] }, { resultTypes: ['violations'] });
      return r.violations.map((v) => `${v.id} (${v.nodes.length})`);
    });
    assert.deepEqual(violations, [], `axe violations in state: ${state}`);
  };
  const en = page.locator('sanctuary-petition[campaign="skokie"]');
  const es = page.locator('sanctuary-petition[effort]');
  await en.getByLabel('First name').waitFor();
  await es.getByRole('button', { name: 'Buscar', exact: true }).waitFor();
  await check('form (en) and finder (es)');
  await es.getByLabel('Código postal o ciudad').fill('60076');
  await es.getByRole('button', { name: 'Buscar', exact: true }).click();
  await es.getByRole('heading', { name: /Campañas locales cerca de/ }).waitFor();
  await en.getByRole('button', { name: 'Sign', exact: true }).click();
  await en.getByText('Enter your first name.').waitFor();
  await check('results (es) and field errors (en)');
  await fillSignForm(en, { first: 'Axe', last: 'Tester', email: `axe.${Date.now()}@example.org`, zip: '60076' });
  await en.getByRole('button', { name: 'Sign', exact: true }).click();
  await en.getByRole('heading', { name: 'Thanks for signing!' }).waitFor();
  await page.locator('sanctuary-petition[campaign="mellen"]').scrollIntoViewIfNeeded();
  await page.locator('sanctuary-petition[campaign="mellen"]').getByLabel('First name').waitFor();
  await check('thanks (en) and the dark, partner-themed form');
  await context.close();
});

test('a share link carries the partner and a referral code; the next signature records it, and re-shares chain', async () => {
  const page = await stack.browser.newPage();
  await page.goto(PAGE());
  const first = `first.${Date.now()}@example.org`;
  const en = page.locator('sanctuary-petition[campaign="skokie"]');
  await fillSignForm(en, { first: 'Ada', last: 'Sharer', email: first, zip: '60076' });
  await en.getByRole('button', { name: 'Sign', exact: true }).click();
  await en.getByRole('heading', { name: 'Thanks for signing!' }).waitFor();
  const link = new URL(await en.locator('#share-url').inputValue());
  const code1 = rowFor(first)[0]!.referral_code!;
  assert.match(link.pathname, /^\/hostile(\.html)?$/);
  assert.equal(link.searchParams.get('sp_campaign'), 'skokie');
  assert.equal(link.searchParams.get('sp_partner'), 'hostile-demo');
  assert.equal(link.searchParams.get('sp_ref'), code1);
  const whatsapp = await en.locator('a[data-share="whatsapp"]').getAttribute('href');
  assert.ok(whatsapp?.includes(encodeURIComponent(link.href)), 'the WhatsApp link carries the same URL');
  await page.close();

  // A friend opens the link. The page pins Skokie already, so its finder does not open it a second time;
  // the friend signs in the pinned widget, and the referral and the partner travel all the same.
  const friend = await stack.browser.newPage();
  await friend.goto(link.href);
  const finder = friend.locator('sanctuary-petition[effort]');
  await finder.locator('[part~="finder"]').waitFor();
  assert.equal(await finder.locator('[part~="campaign"]').count(), 0, 'the shared campaign is not shown twice');
  const pinned = friend.locator('sanctuary-petition[campaign="skokie"]');
  const second = `second.${Date.now()}@example.org`;
  await fillSignForm(pinned, { first: 'Bea', last: 'Amiga', email: second, zip: '60076' });
  await pinned.getByRole('button', { name: 'Sign', exact: true }).click();
  await pinned.getByRole('heading', { name: 'Thanks for signing!' }).waitFor();
  const row = rowFor(second)[0]!;
  assert.equal(row.referred_by, code1, 'the signature records the share it came from');
  assert.equal(row.partner, 'hostile-demo');
  const reshare = new URL(await pinned.locator('#share-url').inputValue());
  assert.equal(reshare.searchParams.get('sp_ref'), row.referral_code, 'the re-share carries the friend’s own code');
  assert.notEqual(row.referral_code, code1);
  await friend.close();
});

test('/widget.js (current major) and /widget-<version>.js (pinned, immutable) are served with CORS', async () => {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  const major = await fetch(`${stack.worker.url}/widget.js`, { headers: { origin: 'https://partner.example' } });
  const pinned = await fetch(`${stack.worker.url}/widget-${version}.js`, { headers: { origin: 'https://partner.example' } });
  assert.equal(major.status, 200);
  assert.equal(pinned.status, 200);
  assert.equal(major.headers.get('access-control-allow-origin'), '*');
  assert.equal(pinned.headers.get('access-control-allow-origin'), '*');
  assert.match(pinned.headers.get('cache-control') ?? '', /immutable/);
  assert.doesNotMatch(major.headers.get('cache-control') ?? '', /immutable/);
  const code = await major.text();
  // The same code, its on-demand files pinned too (widget-<version>-share-panel-….js).
  assert.equal(await pinned.text(), code.replace(/\.\/widget-(?!\d)/g, `./widget-${version}-`));
  // What it loads on demand (the share panel) comes with CORS too, hashed and immutable.
  const lazy = /import\(["'`]\.\/(widget-[\w.-]+\.js)["'`]\)/.exec(code)?.[1];
  assert.ok(lazy, 'widget.js loads the share panel on demand');
  for (const name of [lazy, lazy.replace(/^widget-/, `widget-${version}-`)]) {
    const res = await fetch(`${stack.worker.url}/${name}`, { headers: { origin: 'https://partner.example' } });
    assert.equal(res.status, 200, name);
    assert.equal(res.headers.get('access-control-allow-origin'), '*', name);
    assert.match(res.headers.get('cache-control') ?? '', /immutable/, name);
  }
});
