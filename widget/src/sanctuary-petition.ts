import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { ApiClient, type CampaignOut, type SignatureOut } from './api.ts';
import { MODULE_ORIGIN, THEMES } from './config.ts';
import { ColorSchemeController } from './controllers/color-scheme.ts';
import { LookupController } from './controllers/lookup.ts';
import { SigningController } from './controllers/signing.ts';
import { LoaderController } from './controllers/loader.ts';
import { ViewportController } from './controllers/viewport.ts';
import type { SanctuaryEventDetails } from './events.ts';
import { Localizer, resolveLocale } from './i18n/index.ts';
import { PARTNER, readShareParams, shareLink } from './share.ts';
import { loadSharePanel, type PetitionHost, type ViewState } from './state.ts';
import styles from './sanctuary-petition.styles.ts';
import { campaignView } from './views/campaign.ts';
import { finderView, type StartWhere } from './views/finder.ts';
import { errorView, invalidView, skeletonView } from './views/status.ts';
import { queuedView, thanksView } from './views/thanks.ts';
import { startHref } from './start-link.ts';

export type * from './events.ts';

declare global {
  interface HTMLElementTagNameMap {
    'sanctuary-petition': SanctuaryPetition;
  }
}

/**
 * Find a local campaign of a national effort and sign it, inline, on a partner's page.
 *
 * ```html
 * <script type="module" src="https://WORKER_ORIGIN/widget.js"></script>
 * <sanctuary-petition effort="expand-sanctuary" partner="chicago-rising"></sanctuary-petition>
 * <sanctuary-petition campaign="skokie" lang="es"></sanctuary-petition>
 * ```
 *
 * @summary Embeddable distributed petition: finder, local campaign, inline signing.
 *
 * @attr effort - Slug of a national effort: shows the finder (totals, search, nearby campaigns).
 * @attr campaign - Slug of one local campaign: shows it and its sign form at once.
 * @attr partner - Attribution code of the partner page, sent with each signature.
 * @attr lang - `en` or `es`; default: the closest `[lang]` ancestor, then the browser language.
 * @attr api - Origin of the petition API; default: the origin that served widget.js.
 * @attr theme - `light` (default), `dark`, or `auto` (follows the visitor's system setting).
 * @attr loading - `lazy` (default: nothing is fetched until the widget is near the viewport) or `eager`.
 *
 * @fires sanctuary-signed - A signature was accepted: once per campaign per browser (signing again, or a saved signature delivered later, does not fire it twice). Detail: `{ campaign, signatureCount, goal, partner? }`.
 * @fires sanctuary-error - Something failed (shown to the user too). Detail: `{ code, status? }`.
 * @fires sanctuary-campaign-opened - A local campaign is shown. Detail: `{ campaign }`.
 * @fires sanctuary-queued - The signature could not be sent now; it is kept in the browser and sent later. Detail: `{ campaign, partner? }`.
 * @fires sanctuary-shared - A share button was used after signing. Detail: `{ campaign, method }`.
 *
 * @csspart container - The outer box.
 * @csspart header - Title, text and totals of the effort or campaign.
 * @csspart title - The main heading (effort, campaign, thanks, error).
 * @csspart progress - The "N of M" text and its bar.
 * @csspart finder - The "Find your local campaign" section.
 * @csspart search - The search form (ZIP code or city, use my location).
 * @csspart results - The list of nearby campaigns.
 * @csspart result - One nearby campaign, or one official awaiting a campaign.
 * @csspart start - The link to the start-a-campaign page (also `button`).
 * @csspart campaign - One local campaign, with its sign form.
 * @csspart form - The sign form.
 * @csspart field - One label + input + error group.
 * @csspart input - Every text input.
 * @csspart button - Every button.
 * @csspart open - The button that opens a result (also `button`).
 * @csspart back - The "Back to all campaigns" button (also `button`).
 * @csspart submit - The sign button (also `button`).
 * @csspart thanks - The panel shown after signing.
 * @csspart queued - The panel shown when a signature is saved to be sent later.
 * @csspart share - The share link and buttons.
 * @csspart share-button - Each share button or link (also `button`).
 * @csspart error - Error messages (load errors, search errors, form errors).
 * @csspart notice - A note above the view: a signature saved on an earlier visit was delivered.
 * @csspart more - The "Show more" button of the results and the "Read more" button of a long text (also `button`).
 *
 * @cssproperty --sanctuary-color-accent - Buttons, bars, links. Default #a4161a.
 * @cssproperty --sanctuary-color-on-accent - Text on accent. Default #ffffff.
 * @cssproperty --sanctuary-color-text - Body text. Default #1c1b1a.
 * @cssproperty --sanctuary-color-muted - Secondary text. Default #55524e.
 * @cssproperty --sanctuary-color-background - Background. Default #ffffff.
 * @cssproperty --sanctuary-color-surface - Cards and notices. Default #f6f4f1.
 * @cssproperty --sanctuary-color-border - Input borders. Default #767676.
 * @cssproperty --sanctuary-color-frame - The outer border. Default #d9d4cc.
 * @cssproperty --sanctuary-color-error - Error text and borders. Default #b3261e.
 * @cssproperty --sanctuary-color-success - The thanks heading. Default #1e6b34.
 * @cssproperty --sanctuary-color-focus - Focus outlines. Default #0b57d0.
 * @cssproperty --sanctuary-color-progress - Progress bar fill. Default: the accent.
 * @cssproperty --sanctuary-color-progress-track - Progress bar track. Default #e4e0da.
 * @cssproperty --sanctuary-font-family - Text font. Default: the system UI font.
 * @cssproperty --sanctuary-font-family-heading - Heading font. Default: the text font.
 * @cssproperty --sanctuary-font-size - Base size. Default 16px.
 * @cssproperty --sanctuary-radius - Corner radius. Default 8px.
 * @cssproperty --sanctuary-space - Outer padding. Default 16px.
 * @cssproperty --sanctuary-min-height - Height reserved while loading, so the page does not jump. Default 420px.
 */
