/**
 * The finder's lookups: a place typed in the search box, one picked from "Did you mean…", or the
 * browser's position. One lookup at a time (a new one aborts the last); all are aborted when the
 * element leaves the page. The first lookup (the visitor's approximate location) is the element's, in
 * the same request as the effort: its answer is handed over with `show()`.
 */
import type { ReactiveController } from 'lit';
import { ApiError, isAbortError, type CampaignSummaryOut, type LookupBy, type LookupOut, type SignatureOut } from '../api.ts';
import { errorKey, type TextKey } from '../i18n/index.ts';
import type { PetitionHost } from '../state.ts';
import { FIRST_RESULTS } from '../views/finder.ts';

/** What the finder view reads of the lookup. */
export interface LookupState {
  readonly _data?: LookupOut;
  readonly _status: 'idle' | 'loading' | 'error';
  readonly _error?: TextKey;
  /** The search box was submitted empty. */
  readonly _invalid: boolean;
  /** Every campaign of the answer is shown, not only the first few. */
  readonly _more: boolean;
  /** With `place_not_found`: places spelt nearly alike, from the server ("Did you mean Skokie, IL?"). */
  readonly _suggestions: readonly string[];
}

export class LookupController implements ReactiveController, LookupState {
  _data?: LookupOut;
  _status: 'idle' | 'loading' | 'error' = 'idle';
  _error?: TextKey;
  _invalid = false;
  _more = false;
  _suggestions: readonly string[] = [];
  private _ctl?: AbortController;

  constructor(private readonly _host: PetitionHost) {
    _host.addController(this);
  }

  hostConnected(): void {
    // Re-attached after a removal that aborted a lookup: the finder waits for a search again.
    if (this._host.hasUpdated && this._status === 'loading' && !this._ctl) this._set({ _status: 'idle' });
  }

  hostDisconnected(): void {
    this._abort();
  }

  _abort(): void {
    this._ctl?.abort();
    this._ctl = undefined;
  }

  /** Shows this answer (or none), e.g. the first lookup's. */
  _show(data: LookupOut | undefined): void {
    this._set({ _data: data, _more: false });
  }

  /** A signature counted: its campaign's count in the results too. */
  _bump(out: SignatureOut): void {
    const data = this._data;
    if (!data) return;
    const bump = (c: CampaignSummaryOut) => (c.slug === out.campaign ? { ...c, signatureCount: out.signatureCount } : c);
    this._set({ _data: { ...data, nearest: data.nearest && bump(data.nearest), nearby: data.nearby.map(bump) } });
  }

  /** Announces the results (or that there are none near) to screen readers. */
  _announceResults(): void {
    const data = this._data;
    if (!data) return;
    const l = this._host._l;
    const place = data.place.label;
    const found = data.nearest && data.nearby.length;
    // The request's own location is a guess: no "none near you" for it.
    if (!found && data.place.source === 'request') return;
    this._host._announce(found ? l.plural('results.count', data.nearby.length, { place }) : l.t('results.empty', { place }));
  }

  /** The search form's submit: looks up the box's text, or says it is empty. */
  _search = (e: SubmitEvent): void => {
    e.preventDefault();
    const input = this._input();
    const q = input?.value.trim() ?? '';
    if (!q) {
      // A new message replaces the last one (an old "couldn't find that place" would read as its answer).
      this._set({ _invalid: true, _status: this._status === 'error' ? 'idle' : this._status, _error: undefined });
      this._host._announce(this._host._l.t('finder.required'));
      input?.focus();
      return;
    }
    this._searchFor(q);
  };

  /** "Show more": every campaign of the answer; the focus goes to the first one that was hidden. */
  _showMore = (): void => {
    this._set({ _more: true });
    void this._host._focus$(`#o-${FIRST_RESULTS}`);
  };

  /** Typing in the search box clears its "required" error. */
  _typed = (): void => {
    if (this._invalid) this._set({ _invalid: false });
  };

  /** Looks up a place typed in the box, or one picked from "Did you mean…". */
  _searchFor = (q: string): void => {
    const input = this._input();
    if (input) input.value = q;
    this._set({ _invalid: false });
    this._lookup({ q });
  };

  /** "Use my location": the browser's position, rounded. */
  _locate = (): void => {
    const host = this._host;
    const geo = globalThis.navigator?.geolocation;
    const failed = (key: TextKey) => {
      this._set({ _status: 'error', _error: key, _suggestions: [] });
      host._announce(host._l.t(key));
      host._emitError('geolocation');
    };
    if (!geo) return failed('geo.unavailable');
    this._abort();
    this._set({ _invalid: false, _status: 'loading', _error: undefined });
    host._announce(host._l.t('status.locating'));
    geo.getCurrentPosition(
      (pos) => {
        if (!host.isConnected || this._status !== 'loading') return;
        // About 100 m of precision is plenty to find a town, and keeps the exact spot private.
        this._lookup({
          lat: Math.round(pos.coords.latitude * 1000) / 1000,
          lon: Math.round(pos.coords.longitude * 1000) / 1000,
        });
      },
      (err) => failed(err.code === 1 ? 'geo.denied' : 'geo.unavailable'),
      { timeout: 10_000, maximumAge: 600_000, enableHighAccuracy: false },
    );
  };

  private _input(): HTMLInputElement | null {
    return this._host.renderRoot.querySelector<HTMLInputElement>('#q');
  }

  private _set(patch: Partial<LookupState>): void {
    Object.assign(this, patch);
    this._host.requestUpdate();
  }

  private async _lookup(by: LookupBy): Promise<void> {
    const host = this._host;
    const api = host._client();
    const slug = host.effort;
    this._ctl?.abort();
    const ctl = (this._ctl = new AbortController());
    this._set({ _status: 'loading', _error: undefined });
    host._announce(host._l.t('status.searching'));
    try {
      const data = await api.lookup(slug, by, ctl.signal);
      if (ctl.signal.aborted) return;
      this._set({ _data: data, _status: 'idle', _more: false });
      if (host._state.view === 'finder') this._announceResults();
    } catch (e) {
      if (isAbortError(e) || ctl.signal.aborted) return;
      const err = e instanceof ApiError ? e : new ApiError('internal_error', 0, String(e));
      const key = errorKey(err.code);
      const suggestions = err.issues.flatMap((i) => (i.path === 'q' && typeof i.suggestion === 'string' ? [i.suggestion] : []));
      this._set({ _status: 'error', _error: key, _suggestions: suggestions });
      host._announce(host._l.t(key));
      host._emitError(err.code, err.status);
    } finally {
      if (this._ctl === ctl) this._ctl = undefined;
    }
  }
}
