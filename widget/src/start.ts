/**
 * "Start a local campaign": the form a supporter fills when no campaign is near, or when an official
 * awaits one. Loaded on demand (a separate file, fetched only when someone starts a campaign), so
 * the widget every visitor downloads stays small.
 *
 * This module imports nothing at run time: Lit's `html` and the element's API client come in through
 * `StartHost`, so the file works beside widget.js and beside a pinned widget-<version>.js alike
 * (an import of "./widget.js" would load a second copy of the widget next to a pinned one).
 */
import type { TemplateResult, html as litHtml, nothing as litNothing } from 'lit';
import type { ApiClient, CampaignDraftOut, DraftFor, ErrorIssue, NewCampaignBody, NewCampaignOut } from './api.ts';

/** What the element gives the form. */
export interface StartHost {
  html: typeof litHtml;
  nothing: typeof litNothing;
  lang: 'en' | 'es';
  effort: string;
  partner?: string;
  client(): ApiClient;
  uuid(): string;
  /** Re-render the element. */
  update(): void;
  announce(message: string): void;
  focus(selector: string): void;
  /** The localized text of an API error code (`network`, `rate_limited`, …). */
  errorText(code: string): string;
  /** Emit `sanctuary-error` (no personal data). */
  failed(code: string, status?: number): void;
  /** Back to the finder. */
  cancel(): void;
  /** The campaign exists: show it (with its share link, ready to sign first). */
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
  private step: 'who' | 'loading' | 'text' | 'failed' = 'who';
  private draft?: CampaignDraftOut;
  private target?: DraftFor;
  private values: Record<string, string> = {};
  private errors: Record<string, string> = {};
  private formError = '';
  private busy = false;
  private shownAt = 0;
  /** The attempt in flight or last failed: same body → same Idempotency-Key. */
  private pending?: { body: string; key: string };

  constructor(
    private readonly host: StartHost,
    private readonly where: StartFor,
  ) {
    if ('targetId' in where) void this.loadDraft({ targetId: where.targetId });
    else this.values.place = where.place;
  }

  private t(key: Key): string {
    return TEXT[this.host.lang][key].replace('{place}', this.where.label);
  }

  private async loadDraft(what: DraftFor): Promise<void> {
    this.step = 'loading';
    this.target = what;
    this.formError = '';
    this.host.announce(this.t('loading'));
    this.host.update();
    try {
      const draft = await this.host.client().draft(this.host.effort, what);
      this.draft = draft;
      this.values = { ...this.values, title: draft.title, body: draft.body, goal: String(draft.goal) };
      this.step = 'text';
      this.shownAt = Date.now();
      this.host.update();
      this.host.focus('#s-title');
    } catch (e) {
      // A named official's draft fails on the fields (a place not found, say): back to them.
      this.step = 'targetId' in what ? 'failed' : 'who';
      this.fail(e);
    }
  }

  /** Maps an API error to the fields (validation) or to one message for the form. */
  private fail(e: unknown): void {
    const err = e as { code?: string; status?: number; issues?: readonly ErrorIssue[] };
    const code = err.code ?? 'internal_error';
    this.host.failed(code, err.status);
    const errors: Record<string, string> = {};
    for (const issue of err.issues ?? []) {
      const field = Object.keys(PATHS).find((f) => PATHS[f] === issue.path || f === issue.path);
      if (field && !errors[field]) errors[field] = this.host.lang === 'en' ? issue.message : this.t('invalid');
    }
    if (code === 'place_not_found') errors.place = this.host.errorText(code);
    this.errors = errors;
    this.formError = Object.keys(errors).length ? '' : this.host.errorText(code);
    this.busy = false;
    this.host.announce(this.formError || this.t('errors'));
    this.host.update();
    const first = Object.keys(PATHS).find((f) => errors[f]);
    this.host.focus(first ? `#s-${first}` : '#s-error');
  }

  /** Reads the form into `values`; returns the names of required fields left empty or malformed. */
  private read(form: HTMLFormElement, names: string[]): Record<string, string> {
    const fd = new FormData(form);
    const errors: Record<string, string> = {};
    for (const name of names) {
      const value = String(fd.get(name) ?? '').trim();
      this.values[name] = value;
      if (!value) errors[name] = this.t('required');
    }
    this.values.website = String(fd.get('website') ?? '');
    return errors;
  }

  private showErrors(errors: Record<string, string>): boolean {
    this.errors = errors;
    const first = Object.keys(PATHS).find((f) => errors[f]);
    if (!first) return false;
    this.host.announce(this.t('errors'));
    this.host.update();
    this.host.focus(`#s-${first}`);
    return true;
  }

  private onWho = (e: SubmitEvent): void => {
    e.preventDefault();
    const errors = this.read(e.currentTarget as HTMLFormElement, ['targetTitle', 'targetName', 'place']);
    if (this.showErrors(errors)) return;
    const v = this.values;
    void this.loadDraft({ targetName: v.targetName!, targetTitle: v.targetTitle!, place: v.place! });
  };

