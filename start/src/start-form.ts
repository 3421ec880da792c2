/**
 * "Start a local campaign": the form a supporter fills when no campaign is near, or when an official
 * awaits one. It lives on the hosted start page (start/, served by the Worker beside the API), which the
 * widget links to, so partner pages never download it.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { CampaignDraftOut, ErrorIssue, NewCampaignOut } from '../../widget/src/api.ts';
import type { DraftFor, NewCampaignBody, StartApi } from './start-api.ts';

/** What the element gives the form. */
export interface StartHost {
  lang: 'en' | 'es';
  effort: string;
  partner?: string;
  client(): StartApi;
  uuid(): string;
  /** Re-render the element. */
  update(): void;
  announce(message: string): void;
  focus(selector: string): void;
  /** The localized text of an API error code (`network`, `rate_limited`, …). */
  errorText(code: string): string;
  /** Emit `sanctuary-error` (no personal data). */
  failed(code: string, status?: number): void;
  /** Where Cancel leads: the page the visitor came from. */
  back: string;
  /** The campaign exists: show it (its share link, and the way back to sign it first). */
  created(out: NewCampaignOut): void;
}

/** Where the new campaign is: an official awaiting a campaign, or a place (the supporter names the official). */
export type StartFor = { targetId: number; label: string } | { place: string; label: string };

const TEXT = {
  en: {
    title: 'Start a local campaign',
    intro: 'Ask your local official to act. Your campaign gets its own link to share.',
    officialTitle: 'Official’s title',
    officialTitleHint: 'For example: Mayor',
    officialName: 'Official’s name',
    place: 'Town (ZIP code or “City, ST”)',
    next: 'Continue',
    loading: 'Preparing your campaign…',
    campaignTitle: 'Campaign title',
    body: 'Campaign text',
    goal: 'Signature goal',
    you: 'About you',
    firstName: 'First name',
    lastName: 'Last name',
    email: 'Email',
    shown: 'Only your first name and last initial are shown, as in “Created by Denise L.”. Your email is never shown.',
    submit: 'Start the campaign',
    submitting: 'Starting…',
    cancel: 'Cancel',
    required: 'Fill in this field.',
    email_invalid: 'Enter a valid email address, like name@example.com.',
    goal_invalid: 'Enter a whole number of at least 5.',
    invalid: 'Check this field.',
    errors: 'Some fields need your attention.',
    honeypot: 'Leave this empty',
    retry: 'Try again',
  },
  es: {
    title: 'Inicia una campaña local',
    intro: 'Pide a tu autoridad local que actúe. Tu campaña tendrá su propio enlace para compartir.',
    officialTitle: 'Cargo de la autoridad',
    officialTitleHint: 'Por ejemplo: Alcalde',
    officialName: 'Nombre de la autoridad',
    place: 'Localidad (código postal o “Ciudad, ST”)',
    next: 'Continuar',
    loading: 'Preparando tu campaña…',
    campaignTitle: 'Título de la campaña',
    body: 'Texto de la campaña',
    goal: 'Meta de firmas',
    you: 'Sobre ti',
    firstName: 'Nombre',
    lastName: 'Apellido',
    email: 'Correo electrónico',
    shown: 'Solo se muestran tu nombre y la inicial de tu apellido, como en “Creada por Denise L.”. Tu correo nunca se muestra.',
    submit: 'Iniciar la campaña',
    submitting: 'Iniciando…',
    cancel: 'Cancelar',
    required: 'Completa este campo.',
    email_invalid: 'Escribe un correo válido, como nombre@ejemplo.com.',
    goal_invalid: 'Escribe un número entero de al menos 5.',
    invalid: 'Revisa este campo.',
    errors: 'Algunos campos necesitan tu atención.',
    honeypot: 'Deja esto vacío',
    retry: 'Intentar de nuevo',
  },
};
type Key = keyof (typeof TEXT)['en'];

/** Form fields, in the order they appear, with the API path each one answers to. */
const PATHS: Record<string, string> = {
  targetTitle: 'target.title',
  targetName: 'target.name',
  place: 'place',
  title: 'title',
  body: 'body',
  goal: 'goal',
  firstName: 'creator.firstName',
  lastName: 'creator.lastName',
  email: 'creator.email',
};
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The form's state and rendering; the element keeps one while its "start" view is shown. */
export class StartForm {
  private _step: 'who' | 'loading' | 'text' | 'failed' = 'who';
  private _draft?: CampaignDraftOut;
  private _target?: DraftFor;
  private _values: Record<string, string> = {};
  private _errors: Record<string, string> = {};
  private _formError = '';
  private _busy = false;
  private _shownAt = 0;
  /** The attempt in flight or last failed: same body → same Idempotency-Key. */
  private _pending?: { body: string; key: string };

