/** One local campaign: place, title, target, progress, creator, text, recent signers, and the sign form. */
import { html, nothing, type TemplateResult } from 'lit';
import type { CampaignOut } from '../api.ts';
import type { Localizer } from '../i18n/index.ts';
import type { FormModule } from '../state.ts';
import type { FormHandlers, FormState } from './form.ts';
import { backButton, campaignProgress, longText, targetText } from './parts.ts';

export interface CampaignState {
  campaign: CampaignOut;
  /** The sign form's file, and what it shows. */
  form: FormModule;
  signing: FormState;
  /** The whole text is shown ("Read more"). */
  more?: boolean | undefined;
}

export interface CampaignHandlers extends FormHandlers {
  /** Back to the finder (unset: there is none, the page pins this campaign). */
  back?: () => void;
  /** "Read more" / "Show less". */
  toggleText(): void;
}

export function campaignView(l: Localizer, s: CampaignState, on: CampaignHandlers): TemplateResult {
  const c = s.campaign;
  return html`<article part="campaign" class="campaign" aria-labelledby="title">
    ${backButton(l, on.back)}
    <header part="header" class="header">
      <p class="place">${c.town}, ${c.state}</p>
      <h2 part="title" id="title" tabindex="-1">${c.title}</h2>
      <p class="muted target">${l.t('campaign.target', { target: targetText(c.target) })}</p>
    </header>
    ${campaignProgress(l, c.signatureCount, c.goal)}
    ${c.creatorName ? html`<p class="muted creator">${l.t('campaign.creator', { name: c.creatorName })}</p>` : nothing}
    ${longText(l, c.body, 'text', !!s.more, on.toggleText)}
    ${
      c.recentSigners.length
        ? html`<h3>${l.t('campaign.signers')}</h3>
          <ul class="signers">
            ${c.recentSigners.map((s) => html`<li>${s.name}</li>`)}
          </ul>`
        : nothing
    }
    ${s.form.formView(l, s.signing, on)}
  </article>`;
}
