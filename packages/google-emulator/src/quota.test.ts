import { expect, it } from 'vitest';
import { Clock } from './clock';
import { Quota } from './quota';

it('sliding one-minute windows per user and per project', () => {
  const clock = new Clock();
  const q = new Quota(clock, { perProjectPerMinute: 3, perUserPerMinute: 2, rateLimitStatus: 403 });
  expect(q.check('p', 'u1')).toBeUndefined();
  expect(q.check('p', 'u1')).toBeUndefined();
  expect(q.check('p', 'u1')?.reason).toBe('userRateLimitExceeded');
  expect(q.check('p', 'u2')).toBeUndefined();
  expect(q.check('p', 'u3')?.reason).toBe('rateLimitExceeded');
  clock.advance(60_001);
  expect(q.check('p', 'u1')).toBeUndefined();
});

it('429 style', () => {
  const q = new Quota(new Clock(), { perProjectPerMinute: 10, perUserPerMinute: 0, rateLimitStatus: 429 });
  const e = q.check('p', 'u');
  expect(e?.code).toBe(429);
  expect(e?.body().error.errors[0]).toMatchObject({ domain: 'usageLimits', reason: 'rateLimitExceeded' });
});
