import type { CalendarRef } from '@gcal-sync/shared';

export type AccessRole = CalendarRef['accessRole'];
const ROLES: readonly AccessRole[] = ['freeBusyReader', 'reader', 'writer', 'owner'];

/** A calendar as discovered in the account's calendar list. */
export type DiscoveredCalendar = {
  calendarId: string;
  summary: string | null;
  primary: boolean;
  accessRole: AccessRole;
  timeZone: string | null;
  backgroundColor: string | null;
  foregroundColor: string | null;
};

export type StoredCalendar = DiscoveredCalendar & { selected: boolean };

/** The fields of a Calendar v3 CalendarListEntry we read. */
export type CalendarListEntry = {
  id?: string | null;
  summary?: string | null;
  summaryOverride?: string | null;
  primary?: boolean | null;
  accessRole?: string | null;
  timeZone?: string | null;
  backgroundColor?: string | null;
  foregroundColor?: string | null;
  deleted?: boolean | null;
};

/** null for entries that are deleted or not usable (no id, an access role we do not know). */
export function toDiscoveredCalendar(entry: CalendarListEntry): DiscoveredCalendar | null {
  if (!entry.id || entry.deleted) return null;
  const role = ROLES.find((r) => r === entry.accessRole);
  if (!role) return null;
  return {
    calendarId: entry.id,
    // The user's own name for a shared calendar wins, as in Google Calendar's UI.
    summary: entry.summaryOverride || entry.summary || null,
    primary: entry.primary === true,
    accessRole: role,
    timeZone: entry.timeZone ?? null,
    backgroundColor: entry.backgroundColor ?? null,
    foregroundColor: entry.foregroundColor ?? null,
  };
}

/**
 * Google's read-only system calendars (holidays, contacts' birthdays, week numbers) live under
 * group.v.calendar.google.com and accept no push channels: they have to be polled.
 */
export function isWatchable(calendarId: string): boolean {
  return !/@group\.v\.calendar\.google\.com$/i.test(calendarId);
}

export function isWritable(role: AccessRole): boolean {
  return role === 'writer' || role === 'owner';
}

export function toCalendarRef(calendar: DiscoveredCalendar): CalendarRef {
  return {
    calendarId: calendar.calendarId,
    ...(calendar.summary !== null ? { summary: calendar.summary } : {}),
    accessRole: calendar.accessRole,
    primary: calendar.primary,
    ...(calendar.timeZone !== null ? { timeZone: calendar.timeZone } : {}),
    watchable: isWatchable(calendar.calendarId),
  };
}
