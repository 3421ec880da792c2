/**
 * What a visitor needs only after acting: the thanks panel with its share buttons (after signing),
 * the note on a campaign they just started, and the start-a-campaign form (start.ts). One file,
 * fetched on demand: the element starts fetching it as soon as the visitor focuses the sign form, so it
 * is there when the signature is accepted, and every visitor who only reads downloads widget.js alone.
 *
 * Nothing is imported from widget.js at run time (Lit's `html` comes in through the host), so this
 * file serves beside widget.js and a pinned widget-<version>.js alike.
 */
import type { TemplateResult, html as litHtml, nothing as litNothing } from 'lit';
import type { CampaignOut, SignatureOut } from './api.ts';
import { SHARE_TARGETS, shareHref, type ShareTarget } from './share-buttons.ts';

export { StartForm, type StartFor } from './start.ts';

const en = {
  'thanks.next': 'Share this petition so more of your neighbors sign.',
  'share.label': 'Link to share',
  'share.copy': 'Copy link',
  'share.copied': 'Link copied.',
  'share.copyFailed': 'Select the link and copy it.',
  'share.native': 'Share…',
  'share.email': 'Email a friend',
  'share.subject': 'Sign this petition: {title}',
  'share.text': 'I signed “{title}”. Will you sign too?',
  'share.title': 'Share it',
  'share.whatsapp': 'WhatsApp',
  'share.facebook': 'Facebook',
  'share.x': 'X',
  'share.bluesky': 'Bluesky',
  'share.newTab': '(opens in a new tab)',
  'created.title': 'Your campaign is started!',
  'created.unlisted':
    'It is live at its own link now: share it, and be the first to sign. It shows up in the search once an organizer has reviewed it.',
  'created.pending': 'An organizer reviews it before it opens for signatures. Keep this link to share it then.',
};
/** Keys of this file's messages; `es` is checked against `en` (a missing key is a compile error). */
export type MoreKey = keyof typeof en;
const es: Record<MoreKey, string> = {
  'thanks.next': 'Comparte esta petición para que firmen más vecinos.',
  'share.label': 'Enlace para compartir',
  'share.copy': 'Copiar enlace',
  'share.copied': 'Enlace copiado.',
  'share.copyFailed': 'Selecciona el enlace y cópialo.',
  'share.native': 'Compartir…',
  'share.email': 'Enviar por correo',
  'share.subject': 'Firma esta petición: {title}',
  'share.text': 'Firmé «{title}». ¿Firmas tú también?',
  'share.title': 'Compártela',
  'share.whatsapp': 'WhatsApp',
  'share.facebook': 'Facebook',
  'share.x': 'X',
  'share.bluesky': 'Bluesky',
  'share.newTab': '(se abre en una pestaña nueva)',
  'created.title': '¡Tu campaña está en marcha!',
  'created.unlisted':
    'Ya está activa en su propio enlace: compártela y sé la primera persona en firmar. Aparecerá en la búsqueda cuando la revise un equipo organizador.',
  'created.pending': 'Un equipo organizador la revisará antes de que reciba firmas. Guarda este enlace para compartirla entonces.',
};
const TEXT: Readonly<Record<'en' | 'es', Readonly<Record<MoreKey, string>>>> = { en, es };

export type ShareMethod = 'native' | 'copy' | ShareTarget;

/** What the element gives the share panel. */
export interface ShareHost {
  html: typeof litHtml;
  nothing: typeof litNothing;
  lang: 'en' | 'es';
  /** The element's shadow root (for the copy fallback: select the link's text). */
  root: ParentNode;
  /** The link to share: the host page with this campaign, the signer's referral code and the partner. */
  url(): string;
  update(): void;
  announce(message: string): void;
  /** Emit `sanctuary-shared`. */
  shared(method: ShareMethod): void;
}

/** The share link, its buttons and their status, for one campaign. */
export class Share {
  private status?: MoreKey;

  constructor(private readonly host: ShareHost) {}

  t(key: MoreKey, title = ''): string {
    return TEXT[this.host.lang][key].replace('{title}', title);
  }

  private copy = async (): Promise<void> => {
    const url = this.host.url();
    let ok = false;
    try {
      await navigator.clipboard.writeText(url);
      ok = true;
    } catch {
      // No Clipboard API (insecure page, old browser, denied): select the text and try execCommand.
      const input = this.host.root.querySelector<HTMLInputElement>('#share-url');
      input?.focus();
      input?.select();
      try {
        ok = document.execCommand('copy');
      } catch {
        ok = false;
      }
    }
    this.status = ok ? 'share.copied' : 'share.copyFailed';
    this.host.announce(this.t(this.status));
    this.host.update();
    if (ok) this.host.shared('copy');
  };

  private native = async (title: string): Promise<void> => {
    try {
      await navigator.share({ title, text: this.t('share.text', title), url: this.host.url() });
      this.host.shared('native');
    } catch {
      /* cancelled by the user: nothing to do */
    }
  };

  /** The link with its Copy button. */
  row(): TemplateResult {
    const { html, nothing } = this.host;
    return html`<label for="share-url">${this.t('share.label')}</label>
      <div class="share-row">
        <input part="input" id="share-url" type="url" readonly .value=${this.host.url()} />
        <button part="button share-button" type="button" @click=${this.copy}>${this.t('share.copy')}</button>
      </div>
      ${this.status ? html`<p class="muted share-status">${this.t(this.status)}</p>` : nothing}`;
  }

  /** The note on a campaign the visitor just started: what happens next, and its link. */
  created(status: string): TemplateResult {
    return this.host.html`<div part="created" class="notice created">
      <h3 id="created-title" tabindex="-1">${this.t('created.title')}</h3>
      <p>${this.t(status === 'pending' ? 'created.pending' : 'created.unlisted')}</p>
      ${this.row()}
    </div>`;
  }

  /** The share panel under the thanks heading. */
  panel(c: CampaignOut, _out: SignatureOut): TemplateResult {
    const { html, nothing } = this.host;
    const url = this.host.url();
    const text = this.t('share.text', c.title);
    const subject = this.t('share.subject', c.title);
    const canShare = typeof navigator.share === 'function';
    return html`<p>${this.t('thanks.next')}</p>
      <div part="share" class="share" role="group" aria-labelledby="share-title">
        <h3 id="share-title">${this.t('share.title')}</h3>
        ${canShare
          ? html`<button part="button share-button" type="button" class="native" @click=${() => this.native(c.title)}>${this.t('share.native')}</button>`
          : nothing}
        ${this.row()}
        <ul class="share-links">
          ${SHARE_TARGETS.map((target) => {
            const external = target !== 'email';
            return html`<li>
              <a
                part="button share-button"
                class="button secondary"
                href=${shareHref(target, url, text, subject)}
                target=${external ? '_blank' : nothing}
                rel=${external ? 'noopener noreferrer' : nothing}
                data-share=${target}
                @click=${() => this.host.shared(target)}
                >${this.t(`share.${target}`)}${external ? html`<span class="sr-only"> ${this.t('share.newTab')}</span>` : nothing}</a
              >
            </li>`;
          })}
        </ul>
      </div>`;
  }
}
