import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { uuid, type NewCampaignOut } from '../../widget/src/api.ts';
import { Localizer, errorKey, resolveLocale } from '../../widget/src/i18n/index.ts';
import widgetStyles from '../../widget/src/sanctuary-petition.styles.ts';
import { Share } from '../../widget/src/share-panel.ts';
import { PARTNER, SLUG, shareLink } from '../../widget/src/share.ts';
import { StartApi } from './start-api.ts';
import { StartForm, type StartFor } from './start-form.ts';

const TEXT = {
  en: {
    title: 'Your campaign is started!',
    unlisted:
      'It is live at its own link now: share it, and be the first to sign. It shows up in the search once an organizer has reviewed it.',
    pending: 'An organizer reviews it before it opens for signatures. Keep this link to share it then.',
    page: 'Start a local campaign',
    sign: 'Sign it first on {host}',
    back: 'Back to {host}',
    invalid: 'This link to start a campaign is incomplete. Go back to the petition and follow its “Start” button again.',
  },
  es: {
    title: '¡Tu campaña está en marcha!',
    unlisted:
      'Ya está activa en su propio enlace: compártela y sé la primera persona en firmar. Aparecerá en la búsqueda cuando la revise un equipo organizador.',
    pending: 'Un equipo organizador la revisará antes de que reciba firmas. Guarda este enlace para compartirla entonces.',
    page: 'Inicia una campaña local',
    sign: 'Fírmala primero en {host}',
    back: 'Volver a {host}',
    invalid: 'Este enlace para iniciar una campaña está incompleto. Vuelve a la petición y sigue otra vez su botón “Iniciar”.',
  },
};

/** What the widget's "Start" links carry (see `startHref` in the widget), each checked here. */
export interface StartParams {
  effort: string;
  where: StartFor;
  partner?: string;
  /** The partner page the visitor came from (its share parameters removed): where "Sign it first" leads. */
  back: string;
  /** The widget's theme: `dark`, `auto` (the visitor's system setting) or light. */
  theme: 'light' | 'dark' | 'auto';
}

/**
 * Reads the page's #fragment (the widget puts its parameters there, so they never reach a server);
 * undefined when a required parameter is missing or malformed.
 */
export function readStartParams(href: string): StartParams | undefined {
  const url = new URL(href);
  const q = new URLSearchParams(url.hash.slice(1));
  const effort = q.get('effort') ?? '';
  const target = Number(q.get('target'));
  const place = (q.get('place') ?? '').trim().slice(0, 100);
  const label = (q.get('label') ?? '').trim().slice(0, 120) || place;
  const partner = q.get('partner') ?? '';
  const asked = q.get('theme');
  const theme = asked === 'dark' || asked === 'auto' ? asked : 'light';
  let back = new URL('/', url).href;
  try {
    const r = new URL(q.get('return') ?? '');
    if (r.protocol === 'https:' || r.protocol === 'http:') back = r.href;
  } catch {
    /* no return link: the petition's own page on this origin */
  }
  if (!SLUG.test(effort) || effort.length > 80) return undefined;
  const where: StartFor | undefined =
    Number.isSafeInteger(target) && target > 0 ? { targetId: target, label } : place ? { place, label } : undefined;
  if (!where) return undefined;
  return { effort, where, back, theme, ...(PARTNER.test(partner) ? { partner } : {}) };
}

/**
 * The hosted start-a-campaign page: `<sanctuary-start>` on start/index.html, served by the Worker at
 * /start/ beside the API. The widget's "Start one" links lead here (same tab) with the effort, the place
 * or official, the language, the partner and the page to come back to; once the campaign exists, the
 * page shows its share link and leads back to the partner page with the new campaign open, to sign first.
 *
 * @fires sanctuary-campaign-started - The campaign was created. Detail: `{ campaign }` (its slug).
 * @fires sanctuary-error - Something failed (shown to the visitor too). Detail: `{ code, status? }`.
 */
export class SanctuaryStart extends LitElement {
  static override styles = [
    widgetStyles,
    css`
      /* A readable column (the widget's own :host rule lets it take any width: !important here wins). */
      :host {
        margin: 24px auto !important;
        max-width: 640px !important;
      }
      /* The start form's own controls (the widget has no textarea or number input). */
      textarea,
      input[type='number'] {
        display: block;
        width: 100%;
        min-width: 0;
        min-height: 44px;
        padding: 8px 12px;
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        background: var(--_bg);
        color: var(--_text);
        font: inherit;
        font-size: 16px;
      }
      textarea {
        resize: vertical;
      }
      textarea:focus-visible {
        outline: 3px solid var(--_focus);
        outline-offset: 2px;
      }
      textarea[aria-invalid='true'],
      input[type='number'][aria-invalid='true'] {
        border: 2px solid var(--_error);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
        margin-top: 16px;
      }
      .hint {
        margin-bottom: 4px;
      }
      a.link {
        display: inline-flex;
        align-items: center;
        min-height: 44px;
        padding-inline: 4px;
        color: var(--_accent);
        font-weight: 700;
        text-decoration: underline;
      }
      a.link:focus-visible {
        outline: 3px solid var(--_focus);
        outline-offset: 2px;
      }
    `,
  ];

