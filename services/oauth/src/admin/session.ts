import { signValue, verifySignedValue } from '../connect/signed-value';

export const SESSION_COOKIE = 'oauth_admin';
const PURPOSE = 'admin-session';

/** A stateless admin session: the org and an expiry, signed. */
export function createSessionValue(secret: string, orgId: string, expiresAt: number): string {
  return signValue(secret, PURPOSE, `${Buffer.from(orgId, 'utf8').toString('base64url')}.${expiresAt}`);
}

/** The session's org, or null when the cookie is forged, malformed or expired. */
export function readSessionValue(secret: string, cookie: string, now: number): string | null {
  const value = verifySignedValue(secret, PURPOSE, cookie);
  if (!value) return null;
  const [org, expires] = value.split('.');
  if (!org || !expires || !(Number(expires) > now)) return null;
  return Buffer.from(org, 'base64url').toString('utf8');
}

/** Reads one cookie from a Cookie header (no dependency needed for this much). */
export function cookieFrom(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}
