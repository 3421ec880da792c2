import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { ApiClient, ApiError, isAbortError, uuid, type LookupBy } from './api.ts';
import type { AwaitingTargetOut, CampaignOut, CampaignSummaryOut, EffortOut, LookupOut, SignatureInput, SignatureOut } from './api.ts';
import { Localizer, errorKey, resolveLocale, type TextKey } from './i18n/index.ts';
import { sharedOutbox, type OutboxDelivered } from './outbox.ts';
import { Share, type ShareMethod } from './share-panel.ts';
import { PARTNER, SLUG, readShareParams, shareLink } from './share.ts';
import styles from './sanctuary-petition.styles.ts';

// ---------------------------------------------------------------------------------------------
// Public event types (no personal data in any of them).

/** Detail of `sanctuary-signed`: counts only, never a name, email, ZIP or phone. */
export interface SanctuarySignedDetail {
  campaign: string;
  signatureCount: number;
  goal: number;
  partner?: string;
}
/** Detail of `sanctuary-error`: an API error code, `network`, `invalid_attribute`, or `geolocation`. */
export interface SanctuaryErrorDetail {
  code: string;
  status?: number;
}
/** Detail of `sanctuary-campaign-opened`. */
export interface SanctuaryCampaignOpenedDetail {
  campaign: string;
}
/** Detail of `sanctuary-queued`: the signature is kept in the browser and will be sent later. */
export interface SanctuaryQueuedDetail {
  campaign: string;
  partner?: string;
}
/** Detail of `sanctuary-shared`: which share button was used (no link, no code). */
export interface SanctuarySharedDetail {
  campaign: string;
  method: ShareMethod;
}
export interface SanctuaryEventDetails {
  'sanctuary-signed': SanctuarySignedDetail;
  'sanctuary-error': SanctuaryErrorDetail;
  'sanctuary-campaign-opened': SanctuaryCampaignOpenedDetail;
  'sanctuary-queued': SanctuaryQueuedDetail;
  'sanctuary-shared': SanctuarySharedDetail;
}

declare global {
  interface HTMLElementTagNameMap {
    'sanctuary-petition': SanctuaryPetition;
  }
  interface GlobalEventHandlersEventMap {
    'sanctuary-signed': CustomEvent<SanctuarySignedDetail>;
    'sanctuary-error': CustomEvent<SanctuaryErrorDetail>;
    'sanctuary-campaign-opened': CustomEvent<SanctuaryCampaignOpenedDetail>;
    'sanctuary-queued': CustomEvent<SanctuaryQueuedDetail>;
    'sanctuary-shared': CustomEvent<SanctuarySharedDetail>;
  }
}

// ---------------------------------------------------------------------------------------------
// Allow-lists and small pure helpers (immutable module state only).

