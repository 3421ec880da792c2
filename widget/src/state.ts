/**
 * What the element shows (one discriminated union: each view carries exactly the data it renders, so
 * no view reads a field that only another view has), and what the controllers may use of the element.
 */
import type { ReactiveControllerHost } from 'lit';
import type { ApiClient, CampaignOut, EffortOut, SignatureOut } from './api.ts';
import type { SanctuaryEventDetails } from './events.ts';
import type { Localizer } from './i18n/index.ts';
import type { Share } from './share-panel.ts';
import type { ShareParams } from './share.ts';

export type ViewState =
  /** The skeleton, until the first answer (and again while a campaign or the effort loads). */
  | { view: 'loading' }
  /** The attributes cannot work (logged to the console with what to write instead). */
  | { view: 'invalid' }
  /** A load failed: the error's message and a Retry button. */
  | { view: 'error'; code: string }
  /** `more`: the whole text is shown ("Read more"). */
  | { view: 'finder'; effort: EffortOut; more?: boolean }
  /** One local campaign with its sign form. */
  | { view: 'campaign'; campaign: CampaignOut; form: FormModule; more?: boolean }
  /** `share` is missing when the share panel's file could not be loaded. */
  | { view: 'thanks'; campaign: CampaignOut; signed: SignatureOut; share?: Share }
  /** The signature is kept in the outbox under `key`, to be delivered later. */
  | { view: 'queued'; campaign: CampaignOut; key: string };

/**
 * The element as its controllers see it. Members spelled `_name` are internal (not part of the embed
 * contract); the build shortens those names (see vite.config.ts).
 */
export interface PetitionHost extends ReactiveControllerHost, HTMLElement {
  readonly effort: string;
  readonly api: string;
  readonly fetchImpl?: typeof fetch;
  readonly hasUpdated: boolean;
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly _l: Localizer;
  /** The partner attribute, else the `sp_partner` of the share link the visitor arrived through. */
  readonly _validPartner: string | undefined;
  /** Share parameters of the page this widget was opened on. */
  readonly _arrival: ShareParams;
  _state: ViewState;
  /** A note above the view (a signature saved on an earlier visit was delivered); empty: none. */
  _notice: string;
  _client(): ApiClient;
  _emit<K extends keyof SanctuaryEventDetails>(type: K, detail: SanctuaryEventDetails[K]): boolean;
  _emitError(code: string, status?: number): void;
  _announce(message: string): void;
  _focus$(selector: string): Promise<void>;
  /** Shows the thanks view for a delivered signature, with the new counts everywhere. */
  _applySigned(campaign: CampaignOut, out: SignatureOut): Promise<void>;
}

/**
 * The share panel, loaded on demand: a file of its own in the build (dist/widget-share-panel-*.js),
 * fetched only by those who sign. Started with the signature's request, so it is there by the answer.
 */
export const loadSharePanel = (): Promise<typeof import('./share-panel.ts')> => import('./share-panel.ts');

/** The sign form's file (views/form.ts), loaded on demand with the campaign it is for. */
export type FormModule = typeof import('./views/form.ts');
export const loadForm = (): Promise<FormModule> => import('./views/form.ts');
