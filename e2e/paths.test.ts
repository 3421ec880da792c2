/**
 * Supporter paths that used to lead astray (issue 16), in real Chromium at a phone's width (390 px), in
 * English and Spanish, against the real Worker and the whole gazetteer: a misspelt town is answered
 * "Did you mean Skokie, IL?" and the suggestion finds Skokie's campaign first, with starting another
 * offered after the list; "use my location" names the town (Laredo, TX) and, where no campaign is near
 * (Honolulu), offers to start one there. Screenshots go to .tmp/shots/ for a person to look at.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { ROOT } from '../scripts/local-worker.ts';
import { startStack, type Stack } from './harness.ts';

let stack: Stack;
const SHOTS = `${ROOT}.tmp/shots`;
before(async () => {
  stack = await startStack('e2e-paths');
  mkdirSync(SHOTS, { recursive: true });
});
after(async () => {
  await stack?.close();
});

const PHONE = { width: 390, height: 844 };

async function finderPage(lang: 'en' | 'es', geolocation?: { latitude: number; longitude: number }) {
  const context = await stack.browser.newContext({ viewport: PHONE, ...(geolocation ? { geolocation, permissions: ['geolocation'] } : {}) });
  const page = await context.newPage();
  await page.goto(`${stack.worker.url}/`);
  const finder = page.locator('sanctuary-petition[effort]').first();
  if (lang === 'es') await finder.evaluate((el) => el.setAttribute('lang', 'es'));
  await finder.locator('[part~="search"]').waitFor();
  return { context, page, finder };
}

test('a misspelt town: "Did you mean Skokie, IL?", then Skokie first and "Not your town?" after the list (390 px, en)', async () => {
  const { context, finder } = await finderPage('en');
  await finder.getByLabel('ZIP code or city').fill('Skokei');
  await finder.getByRole('button', { name: 'Find', exact: true }).click();
  await finder.locator('.lookup-error').waitFor();
  await finder.screenshot({ path: `${SHOTS}/typo-en.png` });
  await finder.getByRole('button', { name: 'Skokie, IL' }).click();
  const first = finder.locator('[part~="result"]').first();
  await first.getByText('Skokie, IL').waitFor();
  const order = await finder.evaluate((el) => {
    const root = el.shadowRoot!;
    const list = root.querySelector('[part~="results"]')!;
    const start = root.querySelector('a.start-here');
    return { startAfterList: !!start && !!(list.compareDocumentPosition(start) & Node.DOCUMENT_POSITION_FOLLOWING), notYours: root.querySelector('.not-yours')?.textContent };
  });
  assert.deepEqual(order, { startAfterList: true, notYours: 'Not your town?' });
  await finder.screenshot({ path: `${SHOTS}/skokie-en.png` });
  await context.close();
});

test('"use my location" names the town: Laredo, TX (390 px, es)', async () => {
  const { context, finder } = await finderPage('es', { latitude: 27.53, longitude: -99.48 });
  await finder.getByRole('button', { name: 'Usar mi ubicación' }).click();
  await finder.getByText(/Laredo, TX/).first().waitFor();
  assert.equal(await finder.getByText(/27[.,]530/).count(), 0, 'no coordinates shown');
  await finder.screenshot({ path: `${SHOTS}/laredo-es.png` });
  await context.close();
});

test('where no campaign is near (Honolulu), it offers to start one there (390 px, en and es)', async () => {
  for (const lang of ['en', 'es'] as const) {
    const { context, finder } = await finderPage(lang, { latitude: 21.307, longitude: -157.858 });
    await finder.getByRole('button', { name: lang === 'en' ? 'Use my location' : 'Usar mi ubicación' }).click();
    const start = finder.locator('a.start-here');
    await start.waitFor();
    assert.equal(
      (await start.textContent())?.trim(),
      lang === 'en' ? 'Start a local campaign for Honolulu, HI' : 'Inicia una campaña local para Honolulu, HI',
    );
    await finder.screenshot({ path: `${SHOTS}/honolulu-${lang}.png` });
    await context.close();
  }
});
