/**
 * The organizer API, mounted at /v1/admin, every route behind the bearer token (ADMIN_TOKEN):
 * efforts and their settings, targets from CSV, the moderation queue, totals, CSV export.
 * These answers carry personal data (creators' emails, signatures): never cached, never public.
 */
import { parse } from 'csv-parse/sync';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import {
  effortTotals,
  exportCursorOf,
  exportPage,
  getAdminCampaign,
  getAdminEffort,
  insertEffort,
  listCampaigns,
  listEfforts,
  listTargets,
  updateCampaign,
  updateEffort,
  upsertTargets,
  type AdminCampaignRow,
  type AdminEffortRow,
  type ExportCursor,
  type ExportRow,
  type ExportScope,
} from '../db/admin.ts';
import { recountEffort } from '../db/confirmations.ts';
import { getEffortTemplates } from '../db/new-campaigns.ts';
import { listEffortOrigins, normaliseOrigin, setEffortOrigins, upsertPartner } from '../db/origins.ts';
import { listPartnerAttempts, listPartners } from '../db/partners.ts';
import { listAudit, recordAudit } from '../db/audit.ts';
import { erasePerson, findPerson } from '../db/privacy.ts';
import { emailHashKey } from '../form-guard.ts';
import { csvStream } from '../csv-export.ts';
import { purgeCached } from '../cache.ts';
import type { AppEnv } from '../env.ts';
import { ApiError, notFound } from '../errors.ts';
import { hmacHex, normaliseEmail } from '../crypto.ts';
import { adminAuth, tokenMatches } from '../middleware/admin-auth.ts';
import { requireJson } from '../middleware/json.ts';
import { validate } from '../middleware/validate.ts';
import { createCampaign, draftWithEdits } from '../new-campaign.ts';
import { presentCampaignSummary, presentEffort } from '../present.ts';
import {
  AdminCampaignsQuery,
  AdminNewCampaignInput,
  CampaignPatch,
  EffortInput,
  EffortPatch,
  PartnerCode,
  plainLineField,
  SlugParams,
  TargetCsvRow,
  TotalsQuery,
  type AdminCampaignOut,
  type AdminEffortOut,
  type CampaignStatus,
  type ErrorIssue,
  type TotalsOut,
} from '../schemas.ts';

export const admin = new Hono<AppEnv>();

admin.use('*', adminAuth);

/**
 * The audit log: every change an organizer makes (any method but GET/HEAD, answered 2xx) is recorded
 * with who made it (the Access email, or "token"), the route, the path, and the names of the fields
 * sent (never their values: a privacy request names a supporter's email).
 */
admin.use('*', async (c, next) => {
  const method = c.req.method;
  const fields = method === 'GET' || method === 'HEAD' || !/json/i.test(c.req.header('content-type') ?? '')
    ? null
    : await c.req.raw.clone().json().then((b) => (b && typeof b === 'object' && !Array.isArray(b) ? Object.keys(b).slice(0, 30) : null), () => null);
  await next();
  if (method === 'GET' || method === 'HEAD' || c.res.status >= 300) return;
  await recordAudit(c.env.DB, {
    actor: c.get('actor'),
    action: `${method} ${c.req.routePath.replace(/^\/v1\/admin/, '')}`,
    subject: c.req.path.replace(/^\/v1\/admin/, '').slice(0, 300),
    detail: fields ? JSON.stringify({ fields }) : null,
  });
});
// The public API takes 16 kB bodies at most; a targets CSV may be larger.
admin.use(
  '*',
  bodyLimit({
    maxSize: 5 * 1024 * 1024,
    onError: () => {
      throw new ApiError(413, 'payload_too_large', 'The request body is too large (5 MB at most).');
    },
  }),
);

