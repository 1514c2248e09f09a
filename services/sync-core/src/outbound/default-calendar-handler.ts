import type { MessageOf, Queryable } from '@gcal-sync/shared';
import { setDefaultWriteCalendar } from './connections-repository';

/**
 * Keeps each connection's default write calendar from connection.lifecycle: the primary calendar
 * when the account connects, the chosen one when the default changes. Idempotent (an upsert), so a
 * redelivered message does no harm. Other lifecycle events are inbound's business.
 */
export async function recordDefaultCalendar(q: Queryable, message: MessageOf<'connectionLifecycle'>): Promise<void> {
  const { connectionId, orgId, payload } = message;
  if (!connectionId) return;
  if (payload.type === 'default-calendar.changed') {
    await setDefaultWriteCalendar(q, connectionId, payload.calendarId, orgId);
  } else if (payload.type === 'connected') {
    const primary = payload.calendars.find((c) => c.primary);
    if (primary) await setDefaultWriteCalendar(q, connectionId, primary.calendarId, orgId);
  }
}
