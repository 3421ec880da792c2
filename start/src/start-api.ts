/** The API calls of the start page only (the widget's client does not carry them). */
import { ApiClient } from '../../widget/src/api.ts';
import type { CampaignDraftOut, NewCampaignOut } from '../../widget/src/api.ts';

/**
 * Body of POST /v1/efforts/:effort/campaigns (the server's NewCampaignInput): one of the effort's
 * targets, or a named official with a place; `website`/`elapsedMs` are the same abuse signals as a signature's.
 */
export interface NewCampaignBody {
  targetId?: number;
  target?: { name: string; title: string };
  place?: string;
  title: string;
  body: string;
  goal: number;
  creator: { firstName: string; lastName: string; email: string };
  partner?: string;
  website?: string;
  elapsedMs?: number;
}

/** What a new campaign's draft is for: one of the effort's targets, or an official the supporter names. */
export type DraftFor = { targetId: number } | { targetName: string; targetTitle: string; place: string };

const enc = encodeURIComponent;

/**
 * The page the start page was asked to lead back to, and who to tell whether it may: the draft's
 * answer says whether its site (the origin only is sent) is registered for the effort or the partner.
 */
export interface ReturnSite {
  returnTo: string;
  partner?: string;
  confirmed: (allowed: boolean) => void;
}

export class StartApi extends ApiClient {
  constructor(
    base: string,
    fetchImpl?: typeof fetch,
    private readonly _site?: ReturnSite,
  ) {
    super(base, fetchImpl);
  }

  /** The prefilled title, text and goal of a new local campaign (GET …/campaigns/draft). */
  async draft(effort: string, what: DraftFor, signal?: AbortSignal): Promise<CampaignDraftOut> {
    const qs = new URLSearchParams(Object.entries(what).map(([k, v]) => [k, String(v)]));
    if (this._site) {
      qs.set('site', new URL(this._site.returnTo).origin);
      if (this._site.partner) qs.set('partner', this._site.partner);
    }
    const draft = await this._request<CampaignDraftOut>(`/efforts/${enc(effort)}/campaigns/draft?${qs}`, { signal });
    this._site?.confirmed(draft.siteAllowed === true);
    return draft;
  }

  /** Start a local campaign. Same `idempotencyKey` on a retry: one campaign however often it arrives. */
  createCampaign(effort: string, input: NewCampaignBody, idempotencyKey: string): Promise<NewCampaignOut> {
    return this._post<NewCampaignOut>(`/efforts/${enc(effort)}/campaigns`, input, idempotencyKey);
  }
}
