/**
 * The organizer page's destinations and delivery panels in real Chromium against the real Worker: add a
 * webhook (its secret shown once), see a confirmed signature delivered in its log, preview the petition's delivery
 * and email it to the official (the EMAIL binding, simulated by wrangler dev), then "delivered" is public.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { ensureDevVars } from '../scripts/local-worker.ts';
import { startStack, watchPage, type Stack } from './harness.ts';
import { watchMailbox } from './mailbox.ts';
import { startWebhookReceiver } from './stand-ins.ts';

let stack: Stack;
let mailbox: ReturnType<typeof watchMailbox>;
let token: string;
before(async () => {
  token = /^ADMIN_TOKEN=(.+)$/m.exec(readFileSync(ensureDevVars(), 'utf8'))![1]!.trim();
  stack = await startStack('e2e-destinations-admin');
  mailbox = watchMailbox(stack);
});
after(async () => {
  await stack?.close();
});

test('/admin: add a webhook, see it delivered in the log; preview and email the petition to the official', async () => {
  const receiver = await startWebhookReceiver();
  try {
    const page = await stack.browser.newPage();
    const watch = await watchPage(page);
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${stack.worker.url}/admin/`);
    const admin = page.locator('sanctuary-admin');
    await admin.getByLabel('Organizer token').fill(token);
    await admin.getByRole('button', { name: 'Sign in' }).click();

    const panel = admin.locator('sanctuary-destinations');
    await panel.getByRole('heading', { name: 'Destinations' }).waitFor();
    await panel.getByLabel('URL (https)').fill(receiver.url);
    await panel.getByRole('button', { name: 'Add', exact: true }).click();
    const secret = (await panel.locator('#secret').textContent())!.trim();
    assert.match(secret, /^whsec_/);

    const email = `admin.panel.${Date.now()}@example.org`;
    const signed = await fetch(`${stack.worker.url}/v1/campaigns/skokie/signatures`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ firstName: 'Inés', lastName: 'Paredes', email, zip: '60076', consentEffort: true }),
    });
    assert.equal(signed.status, 201);
    await mailbox.confirm(email); // a signer reaches a destination only once confirmed
    for (let i = 0; i < 80 && !receiver.requests.some((r) => r.body.includes(email)); i++) await new Promise((r) => setTimeout(r, 250));
    const req = receiver.requests.find((r) => r.body.includes(email));
    assert.ok(req, 'the webhook arrived');
    new Webhook(secret).verify(req.body, req.headers as Record<string, string>);

    await panel.getByRole('button', { name: 'I have copied it' }).click();
    await admin.getByRole('button', { name: 'Refresh' }).click();
    await panel.getByRole('button', { name: 'Delivery log' }).first().click();
    await panel.locator('#delivery-log').getByText('signature.confirmed').first().waitFor();
    await panel.locator('#delivery-log').getByRole('cell', { name: 'delivered', exact: true }).first().waitFor();

    const delivery = admin.locator('sanctuary-delivery');
    await delivery.getByLabel('Campaign').selectOption('skokie');
    await delivery.getByLabel('Signers').selectOption('all');
    await delivery.getByRole('button', { name: 'Preview' }).click();
    await delivery.getByText(/^Subject:/).waitFor();
    await delivery.getByLabel("Official's email").fill('mayor@skokie.example');
    await delivery.getByRole('button', { name: 'Email it to the official' }).click();
    await delivery.getByText(/^Delivered to .+ on /).first().waitFor();

    const campaign = (await (await fetch(`${stack.worker.url}/v1/campaigns/skokie`)).json()) as { data: { delivered: { official: string } | null } };
    assert.ok(campaign.data.delivered?.official, 'the public campaign says it was delivered');
    assert.ok(!JSON.stringify(campaign).includes('mayor@skokie.example'));
    assert.deepEqual(watch.problems, []);
    assert.deepEqual(await watch.csp(), []);
  } finally {
    await receiver.close();
  }
});
