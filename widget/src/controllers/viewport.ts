/**
 * Lazy loading, the way model-viewer does it: `_near` turns true (once) when the element comes within a
 * screen of the viewport, or at once with loading="eager" or where there is no IntersectionObserver.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class ViewportController implements ReactiveController {
  /** Near the viewport (or eager): loading may start. Stays true. */
  _near = false;
  private _observer?: IntersectionObserver;

  constructor(private readonly _host: ReactiveControllerHost & HTMLElement & { loading: string }) {
    _host.addController(this);
  }

  hostConnected(): void {
    if (this._near || this._observer) return;
    if (this._host.loading === 'eager' || typeof IntersectionObserver === 'undefined') {
      this._near = true;
      return;
    }
    this._observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        this.hostDisconnected();
        this._near = true;
        this._host.requestUpdate();
      },
      { rootMargin: '100% 0px' },
    );
    this._observer.observe(this._host);
  }

  hostDisconnected(): void {
    this._observer?.disconnect();
    this._observer = undefined;
  }
}