  static override properties = {
    _form: { state: true, attribute: false },
    _created: { state: true, attribute: false },
    _announcement: { state: true, attribute: false },
  };

  /** The `fetch` used for API calls (tests). */
  fetchImpl?: typeof fetch;

  private _form?: StartForm;
  private _created?: NewCampaignOut;
  private _share?: Share;
  private _announcement = '';
  private readonly _params = readStartParams(globalThis.location.href);
  /** The link's language, else the browser's (the page's own lang="en" is only its default until this runs). */
  private readonly _l = new Localizer(
    resolveLocale(this, new URLSearchParams(globalThis.location.hash.slice(1)).get('lang') || globalThis.navigator?.language || ''),
  );
  /**
   * The page the visitor goes back to: this origin's home until the API confirms that the link's
   * `return` page is a site registered for the effort or the partner (a crafted link cannot make this
   * page lead to a look-alike site).
   */
  private _back = new URL('/', globalThis.location.href).href;
  /** The host of the page the visitor goes back to, named on the links that lead there. */
  private get _backHost(): string {
    return new URL(this._back).host;
  }
  private readonly _dark =
    this._params?.theme === 'dark' || (this._params?.theme === 'auto' && !!globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches);

  /** This page's texts, `{host}` filled with the host of the page the visitor goes back to. */
  private _t(key: keyof (typeof TEXT)['en']): string {
    return TEXT[this._l.lang][key].replace('{host}', this._backHost);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.documentElement.lang = this._l.locale;
    document.title = this._t('page');
    document.documentElement.classList.toggle('dark', this._dark);
    if (this._form || !this._params) return;
    const { effort, partner, where, back } = this._params;
    const site = {
      returnTo: back,
      ...(partner ? { partner } : {}),
      confirmed: (allowed: boolean) => {
        this._back = allowed ? back : new URL('/', globalThis.location.href).href;
        this.requestUpdate();
      },
    };
    const backNow = () => this._back;
    this._form = new StartForm(
      {
        lang: this._l.lang,
        effort,
        partner,
        client: () => new StartApi('', this.fetchImpl, site),
        uuid,
        update: () => this.requestUpdate(),
        announce: (m) => this._announce(m),
        focus: (selector) => void this._focus$(selector),
        errorText: (code) => this._l.t(errorKey(code)),
        failed: (code, status) => this._emit('sanctuary-error', { code, ...(status ? { status } : {}) }),
        get back() {
          return backNow();
        },
        created: (out) => void this._onCreated(out),
      },
      where,
    );
  }

  private _announce(message: string): void {
    this._announcement = this._announcement === message ? `${message}\u00a0` : message;
  }

  private async _focus$(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  private _emit(type: string, detail: object): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  /** The partner page with the new campaign open (and the partner kept), to sign and to share. */
  private _link(out: NewCampaignOut): string {
    return shareLink(this._back, { campaign: out.slug, partner: this._params!.partner });
  }

  private async _onCreated(out: NewCampaignOut): Promise<void> {
    this._created = out;
    this._share = new Share({
      lang: this._l.lang,
      root: this.renderRoot,
      url: () => this._link(out),
      update: () => this.requestUpdate(),
      announce: (m) => this._announce(m),
      shared: () => undefined,
    });
    this._announce(this._t('title'));
    this._emit('sanctuary-campaign-started', { campaign: out.slug });
    await this._focus$('#created-title');
  }

  private _renderCreated(out: NewCampaignOut): TemplateResult {
    const t = (key: keyof (typeof TEXT)['en']) => this._t(key);
    const pending = out.status === 'pending';
    return html`<section part="created" class="created" aria-labelledby="created-title">
      <p class="place">${out.town}, ${out.state}</p>
      <h2 part="title" id="created-title" tabindex="-1">${t('title')}</h2>
      <p>${out.title}</p>
      <p class="notice">${pending ? t('pending') : t('unlisted')}</p>
      ${this._share?.row()}
      <div class="actions">
        ${pending ? nothing : html`<a part="button submit" class="button submit" href=${this._link(out)}>${t('sign')}</a>`}
        <a class="link" href=${this._back}>${t('back')}</a>
      </div>
    </section>`;
  }

  override render(): TemplateResult {
    const l = this._l;
    const body = this._created
      ? this._renderCreated(this._created)
      : this._form
        ? this._form.render()
        : html`<div part="error" class="error">
            <h2 part="title" id="title" tabindex="-1">${l.t('error.title')}</h2>
            <p>${this._t('invalid')}</p>
            <a class="link" href="/">${this._t('back')}</a>
          </div>`;
    return html`<div part="container" class="container ${this._dark ? 'dark' : 'light'}" lang=${l.locale}>
      <div role="status" class="sr-only">${this._announcement}</div>
      ${body}
    </div>`;
  }
}
