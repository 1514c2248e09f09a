import { describe, expect, it } from 'vitest';
import type { AccessRole, StoredCalendar } from './calendar-entry';
import { planSelection } from './selection-plan';

const cal = (calendarId: string, selected: boolean, accessRole: AccessRole = 'owner'): StoredCalendar => ({
  calendarId,
  summary: null,
  primary: calendarId === 'p',
  accessRole,
  timeZone: null,
  backgroundColor: null,
  foregroundColor: null,
  selected,
});
const calendars = [cal('p', true), cal('a', false), cal('b', true), cal('r', false, 'reader')];

describe('planSelection', () => {
  it('computes newly selected and deselected calendars', () => {
    const plan = planSelection(calendars, 'p', { calendarIds: ['p', 'a', 'a', 'r'] });
    expect(plan).toMatchObject({ ok: true, deselectedIds: ['b'], selectedIds: ['p', 'a', 'r'], defaultChanged: false });
    if (plan.ok) expect(plan.newlySelected.map((c) => c.calendarId)).toEqual(['a', 'r']);
  });
  it('changes the default to a writable, selected calendar', () => {
    expect(planSelection(calendars, 'p', { calendarIds: ['a'], defaultCalendarId: 'a' })).toMatchObject({
      ok: true,
      defaultCalendarId: 'a',
      defaultChanged: true,
      deselectedIds: ['p', 'b'],
    });
  });
  it('rejects unknown calendars, read-only defaults and deselecting the default', () => {
    expect(planSelection(calendars, 'p', { calendarIds: ['p', 'zz'] })).toMatchObject({
      ok: false,
      code: 'unknown_calendar',
    });
    expect(planSelection(calendars, 'p', { calendarIds: ['r'], defaultCalendarId: 'r' })).toMatchObject({
      ok: false,
      code: 'calendar_not_writable',
    });
    expect(planSelection(calendars, 'p', { calendarIds: ['a'] })).toMatchObject({
      ok: false,
      code: 'default_not_selected',
    });
  });
});
