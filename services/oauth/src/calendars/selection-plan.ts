import { type DiscoveredCalendar, isWritable, type StoredCalendar } from './calendar-entry';

export type SelectionPlan =
  | {
      ok: true;
      newlySelected: DiscoveredCalendar[];
      deselectedIds: string[];
      selectedIds: string[];
      defaultCalendarId: string | null;
      defaultChanged: boolean;
    }
  | { ok: false; code: 'unknown_calendar' | 'calendar_not_writable' | 'default_not_selected'; message: string };

/**
 * Validates a requested selection against the known calendars: every id must be known, the
 * default write calendar must be writable and stay selected (writes to a calendar we do not sync
 * would never come back to the booking app).
 */
export function planSelection(
  calendars: StoredCalendar[],
  currentDefault: string | null,
  request: { calendarIds: string[]; defaultCalendarId?: string },
): SelectionPlan {
  const byId = new Map(calendars.map((c) => [c.calendarId, c]));
  const wanted = [...new Set(request.calendarIds)];
  const unknown = wanted.filter((id) => !byId.has(id));
  if (request.defaultCalendarId !== undefined && !byId.has(request.defaultCalendarId)) {
    unknown.push(request.defaultCalendarId);
  }
  if (unknown.length > 0) {
    return { ok: false, code: 'unknown_calendar', message: `unknown calendar(s): ${unknown.join(', ')}` };
  }
  const defaultId = request.defaultCalendarId ?? currentDefault;
  if (request.defaultCalendarId !== undefined) {
    const target = byId.get(request.defaultCalendarId)!;
    if (!isWritable(target.accessRole)) {
      return {
        ok: false,
        code: 'calendar_not_writable',
        message: `calendar ${target.calendarId} is ${target.accessRole}: the default write calendar needs writer or owner access`,
      };
    }
  }
  if (defaultId && byId.has(defaultId) && !wanted.includes(defaultId)) {
    return {
      ok: false,
      code: 'default_not_selected',
      message: `calendar ${defaultId} is the default write calendar and must stay selected; choose another default first`,
    };
  }
  const wantedSet = new Set(wanted);
  return {
    ok: true,
    newlySelected: calendars.filter((c) => wantedSet.has(c.calendarId) && !c.selected),
    deselectedIds: calendars.filter((c) => c.selected && !wantedSet.has(c.calendarId)).map((c) => c.calendarId),
    selectedIds: wanted,
    defaultCalendarId: defaultId,
    defaultChanged: defaultId !== currentDefault,
  };
}
