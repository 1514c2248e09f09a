import { describe, expect, it } from 'vitest';
import { backoffCeilingMs, retryDelayMs } from './retry-delay';

describe('retryDelayMs', () => {
  it('doubles the ceiling and caps it', () => {
    expect([1, 2, 3, 4, 5, 10].map((a) => backoffCeilingMs(a, 2000, 300_000))).toEqual([
      2000, 4000, 8000, 16000, 32000, 300_000,
    ]);
  });
  it('draws uniformly below the ceiling (full jitter)', () => {
    expect(retryDelayMs(3, 2000, 300_000, () => 0.5)).toBe(4000);
    expect(retryDelayMs(3, 2000, 300_000, () => 0)).toBe(0);
    expect(retryDelayMs(30, 2000, 300_000, () => 0.999999)).toBeLessThan(300_000);
  });
});
