/**
 * A small typed client for the public HTTP API (`/v1`). It knows the envelope
 * (`{ data }` / `{ error: { code, message, issues } }`) and nothing else: no state, no retries.
 * Every method takes an optional AbortSignal. Shapes come from the Worker's schemas, as types only.
 */
import type {
  CampaignOut,
  EffortOut,
  ErrorEnvelope,
  ErrorIssue,
  LookupOut,
  SignatureInput,
  SignatureOut,
} from '../../worker/src/schemas.ts';

export type {
  AwaitingTargetOut,
  CampaignDraftOut,
  CampaignOut,
  CampaignSummaryOut,
  EffortOut,
  ErrorIssue,
  LookupOut,
  NewCampaignOut,
  PlaceOut,
  SignatureInput,
  SignatureOut,
} from '../../worker/src/schemas.ts';

/** What to look up: a ZIP or "City, ST", a point, or nothing (the server uses the request's location). */
export type LookupBy = { q: string } | { lat: number; lon: number } | Record<string, never>;

/**
 * An error from the API, or `code: 'network'` when no response arrived (offline, DNS, CORS),
 * or `code: 'bad_response'` when the response was not the documented envelope.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly issues: readonly ErrorIssue[] = [],
  ) {
    super(message);
  }
}

/** True for the rejection of an aborted fetch: callers ignore those. */
export const isAbortError = (e: unknown): boolean => typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'AbortError';

const enc = encodeURIComponent;

export class ApiClient {
  /** `${origin}/v1`, without a trailing slash. */
  readonly base: string;
  private readonly _fetchImpl: typeof fetch;

  /**
   * @param base the API origin, e.g. `https://petitions.example.org`
   * @param fetchImpl defaults to the page's `fetch`, looked up at call time (so a stub placed later works)
   */
  constructor(base: string, fetchImpl: typeof fetch = (input, init) => globalThis.fetch(input, init)) {
    this.base = `${base.replace(/\/+$/, '')}/v1`;
    this._fetchImpl = fetchImpl;
  }

  effort(slug: string, signal?: AbortSignal): Promise<EffortOut> {
    return this._request<EffortOut>(`/efforts/${enc(slug)}`, { signal });
  }

  lookup(effort: string, by: LookupBy = {}, signal?: AbortSignal): Promise<LookupOut> {
    const params = new URLSearchParams();
    if ('q' in by && by.q !== undefined) params.set('q', by.q);
    if ('lat' in by && by.lat !== undefined && 'lon' in by) {
      params.set('lat', String(by.lat));
      params.set('lon', String(by.lon));
    }
    const qs = params.toString();
    return this._request<LookupOut>(`/efforts/${enc(effort)}/lookup${qs ? `?${qs}` : ''}`, { signal });
  }

  campaign(slug: string, signal?: AbortSignal): Promise<CampaignOut> {
    return this._request<CampaignOut>(`/campaigns/${enc(slug)}`, { signal });
  }

  /**
   * Sign a campaign. Pass the same `idempotencyKey` when retrying the same attempt, so the
   * server counts it once however many times it arrives.
   */
  sign(campaign: string, input: SignatureInput, idempotencyKey: string, signal?: AbortSignal): Promise<SignatureOut> {
    return this._post<SignatureOut>(`/campaigns/${enc(campaign)}/signatures`, input, idempotencyKey, signal);
  }

  protected _post<T>(path: string, input: unknown, idempotencyKey: string, signal?: AbortSignal): Promise<T> {
    return this._request<T>(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey },
      body: JSON.stringify(input),
      signal,
    });
  }

  protected async _request<T>(path: string, init: RequestInit): Promise<T> {
    let res: Response;
    try {
      res = await this._fetchImpl(this.base + path, {
        ...init,
        headers: { Accept: 'application/json', ...(init.headers as Record<string, string> | undefined) },
        credentials: 'omit',
      });
    } catch (e) {
      if (isAbortError(e)) throw e;
      throw new ApiError('network', 0, e instanceof Error ? e.message : String(e));
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch (e) {
      if (isAbortError(e)) throw e;
      body = undefined;
    }
    if (!res.ok) {
      const err = (body as Partial<ErrorEnvelope> | undefined)?.error;
      const code = typeof err?.code === 'string' ? err.code : res.status >= 500 ? 'internal_error' : 'bad_response';
      const issues = Array.isArray(err?.issues) ? err.issues : [];
      throw new ApiError(code, res.status, typeof err?.message === 'string' ? err.message : res.statusText, issues);
    }
    if (typeof body !== 'object' || body === null || !('data' in body)) {
      throw new ApiError('bad_response', res.status, 'The response was not a { data } envelope.');
    }
    return (body as { data: T }).data;
  }
}

/** An Idempotency-Key: a UUID, or 32 random hex digits where randomUUID is missing (insecure pages). */
export const uuid = (): string =>
  crypto.randomUUID?.() ?? Array.from(crypto.getRandomValues(new Uint8Array(16)), (x) => x.toString(16).padStart(2, '0')).join('');
