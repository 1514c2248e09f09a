import { describe, expect, it } from 'vitest';
import { isWatchable, isWritable, toCalendarRef, toDiscoveredCalendar } from './calendar-entry';

describe('calendar list entries', () => {
  it('maps an entry, preferring the summary override', () => {
    expect(
      toDiscoveredCalendar({
        id: 'team@group.calendar.google.com',
        summary: 'Team',
        summaryOverride: 'My team',
        accessRole: 'writer',
        timeZone: 'Europe/Paris',
        backgroundColor: '#9fe1e7',
      }),
    ).toEqual({
      calendarId: 'team@group.calendar.google.com',
      summary: 'My team',
      primary: false,
      accessRole: 'writer',
      timeZone: 'Europe/Paris',
      backgroundColor: '#9fe1e7',
      foregroundColor: null,
    });
  });
  it('skips deleted, id-less and unknown-role entries', () => {
    expect(toDiscoveredCalendar({ id: 'a', accessRole: 'owner', deleted: true })).toBeNull();
    expect(toDiscoveredCalendar({ accessRole: 'owner' })).toBeNull();
    expect(toDiscoveredCalendar({ id: 'a', accessRole: 'admin' })).toBeNull();
  });
  it('knows system calendars cannot be watched and which roles can write', () => {
    expect(isWatchable('en.usa#holiday@group.v.calendar.google.com')).toBe(false);
    expect(isWatchable('rep@example.com')).toBe(true);
    expect(isWritable('owner')).toBe(true);
    expect(isWritable('reader')).toBe(false);
  });
  it('builds the lifecycle calendar ref', () => {
    const ref = toCalendarRef({
      calendarId: 'en.usa#holiday@group.v.calendar.google.com',
      summary: null,
      primary: false,
      accessRole: 'reader',
      timeZone: null,
      backgroundColor: null,
      foregroundColor: null,
    });
    expect(ref).toEqual({
      calendarId: 'en.usa#holiday@group.v.calendar.google.com',
      accessRole: 'reader',
      primary: false,
      watchable: false,
    });
  });
});
