/**
 * `<sanctuary-destinations>`: the organizer page's panel of an effort's destinations (webhooks, Action
 * Network): create (a webhook's secret shown once), pause, resume, replay the failed, delete, and the
 * delivery log of each (delivered, failing, attempts, last error: no personal data).
 */
import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { AdminApiError } from './admin-api.ts';
import { DestinationsApi, type DeliveryLogOut, type DestinationOut, type NewDestination } from './destinations-api.ts';
import styles from './sanctuary-admin.styles.ts';

declare global {
  interface HTMLElementTagNameMap {
    'sanctuary-destinations': SanctuaryDestinations;
  }
}

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' }) : '—');

export class SanctuaryDestinations extends LitElement {
  static override styles = [
    styles,
    css`
      :host { display: block; }
      section { margin-bottom: 0; }
      .secret { font-family: monospace; word-break: break-all; background: #f4f1f6; padding: 0.5rem; border-radius: 6px; }
      td, th { text-align: left; padding: 0.25rem 0.5rem; vertical-align: top; }
      .row { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: end; }
      .row > div { display: grid; gap: 0.25rem; }
    `,
  ];

  /** The organizer token (from <sanctuary-admin>). */
  @property({ attribute: false }) token = '';
  @property() effort = '';
  @state() private list: DestinationOut[] = [];
  @state() private kind: 'webhook' | 'action_network' = 'webhook';
  @state() private secret: { id: string; secret: string } | null = null;
  @state() private log: { id: string; rows: DeliveryLogOut[] } | null = null;
  @state() private error = '';
  @state() private status = '';
  @state() private busy = false;
  private loaded = '';

  private get api() {
    return new DestinationsApi(this.token);
  }

