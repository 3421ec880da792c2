/**
 * The outbox: a signature that could not be delivered (offline, network error, timeout, 5xx, 408,
 * 429) is kept in this browser's localStorage with its Idempotency-Key, and sent again with
 * exponential backoff and full jitter, on `online`, on `visibilitychange` and on the next page load
 * that carries the widget, until it is delivered. A 4xx answer (other than 408/429) drops it: those
 * are shown to the supporter, never retried. The Idempotency-Key makes any resend count once.
 *
 * The entries hold personal data (the signature's fields): they are kept only until delivered (or
 * rejected), and never longer than MAX_AGE_MS. Several widgets, tabs or copies of the script share
 * one queue per site; `navigator.locks` (where available) lets one of them flush at a time.
 */
import { ApiClient, ApiError, type SignatureInput, type SignatureOut } from './api.ts';

export interface OutboxEntry {
  /** The Idempotency-Key: the entry's identity, the same on every attempt. */
  key: string;
  /** API origin the signature goes to. */
  api: string;
  campaign: string;
  body: SignatureInput;
  createdAt: number;
  attempts: number;
  /** Not before this time (ms since the epoch), unless forced by `online`/page load. */
  nextAt: number;
  /** Set while a direct attempt is in flight, so a flusher elsewhere leaves it alone until then. */
  busyUntil?: number;
}

export interface OutboxDelivered {
  entry: OutboxEntry;
  out: SignatureOut;
}
export interface OutboxDropped {
  entry: OutboxEntry;
  error: ApiError;
}
export type SubmitResult =
  { status: 'delivered'; out: SignatureOut } | { status: 'queued'; error: ApiError } | { status: 'rejected'; error: ApiError };

export interface OutboxOptions {
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  fetchImpl?: typeof fetch;
  now?: () => number;
  random?: () => number;
  /** One attempt's time limit. */
  timeoutMs?: number;
}

export const STORAGE_KEY = 'sanctuary-petition:outbox:v1';
const LOCK = 'sanctuary-petition:outbox';
const BASE_DELAY_MS = 2_000;
const MAX_DELAY_MS = 5 * 60_000;
/** Personal data is not kept in a browser longer than this, delivered or not. */
export const MAX_AGE_MS = 30 * 24 * 3600_000;

/** Worth another try: no answer at all, a timeout, rate limiting, or a server error. */
export const isRetryable = (e: ApiError): boolean =>
  e.status === 0 || e.status === 408 || e.status === 429 || e.status >= 500 || (e.status < 400 && e.code === 'bad_response');

const asApiError = (e: unknown) => (e instanceof ApiError ? e : new ApiError('network', 0, String(e)));

function defaultStorage(): OutboxOptions['storage'] {
  try {
    const s = globalThis.localStorage;
    const probe = `${STORAGE_KEY}:probe`;
    s.setItem(probe, '1');
    s.removeItem(probe);
    return s;
  } catch {
    return null; // storage blocked (sandboxed iframe, some private modes): keep entries in memory
  }
}

export class Outbox extends EventTarget {
  /** The fetch used for resends (default: the page's, looked up per call). Tests replace it. */
  fetchImpl?: typeof fetch;
  private readonly _storage: OutboxOptions['storage'];
  private _memory: OutboxEntry[] = [];
  private readonly _now: () => number;
  private readonly _random: () => number;
  private readonly _timeoutMs: number;
  private _flushing?: Promise<void>;
  private _timer?: ReturnType<typeof setTimeout>;
  private _started = false;

  constructor(opts: OutboxOptions = {}) {
    super();
    this._storage = 'storage' in opts ? opts.storage : defaultStorage();
    this.fetchImpl = opts.fetchImpl;
    this._now = opts.now ?? Date.now;
    this._random = opts.random ?? Math.random;
    this._timeoutMs = opts.timeoutMs ?? 15_000;
  }

  /** The entries waiting, oldest first. */
  list(): OutboxEntry[] {
    if (!this._storage) return [...this._memory];
    try {
      const parsed: unknown = JSON.parse(this._storage.getItem(STORAGE_KEY) ?? '[]');
      return Array.isArray(parsed) ? (parsed as OutboxEntry[]).filter((e) => e && typeof e.key === 'string') : [];
    } catch {
      return [];
    }
  }

  private _save(entries: OutboxEntry[]): void {
    if (!this._storage) {
      this._memory = entries;
      return;
    }
    try {
      if (entries.length) this._storage.setItem(STORAGE_KEY, JSON.stringify(entries));
      else this._storage.removeItem(STORAGE_KEY);
    } catch {
      this._memory = entries; // quota or blocked: at least this page keeps it
    }
  }

  private _update(key: string, change: (e: OutboxEntry) => OutboxEntry | null): void {
    const next: OutboxEntry[] = [];
    for (const e of this.list()) {
      if (e.key !== key) next.push(e);
      else {
        const changed = change(e);
        if (changed) next.push(changed);
      }
    }
    this._save(next);
  }

