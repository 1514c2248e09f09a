import { describe, expect, it } from 'vitest';
import { createFairQuota } from './fair-quota';
import { TokenBucket } from './token-bucket';

describe('createFairQuota', () => {
  it('serves orgs round-robin when the shared budget is short', async () => {
    let t = 0;
    const pending: (() => void)[] = [];
    const bucket = new TokenBucket(60, 1, () => t);
    const quota = createFairQuota(bucket, { set: (fn) => pending.push(fn), clear: () => {} });
    const order: string[] = [];
    const grants = [
      ...Array.from({ length: 5 }, (_, i) => quota.acquire('busy').then(() => order.push(`busy${i}`))),
      quota.acquire('small').then(() => order.push('small')),
    ];
    await Promise.resolve();
    for (let i = 0; i < 6; i++) {
      t += 1000;
      pending.shift()?.();
      await Promise.resolve();
    }
    await Promise.all(grants);
    // busy0 took the token that was free; from then on the two orgs alternate.
    expect(order.slice(0, 4)).toEqual(['busy0', 'busy1', 'small', 'busy2']);
    expect(quota.waiting()).toBe(0);
  });
});
