/** The floor of the widget-size figure: the most trivial Lit element, built exactly like widget.js. */
import { LitElement, css, html } from 'lit';
import { property } from 'lit/decorators.js';

export class FloorElement extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
  `;
  @property() name = 'floor';
  override render() {
    return html`<p>Hello, ${this.name}</p>`;
  }
}
customElements.define('floor-element', FloorElement);
