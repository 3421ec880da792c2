/** Hashing helpers on WebCrypto. Keys are imported once per isolate and reused. */
const encoder = new TextEncoder();
const hex = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');

const hmacKeys = new Map<string, Promise<CryptoKey>>();
const importHmacKey = (secret: string) => {
  let key = hmacKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    hmacKeys.set(secret, key);
  }
  return key;
};

/** HMAC-SHA-256 of `value` as hex: a blind index that cannot be reversed without the secret. */
export async function hmacHex(secret: string, value: string): Promise<string> {
  return hex(await crypto.subtle.sign('HMAC', await importHmacKey(secret), encoder.encode(value)));
}

export async function sha256Hex(value: string): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', encoder.encode(value)));
}

/** Emails are compared trimmed and lower-cased (the whole address: providers differ on the local part). */
export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** Used only where EMAIL_HASH_KEY is unset (local development and tests); production sets the secret. */
export const DEV_EMAIL_HASH_KEY = 'sanctuary-petition-local-development-only';

/** A random URL-safe code (12 characters, 72 bits): referral codes. Never derived from personal data. */
export function randomCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(9));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_');
}
