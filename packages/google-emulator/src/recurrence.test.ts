import { describe, expect, it } from 'vitest';
import { expand } from './recurrence';
import type { EventResource } from './state';

const weekly: EventResource = {
  id: 'abcde12345',
  status: 'confirmed',
  start: { dateTime: '2024-03-05T09:00:00', timeZone: 'Europe/Paris' },
  end: { dateTime: '2024-03-05T10:00:00', timeZone: 'Europe/Paris' },
  recurrence: ['RRULE:FREQ=WEEKLY;COUNT=5', 'EXDATE;TZID=Europe/Paris:20240312T090000'],
};

describe('recurrence', () => {
  it('expands in the event zone across DST and honours EXDATE', () => {
    const occ = expand(weekly, 'UTC');
    expect(occ.map((o) => o.suffix)).toEqual([
      '20240305T080000Z',
      '20240319T080000Z',
      '20240326T080000Z',
      '20240402T070000Z',
    ]);
  });
  it('expands all-day events with date suffixes', () => {
    const occ = expand(
      {
        id: 'x1234',
        status: 'confirmed',
        start: { date: '2024-01-01' },
        end: { date: '2024-01-02' },
        recurrence: ['RRULE:FREQ=DAILY;COUNT=3'],
      },
      'UTC',
    );
    expect(occ.map((o) => o.suffix)).toEqual(['20240101', '20240102', '20240103']);
  });
  it('honours UNTIL in UTC', () => {
    const occ = expand({ ...weekly, recurrence: ['RRULE:FREQ=WEEKLY;UNTIL=20240319T075959Z'] }, 'UTC');
    expect(occ.map((o) => o.suffix)).toEqual(['20240305T080000Z', '20240312T080000Z']);
  });
  it('limits to a window', () => {
    const occ = expand({ ...weekly, recurrence: ['RRULE:FREQ=DAILY'] }, 'UTC', {
      fromUtc: Date.parse('2024-04-01T00:00:00Z'),
      toUtc: Date.parse('2024-04-03T00:00:00Z'),
    });
    expect(occ.map((o) => o.suffix)).toEqual(['20240401T070000Z', '20240402T070000Z']);
  });
});
