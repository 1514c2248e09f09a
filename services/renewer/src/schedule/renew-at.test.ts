import { describe, expect, it } from 'vitest';
import { renewAt } from './renew-at';

const DAY = 86_400_000;
const policy = { whenLeft: 1 / 7, jitter: 1 / 28 };

describe('renewAt', () => {
  it('renews a week-long channel on day 6 without jitter', () => {
    expect(renewAt(0, 7 * DAY, policy, () => 0)).toBe(6 * DAY);
  });

  it('spreads earlier only, by at most the jitter fraction of the lifetime', () => {
    expect(renewAt(0, 7 * DAY, policy, () => 0.999_999)).toBeGreaterThan(6 * DAY - 0.25 * DAY - 1);
    const times = Array.from({ length: 200 }, () => renewAt(0, 7 * DAY, policy));
    expect(Math.max(...times)).toBeLessThanOrEqual(6 * DAY);
    expect(new Set(times).size).toBeGreaterThan(100);
  });

  it("follows Google's expiration, however short", () => {
    expect(renewAt(1000, 1000 + 3_600_000, policy, () => 0)).toBe(Math.round(1000 + (3_600_000 * 6) / 7));
    expect(renewAt(5000, 4000, policy, () => 0.5)).toBe(5000);
  });
});
