import { exports } from 'cloudflare:workers';

/**
 * The Worker's origin in tests: one per test file. The Cache API is shared by the test files running at
 * once, and its keys carry the origin, so a page cached by one file (from its own database) can never
 * be read by another.
 */
export const BASE = `https://t-${crypto.randomUUID().slice(0, 8)}.sanctuary.test`;
export const PARTNER_ORIGIN = 'https://partner.example';

/** Statements of a seed file (one per `;` at a line's end; the seed has no triggers). */
export const splitSql = (sql: string) =>
  sql
    .split(/;\s*$/m)
    .map((s) => s.replace(/^--.*$/gm, '').trim())
    .filter(Boolean);

/** A request through the whole Worker (routing, middleware, D1), as a partner page would send it. */
export function call(path: string, init: RequestInit & { cf?: Record<string, unknown> } = {}) {
  const headers = new Headers(init.headers);
  if (!headers.has('origin')) headers.set('origin', PARTNER_ORIGIN);
  return (exports as { default: { fetch: (r: Request) => Promise<Response> } }).default.fetch(
    new Request(`${BASE}${path}`, { ...init, headers } as RequestInit),
  );
}

export function postJson(path: string, body: unknown, headers: Record<string, string> = {}) {
  return call(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export async function json<T = any>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

let n = 0;
/** A valid signature with a unique email each call. */
export const signer = (over: Record<string, unknown> = {}) => ({
  firstName: 'Ana',
  lastName: 'Lopez',
  email: `ana.${Date.now()}.${n++}@example.org`,
  zip: '60076',
  ...over,
});
