/** Follows the visitor's system colour scheme (used when theme="auto"). */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class ColorSchemeController implements ReactiveController {
  /** The system prefers dark. */
  _dark = false;
  private _query?: MediaQueryList;

  constructor(private readonly _host: ReactiveControllerHost) {
    _host.addController(this);
  }

  hostConnected(): void {
    this._query ??= globalThis.matchMedia?.('(prefers-color-scheme: dark)');
    this._query?.addEventListener('change', this._onChange);
    this._onChange();
  }

  hostDisconnected(): void {
    this._query?.removeEventListener('change', this._onChange);
  }

  private _onChange = (): void => {
    const dark = !!this._query?.matches;
    if (dark === this._dark) return;
    this._dark = dark;
    this._host.requestUpdate();
  };
}
