import { constantTimeEqual, HttpError } from '@gcal-sync/shared';
import type { RequestHandler, Response } from 'express';
import { cookieFrom, createSessionValue, readSessionValue, SESSION_COOKIE } from './session';

export type AdminAuthOptions = {
  /** orgId → that org's admin token. */
  adminTokens: Record<string, string>;
  signingSecret: string;
  sessionTtlMs: number;
  secureCookies: boolean;
  now: () => number;
};

/** The org whose admin token was presented, comparing against every token in constant time. */
export function orgForToken(adminTokens: Record<string, string>, presented: string): string | null {
  let org: string | null = null;
  for (const [orgId, token] of Object.entries(adminTokens)) {
    if (constantTimeEqual(presented, token) && presented.length > 0) org = orgId;
  }
  return org;
}

/**
 * Finds the admin's org from the session cookie (admin page) or a Bearer admin token (API
 * clients) and puts it on res.locals.orgId; routes decide whether one is required.
 */
export function adminIdentity(options: AdminAuthOptions): RequestHandler {
  return (req, res, next) => {
    const cookie = cookieFrom(req.headers.cookie, SESSION_COOKIE);
    let orgId = cookie ? readSessionValue(options.signingSecret, cookie, options.now()) : null;
    const header = req.headers.authorization ?? '';
    if (!orgId && header.startsWith('Bearer ')) orgId = orgForToken(options.adminTokens, header.slice(7));
    if (orgId && orgId in options.adminTokens) res.locals.orgId = orgId;
    next();
  };
}

export const requireAdminPage: RequestHandler = (req, res, next) => {
  if (res.locals.orgId) return next();
  res.redirect(303, `/admin/login?next=${encodeURIComponent(req.originalUrl)}`);
};

export const requireAdminApi: RequestHandler = (_req, res, next) => {
  if (res.locals.orgId) return next();
  next(new HttpError(401, 'unauthenticated', 'an admin session or admin token is required'));
};

/** Lax, not Strict: Google's redirect back to the callback is a cross-site navigation that must carry it. */
export function setSessionCookie(res: Response, options: AdminAuthOptions, orgId: string) {
  const value = createSessionValue(options.signingSecret, orgId, options.now() + options.sessionTtlMs);
  res.cookie(SESSION_COOKIE, value, {
    httpOnly: true,
    sameSite: 'lax',
    secure: options.secureCookies,
    path: '/',
    maxAge: options.sessionTtlMs,
  });
}

export function clearSessionCookie(res: Response, options: AdminAuthOptions) {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: options.secureCookies, path: '/' });
}

/** Only same-site relative paths are followed after login (no open redirect). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/admin';
}
