import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { ApiClient, ApiError, isAbortError, type LookupBy } from './api.ts';
import type { AwaitingTargetOut, CampaignOut, CampaignSummaryOut, EffortOut, LookupOut, NewCampaignOut, SignatureInput, SignatureOut } from './api.ts';
import type { Share, ShareMethod, StartFor, StartForm } from './more.ts';
import { Localizer, resolveLocale, type TextKey } from './i18n/index.ts';
import { sharedOutbox, type OutboxDelivered } from './outbox.ts';
import { readShareParams, shareLink } from './share.ts';
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
/** Detail of `sanctuary-campaign-started`: the supporter's new local campaign (its slug only). */
export interface SanctuaryCampaignStartedDetail {
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
  'sanctuary-campaign-started': SanctuaryCampaignStartedDetail;
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
    'sanctuary-campaign-started': CustomEvent<SanctuaryCampaignStartedDetail>;
    'sanctuary-queued': CustomEvent<SanctuaryQueuedDetail>;
    'sanctuary-shared': CustomEvent<SanctuarySharedDetail>;
  }
}

// ---------------------------------------------------------------------------------------------
// Allow-lists and small pure helpers (immutable module state only).

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const PARTNER = /^[A-Za-z0-9_-]{1,64}$/;
const NAME_REJECT = /^[=+\-@]|https?:\/\/|www\.|[<>]|[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ZIP = /^\d{5}(?:-?\d{4})?$/;
const PHONE = /^\+?[0-9 ().-]{7,}$/;
const FIELDS = ['firstName', 'lastName', 'email', 'zip', 'phone'] as const;
type Field = (typeof FIELDS)[number];
type FieldError = { key: TextKey; server?: string };
type FieldErrors = Partial<Record<Field, FieldError>>;
type View = 'loading' | 'invalid' | 'error' | 'finder' | 'campaign' | 'thanks' | 'queued' | 'start';
const THEMES: readonly string[] = ['light', 'dark', 'auto'];
const KNOWN_ERRORS = ['network', 'not_found', 'place_not_found', 'rate_limited', 'validation_failed', 'forbidden_origin'];

/** The on-demand file (thanks and share panel, start-a-campaign form): fetched once, on first need. */
let moreModule: Promise<typeof import('./more.ts')> | undefined;
const loadMore = () =>
  (moreModule ??= import('./more.ts').catch((e: unknown) => {
    moreModule = undefined; // offline now: try again next time
    throw e;
  }));

const prefetchMore = () => void loadMore().catch(() => undefined);

/** The origin that served this module (`document.currentScript` is null in module scripts). */
const MODULE_ORIGIN = (() => {
  try {
    const origin = new URL(import.meta.url).origin;
    return origin === 'null' ? '' : origin;
  } catch {
    return '';
  }
})();

const errorKey = (code: string): TextKey =>
  (KNOWN_ERRORS.includes(code) ? `error.${code}` : 'error.generic') as TextKey;

const paragraphs = (text: string) =>
  text
    .split(/\r?\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => html`<p>${p}</p>`);

/** An Idempotency-Key: a UUID, or 32 random hex digits where randomUUID is missing (insecure pages). */
const uuid = (): string =>
  crypto.randomUUID?.() ?? Array.from(crypto.getRandomValues(new Uint8Array(16)), (x) => x.toString(16).padStart(2, '0')).join('');

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
 * @fires sanctuary-campaign-started - The visitor started a new local campaign. Detail: `{ campaign }` (its slug).
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
 * @csspart start - The button that opens the start-a-campaign form (also `button`).
 * @csspart campaign - One local campaign, with its sign form.
 * @csspart form - The sign form.
 * @csspart field - One label + input + error group.
 * @csspart input - Every text input.
 * @csspart button - Every button.
 * @csspart open - The button that opens a result (also `button`).
 * @csspart back - The "Back to all campaigns" button (also `button`).
 * @csspart submit - The sign button (also `button`).
 * @csspart created - The note shown on a campaign the visitor just started, with its share link.
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
   */
  static override properties = {
    effort: {},
    campaign: {},
    partner: {},
    lang: {},
    api: {},
    theme: {},
    loading: {},
    view: { state: true, attribute: false },
    errorCode: { state: true, attribute: false },
    effortData: { state: true, attribute: false },
    lookupData: { state: true, attribute: false },
    lookupStatus: { state: true, attribute: false },
    lookupError: { state: true, attribute: false },
    searchInvalid: { state: true, attribute: false },
    campaignData: { state: true, attribute: false },
    signing: { state: true, attribute: false },
    fieldErrors: { state: true, attribute: false },
    formError: { state: true, attribute: false },
    signed: { state: true, attribute: false },
    share: { state: true, attribute: false },
    announcement: { state: true, attribute: false },
    startForm: { state: true, attribute: false },
    createdStatus: { state: true, attribute: false },
    near: { state: true, attribute: false },
    systemDark: { state: true, attribute: false },
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

  private view: View = 'loading';
  private errorCode = '';
  private effortData?: EffortOut;
  private lookupData?: LookupOut;
  private lookupStatus: 'idle' | 'loading' | 'error' = 'idle';
  private lookupError?: TextKey;
  private searchInvalid = false;
  private campaignData?: CampaignOut;
  private signing = false;
  private fieldErrors: FieldErrors = {};
  private formError?: TextKey;
  private signed?: SignatureOut;
  /** The share link and buttons of the campaign just signed or started (from the on-demand file). */
  private share?: Share;
  private announcement = '';
  /** The start-a-campaign form while view === 'start' (its module is loaded on demand). */
  private startForm?: StartForm;
  /** Status of the campaign this visitor just started (its view shows the share link and a note). */
  private createdStatus?: string;
  /** Near the viewport (or eager): loading may start. */
  private near = false;
  /** The visitor's system prefers dark (followed when theme="auto"). */
  private systemDark = false;
  private darkQuery?: MediaQueryList;

  private localizer?: Localizer;
  private mainCtl?: AbortController;
  private lookupCtl?: AbortController;
  private retryAction: () => void = () => this.load();
  /** The signature attempt in flight or last failed: same body → same Idempotency-Key. */
  private pending?: { body: string; key: string };
  /** The Idempotency-Key of this widget's signature waiting in the outbox. */
  private queuedKey?: string;
  private viewport?: IntersectionObserver;
  /** The share link's campaign was opened once already (Back then shows the finder). */
  private opened = false;
  /** When the current sign form was shown (its `elapsedMs` tells a person from a bot that posts at once). */
  private formShownAt = 0;
  /** Share parameters of the page this widget was opened on (`sp_campaign`, `sp_ref`, `sp_partner`). */
  private readonly arrival = readShareParams(globalThis.location?.href);

  // ------------------------------------------------------------------------------ lifecycle

  override connectedCallback(): void {
    super.connectedCallback();
    const outbox = sharedOutbox();
    outbox.addEventListener('delivered', this.onDelivered);
    outbox.start();
    this.watchViewport();
    this.darkQuery ??= globalThis.matchMedia?.('(prefers-color-scheme: dark)');
    this.darkQuery?.addEventListener('change', this.onScheme);
    this.onScheme();
    // Re-attached after a removal that aborted a load: start it again.
    if (this.hasUpdated && this.near && this.view === 'loading') this.retryAction();
    if (this.hasUpdated && this.lookupStatus === 'loading' && !this.lookupCtl) this.lookupStatus = 'idle';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    sharedOutbox().removeEventListener('delivered', this.onDelivered);
    this.darkQuery?.removeEventListener('change', this.onScheme);
    this.viewport?.disconnect();
    this.viewport = undefined;
    // Reads are cancelled; a signature in flight is left to finish (its key makes a resend safe).
    this.mainCtl?.abort();
    this.mainCtl = undefined;
    this.lookupCtl?.abort();
    this.lookupCtl = undefined;
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
    if (changed.has('effort') || changed.has('campaign') || changed.has('api') || changed.has('near')) this.load();
  }

  private onScheme = (): void => {
    this.systemDark = !!this.darkQuery?.matches;
  };

  /** Lazy by default: start loading when the widget comes within a screen of the viewport. */
  private watchViewport(): void {
    if (this.near || this.viewport) return;
    if (this.loading === 'eager' || typeof IntersectionObserver === 'undefined') {
      this.near = true;
      return;
    }
    this.viewport = new IntersectionObserver(
      (entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        this.viewport?.disconnect();
        this.viewport = undefined;
        this.near = true;
      },
      { rootMargin: '100% 0px' },
    );
    this.viewport.observe(this);
  }

  // ------------------------------------------------------------------------------ helpers

  private get l(): Localizer {
    const locale = resolveLocale(this, this.lang);
    if (this.localizer?.locale !== locale) this.localizer = new Localizer(locale);
    return this.localizer;
  }

  /** The partner attribute, else the `sp_partner` of the share link the visitor arrived through. */
  private get validPartner(): string | undefined {
    return this.partner && PARTNER.test(this.partner) ? this.partner : this.arrival.partner;
  }

  private client(): ApiClient {
    return new ApiClient(this.api.trim(), this.fetchImpl);
  }

  private emit<K extends keyof SanctuaryEventDetails>(type: K, detail: SanctuaryEventDetails[K]): boolean {
    return this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true, detail }));
  }

  /** `sanctuary-error` with the code, and the HTTP status when there was a response. */
  private emitError(code: string, status?: number): void {
    this.emit('sanctuary-error', status ? { code, status } : { code });
  }

  private announce(message: string): void {
    // A repeated message must still change the live region to be read again.
    this.announcement = this.announcement === message ? `${message}\u00a0` : message;
  }

  private async focus$(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  private newMainSignal(): AbortSignal {
    this.mainCtl?.abort();
    this.mainCtl = new AbortController();
    return this.mainCtl.signal;
  }

  private fail(e: unknown): void {
    const err = e instanceof ApiError ? e : new ApiError('internal_error', 0, String(e));
    this.errorCode = err.code;
    this.view = 'error';
    this.announce(this.l.t(errorKey(err.code)));
    this.emitError(err.code, err.status);
  }

  private configProblem(): string | undefined {
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

  private load(): void {
    this.lookupCtl?.abort();
    const problem = this.configProblem();
    if (problem) {
      this.mainCtl?.abort();
      this.view = 'invalid';
      console.error(`[sanctuary-petition] ${problem}`);
      this.announce(this.l.t('error.config'));
      this.emitError('invalid_attribute');
      return;
    }
    this.effortData = undefined;
    this.lookupData = undefined;
    this.campaignData = undefined;
    if (this.campaign) void this.openCampaign(this.campaign, false);
    // Arrived through a share link: open the shared campaign (the finder stays one "back" away).
    else if (this.arrival.campaign && !this.opened) {
      this.opened = true;
      void this.openCampaign(this.arrival.campaign, false);
    } else void this.showEffort(false);
  }

  private async showEffort(focus: boolean): Promise<void> {
    if (this.effortData) {
      this.view = 'finder';
      this.announce(this.effortData.title);
      const slug = this.campaignData?.slug;
      if (focus) await this.focus$(slug ? `[data-slug="${slug}"]` : '#finder-title');
      return;
    }
    this.retryAction = () => void this.showEffort(focus);
    this.view = 'loading';
    this.announce(this.l.t('status.loading'));
    const signal = this.newMainSignal();
    const api = this.client();
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
      this.effortData = effort;
      this.lookupData = first;
      this.view = 'finder';
      this.announceLookup();
      if (focus) await this.focus$('#title');
    } catch (e) {
      if (isAbortError(e) || signal.aborted) return;
      this.fail(e);
    }
  }

  private async startLookup(call: () => Promise<LookupOut>, initial: boolean): Promise<void> {
    this.lookupCtl?.abort();
    const ctl = (this.lookupCtl = new AbortController());
    this.lookupStatus = 'loading';
    this.lookupError = undefined;
    if (!initial) this.announce(this.l.t('status.searching'));
    try {
      const data = await call();
      if (ctl.signal.aborted) return;
      this.lookupData = data;
      this.lookupStatus = 'idle';
      if (this.view === 'finder') this.announceLookup();
    } catch (e) {
      if (isAbortError(e) || ctl.signal.aborted) return;
      // The first lookup uses the request's location, which may be unknown: then just wait for a search.
      if (initial) {
        this.lookupStatus = 'idle';
        return;
      }
      const err = e instanceof ApiError ? e : new ApiError('internal_error', 0, String(e));
      this.lookupStatus = 'error';
      this.lookupError = errorKey(err.code);
      this.announce(this.l.t(this.lookupError));
      this.emitError(err.code, err.status);
    } finally {
      if (this.lookupCtl === ctl) this.lookupCtl = undefined;
    }
  }

  private announceLookup(): void {
    const data = this.lookupData;
    if (!data) return;
    const place = data.place.label;
    this.announce(
      data.nearest && data.nearby.length
        ? this.l.plural('results.count', data.nearby.length, { place })
        : this.l.t('results.empty', { place }),
    );
  }

  private async openCampaign(slug: string, userInitiated: boolean): Promise<void> {
    this.retryAction = () => void this.openCampaign(slug, userInitiated);
    this.view = 'loading';
    this.announce(this.l.t('status.loading'));
    const signal = this.newMainSignal();
    try {
      const data = await this.client().campaign(slug, signal);
      if (signal.aborted) return;
      this.campaignData = data;
      this.fieldErrors = {};
      this.formError = undefined;
      this.pending = undefined;
      this.signed = undefined;
      this.createdStatus = undefined;
      this.formShownAt = Date.now();
      this.view = 'campaign';
      this.announce(data.title);
      this.emit('sanctuary-campaign-opened', { campaign: data.slug });
      if (userInitiated) await this.focus$('#title');
    } catch (e) {
      if (isAbortError(e) || signal.aborted) return;
      this.fail(e);
    }
  }

  // ------------------------------------------------------------------------------ handlers

  private onSearch = (e: SubmitEvent): void => {
    e.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#q');
    const q = input?.value.trim() ?? '';
    if (!q) {
      this.searchInvalid = true;
      this.announce(this.l.t('finder.required'));
      input?.focus();
      return;
    }
    this.searchFor(q);
  };

  /** Looks up a place typed in the box, or one picked from "Did you mean…". */
  private searchFor(q: string): void {
    const input = this.renderRoot.querySelector<HTMLInputElement>('#q');
    if (input) input.value = q;
    this.searchInvalid = false;
    const api = this.client();
    const slug = this.effort;
    void this.startLookup(() => api.lookup(slug, { q }, this.lookupCtl?.signal), false);
  }

  /** Opens the start-a-campaign form; its module is fetched now, the first time someone needs it. */
  private async startCampaign(where: StartFor): Promise<void> {
    this.retryAction = () => void this.startCampaign(where);
    let mod: typeof import('./more.ts');
    try {
      mod = await loadMore();
    } catch (e) {
      return this.fail(new ApiError('network', 0, String(e)));
    }
    const el = this;
    this.startForm = new mod.StartForm(
      {
        html,
        nothing,
        get lang() {
          return el.l.lang;
        },
        effort: this.effort,
        partner: this.validPartner,
        client: () => this.client(),
        uuid,
        update: () => this.requestUpdate(),
        announce: (m) => this.announce(m),
        focus: (selector) => void this.focus$(selector),
        errorText: (code) => this.l.t(errorKey(code)),
        failed: (code, status) => this.emitError(code, status),
        cancel: () => {
          this.startForm = undefined;
          void this.showEffort(true);
        },
        created: (out) => void this.onCreated(out),
      },
      where,
    );
    this.view = 'start';
    await this.focus$('#title');
  }

  /** The visitor's new campaign: shown at once with its share link, ready for them to sign first. */
  private async onCreated(out: NewCampaignOut): Promise<void> {
    const share = await this.newShare();
    this.startForm = undefined;
    this.share = share;
    this.campaignData = out;
    this.createdStatus = out.status;
    this.signed = undefined;
    this.pending = undefined;
    this.fieldErrors = {};
    this.formError = undefined;
    this.formShownAt = Date.now();
    this.view = 'campaign';
    this.announce(this.share?.t('created.title') ?? out.title);
    this.emit('sanctuary-campaign-started', { campaign: out.slug });
    this.emit('sanctuary-campaign-opened', { campaign: out.slug });
    await this.focus$('#created-title');
  }

  private onLocate = (): void => {
    const geo = globalThis.navigator?.geolocation;
    const failed = (key: TextKey) => {
      this.lookupStatus = 'error';
      this.lookupError = key;
      this.announce(this.l.t(key));
      this.emitError('geolocation');
    };
    if (!geo) return failed('geo.unavailable');
    this.searchInvalid = false;
    this.lookupCtl?.abort();
    this.lookupStatus = 'loading';
    this.lookupError = undefined;
    this.announce(this.l.t('status.locating'));
    const api = this.client();
    const slug = this.effort;
    geo.getCurrentPosition(
      (pos) => {
        if (!this.isConnected || this.lookupStatus !== 'loading') return;
        // About 100 m of precision is plenty to find a town, and keeps the exact spot private.
        const by: LookupBy = {
          lat: Math.round(pos.coords.latitude * 1000) / 1000,
          lon: Math.round(pos.coords.longitude * 1000) / 1000,
        };
        void this.startLookup(() => api.lookup(slug, by, this.lookupCtl?.signal), false);
      },
      (err) => failed(err.code === 1 ? 'geo.denied' : 'geo.unavailable'),
      { timeout: 10_000, maximumAge: 600_000, enableHighAccuracy: false },
    );
  };

  private onBack = (): void => {
    this.mainCtl?.abort();
    void this.showEffort(true);
  };

  private onSign = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const campaign = this.campaignData;
    if (this.signing || !campaign) return;
    const fd = new FormData(e.currentTarget as HTMLFormElement);
    const get = (k: string) => String(fd.get(k) ?? '').trim();
    const partner = this.validPartner;
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
    if (this.arrival.ref) input.referral = this.arrival.ref;

    const errors = validate(input);
    if (Object.keys(errors).length) return this.showFieldErrors(errors);

    const body = JSON.stringify(input);
    if (this.pending?.body !== body) this.pending = { body, key: uuid() };
    const key = this.pending.key;
    // Abuse signals, not part of the signature's identity (the server leaves them out of the key's hash).
    const website = get('website');
    if (website) input.website = website;
    input.elapsedMs = Date.now() - this.formShownAt;
    this.signing = true;
    this.fieldErrors = {};
    this.formError = undefined;
    this.announce(this.l.t('form.submitting'));
    // Through the outbox: kept in the browser until delivered, so a failed connection loses nothing.
    const result = await sharedOutbox().submit(this.api.trim(), campaign.slug, input, key, this.fetchImpl);
    this.signing = false;
    if (result.status === 'delivered') {
      this.pending = undefined;
      return this.showThanks(campaign, result.out);
    }
    if (result.status === 'queued') {
      this.pending = undefined;
      this.queuedKey = key;
      this.view = 'queued';
      this.announce(`${this.l.t('queued.title')}. ${this.l.t('queued.body')}`);
      this.emit('sanctuary-queued', { campaign: campaign.slug, ...(partner ? { partner } : {}) });
      await this.focus$('#queued-title');
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
        this.emitError(apiErr.code, apiErr.status);
        return this.showFieldErrors(mapped);
      }
    }
    this.formError = errorKey(apiErr.code);
    this.announce(this.l.t(this.formError));
    this.emitError(apiErr.code, apiErr.status);
  };

  private async showThanks(campaign: CampaignOut, out: SignatureOut): Promise<void> {
    const partner = this.validPartner;
    this.applySigned(campaign, out);
    this.share = await this.newShare();
    this.view = 'thanks';
    this.announce(`${this.l.t('thanks.title')} ${this.progressText(out.signatureCount, out.goal)}`);
    this.emit('sanctuary-signed', {
      campaign: out.campaign,
      signatureCount: out.signatureCount,
      goal: out.goal,
      ...(partner ? { partner } : {}),
    });
    await this.focus$('#thanks-title');
  }

  /** The outbox delivered this widget's saved signature (back online): thank the signer now. */
  private onDelivered = (e: Event): void => {
    const { entry, out } = (e as CustomEvent<OutboxDelivered>).detail;
    if (entry.key !== this.queuedKey || !this.campaignData || this.view !== 'queued') return;
    this.queuedKey = undefined;
    void this.showThanks(this.campaignData, out);
  };

  private async showFieldErrors(errors: FieldErrors): Promise<void> {
    this.fieldErrors = errors;
    this.formError = undefined;
    const count = Object.keys(errors).length;
    this.announce(this.l.plural('form.errors', count));
    const first = FIELDS.find((f) => errors[f]);
    await this.focus$(`#f-${first}`);
  }

  private applySigned(campaign: CampaignOut, out: SignatureOut): void {
    const added = Math.max(0, out.signatureCount - campaign.signatureCount);
    this.signed = out;
    this.campaignData = { ...campaign, signatureCount: out.signatureCount, goal: out.goal };
    if (this.effortData && added) {
      this.effortData = { ...this.effortData, signatureCount: this.effortData.signatureCount + added };
    }
    if (this.lookupData) {
      const bump = (c: CampaignSummaryOut) => (c.slug === out.campaign ? { ...c, signatureCount: out.signatureCount } : c);
      this.lookupData = {
        ...this.lookupData,
        nearest: this.lookupData.nearest && bump(this.lookupData.nearest),
        nearby: this.lookupData.nearby.map(bump),
      };
    }
  }

  /** The host page's URL with this campaign, the signer's own referral code and the partner. */
  private shareUrl(): string {
    return shareLink(globalThis.location?.href ?? '', {
      campaign: this.campaignData?.slug,
      ref: this.signed?.referralCode,
      partner: this.validPartner,
    });
  }

  private shared(method: SanctuarySharedDetail['method']): void {
    if (this.campaignData) this.emit('sanctuary-shared', { campaign: this.campaignData.slug, method });
  }

  /** The share panel of the campaign shown (undefined if its file cannot be fetched: then no share buttons). */
  private async newShare(): Promise<Share | undefined> {
    try {
      const { Share } = await loadMore();
      return new Share({
        html,
        nothing,
        lang: this.l.lang,
        root: this.renderRoot,
        url: () => this.shareUrl(),
        update: () => this.requestUpdate(),
        announce: (m) => this.announce(m),
        shared: (method) => this.shared(method),
      });
    } catch {
      return undefined;
    }
  }

  // ------------------------------------------------------------------------------ rendering

  private progressText(count: number, goal: number): string {
    return this.l.t('campaign.progress', { count: this.l.n(count), goal: this.l.n(goal) });
  }

  private bar(count: number, goal: number, small = false): TemplateResult {
    const max = goal > 0 ? goal : 1;
    return html`<progress class=${small ? 'small' : ''} max=${max} value=${Math.min(Math.max(count, 0), max)} aria-hidden="true"></progress>`;
  }

  private campaignProgress(count: number, goal: number): TemplateResult {
    return html`<div part="progress" class="progress"><p>${this.progressText(count, goal)}</p>${this.bar(count, goal)}</div>`;
  }

  override render(): TemplateResult {
    const l = this.l;
    const theme = this.theme === 'dark' || (this.theme === 'auto' && this.systemDark) ? 'dark' : 'light';
    return html`<div part="container" class="container ${theme}" lang=${l.locale}>
      <div role="status" class="sr-only">${this.announcement}</div>
      ${this.renderView(l)}
    </div>`;
  }

  private renderView(l: Localizer): TemplateResult {
    switch (this.view) {
      case 'invalid':
        return html`<div part="error" class="error"><p>${l.t('error.config')}</p></div>`;
      case 'error':
        return html`<div part="error" class="error">
          <h2 part="title" id="title" tabindex="-1">${l.t('error.title')}</h2>
          <p>${l.t(errorKey(this.errorCode))}</p>
          <button part="button" type="button" @click=${() => this.retryAction()}>${l.t('retry')}</button>
          ${this.backButton(l)}
        </div>`;
      case 'finder':
        return this.renderFinder(l, this.effortData!);
      case 'campaign':
        return this.renderCampaign(l, this.campaignData!);
      case 'thanks':
        return this.renderThanks(l, this.campaignData!, this.signed!);
      case 'start':
        return this.startForm!.render();
      case 'queued':
        return html`<section part="queued" class="queued" aria-labelledby="queued-title">
          <h2 part="title" id="queued-title" tabindex="-1">${l.t('queued.title')}</h2>
          <p class="place">${this.campaignData!.town}, ${this.campaignData!.state}</p>
          <p>${this.campaignData!.title}</p>
          <p class="notice">${l.t('queued.body')}</p>
          <p class="muted">${l.t('queued.privacy')}</p>
          ${this.backButton(l)}
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

  private backButton(l: Localizer): TemplateResult | typeof nothing {
    return this.effort
      ? html`<button part="button back" type="button" class="link back" @click=${this.onBack}>
          <span aria-hidden="true">←</span> ${l.t('campaign.back')}
        </button>`
      : nothing;
  }

  private renderFinder(l: Localizer, effort: EffortOut): TemplateResult {
    const searchError = this.searchInvalid;
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
          ${this.bar(effort.signatureCount, effort.goal)}
        </div>
      </header>
      <section part="finder" class="finder" aria-labelledby="finder-title">
        <h3 id="finder-title" tabindex="-1">${l.t('finder.title')}</h3>
        <form part="search" class="search" role="search" novalidate @submit=${this.onSearch}>
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
              @input=${() => (this.searchInvalid = false)}
            />
            <button part="button" type="submit">${l.t('finder.submit')}</button>
          </div>
          ${searchError ? html`<p id="q-error" class="field-error">${l.t('finder.required')}</p>` : nothing}
          <button part="button" type="button" class="secondary locate" @click=${this.onLocate}>${l.t('finder.locate')}</button>
        </form>
        ${this.renderResults(l)}
      </section>`;
  }

  private renderResults(l: Localizer): TemplateResult | typeof nothing {
    if (this.lookupStatus === 'loading') return html`<p class="muted searching">${l.t('status.searching')}</p>`;
    if (this.lookupStatus === 'error' && this.lookupError)
      return html`<p part="error" class="notice">${l.t(this.lookupError)}</p>`;
    const data = this.lookupData;
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
              (a) => html`<button part="button" type="button" class="link" @click=${() => this.searchFor(a.label)}>${a.label}</button>`,
            )}
          </div>`
        : nothing}
      ${empty ? html`<p class="notice empty">${l.t('results.empty', { place })}</p>` : nothing}
      ${data.awaiting.length
        ? html`<h4>${l.t('awaiting.title')}</h4>
            <ul part="results" class="results">
              ${data.awaiting.map((t) => this.renderAwaiting(l, t))}
            </ul>`
        : nothing}
      ${where
        ? html`<button part="button start" type="button" class="secondary start-here" @click=${() => this.startCampaign({ place: where, label: place })}>
            ${l.t('start.here', { place })}
          </button>`
        : nothing}
      ${data.nearby.length
        ? html`<h4>${empty ? l.t('results.others') : l.t('results.title', { place })}</h4>
            <ul part="results" class="results">
              ${data.nearby.map((c, i) => this.renderResult(l, c, i, c.slug === data.nearest?.slug))}
            </ul>`
        : nothing}`;
  }

  private renderAwaiting(l: Localizer, t: AwaitingTargetOut): TemplateResult {
    const label = `${t.jurisdiction}, ${t.state}`;
    return html`<li part="result" class="result awaiting">
      <p class="place">${label}</p>
      <p>${l.t('awaiting.none', { target: `${t.title} ${t.name}` })}</p>
      <p class="meta muted"><span class="distance">${l.distance(t.distanceKm)}</span></p>
      <button part="button start" type="button" class="secondary" @click=${() => this.startCampaign({ targetId: t.id, label })}>
        ${l.t('awaiting.start')}
      </button>
    </li>`;
  }

  private renderResult(l: Localizer, c: CampaignSummaryOut, i: number, closest: boolean): TemplateResult {
    return html`<li part="result" class="result">
      <p class="place">${c.town}, ${c.state}${closest ? html`<span class="badge">${l.t('results.closest')}</span>` : nothing}</p>
      <h4 id="r-${i}">${c.title}</h4>
      <p class="muted target">${l.t('campaign.target', { target: `${c.target.title} ${c.target.name}`.trim() })}</p>
      <div part="progress" class="progress"><p>${this.progressText(c.signatureCount, c.goal)}</p>${this.bar(c.signatureCount, c.goal, true)}</div>
      <p class="meta muted">
        ${c.creatorName ? html`<span class="creator">${l.t('campaign.creator', { name: c.creatorName })}</span>` : nothing}
        ${typeof c.distanceKm === 'number' ? html`<span class="distance">${l.distance(c.distanceKm)}</span>` : nothing}
      </p>
      <button part="button open" type="button" data-slug=${c.slug} aria-describedby="r-${i}" @click=${() => this.openCampaign(c.slug, true)}>
        ${l.t('results.open')}
      </button>
    </li>`;
  }

  private renderCampaign(l: Localizer, c: CampaignOut): TemplateResult {
    return html`<article part="campaign" class="campaign" aria-labelledby="title">
      ${this.backButton(l)}
      <header part="header" class="header">
        <p class="place">${c.town}, ${c.state}</p>
        <h2 part="title" id="title" tabindex="-1">${c.title}</h2>
        <p class="muted target">${l.t('campaign.target', { target: `${c.target.title} ${c.target.name}`.trim() })}</p>
      </header>
      ${this.campaignProgress(c.signatureCount, c.goal)}
      ${c.creatorName ? html`<p class="muted creator">${l.t('campaign.creator', { name: c.creatorName })}</p>` : nothing}
      ${this.createdStatus ? (this.share?.created(this.createdStatus) ?? nothing) : nothing}
      <div class="body">${paragraphs(c.body)}</div>
      ${c.recentSigners.length
        ? html`<h3>${l.t('campaign.signers')}</h3>
            <ul class="signers">
              ${c.recentSigners.map((s) => html`<li>${s.name}</li>`)}
            </ul>`
        : nothing}
      ${this.createdStatus === 'pending' ? nothing : this.renderForm(l)}
    </article>`;
  }

  private field(
    l: Localizer,
    name: Field,
    type: 'text' | 'email' | 'tel',
    autocomplete: string,
    inputmode?: 'numeric' | 'tel' | 'email',
  ): TemplateResult {
    const err = this.fieldErrors[name];
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

  private renderForm(l: Localizer): TemplateResult {
    const partner = this.validPartner;
    const busy = this.signing;
    // The visitor starts filling the form: fetch the thanks panel's file now, while they type (a reader
    // who never signs never downloads it).
    return html`<form part="form" class="form" novalidate aria-labelledby="form-title" @submit=${this.onSign} @focusin=${prefetchMore}>
      <h3 id="form-title">${l.t('form.title')}</h3>
      <div class="fields two">
        ${this.field(l, 'firstName', 'text', 'given-name')} ${this.field(l, 'lastName', 'text', 'family-name')}
      </div>
      <div class="fields">
        ${this.field(l, 'email', 'email', 'email', 'email')} ${this.field(l, 'zip', 'text', 'postal-code', 'numeric')}
        ${this.field(l, 'phone', 'tel', 'tel', 'tel')}
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
      ${this.formError ? html`<p part="error" class="form-error">${l.t(this.formError)}</p>` : nothing}
      <button part="button submit" class="submit" type="submit" ?disabled=${busy} aria-busy=${busy ? 'true' : 'false'}>
        ${busy ? l.t('form.submitting') : l.t('form.submit')}
      </button>
    </form>`;
  }

  private renderThanks(l: Localizer, c: CampaignOut, out: SignatureOut): TemplateResult {
    return html`<section part="thanks" class="thanks" aria-labelledby="thanks-title">
      <h2 part="title" id="thanks-title" tabindex="-1">${l.t('thanks.title')}</h2>
      <p class="place">${c.town}, ${c.state}</p>
      <p>${c.title}</p>
      ${this.campaignProgress(out.signatureCount, out.goal)} ${this.share?.panel(c, out) ?? nothing} ${this.backButton(l)}
    </section>`;
  }

}
