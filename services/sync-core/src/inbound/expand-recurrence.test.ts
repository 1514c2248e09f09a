import type { CalendarEvent } from '@gcal-sync/shared';
import { describe, expect, it } from 'vitest';
import { expandSeries, originalStartKey } from './expand-recurrence';

const LA = 'America/Los_Angeles';
const weekly: CalendarEvent = {
  id: 'm',
  calendarId: 'c',
  status: 'confirmed',
  summary: 'Weekly',
  start: { dateTime: '2026-10-23T14:00:00-07:00', timeZone: LA },
  end: { dateTime: '2026-10-23T14:30:00-07:00', timeZone: LA },
  allDay: false,
  attendees: [],
  recurrence: ['RRULE:FREQ=WEEKLY;COUNT=4', 'EXDATE;TZID=America/Los_Angeles:20261106T140000'],
  etag: '"1"',
  updated: '2026-06-01T00:00:00.000Z',
};
const window = { timeMin: new Date('2026-01-01T00:00:00Z'), timeMax: new Date('2027-01-01T00:00:00Z') };

describe('expandSeries', () => {
  it('keeps 14:00 Los Angeles across the DST change, applies EXDATE, and names instances like Google', () => {
    const instances = expandSeries(weekly, window, new Set());
    expect(instances.map((i) => i.start)).toEqual([
      { dateTime: '2026-10-23T14:00:00-07:00', timeZone: LA },
      { dateTime: '2026-10-30T14:00:00-07:00', timeZone: LA },
      { dateTime: '2026-11-13T14:00:00-08:00', timeZone: LA },
    ]);
    expect(instances[2]).toMatchObject({
      id: 'm_20261113T220000Z',
      recurringEventId: 'm',
      end: { dateTime: '2026-11-13T14:30:00-08:00', timeZone: LA },
    });
    expect(instances[0]?.recurrence).toBeUndefined();
  });

  it('leaves out instances that have exceptions and respects the window', () => {
    const moved = new Set([originalStartKey({ dateTime: '2026-10-30T14:00:00-07:00' })]);
    expect(expandSeries(weekly, window, moved)).toHaveLength(2);
    const narrow = { timeMin: new Date('2026-10-29T00:00:00Z'), timeMax: new Date('2026-11-01T00:00:00Z') };
    expect(expandSeries(weekly, narrow, new Set()).map((i) => i.id)).toEqual(['m_20261030T210000Z']);
  });

  it('expands all-day series on dates, with UNTIL', () => {
    const daily: CalendarEvent = {
      ...weekly,
      start: { date: '2026-06-10' },
      end: { date: '2026-06-11' },
      allDay: true,
      recurrence: ['RRULE:FREQ=DAILY;UNTIL=20260612'],
    };
    expect(expandSeries(daily, window, new Set()).map((i) => [i.id, i.start, i.end])).toEqual([
      ['m_20260610', { date: '2026-06-10' }, { date: '2026-06-11' }],
      ['m_20260611', { date: '2026-06-11' }, { date: '2026-06-12' }],
      ['m_20260612', { date: '2026-06-12' }, { date: '2026-06-13' }],
    ]);
  });

  it('reads a UTC UNTIL as Google writes it for a "this and following" split', () => {
    const truncated = { ...weekly, recurrence: ['RRULE:FREQ=WEEKLY;UNTIL=20261031T065959Z'] };
    expect(expandSeries(truncated, window, new Set())).toHaveLength(2);
  });
});