const NAME_REJECT = /^[=+\-@]|https?:\/\/|www\.|[<>]|[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ZIP = /^\d{5}(?:-?\d{4})?$/;
const PHONE = /^\+?[0-9 ().-]{7,}$/;
const FIELDS = ['firstName', 'lastName', 'email', 'zip', 'phone'] as const;
type Field = (typeof FIELDS)[number];
type FieldError = { key: TextKey; server?: string };
type FieldErrors = Partial<Record<Field, FieldError>>;
type View = 'loading' | 'invalid' | 'error' | 'finder' | 'campaign' | 'thanks' | 'queued';
const THEMES: readonly string[] = ['light', 'dark', 'auto'];

/** The origin that served this module (`document.currentScript` is null in module scripts). */
const MODULE_ORIGIN = (() => {
  try {
    const origin = new URL(import.meta.url).origin;
    return origin === 'null' ? '' : origin;
  } catch {
    return '';
  }
})();

const paragraphs = (text: string) =>
  text
    .split(/\r?\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => html`<p>${p}</p>`);

function validate(input: SignatureInput): FieldErrors {
  const errors: FieldErrors = {};
  const name = (f: 'firstName' | 'lastName', v: string) => {
    if (!v) errors[f] = { key: `field.${f}.required` };
    else if (v.length > 80 || NAME_REJECT.test(v)) errors[f] = { key: `field.${f}.invalid` };
  };
  name('firstName', input.firstName);
  name('lastName', input.lastName);
  if (!input.email) errors.email = { key: 'field.email.required' };
  else if (input.email.length > 254 || !EMAIL.test(input.email)) errors.email = { key: 'field.email.invalid' };
  if (!input.zip) errors.zip = { key: 'field.zip.required' };
  else if (!ZIP.test(input.zip)) errors.zip = { key: 'field.zip.invalid' };
  if (input.phone && (input.phone.length > 32 || !PHONE.test(input.phone))) errors.phone = { key: 'field.phone.invalid' };
  return errors;
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
 * @fires sanctuary-signed - A signature was accepted. Detail: `{ campaign, signatureCount, goal, partner? }`.
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
export class SanctuaryPetition extends LitElement {
  static override styles = styles;

  /**
   * Reactive properties (a static declaration, not decorators: the compiled decorators cost bytes in
   * widget.js). Public ones reflect the attribute of the same name; `state: true` ones are internal.
   * Private members are spelled `_name`: the build shortens those names (vite.config.ts), so a private
   * member read by its name as a string (`near`, in willUpdate's `changed.has`) keeps a plain name.
   */
  static override properties = {
    effort: {},
    campaign: {},
    partner: {},
    lang: {},
    api: {},
    theme: {},
    loading: {},
    _view: { state: true, attribute: false },
    _errorCode: { state: true, attribute: false },
    _effortData: { state: true, attribute: false },
    _lookupData: { state: true, attribute: false },
    _lookupStatus: { state: true, attribute: false },
    _lookupError: { state: true, attribute: false },
    _searchInvalid: { state: true, attribute: false },
    _campaignData: { state: true, attribute: false },
    _signing: { state: true, attribute: false },
    _fieldErrors: { state: true, attribute: false },
    _formError: { state: true, attribute: false },
    _signed: { state: true, attribute: false },
    _share: { state: true, attribute: false },
    _announcement: { state: true, attribute: false },
    near: { state: true, attribute: false },
    _systemDark: { state: true, attribute: false },
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

  private _view: View = 'loading';
  private _errorCode = '';
  private _effortData?: EffortOut;
  private _lookupData?: LookupOut;
  private _lookupStatus: 'idle' | 'loading' | 'error' = 'idle';
  private _lookupError?: TextKey;
  private _searchInvalid = false;
  private _campaignData?: CampaignOut;
  private _signing = false;
  private _fieldErrors: FieldErrors = {};
  private _formError?: TextKey;
  private _signed?: SignatureOut;
  /** The share link and buttons of the campaign just signed. */
  private _share?: Share;
  private _announcement = '';
  /** Near the viewport (or eager): loading may start. */
  private near = false;
  /** The visitor's system prefers dark (followed when theme="auto"). */
  private _systemDark = false;
  private _darkQuery?: MediaQueryList;

  private _localizer?: Localizer;
  private _mainCtl?: AbortController;
  private _lookupCtl?: AbortController;
  private _retryAction: () => void = () => this._load();
  /** The signature attempt in flight or last failed: same body → same Idempotency-Key. */
  private _pending?: { body: string; key: string };
  /** The Idempotency-Key of this widget's signature waiting in the outbox. */
  private _queuedKey?: string;
  private _viewport?: IntersectionObserver;
  /** The share link's campaign was opened once already (Back then shows the finder). */
  private _opened = false;
  /** When the current sign form was shown (its `elapsedMs` tells a person from a bot that posts at once). */
  private _formShownAt = 0;
  /** Share parameters of the page this widget was opened on (`sp_campaign`, `sp_ref`, `sp_partner`). */
  private readonly _arrival = readShareParams(globalThis.location?.href);

  // ------------------------------------------------------------------------------ lifecycle

  override connectedCallback(): void {
    super.connectedCallback();
    const outbox = sharedOutbox();
    outbox.addEventListener('delivered', this._onDelivered);
    outbox.start();
    this._watchViewport();
    this._darkQuery ??= globalThis.matchMedia?.('(prefers-color-scheme: dark)');
    this._darkQuery?.addEventListener('change', this._onScheme);
    this._onScheme();
    // Re-attached after a removal that aborted a load: start it again.
    if (this.hasUpdated && this.near && this._view === 'loading') this._retryAction();
    if (this.hasUpdated && this._lookupStatus === 'loading' && !this._lookupCtl) this._lookupStatus = 'idle';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    sharedOutbox().removeEventListener('delivered', this._onDelivered);
    this._darkQuery?.removeEventListener('change', this._onScheme);
    this._viewport?.disconnect();
    this._viewport = undefined;
    // Reads are cancelled; a signature in flight is left to finish (its key makes a resend safe).
    this._mainCtl?.abort();
    this._mainCtl = undefined;
    this._lookupCtl?.abort();
    this._lookupCtl = undefined;
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
    if (changed.has('loading') && this.loading === 'eager') this.near = true;
    if (!this.near) return;
    if (changed.has('effort') || changed.has('campaign') || changed.has('api') || changed.has('near')) this._load();
  }

  private _onScheme = (): void => {
    this._systemDark = !!this._darkQuery?.matches;
  };

  /** Lazy by default: start loading when the widget comes within a screen of the viewport. */
  private _watchViewport(): void {
    if (this.near || this._viewport) return;
    if (this.loading === 'eager' || typeof IntersectionObserver === 'undefined') {
      this.near = true;
      return;
    }
    this._viewport = new IntersectionObserver(
      (entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        this._viewport?.disconnect();
        this._viewport = undefined;
        this.near = true;
      },
      { rootMargin: '100% 0px' },
    );
    this._viewport.observe(this);
  }

  // ------------------------------------------------------------------------------ helpers

  private get _l(): Localizer {
    const locale = resolveLocale(this, this.lang);
    if (this._localizer?.locale !== locale) this._localizer = new Localizer(locale);
    return this._localizer;
  }

  /** The partner attribute, else the `sp_partner` of the share link the visitor arrived through. */
  private get _validPartner(): string | undefined {
    return this.partner && PARTNER.test(this.partner) ? this.partner : this._arrival.partner;
  }

  private _client(): ApiClient {
    return new ApiClient(this.api.trim(), this.fetchImpl);
  }

  private _emit<K extends keyof SanctuaryEventDetails>(type: K, detail: SanctuaryEventDetails[K]): boolean {
    return this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true, detail }));
  }

  /** `sanctuary-error` with the code, and the HTTP status when there was a response. */
  private _emitError(code: string, status?: number): void {
    this._emit('sanctuary-error', status ? { code, status } : { code });
  }

  private _announce(message: string): void {
    // A repeated message must still change the live region to be read again.
    this._announcement = this._announcement === message ? `${message}\u00a0` : message;
  }

  private async _focus$(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  private _newMainSignal(): AbortSignal {
    this._mainCtl?.abort();
    this._mainCtl = new AbortController();
    return this._mainCtl.signal;
  }

  private _fail(e: unknown): void {
    const err = e instanceof ApiError ? e : new ApiError('internal_error', 0, String(e));
    this._errorCode = err.code;
    this._view = 'error';
    this._announce(this._l.t(errorKey(err.code)));
    this._emitError(err.code, err.status);
  }

  private _configProblem(): string | undefined {
    const slug = (a: 'effort' | 'campaign', v: string) => `Invalid ${a}="${this[a]}": use a slug (a-z, 0-9, -), like ${a}="${v}".`;
    if (this.effort && !SLUG.test(this.effort)) return slug('effort', 'expand-sanctuary');
    if (this.campaign && !SLUG.test(this.campaign)) return slug('campaign', 'skokie');
    if (!this.effort && !this.campaign) return 'Set effort="…" (the finder) or campaign="…" (one local campaign).';
    const api = this.api.trim();
    if (api) {
      let ok = false;
      try {
        ok = ['http:', 'https:'].includes(new URL(api).protocol);
      } catch {
        ok = false;
      }
      if (!ok) return `Invalid api="${this.api}": use an origin like api="https://petitions.example.org", or remove it.`;
    }
    return undefined;
  }

  // ------------------------------------------------------------------------------ loading

  private _load(): void {
    this._lookupCtl?.abort();
    const problem = this._configProblem();
    if (problem) {
      this._mainCtl?.abort();
      this._view = 'invalid';
      console.error(`[sanctuary-petition] ${problem}`);
      this._announce(this._l.t('error.config'));
      this._emitError('invalid_attribute');
      return;
    }
    this._effortData = undefined;
    this._lookupData = undefined;
    this._campaignData = undefined;
    if (this.campaign) void this._openCampaign(this.campaign, false);
    // Arrived through a share link: open the shared campaign (the finder stays one "back" away).
    else if (this._arrival.campaign && !this._opened) {
      this._opened = true;
      void this._openCampaign(this._arrival.campaign, false);
    } else void this._showEffort(false);
  }

  private async _showEffort(focus: boolean): Promise<void> {
    if (this._effortData) {
      this._view = 'finder';
      this._announce(this._effortData.title);
      const slug = this._campaignData?.slug;
      if (focus) await this._focus$(slug ? `[data-slug="${slug}"]` : '#finder-title');
      return;
    }
    this._retryAction = () => void this._showEffort(focus);
    this._view = 'loading';
    this._announce(this._l.t('status.loading'));
    const signal = this._newMainSignal();
    const api = this._client();
    const slug = this.effort;
    // One request for the first paint: the lookup near the visitor answers with the effort too.
    let first: LookupOut | undefined;
    try {
      first = await api.lookup(slug, {}, signal);
    } catch (e) {
      if (isAbortError(e) || signal.aborted) return;
      // The visitor's location may be unknown: then the effort alone, and the finder waits for a search.
    }
    try {
      const effort = first?.effort ?? (await api.effort(slug, signal));
      if (signal.aborted) return;
      this._effortData = effort;
      this._lookupData = first;
      this._view = 'finder';
      this._announceLookup();
      if (focus) await this._focus$('#title');
    } catch (e) {
      if (isAbortError(e) || signal.aborted) return;
      this._fail(e);
    }
  }

  private async _startLookup(call: () => Promise<LookupOut>, initial: boolean): Promise<void> {
    this._lookupCtl?.abort();
    const ctl = (this._lookupCtl = new AbortController());
    this._lookupStatus = 'loading';
    this._lookupError = undefined;
    if (!initial) this._announce(this._l.t('status.searching'));
    try {
      const data = await call();
      if (ctl.signal.aborted) return;
      this._lookupData = data;
      this._lookupStatus = 'idle';
      if (this._view === 'finder') this._announceLookup();
    } catch (e) {
      if (isAbortError(e) || ctl.signal.aborted) return;
      // The first lookup uses the request's location, which may be unknown: then just wait for a search.
      if (initial) {
        this._lookupStatus = 'idle';
        return;
      }
      const err = e instanceof ApiError ? e : new ApiError('internal_error', 0, String(e));
      this._lookupStatus = 'error';
      this._lookupError = errorKey(err.code);
      this._announce(this._l.t(this._lookupError));
      this._emitError(err.code, err.status);
    } finally {
      if (this._lookupCtl === ctl) this._lookupCtl = undefined;
    }
  }

  private _announceLookup(): void {
    const data = this._lookupData;
    if (!data) return;
    const place = data.place.label;
    this._announce(
      data.nearest && data.nearby.length
        ? this._l.plural('results.count', data.nearby.length, { place })
        : this._l.t('results.empty', { place }),
    );
  }

  private async _openCampaign(slug: string, userInitiated: boolean): Promise<void> {
    this._retryAction = () => void this._openCampaign(slug, userInitiated);
    this._view = 'loading';
    this._announce(this._l.t('status.loading'));
    const signal = this._newMainSignal();
    try {
      const data = await this._client().campaign(slug, signal);
      if (signal.aborted) return;
      this._campaignData = data;
      this._fieldErrors = {};
      this._formError = undefined;
      this._pending = undefined;
      this._signed = undefined;
      this._formShownAt = Date.now();
      this._view = 'campaign';
      this._announce(data.title);
      this._emit('sanctuary-campaign-opened', { campaign: data.slug });
      if (userInitiated) await this._focus$('#title');
    } catch (e) {
      if (isAbortError(e) || signal.aborted) return;
      this._fail(e);
    }
  }

  // ------------------------------------------------------------------------------ handlers

  private _onSearch = (e: SubmitEvent): void => {
    e.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#q');
    const q = input?.value.trim() ?? '';
    if (!q) {
      this._searchInvalid = true;
      this._announce(this._l.t('finder.required'));
      input?.focus();
      return;
    }
    this._searchFor(q);
  };

  /** Looks up a place typed in the box, or one picked from "Did you mean…". */
  private _searchFor(q: string): void {
    const input = this.renderRoot.querySelector<HTMLInputElement>('#q');
    if (input) input.value = q;
    this._searchInvalid = false;
    const api = this._client();
    const slug = this.effort;
    void this._startLookup(() => api.lookup(slug, { q }, this._lookupCtl?.signal), false);
  }

  /**
   * The hosted start-a-campaign page (start/ on the API origin) for a place or an official awaiting a
   * campaign: it opens in this tab and links back here, to the new campaign, once it exists. What it
   * needs goes in the #fragment, which browsers never send to a server: this page's address stays out
   * of the Worker's request logs.
   */
  private _startHref(where: { place: string } | { target: number }, label: string): string {
    const url = new URL('/start/', this.api.trim() || MODULE_ORIGIN || globalThis.location?.href);
    const partner = this._validPartner;
    const params: Record<string, string | number> = { effort: this.effort, ...where, label, lang: this._l.lang };
    if (partner) params.partner = partner;
    if (this.theme !== 'light') params.theme = this.theme;
    params.return = shareLink(globalThis.location?.href ?? '', {});
    url.hash = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
    return url.href;
  }

  private _onLocate = (): void => {
    const geo = globalThis.navigator?.geolocation;
    const failed = (key: TextKey) => {
      this._lookupStatus = 'error';
      this._lookupError = key;
      this._announce(this._l.t(key));
      this._emitError('geolocation');
    };
    if (!geo) return failed('geo.unavailable');
    this._searchInvalid = false;
    this._lookupCtl?.abort();
    this._lookupStatus = 'loading';
    this._lookupError = undefined;
    this._announce(this._l.t('status.locating'));
    const api = this._client();
    const slug = this.effort;
    geo.getCurrentPosition(
      (pos) => {
        if (!this.isConnected || this._lookupStatus !== 'loading') return;
        // About 100 m of precision is plenty to find a town, and keeps the exact spot private.
        const by: LookupBy = {
          lat: Math.round(pos.coords.latitude * 1000) / 1000,
          lon: Math.round(pos.coords.longitude * 1000) / 1000,
        };
        void this._startLookup(() => api.lookup(slug, by, this._lookupCtl?.signal), false);
      },
      (err) => failed(err.code === 1 ? 'geo.denied' : 'geo.unavailable'),
      { timeout: 10_000, maximumAge: 600_000, enableHighAccuracy: false },
    );
  };

  private _onBack = (): void => {
    this._mainCtl?.abort();
    void this._showEffort(true);
  };

  private _onSign = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const campaign = this._campaignData;
    if (this._signing || !campaign) return;
    const fd = new FormData(e.currentTarget as HTMLFormElement);
    const get = (k: string) => String(fd.get(k) ?? '').trim();
    const partner = this._validPartner;
    const input: SignatureInput = {
      firstName: get('firstName'),
      lastName: get('lastName'),
      email: get('email'),
      zip: get('zip'),
      consentEffort: fd.has('consentEffort'),
      consentPartner: partner ? fd.has('consentPartner') : false,
    };
    const phone = get('phone');
    if (phone) input.phone = phone;
    if (partner) input.partner = partner;
    if (this._arrival.ref) input.referral = this._arrival.ref;

    const errors = validate(input);
    if (Object.keys(errors).length) return this._showFieldErrors(errors);

    const body = JSON.stringify(input);
    if (this._pending?.body !== body) this._pending = { body, key: uuid() };
    const key = this._pending.key;
    // Abuse signals, not part of the signature's identity (the server leaves them out of the key's hash).
    const website = get('website');
    if (website) input.website = website;
    input.elapsedMs = Date.now() - this._formShownAt;
    this._signing = true;
    this._fieldErrors = {};
    this._formError = undefined;
    this._announce(this._l.t('form.submitting'));
    // Through the outbox: kept in the browser until delivered, so a failed connection loses nothing.
    const result = await sharedOutbox().submit(this.api.trim(), campaign.slug, input, key, this.fetchImpl);
    this._signing = false;
    if (result.status === 'delivered') {
      this._pending = undefined;
      return this._showThanks(campaign, result.out);
    }
    if (result.status === 'queued') {
      this._pending = undefined;
      this._queuedKey = key;
      this._view = 'queued';
      this._announce(`${this._l.t('queued.title')}. ${this._l.t('queued.body')}`);
      this._emit('sanctuary-queued', { campaign: campaign.slug, ...(partner ? { partner } : {}) });
      await this._focus$('#queued-title');
      return;
    }
    const apiErr = result.error;
    if (apiErr.code === 'validation_failed') {
      const mapped: FieldErrors = {};
      for (const issue of apiErr.issues) {
        const field = String(issue.path).split('.').pop() as Field;
        if (FIELDS.includes(field) && !mapped[field]) mapped[field] = { key: `field.${field}.invalid`, server: issue.message };
      }
      if (Object.keys(mapped).length) {
        this._emitError(apiErr.code, apiErr.status);
        return this._showFieldErrors(mapped);
      }
    }
    this._formError = errorKey(apiErr.code);
    this._announce(this._l.t(this._formError));
    this._emitError(apiErr.code, apiErr.status);
  };

  private async _showThanks(campaign: CampaignOut, out: SignatureOut): Promise<void> {
    const partner = this._validPartner;
    this._applySigned(campaign, out);
    this._share = this._newShare();
    this._view = 'thanks';
    this._announce(`${this._l.t('thanks.title')} ${this._progressText(out.signatureCount, out.goal)}`);
    this._emit('sanctuary-signed', {
      campaign: out.campaign,
      signatureCount: out.signatureCount,
      goal: out.goal,
      ...(partner ? { partner } : {}),
    });
    await this._focus$('#thanks-title');
  }

  /** The outbox delivered this widget's saved signature (back online): thank the signer now. */
  private _onDelivered = (e: Event): void => {
    const { entry, out } = (e as CustomEvent<OutboxDelivered>).detail;
    if (entry.key !== this._queuedKey || !this._campaignData || this._view !== 'queued') return;
    this._queuedKey = undefined;
    void this._showThanks(this._campaignData, out);
  };

  private async _showFieldErrors(errors: FieldErrors): Promise<void> {
    this._fieldErrors = errors;
    this._formError = undefined;
    const count = Object.keys(errors).length;
    this._announce(this._l.plural('form.errors', count));
    const first = FIELDS.find((f) => errors[f]);
    await this._focus$(`#f-${first}`);
  }

  private _applySigned(campaign: CampaignOut, out: SignatureOut): void {
    const added = Math.max(0, out.signatureCount - campaign.signatureCount);
    this._signed = out;
    this._campaignData = { ...campaign, signatureCount: out.signatureCount, goal: out.goal };
    if (this._effortData && added) {
      this._effortData = { ...this._effortData, signatureCount: this._effortData.signatureCount + added };
    }
    if (this._lookupData) {
      const bump = (c: CampaignSummaryOut) => (c.slug === out.campaign ? { ...c, signatureCount: out.signatureCount } : c);
      this._lookupData = {
        ...this._lookupData,
        nearest: this._lookupData.nearest && bump(this._lookupData.nearest),
        nearby: this._lookupData.nearby.map(bump),
      };
    }
  }

  /** The host page's URL with this campaign, the signer's own referral code and the partner. */
  private _shareUrl(): string {
    return shareLink(globalThis.location?.href ?? '', {
      campaign: this._campaignData?.slug,
      ref: this._signed?.referralCode,
      partner: this._validPartner,
    });
  }

  private _shared(method: SanctuarySharedDetail['method']): void {
    if (this._campaignData) this._emit('sanctuary-shared', { campaign: this._campaignData.slug, method });
  }

  /** The share panel of the campaign just signed. */
  private _newShare(): Share {
    return new Share({
      lang: this._l.lang,
      root: this.renderRoot,
      url: () => this._shareUrl(),
      update: () => this.requestUpdate(),
      announce: (m) => this._announce(m),
      shared: (method) => this._shared(method),
    });
  }

  // ------------------------------------------------------------------------------ rendering

  private _progressText(count: number, goal: number): string {
    return this._l.t('campaign.progress', { count: this._l.n(count), goal: this._l.n(goal) });
  }

  private _bar(count: number, goal: number, small = false): TemplateResult {
    const max = goal > 0 ? goal : 1;
    return html`<progress class=${small ? 'small' : ''} max=${max} value=${Math.min(Math.max(count, 0), max)} aria-hidden="true"></progress>`;
  }

  private _campaignProgress(count: number, goal: number): TemplateResult {
    return html`<div part="progress" class="progress"><p>${this._progressText(count, goal)}</p>${this._bar(count, goal)}</div>`;
  }

  override render(): TemplateResult {
    const l = this._l;
    const theme = this.theme === 'dark' || (this.theme === 'auto' && this._systemDark) ? 'dark' : 'light';
    return html`<div part="container" class="container ${theme}" lang=${l.locale}>
      <div role="status" class="sr-only">${this._announcement}</div>
      ${this._renderView(l)}
    </div>`;
  }

  private _renderView(l: Localizer): TemplateResult {
    switch (this._view) {
      case 'invalid':
        return html`<div part="error" class="error"><p>${l.t('error.config')}</p></div>`;
      case 'error':
        return html`<div part="error" class="error">
          <h2 part="title" id="title" tabindex="-1">${l.t('error.title')}</h2>
          <p>${l.t(errorKey(this._errorCode))}</p>
          <button part="button" type="button" @click=${() => this._retryAction()}>${l.t('retry')}</button>
          ${this._backButton(l)}
        </div>`;
      case 'finder':
        return this._renderFinder(l, this._effortData!);
      case 'campaign':
        return this._renderCampaign(l, this._campaignData!);
      case 'thanks':
        return this._renderThanks(l, this._campaignData!, this._signed!);
      case 'queued':
        return html`<section part="queued" class="queued" aria-labelledby="queued-title">
          <h2 part="title" id="queued-title" tabindex="-1">${l.t('queued.title')}</h2>
          <p class="place">${this._campaignData!.town}, ${this._campaignData!.state}</p>
          <p>${this._campaignData!.title}</p>
          <p class="notice">${l.t('queued.body')}</p>
          <p class="muted">${l.t('queued.privacy')}</p>
          ${this._backButton(l)}
        </section>`;
      default:
        return html`<div class="skeleton" aria-hidden="true">
          <div class="bone title"></div>
          <div class="bone"></div>
          <div class="bone short"></div>
          <div class="bone block"></div>
          <div class="bone tall"></div>
          <div class="bone tall"></div>
        </div>`;
    }
  }

  private _backButton(l: Localizer): TemplateResult | typeof nothing {
    return this.effort
      ? html`<button part="button back" type="button" class="link back" @click=${this._onBack}>
          <span aria-hidden="true">←</span> ${l.t('campaign.back')}
        </button>`
      : nothing;
  }

  private _renderFinder(l: Localizer, effort: EffortOut): TemplateResult {
    const searchError = this._searchInvalid;
    return html`<header part="header" class="header">
        <h2 part="title" id="title" tabindex="-1">${effort.title}</h2>
        <div class="body">${paragraphs(effort.body)}</div>
        <div part="progress" class="progress">
          <p>
            ${l.plural('effort.progress', effort.campaignCount, {
              count: l.n(effort.signatureCount),
              goal: l.n(effort.goal),
              campaigns: l.n(effort.campaignCount),
            })}
          </p>
          ${this._bar(effort.signatureCount, effort.goal)}
        </div>
      </header>
      <section part="finder" class="finder" aria-labelledby="finder-title">
        <h3 id="finder-title" tabindex="-1">${l.t('finder.title')}</h3>
        <form part="search" class="search" role="search" novalidate @submit=${this._onSearch}>
          <label for="q">${l.t('finder.label')}</label>
          <div class="search-row">
            <input
              part="input"
              id="q"
              name="q"
              type="text"
              required
              maxlength="100"
              autocomplete="postal-code"
              enterkeyhint="search"
              placeholder=${l.t('finder.placeholder')}
              aria-invalid=${searchError ? 'true' : 'false'}
              aria-describedby=${searchError ? 'q-error' : nothing}
              @input=${() => (this._searchInvalid = false)}
            />
            <button part="button" type="submit">${l.t('finder.submit')}</button>
          </div>
          ${searchError ? html`<p id="q-error" class="field-error">${l.t('finder.required')}</p>` : nothing}
          <button part="button" type="button" class="secondary locate" @click=${this._onLocate}>${l.t('finder.locate')}</button>
        </form>
        ${this._renderResults(l)}
      </section>`;
  }

  private _renderResults(l: Localizer): TemplateResult | typeof nothing {
    if (this._lookupStatus === 'loading') return html`<p class="muted searching">${l.t('status.searching')}</p>`;
    if (this._lookupStatus === 'error' && this._lookupError)
      return html`<p part="error" class="notice">${l.t(this._lookupError)}</p>`;
    const data = this._lookupData;
    if (!data) return nothing;
    const place = data.place.label;
    // `nearest` is null when nothing lies within the effort's distance limit; `nearby` may then
    // still hold farther campaigns, shown under a different heading.
    const empty = !data.nearest || !data.nearby.length;
    const p = data.place;
    // Where a new campaign would be: a ZIP or "City, ST" the server can look up again.
    const where = p.zip ?? (p.city && p.state ? `${p.city}, ${p.state}` : '');
    return html`${data.alternatives.length
        ? html`<div class="notice alternatives">
            <p>${l.t('results.didYouMean')}</p>
            ${data.alternatives.map(
              (a) => html`<button part="button" type="button" class="link" @click=${() => this._searchFor(a.label)}>${a.label}</button>`,
            )}
          </div>`
        : nothing}
      ${empty ? html`<p class="notice empty">${l.t('results.empty', { place })}</p>` : nothing}
      ${data.awaiting.length
        ? html`<h4>${l.t('awaiting.title')}</h4>
            <ul part="results" class="results">
              ${data.awaiting.map((t) => this._renderAwaiting(l, t))}
            </ul>`
        : nothing}
      ${where
        ? html`<a part="button start" class="button secondary start-here" href=${this._startHref({ place: where }, place)}>${l.t('start.here', { place })}</a>`
        : nothing}
      ${data.nearby.length
        ? html`<h4>${empty ? l.t('results.others') : l.t('results.title', { place })}</h4>
            <ul part="results" class="results">
              ${data.nearby.map((c, i) => this._renderResult(l, c, i, c.slug === data.nearest?.slug))}
            </ul>`
        : nothing}`;
  }

  private _renderAwaiting(l: Localizer, t: AwaitingTargetOut): TemplateResult {
    const label = `${t.jurisdiction}, ${t.state}`;
    return html`<li part="result" class="result awaiting">
      <p class="place">${label}</p>
      <p>${l.t('awaiting.none', { target: `${t.title} ${t.name}` })}</p>
      <p class="meta muted"><span class="distance">${l.distance(t.distanceKm)}</span></p>
      <a part="button start" class="button secondary" href=${this._startHref({ target: t.id }, label)}>${l.t('awaiting.start')}</a>
    </li>`;
  }

  private _renderResult(l: Localizer, c: CampaignSummaryOut, i: number, closest: boolean): TemplateResult {
    return html`<li part="result" class="result">
      <p class="place">${c.town}, ${c.state}${closest ? html`<span class="badge">${l.t('results.closest')}</span>` : nothing}</p>
      <h4 id="r-${i}">${c.title}</h4>
      <p class="muted target">${l.t('campaign.target', { target: `${c.target.title} ${c.target.name}`.trim() })}</p>
      <div part="progress" class="progress"><p>${this._progressText(c.signatureCount, c.goal)}</p>${this._bar(c.signatureCount, c.goal, true)}</div>
      <p class="meta muted">
        ${c.creatorName ? html`<span class="creator">${l.t('campaign.creator', { name: c.creatorName })}</span>` : nothing}
        ${typeof c.distanceKm === 'number' ? html`<span class="distance">${l.distance(c.distanceKm)}</span>` : nothing}
      </p>
      <button part="button open" type="button" data-slug=${c.slug} aria-describedby="r-${i}" @click=${() => this._openCampaign(c.slug, true)}>
        ${l.t('results.open')}
      </button>
    </li>`;
  }

  private _renderCampaign(l: Localizer, c: CampaignOut): TemplateResult {
    return html`<article part="campaign" class="campaign" aria-labelledby="title">
      ${this._backButton(l)}
      <header part="header" class="header">
        <p class="place">${c.town}, ${c.state}</p>
        <h2 part="title" id="title" tabindex="-1">${c.title}</h2>
        <p class="muted target">${l.t('campaign.target', { target: `${c.target.title} ${c.target.name}`.trim() })}</p>
      </header>
      ${this._campaignProgress(c.signatureCount, c.goal)}
      ${c.creatorName ? html`<p class="muted creator">${l.t('campaign.creator', { name: c.creatorName })}</p>` : nothing}
      <div class="body">${paragraphs(c.body)}</div>
      ${c.recentSigners.length
        ? html`<h3>${l.t('campaign.signers')}</h3>
            <ul class="signers">
              ${c.recentSigners.map((s) => html`<li>${s.name}</li>`)}
            </ul>`
        : nothing}
      ${this._renderForm(l)}
    </article>`;
  }

  private _field(
    l: Localizer,
    name: Field,
    type: 'text' | 'email' | 'tel',
    autocomplete: string,
    inputmode?: 'numeric' | 'tel' | 'email',
  ): TemplateResult {
    const err = this._fieldErrors[name];
    const required = name !== 'phone';
    const message = err ? (l.lang === 'en' && err.server ? err.server : l.t(err.key)) : '';
    return html`<div part="field" class="field">
      <label for="f-${name}">
        ${l.t(`form.${name}`)} ${required ? nothing : html`<span class="optional">${l.t('form.optional')}</span>`}
      </label>
      <input
        part="input"
        id="f-${name}"
        name=${name}
        type=${type}
        autocomplete=${autocomplete}
        inputmode=${inputmode ?? nothing}
        maxlength=${name === 'email' ? 254 : name === 'phone' || name === 'zip' ? 32 : 80}
        ?required=${required}
        aria-invalid=${err ? 'true' : 'false'}
        aria-describedby=${err ? `f-${name}-error` : nothing}
      />
      ${err ? html`<p class="field-error" id="f-${name}-error">${message}</p>` : nothing}
    </div>`;
  }

  private _renderForm(l: Localizer): TemplateResult {
    const partner = this._validPartner;
    const busy = this._signing;
    return html`<form part="form" class="form" novalidate aria-labelledby="form-title" @submit=${this._onSign}>
      <h3 id="form-title">${l.t('form.title')}</h3>
      <div class="fields two">
        ${this._field(l, 'firstName', 'text', 'given-name')} ${this._field(l, 'lastName', 'text', 'family-name')}
      </div>
      <div class="fields">
        ${this._field(l, 'email', 'email', 'email', 'email')} ${this._field(l, 'zip', 'text', 'postal-code', 'numeric')}
        ${this._field(l, 'phone', 'tel', 'tel', 'tel')}
      </div>
      <label class="check"><input type="checkbox" name="consentEffort" /><span>${l.t('form.consentEffort')}</span></label>
      ${partner
        ? html`<label class="check"
            ><input type="checkbox" name="consentPartner" /><span>${l.t('form.consentPartner', { partner })}</span></label
          >`
        : nothing}
      <p class="muted">${l.t('form.privacy')}</p>
      <div class="sr-only" aria-hidden="true">
        <label>${l.t('form.website')} <input name="website" type="text" tabindex="-1" autocomplete="off" /></label>
      </div>
      ${this._formError ? html`<p part="error" class="form-error">${l.t(this._formError)}</p>` : nothing}
      <button part="button submit" class="submit" type="submit" ?disabled=${busy} aria-busy=${busy ? 'true' : 'false'}>
        ${busy ? l.t('form.submitting') : l.t('form.submit')}
      </button>
    </form>`;
  }

  private _renderThanks(l: Localizer, c: CampaignOut, out: SignatureOut): TemplateResult {
    return html`<section part="thanks" class="thanks" aria-labelledby="thanks-title">
      <h2 part="title" id="thanks-title" tabindex="-1">${l.t('thanks.title')}</h2>
      <p class="place">${c.town}, ${c.state}</p>
      <p>${c.title}</p>
      ${this._campaignProgress(out.signatureCount, out.goal)} ${this._share?.panel(c)} ${this._backButton(l)}
    </section>`;
  }

}
