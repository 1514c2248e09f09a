import { retryDelayMs } from '@gcal-sync/shared';

export type RetryPolicy = { baseMs: number; maxMs: number; maxAgeMs: number };

/**
 * When to try a failed delivery again: Slack's Retry-After when it gave one (never sooner), else
 * exponential backoff with jitter; or give up once the message is older than `maxAgeMs`, because an
 * alert a day late is noise and the alert log still has it.
 */
export function nextAttempt(input: {
  attempts: number;
  createdAt: Date;
  now: Date;
  retryAfterMs?: number;
  policy: RetryPolicy;
  random?: () => number;
}): { retryAt: Date } | { giveUp: 'expired' } {
  const { attempts, createdAt, now, retryAfterMs, policy } = input;
  const backoff = retryDelayMs(attempts, policy.baseMs, policy.maxMs, input.random);
  const delay =
    retryAfterMs === undefined ? Math.max(backoff, 100) : Math.min(Math.max(retryAfterMs, 100), policy.maxMs);
  const retryAt = new Date(now.getTime() + delay);
  if (retryAt.getTime() - createdAt.getTime() > policy.maxAgeMs) return { giveUp: 'expired' };
  return { retryAt };
}
