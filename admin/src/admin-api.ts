/**
 * A typed client for the organizer API (/v1/admin) on the page's own origin, with the bearer token.
 * Shapes come from the Worker's schemas, as types only.
 */
import type {
  AdminCampaignOut,
  AdminEffortOut,
  CampaignPatch,
  ErrorEnvelope,
  TotalsOut,
} from '../../worker/src/schemas.ts';
import { ApiError } from '../../widget/src/api.ts';

export type { AdminCampaignOut, AdminEffortOut, TotalsOut } from '../../worker/src/schemas.ts';

/** The widget's error class serves here too: an API error code, `network`, or `bad_response`. */
export { ApiError as AdminApiError };

const enc = encodeURIComponent;

export class AdminApi {
  constructor(
    private readonly token: string,
    private readonly base = '/v1/admin',
  ) {}

  protected async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        ...init,
        cache: 'no-store',
        credentials: 'omit',
        headers: { authorization: `Bearer ${this.token}`, ...(init.headers as Record<string, string>) },
      });
    } catch {
      throw new ApiError('network', 0, 'The server could not be reached.');
    }
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as ErrorEnvelope | null;
      throw new ApiError(body?.error?.code ?? 'bad_response', res.status, body?.error?.message ?? `HTTP ${res.status}`, body?.error?.issues);
    }
    return res;
  }

  protected async json<T>(path: string, init?: RequestInit): Promise<T> {
    return ((await (await this.fetch(path, init)).json()) as { data: T }).data;
  }

  efforts(): Promise<AdminEffortOut[]> {
    return this.json('/efforts');
  }

  /** The moderation queue: unlisted and pending campaigns, oldest first. */
  queue(effort: string): Promise<AdminCampaignOut[]> {
    return this.json(`/efforts/${enc(effort)}/campaigns?status=unlisted,pending&limit=200`);
  }

  totals(effort: string): Promise<TotalsOut> {
    return this.json(`/efforts/${enc(effort)}/totals?limit=200`);
  }

  approve(campaign: string): Promise<AdminCampaignOut> {
    return this.json(`/campaigns/${enc(campaign)}/approve`, { method: 'POST' });
  }

  suppress(campaign: string): Promise<AdminCampaignOut> {
    return this.json(`/campaigns/${enc(campaign)}/suppress`, { method: 'POST' });
  }

  edit(campaign: string, patch: CampaignPatch): Promise<AdminCampaignOut> {
    return this.json(`/campaigns/${enc(campaign)}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(patch),
    });
  }

  /**
   * A download link for the effort's signatures, valid for a minute: the browser downloads the CSV from
   * it straight to disk while the server streams it (nothing is held in this tab's memory).
   */
  exportLink(effort: string): Promise<{ url: string; expiresAt: string }> {
    return this.json(`/efforts/${enc(effort)}/export-link`, { method: 'POST' });
  }
}
