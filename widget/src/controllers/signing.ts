/**
 * Signing: the sign form's checks, the attempt (through the outbox, so a failed connection loses
 * nothing), and what follows: thanks with the new count, "saved, will be sent later", or the errors on
 * their fields. The outbox's `delivered` event thanks a signer whose saved signature got through while
 * this widget still shows it as saved.
 *
 * This is the seam for what a signature needs before it is sent (a challenge token, say: add it to
 * `input` in `sign`) and for what its answer means (`_showThanks`).
 */
import type { ReactiveController } from 'lit';
import { uuid, type CampaignOut, type SignatureInput, type SignatureOut } from '../api.ts';
import { errorKey, type TextKey } from '../i18n/index.ts';
import { sharedOutbox, type OutboxDelivered } from '../outbox.ts';
import { loadSharePanel, type PetitionHost } from '../state.ts';
import { firstSignature } from '../signed-memory.ts';
import { progressText } from '../views/parts.ts';
import type { Field, FieldErrors } from '../validate.ts';

/** The signing's state (the element hands it to the sign form as plain `FormState`). */
export interface SigningState {
  /** A signature is being sent. */
  readonly _busy: boolean;
  readonly _errors: FieldErrors;
  /** An error for the whole form (not one field's). */
  readonly _formError?: TextKey;
}

export class SigningController implements ReactiveController, SigningState {
  _busy = false;
  _errors: FieldErrors = {};
  _formError?: TextKey;
  /** The signature attempt in flight or last failed: same body → same Idempotency-Key. */
  private _pending?: { body: string; key: string };
  /** When the current sign form was shown (its `elapsedMs` tells a person from a bot that posts at once). */
  private _shownAt = 0;

  constructor(private readonly _host: PetitionHost) {
    _host.addController(this);
  }

  hostConnected(): void {
    const outbox = sharedOutbox();
    outbox.addEventListener('delivered', this._onDelivered);
    outbox.start();
  }

  hostDisconnected(): void {
    // A signature in flight is left to finish (its key makes a resend safe).
    sharedOutbox().removeEventListener('delivered', this._onDelivered);
  }

  /** A new sign form is shown: no errors, a new attempt, its clock started. */
  _reset(): void {
    this._errors = {};
    this._formError = undefined;
    this._pending = undefined;
    this._shownAt = Date.now();
  }

  /** The sign form's submit. */
  _sign = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const host = this._host;
    const state = host._state;
    if (this._busy || state.view !== 'campaign') return;
    const campaign = state.campaign;
    const l = host._l;
    const fd = new FormData(e.currentTarget as HTMLFormElement);
    const get = (k: string) => String(fd.get(k) ?? '').trim();
    const partner = host._validPartner;
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
    if (host._arrival.ref) input.referral = host._arrival.ref;

    const { validate, FIELDS } = state.form;
    const errors = validate(input);
    if (Object.keys(errors).length) return this._showFieldErrors(errors, FIELDS);

    const body = JSON.stringify(input);
    if (this._pending?.body !== body) this._pending = { body, key: uuid() };
    const key = this._pending.key;
    // Abuse signals, not part of the signature's identity (the server leaves them out of the key's hash).
    const website = get('website');
    if (website) input.website = website;
    input.elapsedMs = Date.now() - this._shownAt;
    this._busy = true;
    this._errors = {};
    this._formError = undefined;
    host._announce(l.t('form.submitting'));
    void loadSharePanel().catch(() => undefined);
    // Through the outbox: kept in the browser until delivered, so a failed connection loses nothing.
    sending.add(key);
    const result = await sharedOutbox()
      .submit(host.api.trim(), campaign.slug, input, key, host.fetchImpl)
      .finally(() => sending.delete(key));
    this._busy = false;
    host.requestUpdate();
    if (result.status === 'delivered') {
      this._pending = undefined;
      return this._showThanks(campaign, result.out);
    }
    if (result.status === 'queued') {
      this._pending = undefined;
      host._state = { view: 'queued', campaign, key };
      host._announce(`${l.t('queued.title')}. ${l.t('queued.body')}`);
      host._emit('sanctuary-queued', { campaign: campaign.slug, ...(partner ? { partner } : {}) });
      await host._focus$('#queued-title');
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
        host._emitError(apiErr.code, apiErr.status);
        return this._showFieldErrors(mapped, FIELDS);
      }
    }
    this._formError = errorKey(apiErr.code);
    host._announce(l.t(this._formError));
    host._emitError(apiErr.code, apiErr.status);
  };

  private async _showFieldErrors(errors: FieldErrors, fields: readonly Field[]): Promise<void> {
    this._errors = errors;
    this._formError = undefined;
    this._host._announce(this._host._l.plural('form.errors', Object.keys(errors).length));
    await this._host._focus$(`#f-${fields.find((f) => errors[f])}`);
  }

  /** A delivered signature: thanks with the new count, and `sanctuary-signed` for the host page. */
  private async _showThanks(campaign: CampaignOut, out: SignatureOut): Promise<void> {
    const host = this._host;
    host._notice = '';
    await host._applySigned(campaign, out);
    host._announce(`${host._l.t('thanks.title')} ${progressText(host._l, out.signatureCount, out.goal)}`);
    this._signed(out);
    await host._focus$('#thanks-title');
  }

  /** `sanctuary-signed`, once per campaign per browser (signing again, or in another tab, counts once). */
  private _signed(out: SignatureOut): void {
    const host = this._host;
    if (!firstSignature(host.api.trim(), out.campaign)) return;
    const partner = host._validPartner;
    host._emit('sanctuary-signed', {
      campaign: out.campaign,
      signatureCount: out.signatureCount,
      goal: out.goal,
      ...(partner ? { partner } : {}),
    });
  }

  /**
   * The outbox delivered a saved signature. This widget's own (shown as saved): thanks now. One saved
   * on an earlier visit, or by a widget gone since: one widget of the page tells the supporter, the one
   * showing that campaign if there is one (it thanks), else the first to hear of it (a notice).
   */
  private _onDelivered = (e: Event): void => {
    const { entry, out } = (e as CustomEvent<OutboxDelivered>).detail;
    const host = this._host;
    const state = host._state;
    if (state.view === 'queued' && entry.key === state.key) {
      told.add(entry.key);
      void this._showThanks(state.campaign, out);
      return;
    }
    // Delivered at once: the widget that sent it answers from submit()'s result.
    if (sending.has(entry.key) || entry.api !== host.api.trim()) return;
    const showing = state.view === 'campaign' && state.campaign.slug === entry.campaign ? state.campaign : undefined;
    const tell = () => {
      if (told.has(entry.key) || !host.isConnected) return;
      told.add(entry.key);
      const now = host._state;
      if (showing && now.view === 'campaign' && now.campaign === showing) return void this._showThanks(showing, out);
      host._notice = host._l.t('delivered.body');
      host._announce(host._notice);
      this._signed(out);
    };
    // The widget showing that campaign goes first; the others wait a turn.
    if (showing) tell();
    else setTimeout(tell, 0);
  };
}

/** The saved signatures some widget of this page has told the supporter about. */
const told = new Set<string>();
/** The signatures being sent by a widget of this page right now (their answer goes to that widget). */
const sending = new Set<string>();
