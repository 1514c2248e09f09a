import { describe, expect, it } from 'vitest';
import { firstTickDelayMs, tickIntervalMs } from './tick-interval';

const policy = { safetyNetMs: 900_000, failingMs: 60_000, pollMs: 300_000, alertAfterFailures: 3 };

describe('tickIntervalMs', () => {
  it('uses the safety net for healthy watched calendars', () => {
    expect(tickIntervalMs({ watchable: true, failures: 2 }, policy)).toBe(900_000);
  });

  it('drops to the failing interval after the alert threshold', () => {
    expect(tickIntervalMs({ watchable: true, failures: 3 }, policy)).toBe(60_000);
  });

  it('polls calendars that cannot be watched', () => {
    expect(tickIntervalMs({ watchable: false, failures: 0 }, policy)).toBe(300_000);
  });

  it('spreads first ticks over the second half of the interval', () => {
    expect(firstTickDelayMs(1000, () => 0)).toBe(500);
    expect(firstTickDelayMs(1000, () => 1)).toBe(1000);
  });
});
