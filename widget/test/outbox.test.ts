/// <reference types="mocha" />
import { expect, waitUntil } from '@open-wc/testing';
import type { SignatureInput } from '../src/api.ts';
import { MAX_AGE_MS, Outbox, STORAGE_KEY, type OutboxDelivered, type OutboxDropped } from '../src/outbox.ts';
import { SIGNED, apiError, data, deferred, fakeApi } from './helpers.ts';

const API = 'https://api.example.org';
const BODY: SignatureInput = { firstName: 'Ana', lastName: 'Ruiz', email: 'ana@example.org', zip: '60076' };
const SIGN = 'POST /v1/campaigns/skokie/signatures';

/** A Storage stand-in; two outboxes given the same one behave like two tabs of one site. */
function memoryStorage() {
  const m = new Map<string, string>();
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
    raw: () => m.get(STORAGE_KEY),
  };
}

function setup(handler: () => Response | Promise<Response>, storage = memoryStorage()) {
  const api = fakeApi({ [SIGN]: handler });
  let now = 1_000_000;
  const box = new Outbox({ storage, fetchImpl: api.fetch, now: () => now, random: () => 0.5 });
  const posts = () => api.calls.filter((c) => c.method === 'POST');
  return { api, box, storage, posts, advance: (ms: number) => (now += ms), now: () => now };
}

const offline = () => Promise.reject(new TypeError('Failed to fetch'));

