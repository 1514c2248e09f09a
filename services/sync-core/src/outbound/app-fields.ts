import type { BookingFields } from '@gcal-sync/shared';
import type { calendar_v3 } from 'googleapis/build/src/apis/calendar';

type GoogleEvent = calendar_v3.Schema$Event;
type GoogleTime = calendar_v3.Schema$EventDateTime | undefined;
type GoogleAttendee = calendar_v3.Schema$EventAttendee;

/** The fields the booking app owns. Everything else on an event (conferencing, RSVPs, colours…) is Google's. */
export const APP_FIELDS = [
  'summary',
  'description',
  'location',
  'start',
  'end',
  'attendees',
  'reminders',
  'transparency',
  'recurrence',
] as const satisfies readonly (keyof BookingFields)[];
export type AppField = (typeof APP_FIELDS)[number];

/** The app-owned fields as they are on a Google event (the base or the current side of a merge). */
export function appFieldsOf(event: GoogleEvent): BookingFields {
  const out: BookingFields = {};
  if (event.summary != null) out.summary = event.summary;
  if (event.description != null) out.description = event.description;
  if (event.location != null) out.location = event.location;
  if (event.start) out.start = timeOf(event.start);
  if (event.end) out.end = timeOf(event.end);
  if (event.attendees) {
    out.attendees = event.attendees
      .filter((a) => a.email)
      .map((a) => ({
        email: a.email as string,
        ...(a.displayName ? { displayName: a.displayName } : {}),
        ...(a.optional ? { optional: true } : {}),
      }));
  }
  if (event.reminders) {
    out.reminders = {
      useDefault: Boolean(event.reminders.useDefault),
      ...(event.reminders.overrides
        ? {
            overrides: event.reminders.overrides.map((o) => ({
              method: o.method === 'email' ? ('email' as const) : ('popup' as const),
              minutes: o.minutes ?? 0,
            })),
          }
        : {}),
    };
  }
  if (event.transparency === 'transparent' || event.transparency === 'opaque') out.transparency = event.transparency;
  if (event.recurrence) out.recurrence = [...event.recurrence];
  return out;
}

function timeOf(t: NonNullable<GoogleTime>) {
  if (t.date) return { date: t.date };
  return { dateTime: t.dateTime ?? '', ...(t.timeZone ? { timeZone: t.timeZone } : {}) };
}

/**
 * A comparable form of one field. Equal meaning compares equal: an instant in any offset, an empty
 * and a missing text, attendees in any order and whatever their RSVP (an RSVP is the attendee's,
 * not a change of who is invited), reminders in any order.
 */
function comparable(field: AppField, value: BookingFields[AppField]): string {
  if (value === undefined || value === null) return field === 'attendees' || field === 'recurrence' ? '[]' : '';
  switch (field) {
    case 'start':
    case 'end': {
      const t = value as NonNullable<BookingFields['start']>;
      if (t.date) return `date:${t.date}`;
      return `at:${Date.parse(t.dateTime ?? '')}|tz:${t.timeZone ?? ''}`;
    }
    case 'attendees':
      return JSON.stringify(
        (value as NonNullable<BookingFields['attendees']>)
          .map((a) => `${a.email.toLowerCase()}|${a.optional ? 1 : 0}`)
          .sort(),
      );
    case 'reminders': {
      const r = value as NonNullable<BookingFields['reminders']>;
      const overrides = (r.overrides ?? []).map((o) => `${o.method}:${o.minutes}`).sort();
      return JSON.stringify({ useDefault: r.useDefault, overrides });
    }
    case 'transparency':
      return value === 'transparent' ? 'transparent' : '';
    case 'recurrence':
      return JSON.stringify(value);
    default:
      return String(value);
  }
}

export function sameField(field: AppField, a: BookingFields[AppField], b: BookingFields[AppField]): boolean {
  return comparable(field, a) === comparable(field, b);
}

/** Fields of `fields` present in the request (PATCH semantics: absent means "leave it"). */
export function presentFields(fields: BookingFields): AppField[] {
  return APP_FIELDS.filter((f) => fields[f] !== undefined);
}

/** Which of `only` (default: all app fields) differ between two versions. */
export function differingFields(
  a: BookingFields,
  b: BookingFields,
  only: readonly AppField[] = APP_FIELDS,
): AppField[] {
  return only.filter((f) => !sameField(f, a[f], b[f]));
}

/**
 * The PATCH body for the given app fields. Attendees are merged with the event's current list so an
 * attendee who stays keeps their RSVP, comment and guest count (replacing the list would reset them
 * to needsAction).
 */
export function toGooglePatch(fields: BookingFields, only: readonly AppField[], current?: GoogleEvent): GoogleEvent {
  const body: GoogleEvent = {};
  for (const field of only) {
    const value = fields[field];
    if (value === undefined) continue;
    if (field === 'attendees') {
      const existing = new Map<string, GoogleAttendee>(
        (current?.attendees ?? []).filter((a) => a.email).map((a) => [(a.email as string).toLowerCase(), a]),
      );
      body.attendees = (value as NonNullable<BookingFields['attendees']>).map((a) => ({
        ...(existing.get(a.email.toLowerCase()) ?? {}),
        email: a.email,
        ...(a.displayName !== undefined ? { displayName: a.displayName } : {}),
        optional: a.optional ?? false,
      }));
    } else {
      (body as Record<string, unknown>)[field] = value;
    }
  }
  return body;
}
