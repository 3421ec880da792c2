/**
 * The floor of the phone figure (bench/phone.ts): the least an effort widget can do to show the first
 * nearby campaign. A trivial Lit element, built like widget.js, that asks the API once (the same lookup
 * the widget asks first) and paints the first result's title: the page, then one round trip for this
 * file and one for the API.
 */
import { LitElement, css, html } from 'lit';
import { property, state } from 'lit/decorators.js';

export class FloorFinder extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
  `;
  @property() effort = '';
  @state() private first = '';
  override connectedCallback() {
    super.connectedCallback();
    void fetch(new URL(`/v1/efforts/${encodeURIComponent(this.effort)}/lookup`, import.meta.url))
      .then((r) => r.json() as Promise<{ data: { nearby: Array<{ title: string }> } }>)
      .then((b) => (this.first = b.data.nearby[0]?.title ?? ''));
  }
  override render() {
    return this.first ? html`<p part="result">${this.first}</p>` : html``;
  }
}
customElements.define('floor-finder', FloorFinder);
