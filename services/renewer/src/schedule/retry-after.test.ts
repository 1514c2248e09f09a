import { describe, expect, it } from 'vitest';
import { retryAfterMs } from './retry-after';

describe('retryAfterMs', () => {
  it('doubles per attempt, half of it random, capped', () => {
    expect(retryAfterMs(1, 1000, 60_000, () => 0)).toBe(500);
    expect(retryAfterMs(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(retryAfterMs(3, 1000, 60_000, () => 0)).toBe(2000);
    expect(retryAfterMs(20, 1000, 60_000, () => 1)).toBe(60_000);
  });
});
