import { createHmac } from 'node:crypto';
import { constantTimeEqual } from '@gcal-sync/shared';

/**
 * `<value>.<hmac>` with HMAC-SHA256 over a purpose label and the value, so a signature made for
 * one purpose (a session cookie) is never accepted for another (an OAuth state).
 */
export function signValue(secret: string, purpose: string, value: string): string {
  return `${value}.${mac(secret, purpose, value)}`;
}

/** The value if the signature is valid (checked in constant time), else null. */
export function verifySignedValue(secret: string, purpose: string, signed: string): string | null {
  const dot = signed.lastIndexOf('.');
  if (dot <= 0) return null;
  const value = signed.slice(0, dot);
  return constantTimeEqual(signed.slice(dot + 1), mac(secret, purpose, value)) ? value : null;
}

function mac(secret: string, purpose: string, value: string): string {
  return createHmac('sha256', secret).update(`${purpose}\n${value}`).digest('base64url');
}
