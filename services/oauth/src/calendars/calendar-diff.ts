import { type DiscoveredCalendar, isWritable, type StoredCalendar } from './calendar-entry';

export type CalendarDiff = {
  /** In the account now (insert or update); selection of known calendars is kept. */
  present: DiscoveredCalendar[];
  added: DiscoveredCalendar[];
  removedIds: string[];
  /** Removed calendars that were selected: their sync must stop. */
  deselectedIds: string[];
  /** The default write calendar after the change; `undefined` when it stays as it is. */
  newDefaultCalendarId: string | null | undefined;
};

/**
 * What changed between the calendars we know and the account's calendar list now. When the
 * default write calendar disappears or stops being writable, the primary calendar (or else the
 * first writable one) takes over, so writes always have a valid target.
 */
export function diffCalendars(
  stored: StoredCalendar[],
  fetched: DiscoveredCalendar[],
  defaultCalendarId: string | null,
): CalendarDiff {
  const known = new Map(stored.map((c) => [c.calendarId, c]));
  const now = new Map(fetched.map((c) => [c.calendarId, c]));
  const removed = stored.filter((c) => !now.has(c.calendarId));
  const current = defaultCalendarId ? now.get(defaultCalendarId) : undefined;
  let newDefault: string | null | undefined;
  if (!current || !isWritable(current.accessRole)) {
    const fallback =
      fetched.find((c) => c.primary && isWritable(c.accessRole)) ?? fetched.find((c) => isWritable(c.accessRole));
    const next = fallback?.calendarId ?? null;
    newDefault = next === defaultCalendarId ? undefined : next;
  }
  return {
    present: [...now.values()],
    added: [...now.values()].filter((c) => !known.has(c.calendarId)),
    removedIds: removed.map((c) => c.calendarId),
    deselectedIds: removed.filter((c) => c.selected).map((c) => c.calendarId),
    newDefaultCalendarId: newDefault,
  };
}
