import { describe, expect, it } from 'vitest';
import { nextAttempt } from './retry-policy';

const policy = { baseMs: 1_000, maxMs: 60_000, maxAgeMs: 3_600_000 };
const createdAt = new Date('2026-06-12T10:00:00Z');
const now = new Date('2026-06-12T10:00:10Z');
const later = (ms: number) => ({ retryAt: new Date(now.getTime() + ms) });

describe('nextAttempt', () => {
  it("waits exactly Slack's Retry-After", () => {
    expect(nextAttempt({ attempts: 1, createdAt, now, retryAfterMs: 30_000, policy })).toEqual(later(30_000));
  });

  it('caps an absurd Retry-After at the maximum backoff', () => {
    expect(nextAttempt({ attempts: 1, createdAt, now, retryAfterMs: 86_400_000, policy })).toEqual(later(60_000));
  });

  it('backs off exponentially with jitter, never hammering', () => {
    expect(nextAttempt({ attempts: 3, createdAt, now, policy, random: () => 0.5 })).toEqual(later(2_000));
    expect(nextAttempt({ attempts: 20, createdAt, now, policy, random: () => 0.999 })).toEqual(later(59_940));
    expect(nextAttempt({ attempts: 1, createdAt, now, policy, random: () => 0 })).toEqual(later(100));
  });

  it('gives up once the message is too old', () => {
    expect(
      nextAttempt({
        attempts: 9,
        createdAt,
        now: new Date(createdAt.getTime() + 3_599_000),
        policy,
        random: () => 0.5,
      }),
    ).toEqual({ giveUp: 'expired' });
  });
});
