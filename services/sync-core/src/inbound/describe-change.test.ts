import type { CalendarEvent } from '@gcal-sync/shared';
import { describe, expect, it } from 'vitest';
import { describeChange, isTruncation } from './describe-change';

const tz = 'America/Los_Angeles';
const master: CalendarEvent = {
  id: 'm',
  calendarId: 'c',
  status: 'confirmed',
  summary: 'Weekly',
  start: { dateTime: '2026-06-05T14:00:00-07:00', timeZone: tz },
  end: { dateTime: '2026-06-05T14:30:00-07:00', timeZone: tz },
  allDay: false,
  attendees: [],
  recurrence: ['RRULE:FREQ=WEEKLY'],
  etag: '"1"',
  updated: '2026-06-01T00:00:00.000Z',
};
const single: CalendarEvent = { ...master, id: 's', recurrence: undefined };

describe('describeChange', () => {
  it('single events: created, updated with fields and previous times, deleted', () => {
    expect(describeChange({ next: single })).toEqual({ change: 'created', recurrence: 'single', changedFields: [] });
    const moved = { ...single, start: { dateTime: '2026-06-05T15:00:00-07:00', timeZone: tz } };
    expect(describeChange({ previous: single, next: moved })).toEqual({
      change: 'updated',
      recurrence: 'single',
      changedFields: ['start'],
      previous: { start: single.start, end: single.end },
    });
    expect(describeChange({ previous: single, next: { ...single, status: 'cancelled' } })).toMatchObject({
      change: 'deleted',
      recurrence: 'single',
    });
  });

  it('a cancellation of something never seen is not news', () => {
    expect(describeChange({ next: { ...single, status: 'cancelled' } })).toBeNull();
    expect(
      describeChange({ previous: { ...single, status: 'cancelled' }, next: { ...single, status: 'cancelled' } }),
    ).toBeNull();
  });

  it('a recreated event after a tombstone is created again', () => {
    expect(describeChange({ previous: { ...single, status: 'cancelled' }, next: single })?.change).toBe('created');
  });

  it('one instance moved: old and new start of that instance', () => {
    const exception: CalendarEvent = {
      ...single,
      id: 'm_20260612T210000Z',
      recurringEventId: 'm',
      originalStartTime: { dateTime: '2026-06-12T14:00:00-07:00', timeZone: tz },
      start: { dateTime: '2026-06-12T15:00:00-07:00', timeZone: tz },
      end: { dateTime: '2026-06-12T15:30:00-07:00', timeZone: tz },
    };
    expect(describeChange({ next: exception, master })).toEqual({
      change: 'updated',
      recurrence: 'instance',
      changedFields: ['start', 'end'],
      previous: {
        start: { dateTime: '2026-06-12T14:00:00-07:00', timeZone: tz },
        end: { dateTime: '2026-06-12T14:30:00-07:00', timeZone: tz },
      },
    });
  });

  it('one instance cancelled', () => {
    const cancelled: CalendarEvent = {
      ...master,
      recurrence: undefined,
      id: 'm_20260612T210000Z',
      status: 'cancelled',
      recurringEventId: 'm',
      originalStartTime: { dateTime: '2026-06-12T14:00:00-07:00', timeZone: tz },
    };
    expect(describeChange({ next: cancelled, master })).toMatchObject({
      change: 'deleted',
      recurrence: 'instance',
      previous: { start: { dateTime: '2026-06-12T14:00:00-07:00', timeZone: tz } },
    });
  });

  it('series changes and a "this and following" split', () => {
    expect(describeChange({ previous: master, next: { ...master, summary: 'Weekly sync' } })).toMatchObject({
      change: 'updated',
      recurrence: 'series',
      changedFields: ['summary'],
    });
    const truncated = { ...master, recurrence: ['RRULE:FREQ=WEEKLY;UNTIL=20260618T065959Z'] };
    expect(describeChange({ previous: master, next: truncated })?.recurrence).toBe('series-split');
    expect(describeChange({ next: { ...master, id: 'm_R20260619T210000' } })?.recurrence).toBe('series-split');
    expect(describeChange({ next: master })?.recurrence).toBe('series');
  });
});

describe('isTruncation', () => {
  it('compares UNTIL and COUNT', () => {
    expect(isTruncation(['RRULE:FREQ=DAILY'], ['RRULE:FREQ=DAILY;COUNT=3'])).toBe(true);
    expect(isTruncation(['RRULE:FREQ=DAILY;COUNT=5'], ['RRULE:FREQ=DAILY;COUNT=3'])).toBe(true);
    expect(isTruncation(['RRULE:FREQ=DAILY;UNTIL=20260101'], ['RRULE:FREQ=DAILY;UNTIL=20270101'])).toBe(false);
    expect(isTruncation(['RRULE:FREQ=DAILY'], ['RRULE:FREQ=WEEKLY'])).toBe(false);
  });
});
