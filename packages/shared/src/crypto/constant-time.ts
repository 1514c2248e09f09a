import { createHash, timingSafeEqual } from 'node:crypto';

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Compares secrets in constant time; hashing first makes lengths equal so length does not leak either. */
export function constantTimeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}

/** Compares a presented secret with a stored sha256 hex digest in constant time. */
export function matchesSha256(presented: string, storedHex: string): boolean {
  const hp = createHash('sha256').update(presented, 'utf8').digest();
  const hs = Buffer.from(storedHex, 'hex');
  return hs.length === hp.length && timingSafeEqual(hp, hs);
}
