/**
 * The share panel shown after signing: the link to share (the host page with the campaign, the signer's
 * referral code and the partner), a Copy button, the system share sheet where there is one, and links for
 * email and the common apps. The hosted start page (start/) shows its link row too.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { CampaignOut } from './api.ts';
import { SHARE_NAMES, SHARE_TARGETS, shareHref, type ShareTarget } from './share-buttons.ts';

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
  'share.newTab': '(opens in a new tab)',
};
/** Keys of this file's messages; `es` is checked against `en` (a missing key is a compile error). */
export type ShareKey = keyof typeof en;
const es: Record<ShareKey, string> = {
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
  'share.newTab': '(se abre en una pestaña nueva)',
};
const TEXT: Readonly<Record<'en' | 'es', Readonly<Record<ShareKey, string>>>> = { en, es };

export type ShareMethod = 'native' | 'copy' | ShareTarget;

/** What the element gives the share panel. */
export interface ShareHost {
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
  private _status?: ShareKey;

  constructor(private readonly _host: ShareHost) {}

  t(key: ShareKey, title = ''): string {
    return TEXT[this._host.lang][key].replace('{title}', title);
  }

  private _copy = async (): Promise<void> => {
    const url = this._host.url();
    let ok: boolean;
    try {
      await navigator.clipboard.writeText(url);
      ok = true;
    } catch {
      // No Clipboard API (insecure page, old browser, denied): select the text and try execCommand.
      const input = this._host.root.querySelector<HTMLInputElement>('#share-url');
      input?.focus();
      input?.select();
      try {
        ok = document.execCommand('copy');
      } catch {
        ok = false;
      }
    }
    this._status = ok ? 'share.copied' : 'share.copyFailed';
    this._host.announce(this.t(this._status));
    this._host.update();
    if (ok) this._host.shared('copy');
  };

  private _native = async (title: string): Promise<void> => {
    try {
      await navigator.share({ title, text: this.t('share.text', title), url: this._host.url() });
      this._host.shared('native');
    } catch {
      /* cancelled by the user: nothing to do */
    }
  };

  /** The link with its Copy button. */
  row(): TemplateResult {
    return html`<label for="share-url">${this.t('share.label')}</label>
      <div class="share-row">
        <input part="input" id="share-url" type="url" readonly .value=${this._host.url()} />
        <button part="button share-button" type="button" @click=${this._copy}>${this.t('share.copy')}</button>
      </div>
      ${this._status ? html`<p class="muted share-status">${this.t(this._status)}</p>` : nothing}`;
  }

  /** The share panel under the thanks heading. */
  panel(c: CampaignOut): TemplateResult {
    const url = this._host.url();
    const text = this.t('share.text', c.title);
    const subject = this.t('share.subject', c.title);
    const canShare = typeof navigator.share === 'function';
    return html`<p>${this.t('thanks.next')}</p>
      <div part="share" class="share" role="group" aria-labelledby="share-title">
        <h3 id="share-title">${this.t('share.title')}</h3>
        ${
          canShare
            ? html`<button part="button share-button" type="button" class="native" @click=${() => this._native(c.title)}>${this.t('share.native')}</button>`
            : nothing
        }
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
                @click=${() => this._host.shared(target)}
                >${target === 'email' ? this.t('share.email') : SHARE_NAMES[target]}${external ? html`<span class="sr-only"> ${this.t('share.newTab')}</span>` : nothing}</a
              >
            </li>`;
          })}
        </ul>
      </div>`;
  }
}
