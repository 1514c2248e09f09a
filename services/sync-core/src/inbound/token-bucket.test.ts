import { describe, expect, it } from 'vitest';
import { burstFor, TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('allows a burst, then refills at the configured rate', () => {
    let t = 0;
    const bucket = new TokenBucket(600, 3, () => t);
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([0, 0, 0]);
    expect(bucket.tryTake()).toBe(100);
    t = 100;
    expect(bucket.tryTake()).toBe(0);
    t = 100_000;
    expect(bucket.available()).toBe(3);
  });

  it('never lets a minute exceed budget + burst', () => {
    let t = 0;
    const perMinute = 540;
    const bucket = new TokenBucket(perMinute, burstFor(perMinute), () => t);
    let taken = 0;
    for (; t < 60_000; t += 10) while (bucket.tryTake() === 0) taken++;
    expect(taken).toBeLessThanOrEqual(600);
    expect(taken).toBeGreaterThan(540);
  });
});