export class SanctuaryPetition extends LitElement implements PetitionHost {
  static override styles = styles;

  /**
   * Reactive properties (a static declaration, not decorators: the compiled decorators cost bytes in
   * widget.js). Public ones reflect the attribute of the same name; `state: true` ones are internal.
   * Members spelled `_name` are internal (for this file and its controllers); the build shortens those
   * names (vite.config.ts), so a member read by its name as a string (`changed.has('…')`) keeps a plain
   * name. The controllers own the rest of the state and ask for an update when it changes.
   */
  static override properties = {
    effort: {},
    campaign: {},
    partner: {},
    lang: {},
    api: {},
    theme: {},
    loading: {},
    _state: { state: true, attribute: false },
    _announcement: { state: true, attribute: false },
    _notice: { state: true, attribute: false },
  };

  /** Slug of a national effort (finder mode). */
  effort = '';
  /** Slug of one local campaign (pinned mode). */
  campaign = '';
  /** Partner attribution code, sent as `partner` with each signature. */
  partner = '';
  /** `en` or `es`; empty: inherited from the page. */
  override lang = '';
  /** API origin; default: the origin that served this module. */
  api = MODULE_ORIGIN;
  /** `light` (default), `dark` or `auto` (the visitor's system setting). Anything else reads as `light`. */
  theme: 'light' | 'dark' | 'auto' = 'light';
  /** `lazy` (default): fetch nothing until the widget is near the viewport. `eager`: load at once. */
  loading: 'lazy' | 'eager' = 'lazy';

  /** The `fetch` used for API calls (default: the page's, looked up per call). For tests and special hosts. */
  fetchImpl?: typeof fetch;

  /** @internal What is shown. */
  _state: ViewState = { view: 'loading' };
  /** @internal */
  _notice = '';
  private _announcement = '';
  /** @internal Share parameters of the page this widget was opened on (`sp_campaign`, `sp_ref`, `sp_partner`). */
  readonly _arrival = readShareParams(globalThis.location?.href);

  // Controllers, in the order their hostConnected runs (the outbox starts first).
  private readonly _signing = new SigningController(this);
  private readonly _viewport = new ViewportController(this);
  private readonly _scheme = new ColorSchemeController(this);
  private readonly _lookup = new LookupController(this);
  private readonly _loader = new LoaderController(this, this._lookup, this._signing);

  private _localizer?: Localizer;

  // ------------------------------------------------------------------------------ lifecycle

