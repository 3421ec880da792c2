import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { AdminApi, AdminApiError, type AdminCampaignOut, type AdminEffortOut, type TotalsOut } from './admin-api.ts';
import styles from './sanctuary-admin.styles.ts';
// Panels of their own files (issue 14): destinations + delivery log, and delivery to the official.
import './destinations-panel.ts';
import './delivery-panel.ts';

declare global {
  interface HTMLElementTagNameMap {
    'sanctuary-admin': SanctuaryAdmin;
  }
}

/** The token lives for this tab only: sessionStorage, never localStorage or a cookie. */
const TOKEN_KEY = 'sanctuary-admin-token';
const session = (): Storage | null => {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
};

const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]']/gi;

/**
 * Campaign text as organizers see it: plain text, line breaks kept (CSS pre-wrap), http(s) links
 * clickable with rel="nofollow noopener noreferrer ugc". Never HTML: every piece is a text binding.
 */
export function linkify(text: string): (string | TemplateResult)[] {
  const out: (string | TemplateResult)[] = [];
  let last = 0;
  for (const m of text.matchAll(URL_IN_TEXT)) {
    out.push(text.slice(last, m.index));
    out.push(html`<a href=${m[0]} rel="nofollow noopener noreferrer ugc" target="_blank">${m[0]}</a>`);
    last = m.index! + m[0].length;
  }
  out.push(text.slice(last));
  return out;
}

const fmt = new Intl.NumberFormat('en-US');
const when = (iso: string) => new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });

/**
 * `<sanctuary-admin>`: the organizers' page over the /v1/admin API. Sign in with the token, then
 * the moderation queue (approve, edit, suppress), totals by campaign and partner, CSV export.
 *
 * @cssproperty --sanctuary-admin-color-accent - Buttons and links.
 * @cssproperty --sanctuary-admin-color-text - Text.
 */
export class SanctuaryAdmin extends LitElement {
  static override styles = styles;

  @state() private token: string | null = session()?.getItem(TOKEN_KEY) ?? null;
  @state() private efforts: AdminEffortOut[] = [];
  @state() private effort = '';
  @state() private queue: AdminCampaignOut[] | null = null;
  @state() private totals: TotalsOut | null = null;
  @state() private editing: string | null = null;
  @state() private busy = false;
  @state() private error = '';
  @state() private status = '';

