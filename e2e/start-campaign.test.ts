/**
 * A supporter starts a local campaign from the widget on the demo page, nothing stubbed: the real
 * Worker (wrangler dev, its own local D1 with migrations, the demo seed and the gazetteer) and real
 * Chromium under the demo page's strict CSP. Town with no campaign → "Start a local campaign" (a link
 * to the hosted start page) → names the official → prefilled draft → started (unlisted, reachable by
 * its link) → back on the demo page, signs it first → an organizer approves it on /admin → the finder
 * lists it → the export has its signature.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { ensureDevVars } from '../scripts/local-worker.ts';
import { fillSignForm, startStack, watchPage, type Stack } from './harness.ts';

let stack: Stack;
let token: string;
before(async () => {
  token = /^ADMIN_TOKEN=(.+)$/m.exec(readFileSync(ensureDevVars(), 'utf8'))![1]!.trim();
  stack = await startStack('e2e-start');
});
after(async () => {
  await stack?.close();
});

const api = (path: string, init: RequestInit = {}) => fetch(`${stack.worker.url}${path}`, init);

test('a supporter starts a campaign from the widget on the start page → signs it first → approved → found → exported', async () => {
  const page = await stack.browser.newPage();
  const watch = await watchPage(page, { events: ['sanctuary-campaign-started'] });
  await page.goto(`${stack.worker.url}/`);
  const finder = page.locator('sanctuary-petition[effort]');
  await finder.getByRole('heading', { name: 'Tell Your Mayor to Defy Trump, Expand Sanctuary' }).waitFor();

  // 1. A town far from the nine demo campaigns: nothing near, and the way to start one.
  await finder.getByLabel('ZIP code or city').fill('97201');
  await finder.getByRole('button', { name: 'Find', exact: true }).click();
  await finder.locator('p.empty', { hasText: 'No local campaign near Portland, OR 97201 yet.' }).waitFor();
  assert.deepEqual(await watch.csp(), [], 'no CSP violation on the demo page');
  const startLink = finder.getByRole('link', { name: 'Start a local campaign for Portland, OR 97201' });
  assert.equal(new URL((await startLink.getAttribute('href'))!).search, '', 'the page address rides in the #fragment, out of server logs');
  await Promise.all([page.waitForURL((u) => u.pathname === '/start/', { waitUntil: 'commit' }), startLink.click()]);

  // 2. The hosted start page (same tab, the Worker's own origin, its own strict CSP): name the
  //    official, then the effort's templates come prefilled.
  const start = page.locator('sanctuary-start');
  await start.getByRole('heading', { name: 'Start a local campaign' }).waitFor();
  await start.getByLabel('Official’s title').fill('Mayor');
  await start.getByLabel('Official’s name').fill('Keith Wilson');
  await start.getByRole('button', { name: 'Continue' }).click();
  const title = start.getByLabel('Campaign title');
  await title.waitFor();
  assert.equal(await title.inputValue(), 'Tell Mayor Keith Wilson to Defy Trump, Defend Portland, & Expand Sanctuary');
  assert.ok((await start.getByLabel('Campaign text').inputValue()).length > 20, 'the text is prefilled');
  assert.equal(await start.getByLabel('Signature goal').inputValue(), '100');
  await start.getByLabel('First name').fill('Denise');
  await start.getByLabel('Last name').fill('Lopez');
  await start.getByLabel('Email').fill('denise.start@example.org');
  await start.getByRole('button', { name: 'Start the campaign' }).click();

  // 3. Started: its own link at once (the demo page with the campaign open), not listed yet.
  await start.getByRole('heading', { name: 'Your campaign is started!' }).waitFor();
  const shareUrl = new URL(await start.locator('#share-url').inputValue());
  const slug = shareUrl.searchParams.get('sp_campaign')!;
  assert.ok(slug, 'the share link names the new campaign');
  assert.equal(shareUrl.origin + shareUrl.pathname, `${stack.worker.url}/`, 'the link leads to the page the visitor came from');
  const row = stack.query<{ status: string; creator_email: string; n: number }>(
    `SELECT status, creator_email, signature_count AS n FROM campaigns WHERE slug = '${slug}'`,
  );
  assert.deepEqual(row, [{ status: 'unlisted', creator_email: 'denise.start@example.org', n: 0 }], 'stored once, unlisted');
  const started = await watch.events('sanctuary-campaign-started');
  assert.deepEqual(started, [{ campaign: slug }], 'one event, with the slug only');
  assert.deepEqual(await watch.csp(), [], 'no CSP violation on the start page');

  // 4. "Sign it first": back on the demo page, the widget opens the new campaign; the creator signs.
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/' && u.searchParams.get('sp_campaign') === slug, { waitUntil: 'commit' }),
    start.getByRole('link', { name: `Sign it first on ${new URL(stack.worker.url).host}` }).click(),
  ]);
  await finder.getByRole('heading', { name: 'Tell Mayor Keith Wilson to Defy Trump, Defend Portland, & Expand Sanctuary' }).waitFor();
  await finder.getByText('Created by Denise L.').waitFor();
  const email = `denise.${Date.now()}@example.org`;
  await fillSignForm(finder, { first: 'Denise', last: 'Lopez', email: email, zip: '97201' });
  await finder.getByRole('button', { name: 'Sign', exact: true }).click();
  await finder.getByRole('heading', { name: 'Thanks for signing!' }).waitFor();
  await finder.getByText('1 of 100 Signatures').first().waitFor();

  // 5. Not in the finder until an organizer approves it; then it is.
  const nearby = async () =>
    ((await (await api('/v1/efforts/expand-sanctuary/lookup?q=97201')).json()).data.nearby as { slug: string }[]).map((c) => c.slug);
  assert.ok(!(await nearby()).includes(slug), 'unlisted before approval');
  // The organizer approves it on /admin (in another tab).
  const adminPage = await stack.browser.newPage();
  await adminPage.goto(`${stack.worker.url}/admin/`);
  const admin = adminPage.locator('sanctuary-admin');
  await admin.getByLabel('Organizer token').fill(token);
  await admin.getByRole('button', { name: 'Sign in' }).click();
  const item = admin.locator(`li[data-campaign="${slug}"]`);
  await item.getByText('Created by Denise L.').waitFor();
  await item.getByRole('button', { name: 'Approve' }).click();
  await item.waitFor({ state: 'detached' });
  await adminPage.close();
  assert.ok((await nearby()).includes(slug), 'listed after approval');
  await finder.getByRole('button', { name: /Back to all campaigns/ }).click();
  await finder.getByLabel('ZIP code or city').fill('97201');
  await finder.getByRole('button', { name: 'Find', exact: true }).click();
  await finder.getByRole('listitem').filter({ hasText: 'Keith Wilson' }).getByText('Created by Denise L.').waitFor();

  // 6. The export has the creator's signature.
  const csv = await api(`/v1/admin/efforts/expand-sanctuary/signatures.csv`, { headers: { authorization: `Bearer ${token}` } });
  const rows = parse(await csv.text(), { columns: true }) as Record<string, string>[];
  const signed = rows.find((r) => r.email === email);
  assert.ok(signed, 'the signature is in the export');
  assert.equal(signed.campaign, slug);

  assert.deepEqual(await watch.csp(), [], 'no CSP violation');
  assert.deepEqual(watch.problems, []);
  await page.close();
});