describe('Outbox', () => {
  it('delivers at once when it can, and keeps nothing afterwards', async () => {
    const { box, storage, posts } = setup(() => data(SIGNED, 201));
    const delivered: OutboxDelivered[] = [];
    box.addEventListener('delivered', (e) => delivered.push((e as CustomEvent<OutboxDelivered>).detail));
    const r = await box.submit(API, 'skokie', BODY, 'key-aaaaaaaa');
    expect(r).to.deep.equal({ status: 'delivered', out: SIGNED });
    expect(posts()).to.have.length(1);
    expect(posts()[0]!.headers.get('Idempotency-Key')).to.equal('key-aaaaaaaa');
    expect(posts()[0]!.body).to.deep.equal(BODY);
    expect(box.list()).to.deep.equal([]);
    expect(storage.raw()).to.equal(undefined);
    expect(delivered.map((d) => d.entry.key)).to.deep.equal(['key-aaaaaaaa']);
  });

  it('keeps a signature it could not send (offline), with its key, and backs off', async () => {
    const { box, storage } = setup(offline);
    const r = await box.submit(API, 'skokie', BODY, 'key-bbbbbbbb');
    expect(r.status).to.equal('queued');
    const [entry] = box.list();
    expect(entry).to.include({ key: 'key-bbbbbbbb', api: API, campaign: 'skokie', attempts: 1 });
    expect(entry!.body).to.deep.equal(BODY);
    expect(entry!.busyUntil).to.equal(undefined);
    expect(entry!.nextAt - entry!.createdAt).to.equal(1_000); // random 0.5 × 2 s base
    expect(JSON.parse(storage.raw()!)).to.have.length(1);
  });

  for (const [label, status, code] of [
    ['a 503', 503, 'internal_error'],
    ['a 429', 429, 'rate_limited'],
    ['a 408', 408, 'timeout'],
  ] as const) {
    it(`keeps it on ${label}, and the retry with the same key delivers it exactly once`, async () => {
      let fail = true;
      const { box, posts, advance } = setup(() => (fail ? apiError(code, status) : data(SIGNED, 201)));
      expect((await box.submit(API, 'skokie', BODY, 'key-cccccccc')).status).to.equal('queued');
      await box.flush(); // not due yet: nothing sent
      expect(posts()).to.have.length(1);
      fail = false;
      advance(60_000);
      await box.flush();
      await box.flush();
      expect(posts()).to.have.length(2);
      expect(posts().map((c) => c.headers.get('Idempotency-Key'))).to.deep.equal(['key-cccccccc', 'key-cccccccc']);
      expect(box.list()).to.deep.equal([]);
    });
  }

  it('drops a signature the server rejects (400), and says so, without retrying', async () => {
    const { box, posts } = setup(() => apiError('validation_failed', 400, [{ path: 'zip', message: 'Enter a 5-digit ZIP code.' }]));
    const dropped: OutboxDropped[] = [];
    box.addEventListener('dropped', (e) => dropped.push((e as CustomEvent<OutboxDropped>).detail));
    const r = await box.submit(API, 'skokie', BODY, 'key-dddddddd');
    expect(r.status).to.equal('rejected');
    expect(box.list()).to.deep.equal([]);
    expect(dropped[0]!.error.code).to.equal('validation_failed');
    await box.flush(true);
    expect(posts()).to.have.length(1);
  });

  it('sends everything waiting when forced (online, page load), ignoring the backoff', async () => {
    let up = false;
    const { box, posts } = setup(() => (up ? data(SIGNED, 201) : offline()));
    await box.submit(API, 'skokie', BODY, 'key-eeeeeee1');
    await box.submit(API, 'skokie', { ...BODY, email: 'b@example.org' }, 'key-eeeeeee2');
    expect(box.list()).to.have.length(2);
    up = true;
    await box.flush(true);
    expect(box.list()).to.deep.equal([]);
    expect(
      posts()
        .slice(2)
        .map((c) => c.headers.get('Idempotency-Key')),
    ).to.deep.equal(['key-eeeeeee1', 'key-eeeeeee2']);
  });

  it('leaves an entry alone while another attempt at it is in flight', async () => {
    const hold = deferred<Response>();
    const { box, posts } = setup(() => hold.promise);
    const submitting = box.submit(API, 'skokie', BODY, 'key-ffffffff');
    await box.flush(true);
    expect(posts()).to.have.length(1);
    hold.resolve(data(SIGNED, 201));
    expect((await submitting).status).to.equal('delivered');
  });

  it('lets only one of two outboxes sharing a site (two tabs, two copies of the script) send at once', async () => {
    const storage = memoryStorage();
    const hold = deferred<Response>();
    let calls = 0;
    const fetchImpl = (async () => {
      calls += 1;
      return hold.promise;
    }) as typeof fetch;
    const a = new Outbox({ storage, fetchImpl });
    const b = new Outbox({ storage, fetchImpl });
    a.enqueue(API, 'skokie', BODY, 'key-gggggggg');
    const fa = a.flush(true);
    const fb = b.flush(true);
    await waitUntil(() => calls === 1);
    await fb; // b found the lock taken and left
    hold.resolve(data(SIGNED, 201));
    await fa;
    expect(calls).to.equal(1);
    expect(a.list()).to.deep.equal([]);
  });

  it('does not keep personal data past the maximum age', async () => {
    const { box, posts, advance } = setup(offline);
    box.enqueue(API, 'skokie', BODY, 'key-hhhhhhhh');
    advance(MAX_AGE_MS + 1);
    await box.flush(true);
    expect(box.list()).to.deep.equal([]);
    expect(posts()).to.have.length(0);
  });

  it('backs off exponentially with jitter, up to five minutes', () => {
    const box = new Outbox({ storage: memoryStorage(), random: () => 1 });
    expect([0, 1, 2, 3].map((n) => box.backoff(n))).to.deep.equal([2_000, 4_000, 8_000, 16_000]);
    expect(box.backoff(30)).to.equal(300_000);
    const low = new Outbox({ storage: memoryStorage(), random: () => 0 });
    expect(low.backoff(5)).to.equal(1_000);
  });

  it('enqueues a key once', () => {
    const box = new Outbox({ storage: memoryStorage() });
    box.enqueue(API, 'skokie', BODY, 'key-iiiiiiii');
    box.enqueue(API, 'skokie', BODY, 'key-iiiiiiii');
    expect(box.list()).to.have.length(1);
  });

  it('works in memory where storage is blocked', async () => {
    const box = new Outbox({ storage: null, fetchImpl: fakeApi({ [SIGN]: offline }).fetch });
    expect((await box.submit(API, 'skokie', BODY, 'key-jjjjjjjj')).status).to.equal('queued');
    expect(box.list()).to.have.length(1);
  });

  it('ignores garbage in storage', () => {
    const storage = memoryStorage();
    storage.setItem(STORAGE_KEY, '{not json');
    expect(new Outbox({ storage }).list()).to.deep.equal([]);
  });
});
