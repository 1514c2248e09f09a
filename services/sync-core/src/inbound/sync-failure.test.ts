import { describe, expect, it } from 'vitest';
import { type AlertKind, decideFailure } from './sync-failure';

const policy = { pauseAfter: 5, baseMs: 2_000, maxMs: 300_000 };

describe('decideFailure', () => {
  it('backs off 2 s, 4 s, 8 s … and pauses with one alert on the 5th failure', () => {
    let failures = 0;
    let openAlert: AlertKind | null = null;
    const raised: string[] = [];
    const ceilings: number[] = [];
    for (let i = 0; i < 10; i++) {
      const d = decideFailure({ kind: 'transient', failures, openAlert, now: 0, policy, random: () => 0.999999 });
      ceilings.push(Math.round(d.nextAttemptAt / 1000));
      if (d.raise) raised.push(d.raise);
      expect(d.state).toBe(i + 1 >= 5 ? 'paused' : 'backing_off');
      failures = d.failures;
      openAlert = d.openAlert;
    }
    expect(ceilings).toEqual([2, 4, 8, 16, 32, 64, 128, 256, 300, 300]);
    expect(raised).toEqual(['sync.paused']);
  });

  it('full jitter: any delay between 0 and the ceiling', () => {
    expect(
      decideFailure({ kind: 'transient', failures: 3, openAlert: null, now: 10, policy, random: () => 0 })
        .nextAttemptAt,
    ).toBe(10);
  });

  it('permanent errors are reported at once and retried slowly', () => {
    const d = decideFailure({ kind: 'permanent', failures: 0, openAlert: null, now: 0, policy });
    expect(d).toMatchObject({ state: 'paused', raise: 'sync.permanent-error', nextAttemptAt: 300_000 });
    expect(
      decideFailure({ kind: 'permanent', failures: 1, openAlert: 'sync.permanent-error', now: 0, policy }).raise,
    ).toBeNull();
  });
});