const presentAdminEffort = (e: AdminEffortRow): AdminEffortOut => ({
  ...presentEffort(e),
  titleTemplate: e.title_template,
  bodyTemplate: e.body_template,
  defaultGoal: e.default_goal,
  distanceLimitKm: e.distance_limit_km,
  moderation: e.moderation,
  counting: e.counting,
  createdAt: e.created_at,
});

const presentAdminCampaign = (c: AdminCampaignRow): AdminCampaignOut => ({
  id: c.id,
  ...presentCampaignSummary(c),
  body: c.body,
  status: c.status,
  targetId: c.target_id,
  creatorEmail: c.creator_email,
  createdAt: c.created_at,
});

async function effortOr404(db: D1Database, slug: string) {
  const effort = await getAdminEffort(db, slug);
  if (!effort) throw notFound('That effort');
  return effort;
}

async function campaignOr404(db: D1Database, slug: string) {
  const campaign = await getAdminCampaign(db, slug);
  if (!campaign) throw notFound('That campaign');
  return campaign;
}

// ---- Efforts ------------------------------------------------------------------------------------

admin.get('/efforts', async (c) => c.json({ data: (await listEfforts(c.env.DB)).map(presentAdminEffort) }));

admin.post('/efforts', requireJson, validate('json', EffortInput), async (c) => {
  const effort = await insertEffort(c.env.DB, c.req.valid('json'));
  if (!effort) {
    throw new ApiError(400, 'validation_failed', 'Some fields need attention.', [{ path: 'slug', message: 'This slug is already taken.' }]);
  }
  return c.json({ data: presentAdminEffort(effort) }, 201, { location: `/v1/admin/efforts/${effort.slug}` });
});

admin.get('/efforts/:slug', validate('param', SlugParams), async (c) =>
  c.json({ data: presentAdminEffort(await effortOr404(c.env.DB, c.req.valid('param').slug)) }),
);

admin.patch('/efforts/:slug', requireJson, validate('param', SlugParams), validate('json', EffortPatch), async (c) => {
  const effort = await effortOr404(c.env.DB, c.req.valid('param').slug);
  const patch = c.req.valid('json');
  let updated = await updateEffort(c.env.DB, effort.id, patch);
  // A new counting rule applies to the signatures already there too: the counts are recomputed.
  if (patch.counting !== undefined && patch.counting !== effort.counting) {
    await recountEffort(c.env.DB, effort.id);
    updated = await getAdminEffort(c.env.DB, effort.slug);
    await purgeCached(new URL(c.req.url).origin, { effort: effort.slug });
  }
  return c.json({ data: presentAdminEffort(updated!) });
});

// ---- Targets ------------------------------------------------------------------------------------

const MAX_TARGET_ROWS = 50_000;

/**
 * POST a CSV (Content-Type: text/csv) with the header `name,title,jurisdiction,state,lat,lon`:
 * each row adds a target, or updates the one with the same jurisdiction, state and title.
 * All rows are checked first; one bad row rejects the file, naming each bad line and column.
 */
admin.post('/efforts/:slug/targets', validate('param', SlugParams), async (c) => {
  if (!/^text\/(csv|plain)\b/i.test(c.req.header('content-type') ?? '')) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the targets as CSV with Content-Type: text/csv.');
  }
  const effort = await effortOr404(c.env.DB, c.req.valid('param').slug);
  let records: Record<string, string>[];
  try {
    records = parse(await c.req.text(), {
      bom: true,
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
    });
  } catch (err) {
    throw new ApiError(400, 'validation_failed', 'The CSV could not be read.', [{ path: '(csv)', message: (err as Error).message.slice(0, 300) }]);
  }
  if (records.length === 0) throw new ApiError(400, 'validation_failed', 'The CSV has no rows.');
  if (records.length > MAX_TARGET_ROWS) {
    throw new ApiError(400, 'validation_failed', `Send at most ${MAX_TARGET_ROWS} targets at a time.`);
  }
  const rows: z.output<typeof TargetCsvRow>[] = [];
  const issues: ErrorIssue[] = [];
  records.forEach((record, i) => {
    const r = TargetCsvRow.safeParse(record);
    // Line numbers as a spreadsheet shows them: the header is line 1.
    if (r.success) rows.push(r.data);
    else for (const issue of r.error.issues) issues.push({ path: `line ${i + 2}.${issue.path.join('.')}`, message: issue.message });
  });
  if (issues.length) throw new ApiError(400, 'validation_failed', 'Some rows need attention.', issues.slice(0, 100));
  const result = await upsertTargets(c.env.DB, effort.id, rows);
  return c.json({ data: result });
});

