import type { calendar_v3 } from 'googleapis/build/src/apis/calendar';

/** An event resource exactly as Google's events.list returns it (kept verbatim in mirror_events.raw). */
export type GoogleEvent = calendar_v3.Schema$Event;

/** The marker the app's own writes carry in extendedProperties.private, for echo detection. */
export const WRITE_ID_PROPERTY = 'gcalSyncWriteId';

export function writeIdOf(event: GoogleEvent): string | undefined {
  return event.extendedProperties?.private?.[WRITE_ID_PROPERTY] ?? undefined;
}
