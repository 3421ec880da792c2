/**
 * Share links. A shared link is the host page's origin and path with three parameters:
 * `sp_campaign` (the local campaign to open), `sp_ref` (the sharer's referral code) and
 * `sp_partner` (the partner whose page it is). A widget on a page opened from such a link opens
 * that campaign and sends `sp_ref` with the signature as `referral`; the answer gives the new signer
 * a code of their own, so re-shares chain.
 */
import { PARTNER, REFERRAL as CODE, SLUG, SLUG_MAX } from '../../common/rules.ts';

/** A campaign's or an effort's slug, and a partner code, as the API accepts them (common/rules.ts). */
export { PARTNER, SLUG };

export const SHARE_PARAMS = { campaign: 'sp_campaign', ref: 'sp_ref', partner: 'sp_partner' } as const;

export interface ShareParams {
  campaign?: string;
  ref?: string;
  partner?: string;
}

/** The share parameters of a page URL, each checked against its allow-list (anything else is ignored). */
export function readShareParams(href: string | undefined): ShareParams {
  const out: ShareParams = {};
  if (!href) return out;
  let params: URLSearchParams;
  try {
    params = new URL(href).searchParams;
  } catch {
    return out;
  }
  const campaign = params.get(SHARE_PARAMS.campaign);
  const ref = params.get(SHARE_PARAMS.ref);
  const partner = params.get(SHARE_PARAMS.partner);
  if (campaign && SLUG.test(campaign) && campaign.length <= SLUG_MAX) out.campaign = campaign;
  if (ref && CODE.test(ref)) out.ref = ref;
  if (partner && PARTNER.test(partner)) out.partner = partner;
  return out;
}

/**
 * A share link: the page's origin and path with our own share parameters only. Every other parameter
 * and the #fragment are left out: a partner's mailing adds its own (`?akid=…&email=…`), which must not
 * travel with a link that is passed on.
 */
export function shareLink(href: string, p: ShareParams): string {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return '';
  }
  const out = new URL(url.origin + url.pathname);
  if (p.campaign) out.searchParams.set(SHARE_PARAMS.campaign, p.campaign);
  if (p.ref) out.searchParams.set(SHARE_PARAMS.ref, p.ref);
  if (p.partner) out.searchParams.set(SHARE_PARAMS.partner, p.partner);
  return out.href;
}

/**
 * The page's address without our share parameters (its own, and the #fragment, kept): the way back to
 * this page from the hosted start page, for this visitor's navigation only, never a link to pass on.
 */
export function pageLink(href: string): string {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return href;
  }
  for (const name of Object.values(SHARE_PARAMS)) url.searchParams.delete(name);
  return url.href;
}
