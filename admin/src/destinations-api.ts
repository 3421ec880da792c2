/**
 * The organizer API's destinations and delivery endpoints (worker/src/routes/destinations.ts and
 * delivery.ts), for the panels of the organizer page. Same origin, same bearer token as admin-api.ts.
 */
import { AdminApi } from './admin-api.ts';

export interface DestinationOut {
  id: string;
  kind: 'webhook' | 'action_network';
  url: string;
  name: string;
  partner: string | null;
  status: 'active' | 'paused';
  createdAt: string;
  deliveries: { delivered: number; pending: number; failing: number; dead: number };
  lastDeliveredAt: string | null;
  lastError: string | null;
}

export interface DeliveryLogOut {
  eventId: string;
  type: string;
  campaign: string;
  status: 'pending' | 'delivered' | 'failing' | 'dead';
  attempts: number;
  lastError: string | null;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export interface DeliveryPreviewOut {
  official: string;
  lang: 'en' | 'es';
  signers: 'confirmed' | 'all';
  counts: { all: number; confirmed: number; listed: number };
  email: { subject: string; text: string; attachment: string };
  emailConfigured: boolean;
  deliveries: { official: string; to: string; signerCount: number; deliveredAt: string }[];
}

export type NewDestination =
  | { kind: 'webhook'; url: string; name?: string; partner?: string }
  | { kind: 'action_network'; url: string; apiKey: string; name?: string; partner?: string };

export interface DeliveryOptions {
  signers: 'confirmed' | 'all';
  lang?: 'en' | 'es';
}

const enc = encodeURIComponent;
const query = (o: DeliveryOptions) => new URLSearchParams({ signers: o.signers, ...(o.lang ? { lang: o.lang } : {}) }).toString();

/** The destinations and delivery calls, on AdminApi's one authenticated fetch and error envelope. */
export class DestinationsApi extends AdminApi {
  private post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.json(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }

  list(effort: string): Promise<DestinationOut[]> {
    return this.json(`/efforts/${enc(effort)}/destinations`);
  }

  /** A webhook's answer carries its signing secret, this once. */
  create(effort: string, d: NewDestination): Promise<DestinationOut & { secret?: string }> {
    return this.post(`/efforts/${enc(effort)}/destinations`, d);
  }

  pause(effort: string, id: string): Promise<DestinationOut> {
    return this.post(`/efforts/${enc(effort)}/destinations/${enc(id)}/pause`);
  }

  resume(effort: string, id: string): Promise<DestinationOut & { queued: number }> {
    return this.post(`/efforts/${enc(effort)}/destinations/${enc(id)}/resume`);
  }

  replay(effort: string, id: string): Promise<{ queued: number }> {
    return this.post(`/efforts/${enc(effort)}/destinations/${enc(id)}/replay`);
  }

  remove(effort: string, id: string): Promise<{ id: string; deleted: true }> {
    return this.json(`/efforts/${enc(effort)}/destinations/${enc(id)}`, { method: 'DELETE' });
  }

  log(effort: string, id: string): Promise<DeliveryLogOut[]> {
    return this.json(`/efforts/${enc(effort)}/destinations/${enc(id)}/deliveries?limit=100`);
  }

  campaigns(effort: string): Promise<{ byCampaign: { slug: string; town: string; state: string; signatureCount: number }[] }> {
    return this.json(`/efforts/${enc(effort)}/totals?limit=200`);
  }

  deliveryPreview(campaign: string, o: DeliveryOptions): Promise<DeliveryPreviewOut> {
    return this.json(`/campaigns/${enc(campaign)}/delivery?${query(o)}`);
  }

  /** The delivery PDF itself (fetched with the token, then shown from a blob: URL). */
  async deliveryPdf(campaign: string, o: DeliveryOptions): Promise<Blob> {
    return (await this.fetch(`/campaigns/${enc(campaign)}/delivery.pdf?${query(o)}`)).blob();
  }

  sendDelivery(campaign: string, o: DeliveryOptions & { to: string; official?: string }) {
    return this.post<{ official: string; to: string; signerCount: number; deliveredAt: string }>(`/campaigns/${enc(campaign)}/delivery`, o);
  }
}
