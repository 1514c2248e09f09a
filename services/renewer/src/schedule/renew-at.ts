export type RenewPolicy = {
  /** Replace when this fraction of the lifetime is left (1/7 → day 6 of a 7-day channel). */
  whenLeft: number;
  /** Spread earlier by up to this fraction of the lifetime. */
  jitter: number;
};

/**
 * When to replace a channel. Google channels cannot be extended, and their lifetime is whatever
 * Google returned in `expiration`, so the time is derived from that, never from what we asked for.
 * Jitter only moves renewal earlier: never past the point where `whenLeft` of the lifetime is left.
 */
export function renewAt(createdAtMs: number, expirationMs: number, policy: RenewPolicy, random = Math.random): number {
  const lifetime = Math.max(0, expirationMs - createdAtMs);
  const latest = expirationMs - lifetime * policy.whenLeft;
  return Math.round(Math.max(createdAtMs, latest - random() * lifetime * policy.jitter));
}