  /** Keeps a signature for delivery (a second enqueue of the same key is ignored). */
  enqueue(api: string, campaign: string, body: SignatureInput, key: string, busyMs = 0): OutboxEntry {
    const entries = this.list();
    const existing = entries.find((e) => e.key === key);
    if (existing) return existing;
    const now = this._now();
    const entry: OutboxEntry = { key, api, campaign, body, createdAt: now, attempts: 0, nextAt: now };
    if (busyMs) entry.busyUntil = now + busyMs;
    this._save([...entries, entry]);
    return entry;
  }

  /** Delay before attempt n+1: full jitter over an exponential ceiling. */
  backoff(attempts: number): number {
    const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(attempts, 20));
    return Math.max(1_000, Math.round(this._random() * ceiling));
  }

  /**
   * Keeps the signature, then tries to deliver it at once: delivered (removed), queued (kept and
   * retried later), or rejected (a 4xx: removed, for the caller to show).
   */
  async submit(api: string, campaign: string, body: SignatureInput, key: string, fetchImpl?: typeof fetch): Promise<SubmitResult> {
    const entry = this.enqueue(api, campaign, body, key, this._timeoutMs + 5_000);
    const result = await this._attempt(entry, fetchImpl);
    this._schedule();
    return result;
  }

  private async _attempt(entry: OutboxEntry, fetchImpl = this.fetchImpl): Promise<SubmitResult> {
    const client = new ApiClient(entry.api, fetchImpl);
    const timeout = typeof AbortSignal.timeout === 'function' ? AbortSignal.timeout(this._timeoutMs) : undefined;
    try {
      const out = await client.sign(entry.campaign, entry.body, entry.key, timeout);
      this._update(entry.key, () => null);
      this.dispatchEvent(new CustomEvent<OutboxDelivered>('delivered', { detail: { entry, out } }));
      return { status: 'delivered', out };
    } catch (e) {
      const error = asApiError(e);
      if (isRetryable(error) && this._now() - entry.createdAt < MAX_AGE_MS) {
        this._update(entry.key, (cur) => {
          const attempts = cur.attempts + 1;
          const { busyUntil: _, ...rest } = cur;
          return { ...rest, attempts, nextAt: this._now() + this.backoff(attempts - 1) };
        });
        return { status: 'queued', error };
      }
      this._update(entry.key, () => null);
      this.dispatchEvent(new CustomEvent<OutboxDropped>('dropped', { detail: { entry, error } }));
      return { status: 'rejected', error };
    }
  }

  /**
   * Sends what is due (everything not in flight elsewhere when `force`), one at a time, under a
   * per-site lock so two widgets or two tabs never send at once. Resolves when done.
   */
  flush(force = false): Promise<void> {
    if (this._flushing) return this._flushing;
    const run = async () => {
      const locks = (globalThis.navigator as Navigator | undefined)?.locks;
      if (locks?.request) {
        await locks.request(LOCK, { ifAvailable: true }, async (lock) => {
          if (lock) await this._drain(force);
        });
      } else await this._drain(force);
    };
    this._flushing = run()
      .catch(() => undefined)
      .finally(() => {
        this._flushing = undefined;
        this._schedule();
      });
    return this._flushing;
  }

  private async _drain(force: boolean): Promise<void> {
    const seen = new Set<string>();
    for (;;) {
      const now = this._now();
      // Read storage afresh each time: another tab may have delivered or added entries.
      const next = this.list().find((e) => !seen.has(e.key) && (e.busyUntil ?? 0) <= now && (force || e.nextAt <= now));
      if (!next) return;
      seen.add(next.key);
      if (now - next.createdAt >= MAX_AGE_MS) {
        this._update(next.key, () => null);
        continue;
      }
      const r = await this._attempt(next);
      // Still failing to reach the server: the rest would fail the same way; wait for the next trigger.
      if (r.status === 'queued' && r.error.status === 0) return;
    }
  }

  /** A timer for the earliest entry due, while the page is open. */
  private _schedule(): void {
    clearTimeout(this._timer);
    this._timer = undefined;
    if (!this._started) return;
    const entries = this.list();
    if (!entries.length) return;
    const now = this._now();
    const due = Math.min(...entries.map((e) => Math.max(e.nextAt, e.busyUntil ?? 0)));
    this._timer = setTimeout(() => void this.flush(), Math.max(1_000, due - now));
  }

  private _onOnline = () => void this.flush(true);
  private _onVisible = () => {
    if (document.visibilityState === 'visible') void this.flush(true);
  };

  /** Listens for `online` and `visibilitychange`, and flushes what an earlier page left. Idempotent. */
  start(): void {
    if (this._started || typeof window === 'undefined') return;
    this._started = true;
    window.addEventListener('online', this._onOnline);
    document.addEventListener('visibilitychange', this._onVisible);
    if (this.list().length) void this.flush(true);
  }
}

let shared: Outbox | undefined;
/** The page's one outbox (created on first use, so importing this module touches no storage). */
export const sharedOutbox = (): Outbox => (shared ??= new Outbox());
