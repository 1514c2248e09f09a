import type { CalendarEvent } from '@gcal-sync/shared';

/**
 * Fields a consumer can act on. Bookkeeping fields (etag, updated, sequence, htmlLink) change on
 * every write and say nothing by themselves, so they are never listed.
 */
export const TRACKED_FIELDS = [
  'status',
  'summary',
  'description',
  'location',
  'start',
  'end',
  'allDay',
  'attendees',
  'recurrence',
  'recurringEventId',
  'originalStartTime',
  'organizer',
  'transparency',
  'visibility',
  'eventType',
  'bookingId',
] as const satisfies readonly (keyof CalendarEvent)[];

/** Deterministic JSON (sorted keys), so two equal values compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Which tracked fields differ between two versions of an event, in a stable order. */
export function changedFields(previous: CalendarEvent, next: CalendarEvent): string[] {
  return TRACKED_FIELDS.filter((field) => canonical(previous[field]) !== canonical(next[field]));
}
