export type TickPolicy = {
  safetyNetMs: number;
  failingMs: number;
  pollMs: number;
  alertAfterFailures: number;
};

/**
 * How often a target gets a sync request on the notifications topic, push or not: calendars that
 * cannot be watched are polled; while renewal keeps failing the safety net tightens until a channel
 * is live again; otherwise the regular safety net (Google says push is not 100% reliable).
 */
export function tickIntervalMs(target: { watchable: boolean; failures: number }, policy: TickPolicy): number {
  if (!target.watchable) return policy.pollMs;
  if (target.failures >= policy.alertAfterFailures) return Math.min(policy.failingMs, policy.safetyNetMs);
  return policy.safetyNetMs;
}

/** The first tick of a new target lands at a random point of its interval, so a big selection does not tick in step. */
export function firstTickDelayMs(intervalMs: number, random = Math.random): number {
  return Math.round(intervalMs * (0.5 + random() / 2));
}
