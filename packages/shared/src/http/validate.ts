import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { HttpError } from './http-error';

/** Validates req[part] with a zod schema; a failure is a 400 naming each bad field. The parsed value replaces the input. */
export function validate<S extends z.ZodTypeAny>(part: 'body' | 'query' | 'params', schema: S): RequestHandler {
  return (req, _res, next) => {
    const result = schema.safeParse(req[part]);
    if (!result.success) {
      const fields = result.error.issues.map((i) => ({
        field: i.path.map(String).join('.') || '(root)',
        message: i.message,
      }));
      next(
        new HttpError(
          400,
          'invalid_request',
          `invalid ${part}: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`,
          fields,
        ),
      );
      return;
    }
    if (part === 'query') {
      // Express 5 makes req.query a getter; keep the parsed value where handlers can read it.
      Object.defineProperty(req, 'query', { value: result.data, writable: true, configurable: true });
    } else {
      req[part] = result.data;
    }
    next();
  };
}
