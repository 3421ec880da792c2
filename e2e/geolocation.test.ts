/**
 * "Use my location" in real Chromium against the real Worker: with the permission granted, the
 * browser's position finds the nearest campaign; denied, the widget says so politely and the search
 * box still works. Nothing stubbed: Chromium's own geolocation (set by playwright) and permissions.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack, type Stack } from './harness.ts';

let stack: Stack;
before(async () => {
  stack = await startStack('e2e-geolocation');
});
after(async () => {
  await stack?.close();
});

const SKOKIE = { latitude: 42.0334, longitude: -87.7334 }; // Skokie village hall, roughly

test('granted: the position finds Skokie, closest first, rounded to about 100 m before it is sent', async () => {
  const context = await stack.browser.newContext({ geolocation: SKOKIE, permissions: ['geolocation'] });
  const page = await context.newPage();
  const lookups: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/lookup?')) lookups.push(r.url());
  });
  await page.goto(`${stack.worker.url}/`);
  const finder = page.locator('sanctuary-petition[effort]');
  await finder.getByRole('button', { name: 'Use my location' }).click();
  const first = finder.getByRole('listitem').first();
  await first.getByText('Skokie, IL').waitFor();
  await first.getByText('Closest').waitFor();
  const sent = new URL(lookups.at(-1)!).searchParams;
  assert.equal(sent.get('lat'), '42.033');
  assert.equal(sent.get('lon'), '-87.733');
  await context.close();
});

test('denied: a polite message, and the search box still finds campaigns', async () => {
  const context = await stack.browser.newContext({ permissions: [] });
  const page = await context.newPage();
  await page.goto(`${stack.worker.url}/`);
  const finder = page.locator('sanctuary-petition[effort]');
  await finder.getByRole('button', { name: 'Use my location' }).click();
  await finder.locator('[part~="error"]', { hasText: 'Location access was not allowed. Enter your ZIP code or city instead.' }).waitFor();
  await finder.getByLabel('ZIP code or city').fill('Evansville, IN');
  await finder.getByRole('button', { name: 'Find', exact: true }).click();
  await finder.getByRole('listitem').first().getByText('Evansville, IN').waitFor();
  await context.close();
});