  constructor(
    private readonly _host: StartHost,
    private readonly _where: StartFor,
  ) {
    if ('targetId' in _where) void this._loadDraft({ targetId: _where.targetId });
    else this._values.place = _where.place;
  }

  private _t(key: Key): string {
    return TEXT[this._host.lang][key].replace('{place}', this._where.label);
  }

  private async _loadDraft(what: DraftFor): Promise<void> {
    this._step = 'loading';
    this._target = what;
    this._formError = '';
    this._host.announce(this._t('loading'));
    this._host.update();
    try {
      const draft = await this._host.client().draft(this._host.effort, what);
      this._draft = draft;
      this._values = { ...this._values, title: draft.title, body: draft.body, goal: String(draft.goal) };
      this._step = 'text';
      this._shownAt = Date.now();
      this._host.update();
      this._host.focus('#s-title');
    } catch (e) {
      // A named official's draft fails on the fields (a place not found, say): back to them.
      this._step = 'targetId' in what ? 'failed' : 'who';
      this._fail(e);
    }
  }

  /** Maps an API error to the fields (validation) or to one message for the form. */
  private _fail(e: unknown): void {
    const err = e as { code?: string; status?: number; issues?: readonly ErrorIssue[] };
    const code = err.code ?? 'internal_error';
    this._host.failed(code, err.status);
    const errors: Record<string, string> = {};
    for (const issue of err.issues ?? []) {
      const field = Object.keys(PATHS).find((f) => PATHS[f] === issue.path || f === issue.path);
      if (field && !errors[field]) errors[field] = this._host.lang === 'en' ? issue.message : this._t('invalid');
    }
    if (code === 'place_not_found') errors.place = this._host.errorText(code);
    this._errors = errors;
    this._formError = Object.keys(errors).length ? '' : this._host.errorText(code);
    this._busy = false;
    this._host.announce(this._formError || this._t('errors'));
    this._host.update();
    const first = Object.keys(PATHS).find((f) => errors[f]);
    this._host.focus(first ? `#s-${first}` : '#s-error');
  }

  /** Reads the form into `values`; returns the names of required fields left empty or malformed. */
  private _read(form: HTMLFormElement, names: string[]): Record<string, string> {
    const fd = new FormData(form);
    const errors: Record<string, string> = {};
    for (const name of names) {
      const value = String(fd.get(name) ?? '').trim();
      this._values[name] = value;
      if (!value) errors[name] = this._t('required');
    }
    this._values.website = String(fd.get('website') ?? '');
    return errors;
  }

  private _showErrors(errors: Record<string, string>): boolean {
    this._errors = errors;
    const first = Object.keys(PATHS).find((f) => errors[f]);
    if (!first) return false;
    this._host.announce(this._t('errors'));
    this._host.update();
    this._host.focus(`#s-${first}`);
    return true;
  }

  private _onWho = (e: SubmitEvent): void => {
    e.preventDefault();
    const errors = this._read(e.currentTarget as HTMLFormElement, ['targetTitle', 'targetName', 'place']);
    if (this._showErrors(errors)) return;
    const v = this._values;
    void this._loadDraft({ targetName: v.targetName!, targetTitle: v.targetTitle!, place: v.place! });
  };

  private _onSubmit = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    if (this._busy || !this._target) return;
    const errors = this._read(e.currentTarget as HTMLFormElement, ['title', 'body', 'goal', 'firstName', 'lastName', 'email']);
    const v = this._values as Record<string, string>;
    const goal = Number(v.goal);
    if (!errors.goal && (!Number.isInteger(goal) || goal < 5)) errors.goal = this._t('goal_invalid');
    if (!errors.email && !EMAIL.test(v.email!)) errors.email = this._t('email_invalid');
    if (this._showErrors(errors)) return;

