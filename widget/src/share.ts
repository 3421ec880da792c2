/**
 * Share links. A shared link is the host page's own URL with three parameters:
 * `sp_campaign` (the local campaign to open), `sp_ref` (the sharer's referral code) and
 * `sp_partner` (the partner whose page it is). A widget on a page opened from such a link opens
 * that campaign and sends `sp_ref` with the signature as `referral`; the answer gives the new signer
 * a code of their own, so re-shares chain.
 */
/** A campaign's or an effort's slug, as the API's SlugParams accepts it. */
export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const CODE = /^[A-Za-z0-9_-]{6,32}$/;
/** A partner attribution code, as the API's PartnerCode accepts it. */
export const PARTNER = /^[A-Za-z0-9_-]{1,64}$/;

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
  if (campaign && SLUG.test(campaign) && campaign.length <= 80) out.campaign = campaign;
  if (ref && CODE.test(ref)) out.ref = ref;
  if (partner && PARTNER.test(partner)) out.partner = partner;
  return out;
}

/** The page URL with the share parameters replaced (others, and the #fragment, kept). */
export function shareLink(href: string, p: ShareParams): string {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return href;
  }
  for (const name of Object.values(SHARE_PARAMS)) url.searchParams.delete(name);
  if (p.campaign) url.searchParams.set(SHARE_PARAMS.campaign, p.campaign);
  if (p.ref) url.searchParams.set(SHARE_PARAMS.ref, p.ref);
  if (p.partner) url.searchParams.set(SHARE_PARAMS.partner, p.partner);
  return url.href;
}
