/**
 * What this browser has signed: the campaigns (slugs, per API origin) whose signature it sent and saw
 * delivered, so `sanctuary-signed` fires once per campaign per browser, however often the supporter signs
 * again (the server counts one per email and answers a repeat like a new one: it reveals nothing, so
 * the widget must remember). Slugs only, never who signed; kept in the page's localStorage (in memory
 * where there is none), at most MAX campaigns.
 */
export const SIGNED_KEY = 'sanctuary-petition:signed:v1';
const MAX = 200;
let memory: string[] | undefined;

function load(): string[] {
  if (memory) return memory;
  try {
    const stored: unknown = JSON.parse(globalThis.localStorage?.getItem(SIGNED_KEY) ?? '[]');
    memory = Array.isArray(stored) ? stored.filter((k): k is string => typeof k === 'string') : [];
  } catch {
    memory = [];
  }
  return memory;
}

/** Remembers that this browser signed `campaign` at `api`: true the first time, false ever after. */
export function firstSignature(api: string, campaign: string): boolean {
  // Read again each time: another tab (or a test) may have changed it.
  memory = undefined;
  const signed = load();
  const key = `${api}|${campaign}`;
  if (signed.includes(key)) return false;
  signed.push(key);
  try {
    globalThis.localStorage?.setItem(SIGNED_KEY, JSON.stringify(signed.slice(-MAX)));
  } catch {
    /* no storage (private mode, full): remembered for this page only */
  }
  return true;
}
