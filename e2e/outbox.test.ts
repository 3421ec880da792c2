/**
 * The outbox against the real Worker: a signature made offline is delivered exactly once on the next
 * page load; a signature made while the Worker answers 503 is delivered exactly once after it recovers.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fillSignForm, startStack, type Stack } from './harness.ts';

let stack: Stack;
before(async () => {
  stack = await startStack('e2e-outbox');
});
after(async () => {
  await stack?.close();
});

const rows = (email: string) =>
  stack.query<{ n: number }>(`SELECT count(*) AS n FROM signatures WHERE email = '${email.replace(/'/g, "''")}'`)[0]!.n;
/** The campaign's public count, through the API (cheaper than a D1 query from the test). */
const skokieCount = async () =>
  ((await (await fetch(`${stack.worker.url}/v1/campaigns/skokie`)).json()) as { data: { signatureCount: number } }).data.signatureCount;
const until = async (what: string, ok: () => boolean | Promise<boolean>) => {
  for (let i = 0; i < 60; i++) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail(`timed out waiting for ${what}`);
};

test('signed offline → saved in the browser → delivered exactly once on the next page load', async () => {
  const context = await stack.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${stack.worker.url}/`);
  const w = page.locator('sanctuary-petition[campaign="skokie"]');
  await w.getByLabel('First name').waitFor();
  const before = await skokieCount();
  const email = `offline.${Date.now()}@example.org`;
  await fillSignForm(w, { first: 'Olga', last: 'Offline', email: email, zip: '60076' });
  await context.setOffline(true);
  await w.getByRole('button', { name: 'Sign', exact: true }).click();
  await w.getByRole('heading', { name: 'Your signature is saved' }).waitFor();
  const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('sanctuary-petition:outbox:v1') ?? '[]'));
  assert.equal(saved.length, 1);
  assert.equal(await skokieCount(), before, 'nothing reached the server while offline');
  await page.close();

  await context.setOffline(false);
  const next = await context.newPage();
  await next.goto(`${stack.worker.url}/`);
  await until('the saved signature to be delivered', async () =>
    (await next.evaluate(() => localStorage.getItem('sanctuary-petition:outbox:v1'))) === null,
  );
  assert.equal(await skokieCount(), before + 1, 'counted once');
  // Another load and an `online` event later: still once.
  await next.reload();
  await next.evaluate(() => window.dispatchEvent(new Event('online')));
  await next.locator('sanctuary-petition[campaign="skokie"]').getByLabel('First name').waitFor();
  assert.equal(rows(email), 1, 'exactly one row for this email');
  await context.close();
});

test('the Worker answers 503 for a while → kept → delivered exactly once after it recovers, same key each time', async () => {
  const context = await stack.browser.newContext();
  const page = await context.newPage();
  const keys: string[] = [];
  let failures = 3;
  await page.route('**/v1/campaigns/*/signatures', async (route) => {
    const req = route.request();
    if (req.method() !== 'POST') return route.continue();
    keys.push((await req.headerValue('idempotency-key')) ?? '');
    if (failures > 0) {
      failures -= 1;
      return route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'internal_error', message: 'Service unavailable' } }),
      });
    }
    return route.continue();
  });
  await page.goto(`${stack.worker.url}/`);
  const w = page.locator('sanctuary-petition[campaign="skokie"]');
  await w.getByLabel('First name').waitFor();
  const email = `outage.${Date.now()}@example.org`;
  await fillSignForm(w, { first: 'Omar', last: 'Outage', email: email, zip: '60076' });
  await w.getByRole('button', { name: 'Sign', exact: true }).click();
  await w.getByRole('heading', { name: 'Your signature is saved' }).waitFor();
  // Retries come by themselves (backoff); `online` and returning to the tab also trigger them.
  await until('the retries', async () => {
    if (keys.length < 4) await page.evaluate(() => window.dispatchEvent(new Event('online')));
    return keys.length >= 4;
  });
  await w.getByRole('heading', { name: 'Thanks for signing!' }).waitFor();
  assert.equal(rows(email), 1, 'delivered exactly once');
  assert.equal(new Set(keys).size, 1, 'one Idempotency-Key for every attempt');
  assert.equal(keys.length, 4);
  await context.close();
});
