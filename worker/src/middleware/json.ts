import { createMiddleware } from 'hono/factory';
import { ApiError } from '../errors.ts';

/** A request with a body must say it is JSON (Hono's validator would otherwise read it as empty). */
export const requireJson = createMiddleware(async (c, next) => {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the body as JSON with Content-Type: application/json.');
  }
  await next();
});
