/**
 * What each kind of destination receives for an event: the JSON of a Standard Webhooks request, and the
 * OSDI record-signature request of Action Network. Built at delivery time from D1 (the queue carries
 * only event ids, never personal data).
 */
import type { EventRow } from '../db/events.ts';

export interface WebhookBody {
  type: string;
  timestamp: string;
  data: {
    id: string;
    effort: string;
    campaign: { slug: string; title: string; town: string; state: string; status: string; target: { name: string; title: string }; creatorName: string | null };
    signature?: {
      firstName: string;
      lastName: string;
      email: string;
      zip: string;
      phone: string | null;
      partner: string | null;
      consentPartner: boolean;
      consentEffort: boolean;
      signedAt: string;
    };
  };
}

/** The webhook body (Standard Webhooks' recommended `{ type, timestamp, data }`). */
export function webhookBody(e: EventRow): WebhookBody {
  const body: WebhookBody = {
    type: e.type,
    timestamp: e.created_at,
    data: {
      id: e.id,
      effort: e.effort_slug,
      campaign: {
        slug: e.campaign_slug,
        title: e.campaign_title,
        town: e.town,
        state: e.state,
        status: e.campaign_status,
        target: { name: e.target_name, title: e.target_title },
        // The public form ("Denise L."); a creator's email is not sent on.
        creatorName: e.creator_name,
      },
    },
  };
  if (e.signature_id !== null) {
    body.data.signature = {
      firstName: e.first_name ?? '',
      lastName: e.last_name ?? '',
      email: e.email ?? '',
      zip: e.zip ?? '',
      phone: e.phone,
      partner: e.partner,
      consentPartner: e.consent_partner === 1,
      consentEffort: e.consent_effort === 1,
      signedAt: e.signed_at ?? e.created_at,
    };
  }
  return body;
}

/**
 * Action Network's record signature helper (OSDI, https://actionnetwork.org/docs/v2/record_signature_helper):
 * POST {petition}/signatures with `OSDI-API-Token`; the person (email, given and family name, postal code,
 * phone) and tags; the campaign as a tag and as the referrer source.
 */
export function osdiSignature(e: EventRow) {
  const person: Record<string, unknown> = {
    given_name: e.first_name ?? '',
    family_name: e.last_name ?? '',
    email_addresses: [{ address: e.email ?? '' }],
    postal_addresses: [{ postal_code: (e.zip ?? '').slice(0, 5), country: 'US' }],
  };
  if (e.phone) person.phone_numbers = [{ number: e.phone }];
  return {
    identifiers: [`sanctuary_petition:${e.id}`],
    person,
    add_tags: [`sanctuary-petition`, `campaign:${e.campaign_slug}`],
    'action_network:referrer_data': { source: e.campaign_slug, referrer: e.partner ?? e.effort_slug },
  };
}
