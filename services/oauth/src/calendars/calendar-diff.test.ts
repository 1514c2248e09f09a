import { describe, expect, it } from 'vitest';
import { diffCalendars } from './calendar-diff';
import type { AccessRole, DiscoveredCalendar, StoredCalendar } from './calendar-entry';

const cal = (calendarId: string, accessRole: AccessRole = 'owner', primary = false): DiscoveredCalendar => ({
  calendarId,
  summary: calendarId,
  primary,
  accessRole,
  timeZone: 'UTC',
  backgroundColor: null,
  foregroundColor: null,
});
const stored = (c: DiscoveredCalendar, selected: boolean): StoredCalendar => ({ ...c, selected });

describe('diffCalendars', () => {
  it('reports added and removed calendars, deselecting removed selected ones', () => {
    const diff = diffCalendars(
      [stored(cal('p', 'owner', true), true), stored(cal('a'), true), stored(cal('b'), false)],
      [cal('p', 'owner', true), cal('c')],
      'p',
    );
    expect(diff.added.map((c) => c.calendarId)).toEqual(['c']);
    expect(diff.removedIds).toEqual(['a', 'b']);
    expect(diff.deselectedIds).toEqual(['a']);
    expect(diff.newDefaultCalendarId).toBeUndefined();
    expect(diff.present.map((c) => c.calendarId)).toEqual(['p', 'c']);
  });
  it('picks the primary calendar as default on first discovery', () => {
    expect(diffCalendars([], [cal('x', 'reader'), cal('p', 'owner', true)], null).newDefaultCalendarId).toBe('p');
  });
  it('falls back when the default disappears or loses write access', () => {
    expect(diffCalendars([], [cal('p', 'owner', true), cal('w', 'writer')], 'gone').newDefaultCalendarId).toBe('p');
    expect(
      diffCalendars([], [cal('p', 'reader', true), cal('w', 'writer'), cal('d', 'reader')], 'd').newDefaultCalendarId,
    ).toBe('w');
    expect(diffCalendars([], [cal('r', 'reader')], 'gone').newDefaultCalendarId).toBeNull();
    expect(diffCalendars([], [cal('r', 'reader')], null).newDefaultCalendarId).toBeUndefined();
  });
});
