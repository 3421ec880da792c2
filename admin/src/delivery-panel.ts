/**
 * `<sanctuary-delivery>`: deliver a campaign's petition to its official from the organizer page: pick the
 * campaign and which signers (confirmed by default), preview the email and open the PDF, then email it
 * through the Worker's email binding. Past deliveries are listed ("Delivered to Mayor X on …").
 */
import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { AdminApiError } from './admin-api.ts';
import { DestinationsApi, type DeliveryOptions, type DeliveryPreviewOut } from './destinations-api.ts';
import styles from './sanctuary-admin.styles.ts';

declare global {
  interface HTMLElementTagNameMap {
    'sanctuary-delivery': SanctuaryDelivery;
  }
}

const day = (iso: string) => new Date(iso).toLocaleDateString('en-US', { dateStyle: 'long' });

export class SanctuaryDelivery extends LitElement {
  static override styles = [
    styles,
    css`
      :host { display: block; }
      .row { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: end; }
      .row > div { display: grid; gap: 0.25rem; }
      pre { white-space: pre-wrap; background: #f7f7f9; padding: 0.75rem; border-radius: 6px; font: inherit; }
    `,
  ];

  @property({ attribute: false }) token = '';
  @property() effort = '';
  @state() private campaigns: { slug: string; town: string; state: string }[] = [];
  @state() private campaign = '';
  @state() private options: DeliveryOptions = { signers: 'confirmed' };
  @state() private preview: DeliveryPreviewOut | null = null;
  @state() private error = '';
  @state() private status = '';
  @state() private busy = false;
  private loaded = '';
  private pdfUrl = '';

  private get api() {
    return new DestinationsApi(this.token);
  }

  override updated() {
    if (this.effort && this.token && this.loaded !== this.effort) {
      this.loaded = this.effort;
      void this.run(async () => {
        this.campaigns = (await this.api.campaigns(this.effort)).byCampaign;
        this.campaign = this.campaigns[0]?.slug ?? '';
        this.preview = null;
      });
    }
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    if (this.pdfUrl) URL.revokeObjectURL(this.pdfUrl);
  }

  private async run<T>(what: () => Promise<T>): Promise<T | undefined> {
    this.busy = true;
    this.error = '';
    try {
      return await what();
    } catch (e) {
      const issues = e instanceof AdminApiError && e.issues.length ? ` (${e.issues.map((i) => `${i.path}: ${i.message}`).join('; ')})` : '';
      this.error = `${(e as Error).message}${issues}`;
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  private async showPreview() {
    const p = await this.run(() => this.api.deliveryPreview(this.campaign, this.options));
    if (p) this.preview = p;
  }

  private async openPdf() {
    const blob = await this.run(() => this.api.deliveryPdf(this.campaign, this.options));
    if (!blob) return;
    if (this.pdfUrl) URL.revokeObjectURL(this.pdfUrl);
    this.pdfUrl = URL.createObjectURL(blob);
    window.open(this.pdfUrl, '_blank', 'noopener');
  }

  private async send(event: SubmitEvent) {
    event.preventDefault();
    const f = new FormData(event.target as HTMLFormElement);
    const to = String(f.get('to') ?? '');
    const official = String(f.get('official') ?? '') || undefined;
    if (!confirm(`Email the petition (${this.preview?.counts.listed ?? 0} signers) to ${official ?? this.preview?.official} at ${to}?`)) return;
    const done = await this.run(() => this.api.sendDelivery(this.campaign, { ...this.options, to, official }));
    if (!done) return;
    this.status = `Delivered to ${done.official} on ${day(done.deliveredAt)}.`;
    await this.showPreview();
  }

  override render() {
    const p = this.preview;
    return html`<section aria-labelledby="delivery-title">
      <h2 id="delivery-title">Deliver a petition to its official</h2>
      <p role="status">${this.status}</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <div class="row">
        <div>
          <label for="delivery-campaign">Campaign</label>
          <select id="delivery-campaign" @change=${(e: Event) => ((this.campaign = (e.target as HTMLSelectElement).value), (this.preview = null))}>
            ${this.campaigns.map((c) => html`<option value=${c.slug} ?selected=${c.slug === this.campaign}>${c.town}, ${c.state} (${c.slug})</option>`)}
          </select>
        </div>
        <div>
          <label for="delivery-signers">Signers</label>
          <select id="delivery-signers" @change=${(e: Event) => ((this.options = { ...this.options, signers: (e.target as HTMLSelectElement).value as 'confirmed' | 'all' }), (this.preview = null))}>
            <option value="confirmed">Confirmed only</option>
            <option value="all">All counted</option>
          </select>
        </div>
        <div>
          <label for="delivery-lang">Language</label>
          <select id="delivery-lang" @change=${(e: Event) => {
            const v = (e.target as HTMLSelectElement).value;
            this.options = { signers: this.options.signers, ...(v ? { lang: v as 'en' | 'es' } : {}) };
            this.preview = null;
          }}>
            <option value="">The campaign's</option>
            <option value="en">English</option>
            <option value="es">Español</option>
          </select>
        </div>
        <div><button class="secondary" id="delivery-preview" @click=${this.showPreview} ?disabled=${this.busy || !this.campaign}>Preview</button></div>
        <div><button class="secondary" id="delivery-pdf" @click=${this.openPdf} ?disabled=${this.busy || !this.campaign}>Open the PDF</button></div>
      </div>
      ${p
        ? html`<div id="delivery-preview-box">
            <p>${p.counts.all} signatures in all, ${p.counts.confirmed} confirmed; the PDF lists ${p.counts.listed}.</p>
            <p><strong>Subject:</strong> ${p.email.subject} <span class="muted">(attached: ${p.email.attachment})</span></p>
            <pre>${p.email.text}</pre>
            ${p.deliveries.length
              ? html`<ul>${p.deliveries.map((d) => html`<li>Delivered to ${d.official} (${d.to}) on ${day(d.deliveredAt)}, ${d.signerCount} signers</li>`)}</ul>`
              : html`<p class="muted">Not delivered yet.</p>`}
            ${p.emailConfigured
              ? html`<form class="row" @submit=${this.send}>
                  <div><label for="delivery-official">Official</label><input id="delivery-official" name="official" .value=${p.official} maxlength="120" /></div>
                  <div><label for="delivery-to">Official's email</label><input id="delivery-to" name="to" type="email" required /></div>
                  <div><button type="submit" ?disabled=${this.busy}>Email it to the official</button></div>
                </form>`
              : html`<p class="muted">Email is not set up for this Worker (the EMAIL binding and EMAIL_FROM): download the PDF instead.</p>`}
          </div>`
        : nothing}
    </section>`;
  }
}

if (!customElements.get('sanctuary-delivery')) customElements.define('sanctuary-delivery', SanctuaryDelivery);
