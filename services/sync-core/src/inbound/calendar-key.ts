/** A synced calendar of a connection: the unit of scheduling, locking and sync state. */
export type CalendarKey = { connectionId: string; calendarId: string };

const SEPARATOR = '\u0000';

export function encodeCalendarKey(key: CalendarKey): string {
  return `${key.connectionId}${SEPARATOR}${key.calendarId}`;
}

export function decodeCalendarKey(encoded: string): CalendarKey {
  const at = encoded.indexOf(SEPARATOR);
  return { connectionId: encoded.slice(0, at), calendarId: encoded.slice(at + 1) };
}

/** Advisory-lock name of a calendar's sync (session lock, held while Google is read and the result applied). */
export function syncLockName(key: CalendarKey): string {
  return `sync-core:sync:${key.connectionId}/${key.calendarId}`;
}

/** Advisory-lock name serialising writes to a calendar's mirror (transaction lock; outbound takes it too). */
export function mirrorLockName(key: CalendarKey): string {
  return `sync-core:mirror:${key.connectionId}/${key.calendarId}`;
}
