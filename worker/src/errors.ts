import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorCode, ErrorEnvelope, ErrorIssue } from './schemas.ts';

/** An error that becomes `{ "error": { code, message, issues } }` with its HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ErrorIssue[],
    /** Extra response headers (Retry-After on a 429). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} was not found.`);

export function errorBody(code: ErrorCode, message: string, issues?: ErrorIssue[]): ErrorEnvelope {
  return { error: issues ? { code, message, issues } : { code, message } };
}

/** Hono's HTTPExceptions (malformed JSON, body limit, …) mapped onto our codes. */
function fromHttpException(err: HTTPException): ApiError {
  const status = err.status as ContentfulStatusCode;
  if (status === 413) return new ApiError(413, 'payload_too_large', 'The request body is too large.');
  if (status === 401) return new ApiError(401, 'unauthorized', 'A valid token is required.');
  if (status >= 500) return new ApiError(500, 'internal_error', 'Something went wrong on our side.');
  const message = /json/i.test(err.message) ? 'The request body is not valid JSON.' : 'The request is not valid.';
  return new ApiError(status, 'validation_failed', message);
}

/**
 * An error message made safe to log: some messages quote their input (V8's JSON.parse does), so
 * quoted text, email addresses and long numbers are masked. No personal data reaches a log line.
 */
export const redact = (message: string) =>
  message
    .replace(/"[^"]*"|'[^']*'|`[^`]*`/g, '"…"')
    .replace(/[^\s@"'<>()]+@[^\s@"'<>()]+/g, '[email]')
    .replace(/\+?\d[\d ().-]{5,}\d/g, '[number]');

/** app.onError: every error leaves in the envelope; internals are logged, never sent. */
export function handleError(err: Error, c: Context): Response {
  let apiError: ApiError;
  if (err instanceof ApiError) apiError = err;
  else if (err instanceof HTTPException) apiError = fromHttpException(err);
  else {
    console.error('[sanctuary-petition] unhandled error:', err.name, redact(err.message));
    apiError = new ApiError(500, 'internal_error', 'Something went wrong on our side. Please try again.');
  }
  return c.json(errorBody(apiError.code, apiError.message, apiError.issues), apiError.status, apiError.headers);
}
