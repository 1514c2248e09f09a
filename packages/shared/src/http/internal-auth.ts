import type { RequestHandler } from 'express';
import { constantTimeEqual } from '../crypto/constant-time';
import { HttpError } from './http-error';

/**
 * Service-to-service authentication: `Authorization: Bearer <token>` must match one of the
 * configured callers' tokens (compared in constant time). The caller's name is put on res.locals.caller.
 */
export function internalAuth(callers: Record<string, string>): RequestHandler {
  const entries = Object.entries(callers);
  return (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const presented = header.startsWith('Bearer ') ? header.slice(7) : '';
    let caller: string | undefined;
    // Compare against every entry so timing does not reveal which caller matched.
    for (const [name, token] of entries) {
      if (constantTimeEqual(presented, token) && presented.length > 0) caller = name;
    }
    if (!caller) {
      next(new HttpError(401, 'unauthenticated', 'a valid service credential is required'));
      return;
    }
    res.locals.caller = caller;
    next();
  };
}