const PageQuery = z.strictObject({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

admin.get('/efforts/:slug/targets', validate('param', SlugParams), validate('query', PageQuery), async (c) => {
  const effort = await effortOr404(c.env.DB, c.req.valid('param').slug);
  const { after, limit } = c.req.valid('query');
  const rows = await listTargets(c.env.DB, effort.id, after, limit);
  const data = rows.map((t) => ({ id: t.id, name: t.name, title: t.title, jurisdiction: t.jurisdiction, state: t.state,
    lat: t.lat, lon: t.lon, campaignCount: t.campaign_count }));
  return c.json({ data, nextCursor: rows.length === limit ? rows.at(-1)!.id : null });
});

// ---- Campaigns and moderation -------------------------------------------------------------------

/** The moderation queue by default (unlisted and pending, oldest first); any statuses with ?status=. */
admin.get('/efforts/:slug/campaigns', validate('param', SlugParams), validate('query', AdminCampaignsQuery), async (c) => {
  const effort = await effortOr404(c.env.DB, c.req.valid('param').slug);
  const { status, cursor, limit } = c.req.valid('query');
  const rows = await listCampaigns(c.env.DB, effort.id, status, cursor, limit);
  return c.json({ data: rows.map(presentAdminCampaign), nextCursor: rows.length === limit ? rows.at(-1)!.id : null });
});

/** An organizer starts a campaign: live at once unless `status` says otherwise. */
admin.post('/efforts/:slug/campaigns', requireJson, validate('param', SlugParams), validate('json', AdminNewCampaignInput), async (c) => {
  const effort = await getEffortTemplates(c.env.DB, c.req.valid('param').slug);
  if (!effort) throw notFound('That effort');
  const input = c.req.valid('json');
  const draft = await draftWithEdits(c.env.DB, effort, input);
  const slug = await createCampaign(c.env.DB, effort.id, { draft, status: input.status, creator: null, slug: input.slug });
  return c.json({ data: presentAdminCampaign((await getAdminCampaign(c.env.DB, slug))!) }, 201);
});

admin.get('/campaigns/:slug', validate('param', SlugParams), async (c) =>
  c.json({ data: presentAdminCampaign(await campaignOr404(c.env.DB, c.req.valid('param').slug)) }),
);

admin.patch('/campaigns/:slug', requireJson, validate('param', SlugParams), validate('json', CampaignPatch), async (c) => {
  const campaign = await campaignOr404(c.env.DB, c.req.valid('param').slug);
  const updated = await updateCampaign(c.env.DB, campaign.id, c.req.valid('json'));
  await purgePublic(c.env.DB, new URL(c.req.url).origin, campaign);
  return c.json({ data: presentAdminCampaign(updated!) });
});

/** Drops the cached public campaign page and its effort's totals after an organizer's change. */
async function purgePublic(db: D1Database, origin: string, campaign: { slug: string; effort_id: number }) {
  const effort = await db.prepare('SELECT slug FROM efforts WHERE id = ?1').bind(campaign.effort_id).first<{ slug: string }>();
  await purgeCached(origin, { campaign: campaign.slug, effort: effort?.slug });
}

const setStatus = (status: CampaignStatus) =>
  admin.post(`/campaigns/:slug/${status === 'live' ? 'approve' : 'suppress'}`, validate('param', SlugParams), async (c) => {
    const campaign = await campaignOr404(c.env.DB, c.req.valid('param').slug);
    const updated = await updateCampaign(c.env.DB, campaign.id, { status });
    // The cached public page must not outlive a suppression (nor hide an approval).
    await purgePublic(c.env.DB, new URL(c.req.url).origin, campaign);
    return c.json({ data: presentAdminCampaign(updated!) });
  });
/** Approve: live, listed in lookups. Suppress: unreachable, kept for the record (and the export). */
setStatus('live');
setStatus('suppressed');

// ---- Partners and sites --------------------------------------------------------------------------

const PartnerInput = z.strictObject({
  code: PartnerCode,
  name: plainLineField('the partner’s name', 120),
  origins: z.array(z.string().max(300)).max(50).default([]),
});
const OriginsInput = z.strictObject({ origins: z.array(z.string().max(300)).max(200) });

/** Origins as the browser sends them, or a 400 naming the one that is not a site. */
function sites(origins: string[], path: string): string[] {
  const issues = origins.flatMap((o, i) => (normaliseOrigin(o) ? [] : [{ path: `${path}.${i}`, message: `Not a site address (https://…): ${o.slice(0, 80)}` }]));
  if (issues.length) throw new ApiError(400, 'validation_failed', 'Some fields need attention.', issues);
  return origins;
}

admin.get('/partners', async (c) => c.json({ data: await listPartners(c.env.DB) }));

/** Registers a partner (or updates its name) with its sites: signatures from those sites are credited to it. */
admin.post('/partners', requireJson, validate('json', PartnerInput), async (c) => {
  const input = c.req.valid('json');
  const partner = await upsertPartner(c.env.DB, { ...input, origins: sites(input.origins, 'origins') });
  return c.json({ data: partner }, 201);
});

admin.get('/efforts/:slug/origins', validate('param', SlugParams), async (c) => {
  const effort = await effortOr404(c.env.DB, c.req.valid('param').slug);
  return c.json({ data: { origins: await listEffortOrigins(c.env.DB, effort.id) } });
});

/** The sites that may embed the effort (an empty list: any site). */
admin.put('/efforts/:slug/origins', requireJson, validate('param', SlugParams), validate('json', OriginsInput), async (c) => {
  const effort = await effortOr404(c.env.DB, c.req.valid('param').slug);
  const origins = await setEffortOrigins(c.env.DB, effort.id, sites(c.req.valid('json').origins, 'origins'));
  return c.json({ data: { origins } });
});

/** Partner codes pages used but that are not registered for the page's site: what to register. */
admin.get('/efforts/:slug/partner-attempts', validate('param', SlugParams), async (c) => {
  const effort = await effortOr404(c.env.DB, c.req.valid('param').slug);
  const rows = await listPartnerAttempts(c.env.DB, effort.id);
  return c.json({
    data: rows.map((r) => ({ code: r.code, origin: r.origin, attempts: r.attempts, firstSeen: r.first_seen, lastSeen: r.last_seen,
      partnerName: r.partner_name, reason: r.partner_name ? 'site_not_registered' : 'unknown_partner' })),
  });
});

// ---- A supporter's privacy request -------------------------------------------------------------
// The email travels in the body (never in a URL, which logs keep); the audit log keeps only "email".

const PersonInput = z.strictObject({
  email: z.string('Enter the person’s email address.').trim().max(254).pipe(z.email('Enter a valid email address.')),
});

async function person(c: { env: AppEnv['Bindings'] }, raw: string) {
  const email = normaliseEmail(raw);
  return { email, hash: await hmacHex(emailHashKey(c.env), email) };
}

/** What we hold about a person across the effort: their signatures and the campaigns they started. */
admin.post('/efforts/:slug/privacy/find', requireJson, validate('param', SlugParams), validate('json', PersonInput), async (c) => {
  const effort = await effortOr404(c.env.DB, c.req.valid('param').slug);
  const p = await person(c, c.req.valid('json').email);
  const found = await findPerson(c.env.DB, effort.id, p.hash, p.email);
  return c.json({
    data: {
      effort: effort.slug,
      email: p.email,
      signatures: found.signatures.map((s) => ({
        campaign: s.campaign, firstName: s.first_name, lastName: s.last_name, email: s.email, zip: s.zip, phone: s.phone,
        partner: s.partner, consentPartner: s.consent_partner === 1, consentEffort: s.consent_effort === 1,
        referralCode: s.referral_code, referredBy: s.referred_by, signedAt: s.created_at, anonymisedAt: s.anonymised_at,
      })),
      campaigns: found.campaigns.map((x) => ({ slug: x.slug, title: x.title, status: x.status, creatorName: x.creator_name,
        creatorEmail: x.creator_email, createdAt: x.created_at })),
    },
  });
});

/**
 * Erases the person across the effort: their signatures are deleted with every count corrected (the
 * campaign's, the effort's, the partner's), and their name and email leave the campaigns they started
 * (which stay, with their other signers). The person may sign again later; it then counts anew.
 */
admin.post('/efforts/:slug/privacy/erase', requireJson, validate('param', SlugParams), validate('json', PersonInput), async (c) => {
  const effort = await effortOr404(c.env.DB, c.req.valid('param').slug);
  const p = await person(c, c.req.valid('json').email);
  const before = await findPerson(c.env.DB, effort.id, p.hash, p.email);
  const erased = await erasePerson(c.env.DB, effort.id, p.hash, p.email);
  // Public pages and totals must not show the erased signers or counts.
  const origin = new URL(c.req.url).origin;
  const slugs = [...new Set([...before.signatures.map((s) => s.campaign), ...before.campaigns.map((x) => x.slug)])];
  await Promise.all(slugs.map((slug) => purgeCached(origin, { campaign: slug, effort: effort.slug })));
  return c.json({ data: { erased: { signatures: erased.signatures, campaigns: erased.campaigns } } });
});

// ---- Audit log -----------------------------------------------------------------------------------

const AuditQuery = z.strictObject({
  before: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Organizer actions, newest first: who did what, when. */
admin.get('/audit', validate('query', AuditQuery), async (c) => {
  const { before, limit } = c.req.valid('query');
  const rows = await listAudit(c.env.DB, before, limit);
  return c.json({
    data: rows.map((r) => ({ id: r.id, at: r.at, actor: r.actor, action: r.action, subject: r.subject, detail: r.detail ? JSON.parse(r.detail) : null })),
    nextCursor: rows.length === limit ? rows.at(-1)!.id : null,
  });
});

// ---- Totals -------------------------------------------------------------------------------------

admin.get('/efforts/:slug/totals', validate('param', SlugParams), validate('query', TotalsQuery), async (c) => {
  const effort = await effortOr404(c.env.DB, c.req.valid('param').slug);
  const { limit, offset } = c.req.valid('query');
  const t = await effortTotals(c.env.DB, effort.id, limit, offset);
  const byStatus: TotalsOut['byStatus'] = { live: 0, unlisted: 0, pending: 0, suppressed: 0 };
  for (const s of t.byStatus) byStatus[s.status] = s.n;
  const body: TotalsOut = {
    effort: { slug: effort.slug, signatureCount: effort.signature_count, campaignCount: effort.campaign_count, goal: effort.goal },
    byStatus,
    byCampaign: t.byCampaign.map((r) => ({ slug: r.slug, town: r.town, state: r.state, status: r.status,
      signatureCount: r.signature_count, goal: r.goal })),
    byPartner: t.byPartner.map((r) => ({ partner: r.partner, signatureCount: r.n })),
  };
  return c.json({ data: body });
});

// ---- CSV export ---------------------------------------------------------------------------------

export const EXPORT_HEADER = ['signed_at', 'first_name', 'last_name', 'email', 'zip', 'phone', 'campaign', 'campaign_status',
  'town', 'state', 'partner', 'consent_partner', 'consent_effort', 'signature_id', 'confirmed', 'confirmed_at', 'held_reason'];

const yesNo = (v: number) => (v ? 'yes' : 'no');

const ExportQuery = z.strictObject({
  /** Resume after this signature id (the last `signature_id` already fetched). */
  after: z.coerce.number().int().min(0).default(0),
});

async function exportResponse(db: D1Database, scope: ExportScope, name: string, afterId: number): Promise<Response> {
  const start = afterId ? await exportCursorOf(db, afterId) : null;
  if (afterId && !start) throw new ApiError(400, 'validation_failed', 'Some fields need attention.', [{ path: 'after', message: 'No such signature.' }]);
  const stream = csvStream<ExportRow, ExportCursor>(
    {
      header: EXPORT_HEADER,
      page: (after, limit) => exportPage(db, scope, after, limit),
      cursor: (r) => ({ createdAt: r.created_at, id: r.id }),
      cells: (r) => [r.created_at, r.first_name, r.last_name, r.email, r.zip, r.phone, r.campaign, r.campaign_status, r.town,
        r.state, r.partner, yesNo(r.consent_partner), yesNo(r.consent_effort), r.id, yesNo(r.confirmed_at ? 1 : 0), r.confirmed_at,
        r.held_reason],
    },
    1000,
    start,
  );
  const date = new Date().toISOString().slice(0, 10);
  return new Response(stream, {
    headers: {
      'content-type': 'text/csv; charset=utf-8; header=present',
      'content-disposition': `attachment; filename="signatures-${name}-${date}.csv"`,
      'x-content-type-options': 'nosniff',
    },
  });
}

/** The CSV export of an effort's or one campaign's signatures, streamed from signature `after` on. */
async function exportOf(db: D1Database, kind: 'efforts' | 'campaigns', slug: string, after: number): Promise<Response> {
  if (kind === 'efforts') {
    const effort = await effortOr404(db, slug);
    return exportResponse(db, { effortId: effort.id }, effort.slug, after);
  }
  const campaign = await campaignOr404(db, slug);
  return exportResponse(db, { campaignId: campaign.id }, campaign.slug, after);
}

admin.get('/efforts/:slug/signatures.csv', validate('param', SlugParams), validate('query', ExportQuery), (c) =>
  exportOf(c.env.DB, 'efforts', c.req.valid('param').slug, c.req.valid('query').after),
);

admin.get('/campaigns/:slug/signatures.csv', validate('param', SlugParams), validate('query', ExportQuery), (c) =>
  exportOf(c.env.DB, 'campaigns', c.req.valid('param').slug, c.req.valid('query').after),
);

// ---- Download links ------------------------------------------------------------------------------
// A browser cannot send the bearer token with a plain download, and fetching the CSV into memory first
// would hold every row in the organizer's tab. So the page asks for a short-lived signed link (behind
// the token) and lets the browser download from it: the server streams, the browser writes to disk.

/** Seconds a download link stays valid. */
export const EXPORT_LINK_TTL_S = 60;

/**
 * The key of download links: derived from the organizer secret (HKDF-SHA-256, its own label), never the
 * secret itself, so a leaked link signature says nothing usable about the token. The secret is
 * ADMIN_TOKEN, or EMAIL_HASH_KEY where only Cloudflare Access signs organizers in. Null: neither is set.
 */
const linkKeys = new Map<string, Promise<string>>();
function linkKey(env: AppEnv['Bindings']): Promise<string> | null {
  const secret = (env.ADMIN_TOKEN?.length ?? 0) >= 16 ? env.ADMIN_TOKEN! : env.EMAIL_HASH_KEY;
  if (!secret) return null;
  let key = linkKeys.get(secret);
  if (!key) {
    key = (async () => {
      const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), 'HKDF', false, ['deriveBits']);
      const bits = await crypto.subtle.deriveBits(
        { name: 'HKDF', hash: 'SHA-256', salt: new TextEncoder().encode('sanctuary-petition'), info: new TextEncoder().encode('download-links v1') },
        base,
        256,
      );
      return [...new Uint8Array(bits)].map((b) => b.toString(16).padStart(2, '0')).join('');
    })();
    linkKeys.set(secret, key);
  }
  return key;
}

const linkSignature = async (key: string, kind: 'efforts' | 'campaigns', slug: string, expires: number) =>
  hmacHex(key, `export-link|${kind}|${slug}|${expires}`);

async function exportLink(env: AppEnv['Bindings'], kind: 'efforts' | 'campaigns', slug: string, now = Date.now()) {
  const key = linkKey(env);
  if (!key) throw new ApiError(500, 'internal_error', 'Download links need ADMIN_TOKEN or EMAIL_HASH_KEY to be set (see docs/deployment.md).');
  const expires = Math.floor(now / 1000) + EXPORT_LINK_TTL_S;
  const sig = await linkSignature(await key, kind, slug, expires);
  return { url: `/v1/downloads/${kind}/${slug}/signatures.csv?expires=${expires}&sig=${sig}`, expiresAt: new Date(expires * 1000).toISOString() };
}

admin.post('/efforts/:slug/export-link', validate('param', SlugParams), async (c) => {
  const effort = await effortOr404(c.env.DB, c.req.valid('param').slug);
  return c.json({ data: await exportLink(c.env, 'efforts', effort.slug) });
});

admin.post('/campaigns/:slug/export-link', validate('param', SlugParams), async (c) => {
  const campaign = await campaignOr404(c.env.DB, c.req.valid('param').slug);
  return c.json({ data: await exportLink(c.env, 'campaigns', campaign.slug) });
});

// Unknown organizer paths: 404 behind the token too (the token check ran first).
admin.all('*', () => {
  throw new ApiError(404, 'not_found', 'There is no such endpoint.');
});

/**
 * GET /v1/downloads/(efforts|campaigns)/:slug/signatures.csv?expires=…&sig=…: the export, streamed, for a
 * link made by …/export-link in the last EXPORT_LINK_TTL_S seconds. The signature (HMAC keyed with
 * a key derived from the organizer secret, see linkKey; compared in constant time) binds the kind, the slug and the expiry: a link opens only
 * what it was made for, only briefly, and stops working when the token is rotated.
 */
export const downloads = new Hono<AppEnv>();

const DownloadParams = z.strictObject({ kind: z.enum(['efforts', 'campaigns']), slug: SlugParams.shape.slug });
const DownloadQuery = z.strictObject({
  expires: z.coerce.number().int().positive(),
  sig: z.string().regex(/^[0-9a-f]{64}$/, 'Use the link exactly as /v1/admin/…/export-link gave it.'),
  after: z.coerce.number().int().min(0).default(0),
});

downloads.get('/:kind/:slug/signatures.csv', validate('param', DownloadParams), validate('query', DownloadQuery), async (c) => {
  const { kind, slug } = c.req.valid('param');
  const { expires, sig, after } = c.req.valid('query');
  const key = linkKey(c.env);
  const now = Date.now() / 1000;
  const fresh = expires > now && expires <= now + EXPORT_LINK_TTL_S + 1;
  if (!key || !fresh || !(await tokenMatches(sig, await linkSignature(await key, kind, slug, expires)))) {
    throw new ApiError(401, 'unauthorized', 'This download link is not valid or has expired: export again from the organizer page.');
  }
  const res = await exportOf(c.env.DB, kind, slug, after);
  // Personal data: no cache may keep it, and the link is not sent on as a Referer.
  res.headers.set('cache-control', 'no-store');
  res.headers.set('referrer-policy', 'no-referrer');
  return res;
});
