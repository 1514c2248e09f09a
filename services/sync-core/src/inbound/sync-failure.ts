import { retryDelayMs } from '@gcal-sync/shared';

export type SyncState = 'ok' | 'backing_off' | 'paused' | 'revoked' | 'quota_paused';
export type AlertKind = 'sync.paused' | 'sync.permanent-error';

export type FailurePolicy = { pauseAfter: number; baseMs: number; maxMs: number };

export type FailureDecision = {
  state: SyncState;
  failures: number;
  nextAttemptAt: number;
  /** The calendar's open alert after this failure. */
  openAlert: AlertKind | null;
  /** An alert to raise now (at most once per incident). */
  raise: AlertKind | null;
};

/**
 * What a failed sync does to a calendar. Transient errors back off exponentially with full jitter
 * (2 s, 4 s, 8 s … capped at 5 min) forever; the `pauseAfter`-th consecutive failure marks the sync
 * paused and raises one alert. Permanent errors (400/403/404) are reported at once and retried
 * only at the slowest pace, in case someone fixes the cause (e.g. re-shares the calendar).
 */
export function decideFailure(input: {
  kind: 'transient' | 'permanent';
  failures: number;
  openAlert: AlertKind | null;
  now: number;
  policy: FailurePolicy;
  random?: () => number;
}): FailureDecision {
  const failures = input.failures + 1;
  const { policy } = input;
  if (input.kind === 'permanent') {
    return {
      state: 'paused',
      failures,
      nextAttemptAt: input.now + policy.maxMs,
      openAlert: input.openAlert ?? 'sync.permanent-error',
      raise: input.openAlert ? null : 'sync.permanent-error',
    };
  }
  const paused = failures >= policy.pauseAfter;
  const nextAttemptAt = input.now + retryDelayMs(failures, policy.baseMs, policy.maxMs, input.random);
  if (!paused) return { state: 'backing_off', failures, nextAttemptAt, openAlert: input.openAlert, raise: null };
  return {
    state: 'paused',
    failures,
    nextAttemptAt,
    openAlert: input.openAlert ?? 'sync.paused',
    raise: input.openAlert ? null : 'sync.paused',
  };
}
