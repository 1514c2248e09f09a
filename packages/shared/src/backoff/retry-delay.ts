/**
 * Exponential backoff with full jitter: a random delay in [0, min(max, base·2^(attempt-1))].
 * Full jitter spreads retries of many clients that failed together.
 */
export function retryDelayMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** The ceiling of the backoff for an attempt (without jitter): 2 s, 4 s, 8 s … capped. */
export function backoffCeilingMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
