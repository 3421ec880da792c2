/**
 * The confirmation links the simulated Email Service binding of `wrangler dev` sent: it logs each message
 * with the path of the file holding its text, which is read here (as e2e/confirmation.test.ts does).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Stack } from './harness.ts';

const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

/** Starts reading the Worker's log; `confirm(email)` opens that signer's email and presses the button (the POST). */
export function watchMailbox(stack: Stack) {
  let log = '';
  const keep = (d: Buffer) => (log += d.toString());
  stack.worker.process.stdout?.on('data', keep);
  stack.worker.process.stderr?.on('data', keep);

  const linkTo = (to: string) => {
    for (const block of strip(log).split('send_email binding called with MessageBuilder:').slice(1)) {
      if (!new RegExp(`^To: ${to.replace(/[.+]/g, '\\$&')}$`, 'm').test(block)) continue;
      const file = /Text: (\S+\.txt)/.exec(block)?.[1];
      const link = file && /https?:\/\/\S+\/v1\/confirm\/[A-Za-z0-9_-]{43}/.exec(readFileSync(file, 'utf8'))?.[0];
      if (link) return link;
    }
    return null;
  };

  return {
    async confirm(email: string) {
      let link = linkTo(email);
      for (let i = 0; i < 100 && !link; i++) {
        await new Promise((r) => setTimeout(r, 100));
        link = linkTo(email);
      }
      assert.ok(link, `a confirmation email to ${email}`);
      const res = await fetch(link, { method: 'POST' });
      assert.equal(res.status, 200);
      assert.match(await res.text(), /your signature is confirmed/);
    },
  };
}
