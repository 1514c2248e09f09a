import { randomBytes } from 'node:crypto';

/** Google event ids use base32hex (RFC 2938 §3.1.2): lowercase a-v and digits, 5 to 1024 chars. */
const BASE32HEX = '0123456789abcdefghijklmnopqrstuv';
const VALID_ID = /^[a-v0-9]{5,1024}$/;

export function newEventId(): string {
  const bytes = randomBytes(26);
  let id = '';
  for (const b of bytes) id += BASE32HEX[b & 31];
  return id;
}

export function isValidEventId(id: string): boolean {
  return VALID_ID.test(id);
}

export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}
