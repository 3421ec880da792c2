import { env } from 'cloudflare:test';
import { call } from './helpers.ts';

/** A request to the organizer API with the test token (vitest.config.ts sets ADMIN_TOKEN). */
export function admin(path: string, init: RequestInit = {}, token: string | null = env.ADMIN_TOKEN!) {
  const headers = new Headers(init.headers);
  if (token !== null) headers.set('authorization', `Bearer ${token}`);
  return call(`/v1/admin${path}`, { ...init, headers });
}

export const adminJson = (path: string, method: string, body: unknown) =>
  admin(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
