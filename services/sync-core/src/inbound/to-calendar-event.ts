import type { CalendarEvent, EventTime } from '@gcal-sync/shared';
import type { GoogleEvent } from './google-event';

type GoogleTime = GoogleEvent['start'];
type Attendee = CalendarEvent['attendees'][number];

const STATUSES = new Set(['confirmed', 'tentative', 'cancelled']);
const RESPONSES = new Set(['needsAction', 'declined', 'tentative', 'accepted']);
const OFFSET_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Google's EventDateTime as-is: an all-day `date`, or a `dateTime` with its `timeZone`. Nothing
 * is converted, so a 14:00 America/Los_Angeles meeting stays exactly that.
 */
export function toEventTime(time: GoogleTime): EventTime | undefined {
  if (!time) return undefined;
  if (time.date) return { date: time.date };
  if (!time.dateTime) return undefined;
  // Google always sends an offset; a value without one would break the contract, so normalise it.
  const dateTime = OFFSET_DATETIME.test(time.dateTime) ? time.dateTime : new Date(time.dateTime).toISOString();
  return time.timeZone ? { dateTime, timeZone: time.timeZone } : { dateTime };
}

function attendees(raw: GoogleEvent['attendees']): Attendee[] {
  return (raw ?? [])
    .filter((a) => typeof a.email === 'string' && a.email.length > 0)
    .map((a) => ({
      email: a.email as string,
      ...(a.displayName ? { displayName: a.displayName } : {}),
      responseStatus: (RESPONSES.has(a.responseStatus ?? '')
        ? a.responseStatus
        : 'needsAction') as Attendee['responseStatus'],
      ...(a.optional ? { optional: true } : {}),
      ...(a.organizer ? { organizer: true } : {}),
      ...(a.self ? { self: true } : {}),
    }));
}

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;
}

/**
 * Maps a Google event to the stable, documented event shape of the change events and read API.
 * A cancelled event from an incremental sync carries little more than its id: the fields it lacks
 * come from `fallback` (the last mirrored version), so a deletion still says what was deleted.
 */
export function toCalendarEvent(
  raw: GoogleEvent,
  calendarId: string,
  options: { fallback?: CalendarEvent; now: string },
): CalendarEvent {
  const fallback = options.fallback;
  const status = (STATUSES.has(raw.status ?? '') ? raw.status : 'confirmed') as CalendarEvent['status'];
  const sparse = status === 'cancelled' && fallback !== undefined && !raw.start;
  const base: CalendarEvent = sparse
    ? { ...fallback }
    : defined({
        id: raw.id as string,
        calendarId,
        status,
        summary: raw.summary ?? undefined,
        description: raw.description ?? undefined,
        location: raw.location ?? undefined,
        start: toEventTime(raw.start),
        end: toEventTime(raw.end),
        allDay: Boolean(raw.start?.date),
        attendees: attendees(raw.attendees),
        recurrence: raw.recurrence ?? undefined,
        recurringEventId: raw.recurringEventId ?? undefined,
        originalStartTime: toEventTime(raw.originalStartTime),
        organizer: raw.organizer
          ? defined({
              email: raw.organizer.email ?? undefined,
              displayName: raw.organizer.displayName ?? undefined,
              self: raw.organizer.self ?? undefined,
            })
          : undefined,
        transparency:
          raw.transparency === 'transparent' || raw.transparency === 'opaque' ? raw.transparency : undefined,
        visibility: raw.visibility ?? undefined,
        eventType: raw.eventType ?? undefined,
        iCalUID: raw.iCalUID ?? undefined,
        htmlLink: raw.htmlLink ?? undefined,
        etag: raw.etag ?? fallback?.etag ?? '"0"',
        updated: raw.updated ?? options.now,
        sequence: raw.sequence ?? undefined,
        bookingId: raw.extendedProperties?.private?.bookingId ?? undefined,
      } as CalendarEvent);
  return {
    ...base,
    id: raw.id as string,
    calendarId,
    status,
    etag: raw.etag ?? base.etag,
    updated: raw.updated ?? (sparse ? options.now : base.updated),
    ...(raw.recurringEventId ? { recurringEventId: raw.recurringEventId } : {}),
    ...(raw.originalStartTime ? { originalStartTime: toEventTime(raw.originalStartTime) } : {}),
  };
}