  override updated() {
    if (this.effort && this.token && this.loaded !== this.effort) {
      this.loaded = this.effort;
      void this.refresh();
    }
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

  async refresh() {
    const list = await this.run(() => this.api.list(this.effort));
    if (list) this.list = list;
    if (this.log) await this.showLog(this.log.id);
  }

  private async create(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const f = new FormData(form);
    const common = { url: String(f.get('url') ?? ''), name: String(f.get('name') ?? '') || undefined, partner: String(f.get('partner') ?? '') || undefined };
    const body: NewDestination = this.kind === 'webhook' ? { kind: 'webhook', ...common } : { kind: 'action_network', ...common, apiKey: String(f.get('apiKey') ?? '') };
    const made = await this.run(() => this.api.create(this.effort, body));
    if (!made) return;
    form.reset();
    this.secret = made.secret ? { id: made.id, secret: made.secret } : null;
    this.status = `Destination ${made.id} created.`;
    await this.refresh();
  }

  private async act(d: DestinationOut, action: 'pause' | 'resume' | 'replay' | 'remove') {
    if (action === 'remove' && !confirm(`Delete ${d.name || d.url} and its delivery log?`)) return;
    const done = await this.run((): Promise<unknown> => this.api[action](this.effort, d.id));
    if (!done) return;
    const queued = (done as { queued?: number }).queued;
    this.status = `${d.name || d.url}: ${action === 'remove' ? 'deleted' : action === 'replay' ? `${queued} sent again` : action === 'pause' ? 'paused' : `resumed (${queued} sent)`}.`;
    if (action === 'remove' && this.log?.id === d.id) this.log = null;
    await this.refresh();
  }

  private async showLog(id: string) {
    const rows = await this.run(() => this.api.log(this.effort, id));
    if (rows) this.log = { id, rows };
  }

  override render() {
    return html`<section aria-labelledby="destinations-title">
      <h2 id="destinations-title">Destinations</h2>
      <p class="muted">Each signature and campaign event is sent to these, signed, retried until delivered. The effort's destinations get signers who consented to the effort; a partner's, signers from its sites who consented to it.</p>
      <p class="sr-only" role="status">${this.status}</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.secret
        ? html`<div role="alert">
            <p><strong>Signing secret of ${this.secret.id}</strong>: copy it now, it is not shown again.</p>
            <p class="secret" id="secret">${this.secret.secret}</p>
            <button class="secondary" @click=${() => (this.secret = null)}>I have copied it</button>
          </div>`
        : nothing}
      <table id="destinations">
        <caption class="sr-only">Destinations</caption>
        <thead><tr><th>Destination</th><th>For</th><th>Status</th><th class="num">Delivered</th><th class="num">Waiting</th><th class="num">Failing</th><th class="num">Dead</th><th>Last error</th><th></th></tr></thead>
        <tbody>
          ${this.list.length === 0 ? html`<tr><td colspan="9" class="muted">No destination yet.</td></tr>` : nothing}
          ${this.list.map(
            (d) => html`<tr data-destination=${d.id}>
              <td>${d.name ? html`<strong>${d.name}</strong><br />` : nothing}${d.kind === 'webhook' ? 'Webhook' : 'Action Network'}: <code>${d.url}</code></td>
              <td>${d.partner ?? 'the effort'}</td>
              <td>${d.status}</td>
              <td class="num">${d.deliveries.delivered}</td>
              <td class="num">${d.deliveries.pending}</td>
              <td class="num">${d.deliveries.failing}</td>
              <td class="num">${d.deliveries.dead}</td>
              <td>${d.lastError ?? '—'}</td>
              <td class="actions">
                ${d.status === 'active'
                  ? html`<button class="secondary" @click=${() => this.act(d, 'pause')} ?disabled=${this.busy}>Pause</button>`
                  : html`<button @click=${() => this.act(d, 'resume')} ?disabled=${this.busy}>Resume</button>`}
                <button class="secondary" @click=${() => this.act(d, 'replay')} ?disabled=${this.busy || d.deliveries.failing + d.deliveries.dead === 0}>Replay failed</button>
                <button class="secondary" @click=${() => this.showLog(d.id)} ?disabled=${this.busy}>Delivery log</button>
                <button class="danger" @click=${() => this.act(d, 'remove')} ?disabled=${this.busy}>Delete</button>
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${this.log ? this.renderLog() : nothing}
      <form class="grid" id="new-destination" @submit=${this.create}>
        <h3>Add a destination</h3>
        <div class="row">
          <div>
            <label for="kind">Kind</label>
            <select id="kind" name="kind" @change=${(e: Event) => (this.kind = (e.target as HTMLSelectElement).value as 'webhook' | 'action_network')}>
              <option value="webhook">Webhook (Standard Webhooks)</option>
              <option value="action_network">Action Network</option>
            </select>
          </div>
          <div>
            <label for="url">${this.kind === 'webhook' ? 'URL (https)' : 'Petition API address'}</label>
            <input id="url" name="url" type="url" required size="40"
              placeholder=${this.kind === 'webhook' ? 'https://crm.example.org/hooks/petition' : 'https://actionnetwork.org/api/v2/petitions/…'} />
          </div>
          ${this.kind === 'action_network'
            ? html`<div><label for="apiKey">API key</label><input id="apiKey" name="apiKey" type="password" autocomplete="off" required /></div>`
            : nothing}
          <div><label for="partner">Partner code (optional)</label><input id="partner" name="partner" /></div>
          <div><label for="dname">Name (optional)</label><input id="dname" name="name" maxlength="100" /></div>
          <div><button type="submit" ?disabled=${this.busy}>Add</button></div>
        </div>
      </form>
    </section>`;
  }

  private renderLog() {
    const log = this.log!;
    return html`<div id="delivery-log">
      <h3>Delivery log <span class="muted">(${log.id}, newest first)</span> <button class="secondary" @click=${() => (this.log = null)}>Close</button></h3>
      <table>
        <thead><tr><th>Event</th><th>Campaign</th><th>Status</th><th class="num">Attempts</th><th>Last error</th><th>Last try</th><th>Delivered</th></tr></thead>
        <tbody>
          ${log.rows.length === 0 ? html`<tr><td colspan="7" class="muted">Nothing sent yet.</td></tr>` : nothing}
          ${log.rows.map(
            (r) => html`<tr><td>${r.type} <code class="muted">${r.eventId}</code></td><td>${r.campaign}</td><td>${r.status}</td>
              <td class="num">${r.attempts}</td><td>${r.lastError ?? '—'}</td><td>${when(r.lastAttemptAt)}</td><td>${when(r.deliveredAt)}</td></tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }
}

if (!customElements.get('sanctuary-destinations')) customElements.define('sanctuary-destinations', SanctuaryDestinations);