  private onSubmit = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    if (this.busy || !this.target) return;
    const errors = this.read(e.currentTarget as HTMLFormElement, ['title', 'body', 'goal', 'firstName', 'lastName', 'email']);
    const v = this.values as Record<string, string>;
    const goal = Number(v.goal);
    if (!errors.goal && (!Number.isInteger(goal) || goal < 5)) errors.goal = this.t('goal_invalid');
    if (!errors.email && !EMAIL.test(v.email!)) errors.email = this.t('email_invalid');
    if (this.showErrors(errors)) return;

    const where =
      'targetId' in this.target
        ? { targetId: this.target.targetId }
        : { target: { name: this.target.targetName, title: this.target.targetTitle }, place: this.target.place };
    const input: NewCampaignBody = {
      ...where,
      title: v.title!,
      body: v.body!,
      goal,
      creator: { firstName: v.firstName!, lastName: v.lastName!, email: v.email! },
      ...(this.host.partner ? { partner: this.host.partner } : {}),
    };
    const body = JSON.stringify(input);
    if (this.pending?.body !== body) this.pending = { body, key: this.host.uuid() };
    // Abuse signals, outside the request's identity (a retry keeps its key): see the README.
    const signals = { ...(v.website ? { website: v.website } : {}), elapsedMs: Date.now() - this.shownAt };
    this.busy = true;
    this.formError = '';
    this.host.announce(this.t('submitting'));
    this.host.update();
    try {
      const out = await this.host.client().createCampaign(this.host.effort, { ...input, ...signals }, this.pending.key);
      this.busy = false;
      this.host.created(out);
    } catch (e) {
      this.fail(e);
    }
  };

  private field(name: string, label: string, opts: { type?: string; auto?: string; max?: number; hint?: string; area?: boolean } = {}): TemplateResult {
    const { html, nothing } = this.host;
    const err = this.errors[name];
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
        ? html`<textarea part="input" id=${id} name=${name} rows="8" maxlength="5000" required aria-invalid=${attrs.invalid} aria-describedby=${attrs.described} .value=${this.values[name] ?? ''}></textarea>`
        : html`<input part="input" id=${id} name=${name} type=${opts.type ?? 'text'} autocomplete=${opts.auto ?? 'off'} maxlength=${opts.max ?? 80} required aria-invalid=${attrs.invalid} aria-describedby=${attrs.described} .value=${this.values[name] ?? ''} />`}
      ${err ? html`<p class="field-error" id="${id}-error">${err}</p>` : nothing}
    </div>`;
  }

  render(): TemplateResult {
    const { html, nothing } = this.host;
    const draft = this.draft;
    const header = html`<header part="header" class="header">
      <p class="place">${draft ? `${draft.town}, ${draft.state}` : this.where.label}</p>
      <h2 part="title" id="title" tabindex="-1">${this.t('title')}</h2>
      <p>${this.t('intro')}</p>
    </header>`;
    const error = this.formError ? html`<p part="error" class="form-error" id="s-error" tabindex="-1">${this.formError}</p>` : nothing;
    const cancel = html`<button part="button back" type="button" class="link" @click=${() => this.host.cancel()}>${this.t('cancel')}</button>`;
    if (this.step === 'loading') return html`${header}<p class="muted searching">${this.t('loading')}</p>`;
    if (this.step === 'who')
      return html`${header}
        <form part="form" class="form start" novalidate @submit=${this.onWho}>
          <div class="fields">
            ${this.field('targetTitle', this.t('officialTitle'), { max: 60, hint: this.t('officialTitleHint') })}
            ${this.field('targetName', this.t('officialName'))}
            ${this.field('place', this.t('place'), { max: 100, auto: 'postal-code' })}
          </div>
          ${error}
          <div class="actions"><button part="button submit" class="submit" type="submit">${this.t('next')}</button>${cancel}</div>
        </form>`;
    if (this.step === 'failed')
      return html`${header}${error}
        <div class="actions">
          <button part="button" type="button" @click=${() => this.target && this.loadDraft(this.target)}>${this.t('retry')}</button>${cancel}
        </div>`;
    const busy = this.busy;
    return html`${header}
      <form part="form" class="form start" novalidate @submit=${this.onSubmit}>
        <div class="fields">
          ${this.field('title', this.t('campaignTitle'), { max: 200 })} ${this.field('body', this.t('body'), { area: true })}
          ${this.field('goal', this.t('goal'), { type: 'number', max: 8 })}
        </div>
        <h3>${this.t('you')}</h3>
        <div class="fields two">
          ${this.field('firstName', this.t('firstName'), { auto: 'given-name' })}
          ${this.field('lastName', this.t('lastName'), { auto: 'family-name' })}
        </div>
        <div class="fields">${this.field('email', this.t('email'), { type: 'email', auto: 'email', max: 254 })}</div>
        <p class="muted">${this.t('shown')}</p>
        <div class="sr-only" aria-hidden="true">
          <label>${this.t('honeypot')} <input name="website" type="text" tabindex="-1" autocomplete="off" /></label>
        </div>
        ${error}
        <div class="actions">
          <button part="button submit" class="submit" type="submit" ?disabled=${busy} aria-busy=${busy ? 'true' : 'false'}>
            ${busy ? this.t('submitting') : this.t('submit')}
          </button>
          ${cancel}
        </div>
      </form>`;
  }
}