  private get api(): AdminApi {
    return new AdminApi(this.token ?? '');
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.token) void this.loadEfforts();
  }

  /** Runs an API call with the busy flag; a 401 signs out, any other error is shown. */
  private async run<T>(what: () => Promise<T>): Promise<T | undefined> {
    this.busy = true;
    this.error = '';
    try {
      return await what();
    } catch (e) {
      if (e instanceof AdminApiError && e.status === 401) {
        this.signOut();
        this.error = 'That token was not accepted. Sign in again.';
      } else {
        const issues = e instanceof AdminApiError && e.issues.length ? ` (${e.issues.map((i) => `${i.path}: ${i.message}`).join('; ')})` : '';
        this.error = `${(e as Error).message}${issues}`;
      }
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  private async signIn(event: SubmitEvent) {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#token')!;
    this.token = input.value.trim();
    if (!this.token) return;
    if (await this.loadEfforts()) {
      session()?.setItem(TOKEN_KEY, this.token);
      input.value = '';
    }
  }

  private signOut() {
    session()?.removeItem(TOKEN_KEY);
    this.token = null;
    this.efforts = [];
    this.queue = null;
    this.totals = null;
    this.status = 'Signed out.';
  }

  private async loadEfforts(): Promise<boolean> {
    const efforts = await this.run(() => this.api.efforts());
    if (!efforts) return false;
    this.efforts = efforts;
    if (!efforts.some((e) => e.slug === this.effort)) this.effort = efforts[0]?.slug ?? '';
    await this.refresh();
    return true;
  }

  private async refresh() {
    if (!this.effort) return;
    const effort = this.effort;
    const result = await this.run(() => Promise.all([this.api.queue(effort), this.api.totals(effort)]));
    if (result) [this.queue, this.totals] = result;
  }

  private async act(campaign: AdminCampaignOut, action: 'approve' | 'suppress') {
    const done = await this.run(() => (action === 'approve' ? this.api.approve(campaign.slug) : this.api.suppress(campaign.slug)));
    if (!done) return;
    this.status = `${campaign.title}: ${action === 'approve' ? 'approved, now listed' : 'suppressed'}.`;
    await this.refresh();
  }

  private async save(event: SubmitEvent, campaign: AdminCampaignOut) {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const done = await this.run(() =>
      this.api.edit(campaign.slug, {
        title: String(form.get('title') ?? ''),
        body: String(form.get('body') ?? ''),
        goal: Number(form.get('goal')),
      }),
    );
    if (!done) return;
    this.editing = null;
    this.status = `${done.title}: saved.`;
    await this.refresh();
  }

  private async exportCsv() {
    const effort = this.effort;
    this.status = 'Preparing the export…';
    const link = await this.run(() => this.api.exportLink(effort));
    if (!link) return;
    // The browser downloads from the short-lived link itself: streamed to disk, whatever the size.
    const a = document.createElement('a');
    a.href = link.url;
    a.download = '';
    a.rel = 'noopener';
    a.referrerPolicy = 'no-referrer';
    this.renderRoot.appendChild(a);
    a.click();
    a.remove();
    this.status = 'The export is downloading (the file is named signatures-…csv).';
  }

  override render() {
    return html`
      <header>
        <h1>Organizers</h1>
        ${this.token && this.efforts.length
          ? html`<div class="bar">
              <label for="effort">Effort</label>
              <select id="effort" @change=${(e: Event) => ((this.effort = (e.target as HTMLSelectElement).value), void this.refresh())}>
                ${this.efforts.map((e) => html`<option value=${e.slug} ?selected=${e.slug === this.effort}>${e.title}</option>`)}
              </select>
              <button class="secondary" @click=${() => void this.refresh()} ?disabled=${this.busy}>Refresh</button>
              <button class="secondary" @click=${this.signOut}>Sign out</button>
            </div>`
          : nothing}
      </header>
      <p class="sr-only" role="status">${this.status}</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.token && this.efforts.length ? this.renderSignedIn() : this.renderSignIn()}
    `;
  }

  private renderSignIn() {
    return html`<section>
      <form class="signin" @submit=${this.signIn}>
        <h2>Sign in</h2>
        <label for="token">Organizer token</label>
        <input id="token" name="token" type="password" autocomplete="off" spellcheck="false" required />
        <p class="muted">The Worker's ADMIN_TOKEN secret (locally: in .dev.vars). Kept in this tab only.</p>
        <div><button type="submit" ?disabled=${this.busy}>Sign in</button></div>
      </form>
    </section>`;
  }

  private renderSignedIn() {
    const effort = this.efforts.find((e) => e.slug === this.effort);
    return html`
      <section aria-labelledby="queue-title">
        <h2 id="queue-title">Moderation queue ${this.queue ? html`<span class="muted">(${this.queue.length})</span>` : nothing}</h2>
        ${effort
          ? html`<p class="muted">
              New campaigns are ${effort.moderation === 'pre' ? 'hidden until approved (pre-moderation)' : 'live by their link at once and listed once approved (post-moderation)'}.
            </p>`
          : nothing}
        ${this.queue?.length === 0 ? html`<p>Nothing awaits approval.</p>` : nothing}
        <ul class="queue">
          ${(this.queue ?? []).map((c) => html`<li data-campaign=${c.slug}>${this.editing === c.slug ? this.renderEdit(c) : this.renderCampaign(c)}</li>`)}
        </ul>
      </section>
      ${this.renderTotals()}
      <section aria-labelledby="export-title">
        <h2 id="export-title">Export</h2>
        <p class="muted">Every signature of this effort: names, email, ZIP, phone, campaign, partner, consent, time (CSV).</p>
        <button id="export" @click=${this.exportCsv} ?disabled=${this.busy}>Export signatures (CSV)</button>
      </section>
      <sanctuary-destinations .token=${this.token ?? ''} effort=${this.effort}></sanctuary-destinations>
      <sanctuary-delivery .token=${this.token ?? ''} effort=${this.effort}></sanctuary-delivery>
    `;
  }

  private renderCampaign(c: AdminCampaignOut) {
    return html`
      <h3>${c.title}<span class="badge ${c.status}">${c.status}</span></h3>
      <p class="muted">
        ${c.town}, ${c.state} · ${c.target.title} ${c.target.name} · goal ${fmt.format(c.goal)} · ${fmt.format(c.signatureCount)} signed ·
        ${c.creatorName ? html`Created by ${c.creatorName}${c.creatorEmail ? html` &lt;${c.creatorEmail}&gt;` : nothing}` : 'No creator'} ·
        ${when(c.createdAt)} · <code>${c.slug}</code>
      </p>
      <div class="text">${linkify(c.body)}</div>
      <div class="actions">
        <button class="approve" @click=${() => this.act(c, 'approve')} ?disabled=${this.busy}>Approve</button>
        <button class="secondary edit" @click=${() => (this.editing = c.slug)} ?disabled=${this.busy}>Edit</button>
        <button class="danger suppress" @click=${() => this.act(c, 'suppress')} ?disabled=${this.busy}>Suppress</button>
      </div>
    `;
  }

  private renderEdit(c: AdminCampaignOut) {
    return html`<form class="grid" @submit=${(e: SubmitEvent) => this.save(e, c)}>
      <label for="title-${c.slug}">Title</label>
      <input id="title-${c.slug}" name="title" .value=${c.title} maxlength="200" required />
      <label for="body-${c.slug}">Text (plain text; line breaks are kept)</label>
      <textarea id="body-${c.slug}" name="body" .value=${c.body} maxlength="5000" required></textarea>
      <label for="goal-${c.slug}">Goal</label>
      <input id="goal-${c.slug}" name="goal" type="number" min="5" step="1" .value=${String(c.goal)} required />
      <div class="actions">
        <button type="submit" ?disabled=${this.busy}>Save</button>
        <button type="button" class="secondary" @click=${() => (this.editing = null)}>Cancel</button>
      </div>
    </form>`;
  }

  private renderTotals() {
    const t = this.totals;
    if (!t) return nothing;
    // Signatures counted but not stored here (imported counts) have no partner.
    const imported = Math.max(0, t.effort.signatureCount - t.byPartner.reduce((n, p) => n + p.signatureCount, 0));
    return html`<section aria-labelledby="totals-title">
      <h2 id="totals-title">Totals</h2>
      <div class="figures">
        <div><strong>${fmt.format(t.effort.signatureCount)}</strong> of ${fmt.format(t.effort.goal)} signatures</div>
        <div><strong>${fmt.format(t.byStatus.live)}</strong> listed campaigns</div>
        <div><strong>${fmt.format(t.byStatus.unlisted + t.byStatus.pending)}</strong> awaiting approval</div>
        <div><strong>${fmt.format(t.byStatus.suppressed)}</strong> suppressed</div>
      </div>
      <div class="totals">
        <table id="by-campaign">
          <caption class="sr-only">Signatures by campaign</caption>
          <thead><tr><th>Campaign</th><th>Status</th><th class="num">Signatures</th><th class="num">Goal</th></tr></thead>
          <tbody>
            ${t.byCampaign.map(
              (c) => html`<tr><td>${c.town}, ${c.state} <span class="muted">(${c.slug})</span></td><td>${c.status}</td>
                <td class="num">${fmt.format(c.signatureCount)}</td><td class="num">${fmt.format(c.goal)}</td></tr>`,
            )}
          </tbody>
        </table>
        <table id="by-partner">
          <caption class="sr-only">Signatures by partner</caption>
          <thead><tr><th>Partner</th><th class="num">Signatures</th></tr></thead>
          <tbody>
            ${t.byPartner.length === 0 && imported === 0 ? html`<tr><td colspan="2" class="muted">No signatures yet.</td></tr>` : nothing}
            ${imported > 0
              ? html`<tr><td class="muted">Carried over from the previous page (no partner data)</td><td class="num">${fmt.format(imported)}</td></tr>`
              : nothing}
            ${t.byPartner.map(
              (p) => html`<tr><td>${p.partner || html`<span class="muted">(no partner)</span>`}</td><td class="num">${fmt.format(p.signatureCount)}</td></tr>`,
            )}
          </tbody>
        </table>
      </div>
    </section>`;
  }
}
