import { describe, expect, it } from 'vitest';
import { durationMs, shiftEventTime } from './shift-event-time';

describe('shiftEventTime', () => {
  it('keeps the offset and time zone of a timed value', () => {
    expect(
      shiftEventTime({ dateTime: '2026-06-12T14:00:00-07:00', timeZone: 'America/Los_Angeles' }, 3_600_000),
    ).toEqual({
      dateTime: '2026-06-12T15:00:00-07:00',
      timeZone: 'America/Los_Angeles',
    });
    expect(shiftEventTime({ dateTime: '2026-06-12T23:30:00Z' }, 3_600_000)).toEqual({
      dateTime: '2026-06-13T00:30:00Z',
    });
    expect(shiftEventTime({ dateTime: '2026-06-12T10:00:00+05:30' }, 1_800_000)).toEqual({
      dateTime: '2026-06-12T10:30:00+05:30',
    });
  });
  it('moves all-day dates by whole days', () => {
    expect(shiftEventTime({ date: '2026-12-31' }, 86_400_000)).toEqual({ date: '2027-01-01' });
  });
  it('measures durations', () => {
    expect(durationMs({ date: '2026-06-12' }, { date: '2026-06-14' })).toBe(2 * 86_400_000);
    expect(durationMs({ dateTime: '2026-06-12T14:00:00-07:00' }, { dateTime: '2026-06-12T22:00:00Z' })).toBe(3_600_000);
    expect(durationMs({ date: '2026-06-12' }, undefined)).toBeUndefined();
  });
});