    const where =
      'targetId' in this._target
        ? { targetId: this._target.targetId }
        : { target: { name: this._target.targetName, title: this._target.targetTitle }, place: this._target.place };
    const input: NewCampaignBody = {
      ...where,
      title: v.title!,
      body: v.body!,
      goal,
      creator: { firstName: v.firstName!, lastName: v.lastName!, email: v.email! },
      ...(this._host.partner ? { partner: this._host.partner } : {}),
    };
    const body = JSON.stringify(input);
    if (this._pending?.body !== body) this._pending = { body, key: this._host.uuid() };
    // Abuse signals, outside the request's identity (a retry keeps its key): see the README.
    const signals = { ...(v.website ? { website: v.website } : {}), elapsedMs: Date.now() - this._shownAt };
    this._busy = true;
    this._formError = '';
    this._host.announce(this._t('submitting'));
    this._host.update();
    try {
      const out = await this._host.client().createCampaign(this._host.effort, { ...input, ...signals }, this._pending.key);
      this._busy = false;
      this._host.created(out);
    } catch (e) {
      this._fail(e);
    }
  };

  private _field(name: string, label: string, opts: { type?: string; auto?: string; max?: number; hint?: string; area?: boolean } = {}): TemplateResult {
    const err = this._errors[name];
    const id = `s-${name}`;
    const describedBy = [opts.hint ? `${id}-hint` : '', err ? `${id}-error` : ''].filter(Boolean).join(' ');
    const attrs = {
      invalid: err ? 'true' : 'false',
      described: describedBy || nothing,
    };
    return html`<div part="field" class="field">
      <label for=${id}>${label}</label>
      ${opts.hint ? html`<p class="muted hint" id="${id}-hint">${opts.hint}</p>` : nothing}
      ${opts.area
        ? html`<textarea part="input" id=${id} name=${name} rows="8" maxlength="5000" required aria-invalid=${attrs.invalid} aria-describedby=${attrs.described} .value=${this._values[name] ?? ''}></textarea>`
        : html`<input part="input" id=${id} name=${name} type=${opts.type ?? 'text'} autocomplete=${opts.auto ?? 'off'} maxlength=${opts.max ?? 80} required aria-invalid=${attrs.invalid} aria-describedby=${attrs.described} .value=${this._values[name] ?? ''} />`}
      ${err ? html`<p class="field-error" id="${id}-error">${err}</p>` : nothing}
    </div>`;
  }

  render(): TemplateResult {
    const draft = this._draft;
    const header = html`<header part="header" class="header">
      <p class="place">${draft ? `${draft.town}, ${draft.state}` : this._where.label}</p>
      <h2 part="title" id="title" tabindex="-1">${this._t('title')}</h2>
      <p>${this._t('intro')}</p>
    </header>`;
    const error = this._formError ? html`<p part="error" class="form-error" id="s-error" tabindex="-1">${this._formError}</p>` : nothing;
    const cancel = html`<a part="back" class="link" href=${this._host.back}>${this._t('cancel')}</a>`;
    if (this._step === 'loading') return html`${header}<p class="muted searching">${this._t('loading')}</p>`;
    if (this._step === 'who')
      return html`${header}
        <form part="form" class="form start" novalidate @submit=${this._onWho}>
          <div class="fields">
            ${this._field('targetTitle', this._t('officialTitle'), { max: 60, hint: this._t('officialTitleHint') })}
            ${this._field('targetName', this._t('officialName'))}
            ${this._field('place', this._t('place'), { max: 100, auto: 'postal-code' })}
          </div>
          ${error}
          <div class="actions"><button part="button submit" class="submit" type="submit">${this._t('next')}</button>${cancel}</div>
        </form>`;
    if (this._step === 'failed')
      return html`${header}${error}
        <div class="actions">
          <button part="button" type="button" @click=${() => this._target && this._loadDraft(this._target)}>${this._t('retry')}</button>${cancel}
        </div>`;
    const busy = this._busy;
    return html`${header}
      <form part="form" class="form start" novalidate @submit=${this._onSubmit}>
        <div class="fields">
          ${this._field('title', this._t('campaignTitle'), { max: 200 })} ${this._field('body', this._t('body'), { area: true })}
          ${this._field('goal', this._t('goal'), { type: 'number', max: 8 })}
        </div>
        <h3>${this._t('you')}</h3>
        <div class="fields two">
          ${this._field('firstName', this._t('firstName'), { auto: 'given-name' })}
          ${this._field('lastName', this._t('lastName'), { auto: 'family-name' })}
        </div>
        <div class="fields">${this._field('email', this._t('email'), { type: 'email', auto: 'email', max: 254 })}</div>
        <p class="muted">${this._t('shown')}</p>
        <div class="sr-only" aria-hidden="true">
          <label>${this._t('honeypot')} <input name="website" type="text" tabindex="-1" autocomplete="off" /></label>
        </div>
        ${error}
        <div class="actions">
          <button part="button submit" class="submit" type="submit" ?disabled=${busy} aria-busy=${busy ? 'true' : 'false'}>
            ${busy ? this._t('submitting') : this._t('submit')}
          </button>
          ${cancel}
        </div>
      </form>`;
  }
}
