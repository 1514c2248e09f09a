import { createHash } from 'node:crypto';

/** Google event ids are base32hex (RFC 2938 §3.1.2): lowercase a–v and digits, 5–1024 characters. */
const BASE32HEX = '0123456789abcdefghijklmnopqrstuv';

function base32hex(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32HEX[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32HEX[(value << (5 - bits)) & 31];
  return out;
}

/**
 * The Google event id of a booking: a hash, so any booking id (any characters, any length) maps to
 * a valid id, and the same booking always maps to the same one. A retried insert therefore gets
 * 409 instead of creating a second event. `part` distinguishes other events one booking owns
 * (the new series of a "this and following" split).
 */
export function eventIdForBooking(bookingId: string, part?: string): string {
  const digest = createHash('sha256')
    .update(part === undefined ? `booking:${bookingId}` : `booking:${bookingId}#${part}`, 'utf8')
    .digest();
  return base32hex(digest);
}

export function isValidEventId(id: string): boolean {
  return /^[a-v0-9]{5,1024}$/.test(id);
}
