import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { z } from 'zod';
import { ApiError } from '../errors.ts';

/** A field name as sent, unless it could carry something else (an email typed as a key): never echoed. */
const fieldName = (key: string) => (/^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(key) ? key : '(unknown)');

/**
 * The project's zod validator: every validation failure is a 400 with the one envelope,
 * `issues` listing each field ("email", "lat") and what is wrong with it.
 */
export const validate = <T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) =>
  zValidator(target, schema, (result) => {
    if (!result.success) {
      const issues = result.error.issues.map((issue) => ({
        path:
          issue.path.map(String).join('.') ||
          (issue.code === 'unrecognized_keys' ? issue.keys.map(fieldName).join(',') : '(root)'),
        // zod names unknown keys in its message; say it without echoing what the client sent.
        message: issue.code === 'unrecognized_keys' ? 'Unknown field.' : issue.message,
      }));
      throw new ApiError(400, 'validation_failed', 'Some fields need attention.', issues);
    }
  });
