/**
 * Server-side verification of a Cloudflare Turnstile token (https://developers.cloudflare.com/turnstile/).
 * Only used when TURNSTILE_SECRET is set; `fetch` is injectable so the verifier is tested without a network.
 */
export const SITEVERIFY_URL = 'https://challenges.cloudflare.com/turnstile/v0/siteverify';

export type TurnstileResult = { ok: true } | { ok: false; reason: 'rejected' | 'unavailable'; errorCodes: string[] };

export async function verifyTurnstile(
  secret: string,
  token: string,
  remoteIp: string | null,
  fetchImpl: typeof fetch = fetch,
): Promise<TurnstileResult> {
  const form = new FormData();
  form.append('secret', secret);
  form.append('response', token);
  if (remoteIp) form.append('remoteip', remoteIp);
  let outcome: { success?: unknown; 'error-codes'?: unknown };
  try {
    const res = await fetchImpl(SITEVERIFY_URL, { method: 'POST', body: form, signal: AbortSignal.timeout(5000) });
    if (!res.ok) return { ok: false, reason: 'unavailable', errorCodes: [`http-${res.status}`] };
    outcome = (await res.json()) as typeof outcome;
  } catch {
    return { ok: false, reason: 'unavailable', errorCodes: ['network-error'] };
  }
  if (outcome.success === true) return { ok: true };
  const errorCodes = Array.isArray(outcome['error-codes']) ? outcome['error-codes'].map(String) : [];
  // Cloudflare's own trouble is not the visitor's fault: they may retry.
  if (errorCodes.includes('internal-error')) return { ok: false, reason: 'unavailable', errorCodes };
  return { ok: false, reason: 'rejected', errorCodes };
}