  override connectedCallback(): void {
    super.connectedCallback();
    // Re-attached after a removal that aborted a load: start it again.
    if (this.hasUpdated && this._viewport._near && this._state.view === 'loading') this._loader._retry();
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('partner') && this.partner && !PARTNER.test(this.partner)) {
      console.warn(
        `[sanctuary-petition] Ignoring partner="${this.partner}": use 1-64 letters, digits, "-" or "_", like partner="chicago-rising".`,
      );
    }
    if (changed.has('theme') && !THEMES.includes(this.theme)) {
      console.warn(`[sanctuary-petition] Ignoring theme="${this.theme}": use theme="light", "dark" or "auto".`);
    }
    if (changed.has('loading') && this.loading === 'eager') this._viewport._near = true;
    if (!this._viewport._near) return;
    if (!this._loader._started || changed.has('effort') || changed.has('campaign') || changed.has('api')) this._loader._load();
  }

  // ------------------------------------------------------------------------------ for the controllers

  /** @internal */
  get _l(): Localizer {
    const locale = resolveLocale(this, this.lang);
    if (this._localizer?.locale !== locale) this._localizer = new Localizer(locale);
    return this._localizer;
  }

  /** @internal The partner attribute, else the `sp_partner` of the share link the visitor arrived through. */
  get _validPartner(): string | undefined {
    return this.partner && PARTNER.test(this.partner) ? this.partner : this._arrival.partner;
  }

  /** @internal */
  _client(): ApiClient {
    return new ApiClient(this.api.trim(), this.fetchImpl);
  }

  /** @internal */
  _emit<K extends keyof SanctuaryEventDetails>(type: K, detail: SanctuaryEventDetails[K]): boolean {
    return this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true, detail }));
  }

  /** @internal `sanctuary-error` with the code, and the HTTP status when there was a response. */
  _emitError(code: string, status?: number): void {
    this._emit('sanctuary-error', status ? { code, status } : { code });
  }

  /** @internal */
  _announce(message: string): void {
    // A repeated message must still change the live region to be read again.
    this._announcement = this._announcement === message ? `${message}\u00a0` : message;
  }

  /** @internal */
  async _focus$(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  /**
   * @internal The thanks view for a delivered signature, with the new count in the effort and the
   * results. The share panel is loaded on demand (only signers need it); without it (the file could
   * not be loaded) the thanks stand alone.
   */
  async _applySigned(campaign: CampaignOut, out: SignatureOut): Promise<void> {
    const added = Math.max(0, out.signatureCount - campaign.signatureCount);
    const effort = this._loader._effort;
    if (effort && added) this._loader._effort = { ...effort, signatureCount: effort.signatureCount + added };
    this._lookup._bump(out);
    const signed = { ...campaign, signatureCount: out.signatureCount, goal: out.goal };
    const share = await loadSharePanel().then(
      ({ Share }) =>
        new Share({
          lang: this._l.lang,
          root: this.renderRoot,
          // The host page's URL with this campaign, the signer's own referral code and the partner.
          url: () =>
            shareLink(globalThis.location?.href ?? '', { campaign: signed.slug, ref: out.referralCode, partner: this._validPartner }),
          update: () => this.requestUpdate(),
          announce: (m) => this._announce(m),
          shared: (method) => this._emit('sanctuary-shared', { campaign: signed.slug, method }),
        }),
      () => undefined,
    );
    this._state = { view: 'thanks', campaign: signed, signed: out, share };
  }

  private _startHref = (where: StartWhere, label: string): string =>
    startHref(this.api.trim() || MODULE_ORIGIN, {
      effort: this.effort,
      where,
      label,
      lang: this._l.lang,
      partner: this._validPartner,
      theme: this.theme,
    });

  /** "Read more" / "Show less" of the effort's or the campaign's text. */
  private _toggleText = (): void => {
    const s = this._state;
    if (s.view === 'finder' || s.view === 'campaign') this._state = { ...s, more: !s.more };
  };

  // ------------------------------------------------------------------------------ rendering

  override render(): TemplateResult {
    const l = this._l;
    const theme = this.theme === 'dark' || (this.theme === 'auto' && this._scheme._dark) ? 'dark' : 'light';
    return html`<div part="container" class="container ${theme}" lang=${l.locale}>
      <div role="status" class="sr-only">${this._announcement}</div>
      ${this._notice ? html`<p part="notice" class="notice delivered">${this._notice}</p>` : nothing} ${this._renderView(l)}
    </div>`;
  }

  private _renderView(l: Localizer): TemplateResult {
    const s = this._state;
    const back = this.effort ? this._loader._back : undefined;
    const lookup = this._lookup;
    const sg = this._signing;
    switch (s.view) {
      case 'invalid':
        return invalidView(l);
      case 'error':
        return errorView(l, s, { retry: this._loader._retry, back });
      case 'finder':
        return finderView(
          l,
          { effort: s.effort, more: s.more, lookup, startHref: this._startHref },
          {
            search: lookup._search,
            typed: lookup._typed,
            locate: lookup._locate,
            pick: lookup._searchFor,
            open: this._loader._open,
            more: lookup._showMore,
            toggleText: this._toggleText,
          },
        );
      case 'campaign':
        return campaignView(
          l,
          {
            campaign: s.campaign,
            more: s.more,
            form: s.form,
            signing: { busy: sg._busy, errors: sg._errors, formError: sg._formError && l.t(sg._formError), partner: this._validPartner },
          },
          { sign: this._signing._sign, back, toggleText: this._toggleText },
        );
      case 'thanks':
        return thanksView(l, s, { back });
      case 'queued':
        return queuedView(l, s, { back });
      default:
        return skeletonView();
    }
  }
}
