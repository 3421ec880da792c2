/**
 * Supporter starts a local campaign → organizer approves it on /admin → it is listed → export.
 * Nothing stubbed: the real Worker (wrangler dev, its own local D1 with migrations and the demo
 * seed), the built organizer page (dist/admin), real Chromium under the page's strict CSP.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { ROOT, ensureDevVars, wranglerEnv } from '../scripts/local-worker.ts';
import { registerPartner, startStack, watchPage, type Stack } from './harness.ts';

let stack: Stack;
let token: string;

before(async () => {
  // The page under test is the built one: build it first (a second or two).
  const built = spawnSync(`${ROOT}node_modules/.bin/vite`, ['build', '--config', 'admin/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    env: wranglerEnv(),
    encoding: 'utf8',
  });
  assert.equal(built.status, 0, built.stderr);
  // wrangler dev reads ADMIN_TOKEN from .dev.vars (created with a random token when missing).
  token = /^ADMIN_TOKEN=(.+)$/m.exec(readFileSync(ensureDevVars(), 'utf8'))![1]!.trim();
  stack = await startStack('e2e-admin');
  // A partner is credited only from its own sites: register e2e-partner for the origin the test signs from.
  registerPartner(stack, 'e2e-partner', 'E2E partner', PARTNER_SITE);
});
after(async () => {
  await stack?.close();
});

const api = (path: string, init: RequestInit = {}) => fetch(`${stack.worker.url}${path}`, init);
const PARTNER_SITE = 'https://e2e-partner.example';
const postJson = (path: string, body: unknown) =>
  api(path, { method: 'POST', headers: { 'content-type': 'application/json', origin: PARTNER_SITE }, body: JSON.stringify(body) });
const lookupSlugs = async () =>
  ((await (await api('/v1/efforts/expand-sanctuary/lookup?q=60076&limit=50')).json()).data.nearby as { slug: string }[]).map((c) => c.slug);

test('start a campaign → unlisted → approved on /admin → listed → its signature in the export', async () => {
  // 1. A supporter starts a local campaign, with the effort's templates prefilled.
  const draft = (await (await api('/v1/efforts/expand-sanctuary/campaigns/draft?targetName=Ana%20Ruiz&targetTitle=Mayor&place=60076')).json()).data;
  assert.equal(draft.title, 'Tell Mayor Ana Ruiz to Defy Trump, Defend Skokie, & Expand Sanctuary');
  const created = await postJson('/v1/efforts/expand-sanctuary/campaigns', {
    target: { name: 'Ana Ruiz', title: 'Mayor' },
    place: '60076',
    title: draft.title,
    body: `${draft.body}\n\nMore at https://example.org/skokie`,
    creator: { firstName: 'Denise', lastName: 'Lopez', email: 'denise.e2e@example.org' },
    elapsedMs: 5000,
  });
  assert.equal(created.status, 201);
  const campaign = (await created.json()).data;
  assert.equal(campaign.status, 'unlisted');
  assert.equal(campaign.creatorName, 'Denise L.');
  const slug: string = campaign.slug;

  // 2. Reachable by its link at once; not listed yet. The creator signs it first.
  assert.equal((await api(`/v1/campaigns/${slug}`)).status, 200);
  assert.ok(!(await lookupSlugs()).includes(slug));
  const email = `first.signer.${Date.now()}@example.org`;
  const signed = await postJson(`/v1/campaigns/${slug}/signatures`, {
    firstName: 'Denise', lastName: 'Lopez, Jr.', email, zip: '60076', partner: 'e2e-partner', consentEffort: true,
  });
  assert.equal(signed.status, 201);

  // 3. The organizer page: a wrong token is refused, the right one signs in (kept in sessionStorage only).
  const page = await stack.browser.newPage({ acceptDownloads: true });
  const watch = await watchPage(page, { allowConsole: /status of 401/ }); // the wrong-token attempt's 401 is expected
  // Only the organizer API may answer 4xx here (the wrong token); no asset or public read may fail.
  const failed: string[] = [];
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().includes('/v1/admin/')) failed.push(`${r.status()} ${r.url()}`);
  });
  await page.goto(`${stack.worker.url}/admin/`);
  const admin = page.locator('sanctuary-admin');
  await admin.getByLabel('Organizer token').fill('not-the-token-not-the-token');
  await admin.getByRole('button', { name: 'Sign in' }).click();
  await admin.getByRole('alert').getByText('That token was not accepted').waitFor();
  await admin.getByLabel('Organizer token').fill(token);
  await admin.getByRole('button', { name: 'Sign in' }).click();

  // 4. The queue shows the new campaign, its creator's email, its text with the link made safe.
  const item = admin.locator(`li[data-campaign="${slug}"]`);
  await item.getByText('Created by Denise L.').waitFor();
  await item.getByText('denise.e2e@example.org').waitFor();
  const link = item.getByRole('link', { name: 'https://example.org/skokie' });
  assert.equal(await link.getAttribute('rel'), 'nofollow noopener noreferrer ugc');
  assert.deepEqual(
    await page.evaluate(() => [sessionStorage.getItem('sanctuary-admin-token') !== null, localStorage.length, document.cookie]),
    [true, 0, ''],
  );

  // 5. Totals by partner show the first signature.
  await admin.locator('#by-partner').getByRole('row', { name: /e2e-partner\s+1/ }).waitFor();

  // 6. Approve it: it leaves the queue and is listed in lookups.
  await item.getByRole('button', { name: 'Approve' }).click();
  await item.waitFor({ state: 'detached' });
  assert.ok((await lookupSlugs()).includes(slug));
  assert.equal(stack.query<{ status: string }>(`SELECT status FROM campaigns WHERE slug = '${slug}'`)[0]!.status, 'live');

  // 7. The export button downloads the CSV; the API export has the signature, quoted right.
  const [download] = await Promise.all([page.waitForEvent('download'), admin.getByRole('button', { name: 'Export signatures (CSV)' }).click()]);
  assert.match(download.suggestedFilename(), /^signatures-expand-sanctuary-\d{4}-\d\d-\d\d\.csv$/);
  const downloaded = readFileSync((await download.path())!, 'utf8');
  assert.ok(downloaded.includes(email));

  const res = await api('/v1/admin/efforts/expand-sanctuary/signatures.csv', { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-disposition') ?? '', /^attachment;/);
  const rows = parse(await res.text(), { columns: true }) as Record<string, string>[];
  const row = rows.find((r) => r.email === email);
  assert.ok(row, 'the signature is in the export');
  assert.equal(row.last_name, 'Lopez, Jr.');
  assert.equal(row.campaign, slug);
  assert.equal(row.partner, 'e2e-partner');
  // The consent takes effect once the signer confirms the email sent to them (issue 13).
  assert.equal(row.consent_effort, 'no');
  assert.equal(row.confirmed, 'no');
  assert.equal((await api('/v1/admin/efforts/expand-sanctuary/signatures.csv')).status, 401);

  // 8. The page ran under its strict CSP (Trusted Types included) without a single violation.
  assert.deepEqual(await watch.csp(), []);
  assert.deepEqual([...watch.problems, ...failed], []);
  await page.close();
});
