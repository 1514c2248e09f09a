import { backoffCeilingMs } from '@gcal-sync/shared';

/**
 * Delay before retrying failed channel work: exponential, with "equal jitter" (half fixed, half
 * random) so a retry never comes back at once but many failures still spread out.
 */
export function retryAfterMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = backoffCeilingMs(attempt, baseMs, maxMs);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
