/**
 * Delivering a campaign's petition to its official (mounted at /v1/admin, behind the organizer token):
 * the PDF, a preview of the email, and sending it through the Email Service binding (`EMAIL`), recorded
 * as "Delivered to Mayor X on <date>" and shown on the campaign's public answer.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { purgeCached } from '../cache.ts';
import {
  deliverySigners,
  getDeliveryCampaign,
  listDeliveries,
  recordDelivery,
  signerCounts,
  type DeliveryCampaignRow,
  type SignerScope,
} from '../db/delivery.ts';
import type { AppEnv, Env } from '../env.ts';
import { ApiError, notFound, redact } from '../errors.ts';
import { DELIVERY_TEXT, deliveryPdf, type DeliveryLang } from '../events/delivery-pdf.ts';
import { adminAuth } from '../middleware/admin-auth.ts';
import { requireJson } from '../middleware/json.ts';
import { validate } from '../middleware/validate.ts';
import { Slug } from '../schemas.ts';

export const delivery = new Hono<AppEnv>();

delivery.use('/campaigns/:campaign/delivery', adminAuth);
delivery.use('/campaigns/:campaign/delivery.pdf', adminAuth);

const Params = z.object({ campaign: Slug });
const Options = {
  signers: z.enum(['confirmed', 'all'], 'Use "confirmed" or "all".').default('confirmed'),
  lang: z.enum(['en', 'es'], 'Use "en" or "es".').optional(),
};
const PdfQuery = z.strictObject(Options);
const SendInput = z.strictObject({
  ...Options,
  to: z.string('Enter the official’s email address.').trim().max(254).pipe(z.email('Enter a valid email address.')),
  /** How the official is named in the record and the email (default: the campaign's target, "Mayor X"). */
  official: z.string().trim().min(1).max(120).optional(),
});

/** The campaign's language: its creator's (when known), else English; `?lang=` overrides. */
const langOf = (c: DeliveryCampaignRow, lang?: DeliveryLang): DeliveryLang =>
  lang ?? (c.creator_lang === 'es' ? 'es' : 'en');
const officialOf = (c: DeliveryCampaignRow) => `${c.target_title} ${c.target_name}`.trim();

async function campaignOr404(db: D1Database, slug: string) {
  const c = await getDeliveryCampaign(db, slug);
  if (!c) throw notFound('That campaign');
  return c;
}

async function* signerPages(db: D1Database, campaignId: number, scope: SignerScope) {
  let after = 0;
  for (;;) {
    const rows = await deliverySigners(db, campaignId, scope, after, 1000);
    if (!rows.length) return;
    yield rows.map((r) => ({ name: `${r.first_name} ${r.last_name}`, zip: r.zip.slice(0, 5), signedAt: r.created_at }));
    after = rows.at(-1)!.id;
    if (rows.length < 1000) return;
  }
}

async function buildPdf(db: D1Database, c: DeliveryCampaignRow, scope: SignerScope, lang: DeliveryLang, official = officialOf(c)) {
  const counts = await signerCounts(db, c.id);
  // All: the campaign's count (with signatures carried over from the page it replaces, whose signers we do not hold).
  const all = c.signature_count;
  const bytes = await deliveryPdf({
    lang,
    title: c.title,
    official,
    place: `${c.town}, ${c.state}`,
    body: c.body,
    counts: { all, confirmed: counts.confirmed },
    scope,
    signers: signerPages(db, c.id, scope),
  });
  return { bytes, listed: counts[scope], all, confirmed: counts.confirmed };
}

const pdfName = (c: DeliveryCampaignRow) => `petition-${c.slug}-${new Date().toISOString().slice(0, 10)}.pdf`;

delivery.get('/campaigns/:campaign/delivery.pdf', validate('param', Params), validate('query', PdfQuery), async (c) => {
  const campaign = await campaignOr404(c.env.DB, c.req.valid('param').campaign);
  const { signers, lang } = c.req.valid('query');
  const { bytes } = await buildPdf(c.env.DB, campaign, signers, langOf(campaign, lang));
  return new Response(bytes, {
    headers: {
      'content-type': 'application/pdf',
      'content-disposition': `inline; filename="${pdfName(campaign)}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
});

function email(campaign: DeliveryCampaignRow, lang: DeliveryLang, official: string, listed: number) {
  const t = DELIVERY_TEXT[lang];
  return { subject: t.subject(campaign.title), text: t.mail(official, campaign.title, listed) };
}

/** The preview: what would be sent (subject, text, counts), and the deliveries made so far. */
delivery.get('/campaigns/:campaign/delivery', validate('param', Params), validate('query', PdfQuery), async (c) => {
  const campaign = await campaignOr404(c.env.DB, c.req.valid('param').campaign);
  const { signers, lang } = c.req.valid('query');
  const l = langOf(campaign, lang);
  const counts = await signerCounts(c.env.DB, campaign.id);
  const official = officialOf(campaign);
  return c.json({
    data: {
      official,
      lang: l,
      signers,
      counts: { all: campaign.signature_count, confirmed: counts.confirmed, listed: counts[signers] },
      email: { ...email(campaign, l, official, counts[signers]), attachment: pdfName(campaign) },
      emailConfigured: Boolean(c.env.EMAIL && c.env.EMAIL_FROM),
      deliveries: (await listDeliveries(c.env.DB, campaign.id)).map((d) => ({
        official: d.official,
        to: d.to_email,
        signerCount: d.signer_count,
        deliveredAt: d.delivered_at,
      })),
    },
  });
});

const from = (env: Env) => ({ email: env.EMAIL_FROM!, name: env.EMAIL_FROM_NAME ?? 'Sanctuary Petition' });

/** Email the PDF to the official, and record it. */
delivery.post('/campaigns/:campaign/delivery', requireJson, validate('param', Params), validate('json', SendInput), async (c) => {
  const campaign = await campaignOr404(c.env.DB, c.req.valid('param').campaign);
  const input = c.req.valid('json');
  if (!c.env.EMAIL || !c.env.EMAIL_FROM) {
    throw new ApiError(503, 'not_configured', 'Email is not set up for this Worker (the EMAIL binding and EMAIL_FROM).');
  }
  const lang = langOf(campaign, input.lang);
  const official = input.official ?? officialOf(campaign);
  const pdf = await buildPdf(c.env.DB, campaign, input.signers, lang, official);
  const mail = email(campaign, lang, official, pdf.listed);
  let messageId: string | null = null;
  try {
    const sent = await c.env.EMAIL.send({
      from: from(c.env),
      to: input.to,
      subject: mail.subject,
      text: mail.text,
      attachments: [{ disposition: 'attachment', filename: pdfName(campaign), type: 'application/pdf', content: pdf.bytes }],
    });
    messageId = sent.messageId ?? null;
  } catch (err) {
    console.error('[sanctuary-petition] delivery email failed:', redact((err as Error).message));
    throw new ApiError(502, 'internal_error', 'The email could not be sent. Nothing was recorded; try again.');
  }
  const row = await recordDelivery(c.env.DB, { campaignId: campaign.id, official, toEmail: input.to, signerCount: pdf.listed, messageId });
  // The public campaign page shows "Delivered to …": drop its cached copy.
  await purgeCached(new URL(c.req.url).origin, { campaign: campaign.slug });
  return c.json({ data: { official: row!.official, to: row!.to_email, signerCount: row!.signer_count, deliveredAt: row!.delivered_at, messageId } }, 201);
});
