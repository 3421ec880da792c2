/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { ApiClient, ApiError } from '../src/api.ts';
import { EFFORT, LOOKUP, SIGNED, apiError, data, fakeApi } from './helpers.ts';

describe('ApiClient', () => {
  it('unwraps the { data } envelope and builds /v1 URLs from the base', async () => {
    const api = fakeApi();
    const client = new ApiClient('https://api.example.org/', api.fetch);
    const effort = await client.effort('expand-sanctuary');
    expect(effort).to.deep.equal(EFFORT);
    expect(client.base).to.equal('https://api.example.org/v1');
    expect(api.calls[0]!.url.href).to.equal('https://api.example.org/v1/efforts/expand-sanctuary');
    expect(api.calls[0]!.method).to.equal('GET');
  });

  it('encodes the lookup query: q, lat/lon, or nothing', async () => {
    const api = fakeApi();
    const client = new ApiClient('https://api.example.org', api.fetch);
    expect(await client.lookup('expand-sanctuary', { q: 'Skokie, IL' })).to.deep.equal(LOOKUP);
    await client.lookup('expand-sanctuary', { lat: 42.03, lon: -87.74 });
    await client.lookup('expand-sanctuary');
    const [byQ, byPoint, byNothing] = api.calls;
    expect(byQ!.url.searchParams.get('q')).to.equal('Skokie, IL');
    expect(byPoint!.url.searchParams.get('lat')).to.equal('42.03');
    expect(byPoint!.url.searchParams.get('lon')).to.equal('-87.74');
    expect(byNothing!.url.search).to.equal('');
    expect(byNothing!.url.pathname).to.equal('/v1/efforts/expand-sanctuary/lookup');
  });

  it('throws ApiError with code, status and issues on a 4xx', async () => {
    const issues = [{ path: 'email', message: 'Enter a valid email address.' }];
    const api = fakeApi({ 'POST /v1/campaigns/skokie/signatures': () => apiError('validation_failed', 400, issues) });
    const client = new ApiClient('https://api.example.org', api.fetch);
    const input = { firstName: 'A', lastName: 'B', email: 'x', zip: '60076' };
    const err = await client.sign('skokie', input, 'k-1').then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(ApiError);
    expect((err as ApiError).code).to.equal('validation_failed');
    expect((err as ApiError).status).to.equal(400);
    expect((err as ApiError).issues).to.deep.equal(issues);
  });

  it('maps a 404 to not_found and a non-JSON 500 to internal_error', async () => {
    const api = fakeApi({ 'GET /v1/efforts/broken': () => new Response('<h1>oops</h1>', { status: 502 }) });
    const client = new ApiClient('https://api.example.org', api.fetch);
    const notFound = await client.campaign('nowhere').catch((e: ApiError) => e);
    expect(notFound).to.include({ code: 'not_found', status: 404 });
    const broken = await client.effort('broken').catch((e: ApiError) => e);
    expect(broken).to.include({ code: 'internal_error', status: 502 });
  });

  it('rejects a 200 that is not an envelope', async () => {
    const client = new ApiClient('https://api.example.org', async () => new Response('{"title":"x"}', { status: 200 }));
    const err = await client.effort('x').catch((e: ApiError) => e);
    expect(err).to.be.instanceOf(ApiError);
    expect((err as ApiError).code).to.equal('bad_response');
  });

  it('turns a network failure into ApiError code "network"', async () => {
    const client = new ApiClient('https://api.example.org', async () => {
      throw new TypeError('Failed to fetch');
    });
    const err = await client.effort('x').catch((e: ApiError) => e);
    expect(err).to.be.instanceOf(ApiError);
    expect(err).to.include({ code: 'network', status: 0 });
  });

  it('passes the AbortSignal and lets an abort through as AbortError', async () => {
    const api = fakeApi();
    const client = new ApiClient('https://api.example.org', api.fetch);
    const ctl = new AbortController();
    ctl.abort();
    const err = await client.effort('expand-sanctuary', ctl.signal).catch((e: Error) => e);
    expect(err).not.to.be.instanceOf(ApiError);
    expect((err as Error).name).to.equal('AbortError');
  });

  it('signs with POST, JSON and the Idempotency-Key it was given', async () => {
    const api = fakeApi();
    const client = new ApiClient('https://api.example.org', api.fetch);
    const input = { firstName: 'Ana', lastName: 'Ruiz', email: 'ana@example.org', zip: '60076', consentEffort: true };
    const out = await client.sign('skokie', input, 'key-123');
    expect(out).to.deep.equal(SIGNED);
    const call = api.calls[0]!;
    expect(call.method).to.equal('POST');
    expect(call.url.pathname).to.equal('/v1/campaigns/skokie/signatures');
    expect(call.headers.get('Idempotency-Key')).to.equal('key-123');
    expect(call.headers.get('Content-Type')).to.equal('application/json');
    expect(call.body).to.deep.equal(input);
  });

  it('uses the page fetch looked up at call time by default', async () => {
    const client = new ApiClient('https://api.example.org');
    const original = window.fetch;
    const seen: string[] = [];
    window.fetch = async (input: RequestInfo | URL) => {
      seen.push(String(input));
      return data(EFFORT);
    };
    try {
      expect(await client.effort('expand-sanctuary')).to.deep.equal(EFFORT);
    } finally {
      window.fetch = original;
    }
    expect(seen).to.deep.equal(['https://api.example.org/v1/efforts/expand-sanctuary']);
  });
});
