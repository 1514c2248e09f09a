import type { Queryable } from '@gcal-sync/shared';
import { setDefaultCalendar } from '../connections/connection-repository';
import { type ConnectionKey, enqueueLifecycle } from '../connections/lifecycle-outbox';
import { diffCalendars } from './calendar-diff';
import { type DiscoveredCalendar, toCalendarRef } from './calendar-entry';
import { deleteCalendars, listCalendars, setSelected, upsertCalendars } from './calendar-repository';

/**
 * Stores the account's current calendar list and announces what that changes for syncing:
 * removed selected calendars are deselected; a new default write calendar (first discovery, or
 * the old one gone) is selected too, since writes must land in a synced calendar.
 * Runs inside the caller's transaction, with the connection row locked.
 */
export async function applyCalendarList(
  db: Queryable,
  key: ConnectionKey,
  currentDefault: string | null,
  fetched: DiscoveredCalendar[],
): Promise<void> {
  const stored = await listCalendars(db, key.connectionId);
  const diff = diffCalendars(stored, fetched, currentDefault);
  await upsertCalendars(db, key.connectionId, diff.present);
  await deleteCalendars(db, key.connectionId, diff.removedIds);
  if (diff.deselectedIds.length > 0) {
    await enqueueLifecycle(db, key, { type: 'calendars.deselected', calendarIds: diff.deselectedIds });
  }
  if (diff.newDefaultCalendarId === undefined) return;
  await setDefaultCalendar(db, key.connectionId, diff.newDefaultCalendarId);
  if (diff.newDefaultCalendarId === null) return;
  const target = diff.present.find((c) => c.calendarId === diff.newDefaultCalendarId)!;
  const wasSelected = stored.some((c) => c.calendarId === target.calendarId && c.selected);
  if (!wasSelected) {
    await setSelected(db, key.connectionId, [target.calendarId], true);
    await enqueueLifecycle(db, key, { type: 'calendars.selected', calendars: [toCalendarRef(target)] });
  }
  await enqueueLifecycle(db, key, { type: 'default-calendar.changed', calendarId: target.calendarId });
}
