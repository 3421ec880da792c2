/**
 * Local stand-ins for the organizers' systems the Worker delivers to, served on 127.0.0.1 (the Worker
 * under `wrangler dev` accepts http://127.0.0.1 destinations because it runs locally):
 *  - a webhook receiver (any CRM): records each request, answers 500 to the first `failFirst`;
 *  - Action Network: its record signature helper (OSDI, https://actionnetwork.org/docs/v2/record_signature_helper),
 *    `POST /api/v2/petitions/:id/signatures/` with the `OSDI-API-Token` header and a body holding the person
 *    (email_addresses, given_name, family_name, postal_addresses) and add_tags. A request of another shape
 *    gets 400 (as Action Network refuses it), a wrong key 401; `failNext(n)` makes the next n answer 503.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return `http://127.0.0.1:${port}`;
}

const read = (req: import('node:http').IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => (body += d));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });

export async function startWebhookReceiver(opts: { failFirst?: number } = {}) {
  let failures = opts.failFirst ?? 0;
  const requests: Received[] = [];
  const server = createServer(async (req, res) => {
    const body = await read(req);
    const status = failures-- > 0 ? 500 : 204;
    requests.push({ method: req.method!, path: req.url!, headers: req.headers, body, status });
    res.writeHead(status).end();
  });
  const url = await listen(server);
  return { url: `${url}/hook`, requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Why an OSDI record-signature body is not one (null: it is). */
function osdiProblem(body: unknown): string | null {
  const b = body as { person?: Record<string, unknown>; add_tags?: unknown };
  const p = b?.person as { email_addresses?: { address?: unknown }[]; given_name?: unknown; family_name?: unknown; postal_addresses?: { postal_code?: unknown }[] };
  if (!p || typeof p !== 'object') return 'person is required';
  if (!Array.isArray(p.email_addresses) || typeof p.email_addresses[0]?.address !== 'string' || !p.email_addresses[0].address.includes('@'))
    return 'person.email_addresses[0].address is required';
  if (typeof p.given_name !== 'string' || typeof p.family_name !== 'string') return 'given_name and family_name are strings';
  if (!Array.isArray(p.postal_addresses) || !/^\d{5}$/.test(String(p.postal_addresses[0]?.postal_code))) return 'postal_addresses[0].postal_code';
  if (b.add_tags !== undefined && !(Array.isArray(b.add_tags) && b.add_tags.every((t) => typeof t === 'string'))) return 'add_tags is an array of strings';
  return null;
}

export async function startActionNetwork(opts: { apiKey: string; petitionId: string }) {
  let failing = 0;
  const requests: Received[] = [];
  const signatures: { petition: string; body: Record<string, unknown> }[] = [];
  const server = createServer(async (req, res) => {
    const body = await read(req);
    const answer = (status: number, json: unknown) => {
      requests.push({ method: req.method!, path: req.url!, headers: req.headers, body, status });
      res.writeHead(status, { 'content-type': 'application/hal+json' }).end(JSON.stringify(json));
    };
    const m = /^\/api\/v2\/petitions\/([^/]+)\/signatures\/?$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !m) return answer(404, { error: 'not found' });
    if (req.headers['osdi-api-token'] !== opts.apiKey) return answer(401, { error: 'API Key invalid or not present' });
    if (m[1] !== opts.petitionId) return answer(404, { error: 'petition not found' });
    if (failing > 0) {
      failing--;
      return answer(503, { error: 'unavailable' });
    }
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(body);
    } catch {
      return answer(400, { error: 'JSON' });
    }
    const problem = osdiProblem(parsed);
    if (problem) return answer(400, { error: problem });
    signatures.push({ petition: m[1]!, body: parsed });
    return answer(200, { identifiers: [`action_network:${crypto.randomUUID()}`], created_date: new Date().toISOString(), _links: {} });
  });
  const url = await listen(server);
  return {
    /** The petition's API address, as an organizer enters it. */
    petitionUrl: `${url}/api/v2/petitions/${opts.petitionId}`,
    requests,
    signatures,
    failNext(n: number) {
      failing = n;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
