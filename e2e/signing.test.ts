/**
 * The whole path, nothing stubbed: the demo partner page served by the real Worker (wrangler dev, local
 * D1 with migrations and the demo seed) → find Skokie by ZIP 60076 → sign → the count stored in D1 went
 * up by exactly one, and the host page got a `sanctuary-signed` event without personal data.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fillSignForm, startStack, watchPage, type Stack } from './harness.ts';

let stack: Stack;
before(async () => {
  stack = await startStack('e2e-signing');
});
after(async () => {
  await stack?.close();
});

const skokieCount = () =>
  stack.query<{ n: number; rows: number; effort: number }>(
    `SELECT c.signature_count AS n,
            (SELECT count(*) FROM signatures s WHERE s.campaign_id = c.id) AS rows,
            (SELECT signature_count FROM efforts WHERE id = c.effort_id) AS effort
       FROM campaigns c WHERE c.slug = 'skokie'`,
  )[0]!;

test('demo page → find Skokie by ZIP → sign → stored once in D1', async () => {
  const before = skokieCount();
  const page = await stack.browser.newPage();
  const watch = await watchPage(page, { events: ['sanctuary-signed'] });
  await page.goto(`${stack.worker.url}/`);

  const finder = page.locator('sanctuary-petition[effort]');
  await finder.getByRole('heading', { name: 'Tell Your Mayor to Defy Trump, Expand Sanctuary' }).waitFor();
  await finder.getByText(/of 30,000 signatures across 9 local campaigns/).waitFor();

  await finder.getByLabel('ZIP code or city').fill('60076');
  await finder.getByRole('button', { name: 'Find', exact: true }).click();
  const skokie = finder.getByRole('listitem').filter({ hasText: 'Skokie' }).first();
  await skokie.getByText('Created by Michael D.').waitFor();
  await skokie.getByRole('button', { name: /Read and sign/ }).click();

  await finder.getByRole('heading', { name: /George Van Dusen/ }).waitFor();
  await fillSignForm(finder, { first: 'Rosa', last: 'Martínez', email: `rosa.${Date.now()}@example.org`, zip: '60076' });
  await finder.getByRole('button', { name: 'Sign', exact: true }).click();

  await finder.getByRole('heading', { name: 'Thanks for signing!' }).waitFor();
  await finder.getByText(`${before.n + 1} of 100 Signatures`).first().waitFor();

  const afterCounts = skokieCount();
  assert.equal(afterCounts.n, before.n + 1, 'the campaign count moved by exactly one');
  assert.equal(afterCounts.rows, before.rows + 1, 'exactly one signature row');
  assert.equal(afterCounts.effort, before.effort + 1, 'the effort total moved by exactly one');

  const events = await watch.events('sanctuary-signed');
  assert.equal(events.length, 1);
  assert.equal(events[0]!.campaign, 'skokie');
  assert.equal(events[0]!.signatureCount, before.n + 1);
  const serialized = JSON.stringify(events[0]);
  for (const pii of ['Rosa', 'Martínez', 'example.org', '60076']) assert.ok(!serialized.includes(pii), `no ${pii} in the event`);
  assert.deepEqual(await watch.csp(), [], 'no Content-Security-Policy violation on the strict demo page');
  assert.deepEqual(watch.problems, []);
  await page.close();
});

test('the pinned Skokie widget shows the campaign and its form at once', async () => {
  const page = await stack.browser.newPage();
  await page.goto(`${stack.worker.url}/`);
  const pinned = page.locator('sanctuary-petition[campaign="skokie"]');
  await pinned.getByRole('heading', { name: /George Van Dusen/ }).waitFor();
  await pinned.getByLabel('First name').waitFor();
  await page.close();
});
