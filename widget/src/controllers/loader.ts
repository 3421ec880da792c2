/**
 * What the widget loads and shows: the campaign of `campaign="…"` (or of the share link the visitor
 * arrived through), else the effort's finder; a campaign opened from the results; Back to the finder;
 * Retry after a failure. One load at a time (a new one aborts the last); a removal aborts it, and the
 * element starts it again when it is attached again (`_retry`).
 */
import type { ReactiveController } from 'lit';
import { ApiError, isAbortError, type EffortOut, type LookupOut } from '../api.ts';
import { configProblem } from '../config.ts';
import { errorKey } from '../i18n/index.ts';
import { loadForm, type PetitionHost } from '../state.ts';
import type { LookupController } from './lookup.ts';
import type { SigningController } from './signing.ts';

export class LoaderController implements ReactiveController {
  /** The first load has started. */
  _started = false;
  /** The effort, once loaded (Back shows it again without a request). */
  _effort?: EffortOut;
  /** The last campaign shown (Back focuses its result). */
  private _lastSlug?: string;
  /** The share link's campaign was opened once already (Back then shows the finder). */
  private _opened = false;
  private _ctl?: AbortController;
  private _retryAction: () => void = () => this._load();

  constructor(
    private readonly _host: PetitionHost & { readonly campaign: string },
    private readonly _lookup: LookupController,
    private readonly _signing: SigningController,
  ) {
    _host.addController(this);
  }

  hostDisconnected(): void {
    // Reads are cancelled; a signature in flight is left to finish (its key makes a resend safe).
    this._ctl?.abort();
    this._ctl = undefined;
  }

  /** Loads what the attributes ask for (or says what is wrong with them). */
  _load(): void {
    const host = this._host;
    this._started = true;
    this._lookup._abort();
    const problem = configProblem(host);
    if (problem) {
      this._ctl?.abort();
      host._state = { view: 'invalid' };
      console.error(`[sanctuary-petition] ${problem}`);
      host._announce(host._l.t('error.config'));
      host._emitError('invalid_attribute');
      return;
    }
    this._effort = undefined;
    this._lastSlug = undefined;
    this._lookup._show(undefined);
    if (host.campaign) void this._openCampaign(host.campaign, false);
    // Arrived through a share link: open the shared campaign (the finder stays one "back" away), unless
    // the page shows it already in a widget of its own (then it would be there twice).
    else if (host._arrival.campaign && !this._opened && !pinnedElsewhere(host, host._arrival.campaign)) {
      this._opened = true;
      void this._openCampaign(host._arrival.campaign, false);
    } else void this._showEffort(false);
  }

  /** Opens a campaign of the results. */
  _open = (slug: string): void => void this._openCampaign(slug, true);

  /** Tries the last load again. */
  _retry = (): void => this._retryAction();

  /** Back to the finder. */
  _back = (): void => {
    this._ctl?.abort();
    void this._showEffort(true);
  };

  private _newSignal(): AbortSignal {
    this._ctl?.abort();
    this._ctl = new AbortController();
    return this._ctl.signal;
  }

  private _fail(e: unknown): void {
    const host = this._host;
    const err = e instanceof ApiError ? e : new ApiError('internal_error', 0, String(e));
    host._state = { view: 'error', code: err.code };
    host._announce(host._l.t(errorKey(err.code)));
    host._emitError(err.code, err.status);
  }

  private async _showEffort(focus: boolean): Promise<void> {
    const host = this._host;
    if (this._effort) {
      host._state = { view: 'finder', effort: this._effort };
      host._announce(this._effort.title);
      const slug = this._lastSlug;
      if (focus) await host._focus$(slug ? `[data-slug="${slug}"]` : '#finder-title');
      return;
    }
    this._retryAction = () => void this._showEffort(focus);
    host._state = { view: 'loading' };
    host._announce(host._l.t('status.loading'));
    const signal = this._newSignal();
    const api = host._client();
    const slug = host.effort;
    // One request for the first paint: the lookup near the visitor answers with the effort too.
    let first: LookupOut | undefined;
    try {
      first = await api.lookup(slug, {}, signal);
    } catch (e) {
      if (isAbortError(e) || signal.aborted) return;
      // The visitor's location may be unknown: then the effort alone, and the finder waits for a search.
    }
    try {
      const effort = first?.effort ?? (await api.effort(slug, signal));
      if (signal.aborted) return;
      this._effort = effort;
      this._lookup._show(first);
      host._state = { view: 'finder', effort };
      this._lookup._announceResults();
      if (focus) await host._focus$('#title');
    } catch (e) {
      if (isAbortError(e) || signal.aborted) return;
      this._fail(e);
    }
  }

  private async _openCampaign(slug: string, userInitiated: boolean): Promise<void> {
    const host = this._host;
    this._retryAction = () => void this._openCampaign(slug, userInitiated);
    host._state = { view: 'loading' };
    host._announce(host._l.t('status.loading'));
    const signal = this._newSignal();
    try {
      const [campaign, form] = await Promise.all([
        host._client().campaign(slug, signal),
        loadForm().catch(() => {
          throw new ApiError('network', 0, 'The sign form could not be loaded.');
        }),
      ]);
      if (signal.aborted) return;
      this._lastSlug = campaign.slug;
      this._signing._reset();
      host._state = { view: 'campaign', campaign, form };
      host._announce(campaign.title);
      host._emit('sanctuary-campaign-opened', { campaign: campaign.slug });
      if (userInitiated) await host._focus$('#title');
    } catch (e) {
      if (isAbortError(e) || signal.aborted) return;
      this._fail(e);
    }
  }
}

/** Another widget of the page pins this campaign (`campaign="…"`). */
function pinnedElsewhere(host: Element, slug: string): boolean {
  return [...document.querySelectorAll('sanctuary-petition')].some((el) => el !== host && el.getAttribute('campaign') === slug);
}
