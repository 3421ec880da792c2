/** After signing: thanks with the new count and the share panel; or, offline, "saved, will be sent". */
import { html, type TemplateResult } from 'lit';
import type { CampaignOut, SignatureOut } from '../api.ts';
import type { Localizer } from '../i18n/index.ts';
import type { Share } from '../share-panel.ts';
import { backButton, campaignProgress } from './parts.ts';

export interface BackHandler {
  /** Back to the finder (unset: there is none). */
  back?: () => void;
}

export const thanksView = (
  l: Localizer,
  s: { campaign: CampaignOut; signed: SignatureOut; share?: Share | undefined },
  on: BackHandler,
): TemplateResult =>
  html`<section part="thanks" class="thanks" aria-labelledby="thanks-title">
    <h2 part="title" id="thanks-title" tabindex="-1">${l.t('thanks.title')}</h2>
    <p class="place">${s.campaign.town}, ${s.campaign.state}</p>
    <p>${s.campaign.title}</p>
    ${campaignProgress(l, s.signed.signatureCount, s.signed.goal)}
    <p class="notice">${l.t('thanks.checkEmail')}</p>
    ${s.share?.panel(s.campaign)} ${backButton(l, on.back)}
  </section>`;

export const queuedView = (l: Localizer, s: { campaign: CampaignOut }, on: BackHandler): TemplateResult =>
  html`<section part="queued" class="queued" aria-labelledby="queued-title">
    <h2 part="title" id="queued-title" tabindex="-1">${l.t('queued.title')}</h2>
    <p class="place">${s.campaign.town}, ${s.campaign.state}</p>
    <p>${s.campaign.title}</p>
    <p class="notice">${l.t('queued.body')}</p>
    <p class="muted">${l.t('queued.privacy')}</p>
    ${backButton(l, on.back)}
  </section>`;
