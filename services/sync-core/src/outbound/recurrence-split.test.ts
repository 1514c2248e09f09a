import { describe, expect, it } from 'vitest';
import { parseInstanceId, splitRecurrence, startAndEndAt } from './recurrence-split';

describe('parseInstanceId', () => {
  it('reads timed and all-day instance ids', () => {
    expect(parseInstanceId('abc123_20260612T210000Z')).toEqual({
      masterId: 'abc123',
      originalStart: { dateTime: '2026-06-12T21:00:00Z' },
    });
    expect(parseInstanceId('abc123_20260612')).toEqual({ masterId: 'abc123', originalStart: { date: '2026-06-12' } });
    expect(parseInstanceId('abc123')).toBeUndefined();
  });
});

describe('splitRecurrence', () => {
  const masterStart = { dateTime: '2026-06-10T14:00:00-07:00', timeZone: 'America/Los_Angeles' };
  const split = { dateTime: '2026-06-12T21:00:00Z' };

  it('ends the old series just before the split with UNTIL and keeps the rule for the new one', () => {
    expect(splitRecurrence(['RRULE:FREQ=DAILY'], masterStart, split)).toEqual({
      before: ['RRULE:FREQ=DAILY;UNTIL=20260612T205959Z'],
      after: ['RRULE:FREQ=DAILY'],
    });
  });

  it('replaces an UNTIL that was already there', () => {
    const { before, after } = splitRecurrence(['RRULE:FREQ=WEEKLY;UNTIL=20261231T000000Z'], masterStart, split);
    expect(before).toEqual(['RRULE:FREQ=WEEKLY;UNTIL=20260612T205959Z']);
    expect(after).toEqual(['RRULE:FREQ=WEEKLY;UNTIL=20261231T000000Z']);
  });

  it('divides a COUNT between the two series', () => {
    expect(splitRecurrence(['RRULE:FREQ=DAILY;COUNT=10'], masterStart, split)).toEqual({
      before: ['RRULE:FREQ=DAILY;COUNT=2'],
      after: ['RRULE:FREQ=DAILY;COUNT=8'],
    });
  });

  it('uses dates for all-day series and sends EXDATEs to their side', () => {
    const out = splitRecurrence(
      ['RRULE:FREQ=DAILY', 'EXDATE;VALUE=DATE:20260611,20260615'],
      { date: '2026-06-10' },
      { date: '2026-06-12' },
    );
    expect(out).toEqual({
      before: ['RRULE:FREQ=DAILY;UNTIL=20260611', 'EXDATE;VALUE=DATE:20260611'],
      after: ['RRULE:FREQ=DAILY', 'EXDATE;VALUE=DATE:20260615'],
    });
  });

  it('compares TZID values as wall times', () => {
    const out = splitRecurrence(
      ['RRULE:FREQ=DAILY', 'EXDATE;TZID=America/Los_Angeles:20260611T140000,20260613T140000'],
      masterStart,
      { dateTime: '2026-06-12T14:00:00-07:00' },
    );
    expect(out.before[1]).toBe('EXDATE;TZID=America/Los_Angeles:20260611T140000');
    expect(out.after[1]).toBe('EXDATE;TZID=America/Los_Angeles:20260613T140000');
  });
});

describe('startAndEndAt', () => {
  it('keeps the master duration and time zone', () => {
    expect(
      startAndEndAt(
        { dateTime: '2026-06-10T14:00:00-07:00', timeZone: 'America/Los_Angeles' },
        { dateTime: '2026-06-10T14:30:00-07:00', timeZone: 'America/Los_Angeles' },
        { dateTime: '2026-06-12T21:00:00Z' },
      ),
    ).toEqual({
      start: { dateTime: '2026-06-12T21:00:00Z', timeZone: 'America/Los_Angeles' },
      end: { dateTime: '2026-06-12T21:30:00Z', timeZone: 'America/Los_Angeles' },
    });
    expect(startAndEndAt({ date: '2026-06-10' }, { date: '2026-06-11' }, { date: '2026-06-12' })).toEqual({
      start: { date: '2026-06-12' },
      end: { date: '2026-06-13' },
    });
  });
});
