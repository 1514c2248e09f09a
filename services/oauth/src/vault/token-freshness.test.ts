import { describe, expect, it } from 'vitest';
import { decideTokenUse } from './token-freshness';

const now = 1_000_000_000;
const min = 60_000;
const cached = (over: Partial<{ token: string; expiresAt: number; refreshedAt: number }> = {}) => ({
  token: 'ya29.a',
  expiresAt: now + 50 * min,
  refreshedAt: now - 10 * min,
  ...over,
});
const plain = { forceRefresh: false, requestedAt: now };

describe('decideTokenUse', () => {
  it('refreshes when nothing is cached', () => {
    expect(decideTokenUse(null, plain, now, 10 * min)).toBe('refresh');
  });
  it('uses a token far from expiry', () => {
    expect(decideTokenUse(cached(), plain, now, 10 * min)).toBe('use');
  });
  it('refreshes within the margin before expiry, and after expiry', () => {
    expect(decideTokenUse(cached({ expiresAt: now + 10 * min }), plain, now, 10 * min)).toBe('refresh');
    expect(decideTokenUse(cached({ expiresAt: now + 9 * min }), plain, now, 10 * min)).toBe('refresh');
    expect(decideTokenUse(cached({ expiresAt: now - 1 }), plain, now, 10 * min)).toBe('refresh');
    expect(decideTokenUse(cached({ expiresAt: now + 11 * min }), plain, now, 10 * min)).toBe('use');
  });
  it('replaces the rejected token only if it is still the cached one', () => {
    const rejected = { forceRefresh: true, rejectedToken: 'ya29.a', requestedAt: now };
    expect(decideTokenUse(cached(), rejected, now, 10 * min)).toBe('refresh');
    expect(decideTokenUse(cached({ token: 'ya29.b' }), rejected, now, 10 * min)).toBe('use');
  });
  it('forces a refresh unless one happened after the request started', () => {
    const forced = { forceRefresh: true, requestedAt: now };
    expect(decideTokenUse(cached(), forced, now, 10 * min)).toBe('refresh');
    expect(decideTokenUse(cached({ refreshedAt: now + 5 }), forced, now + 10, 10 * min)).toBe('use');
  });
});
