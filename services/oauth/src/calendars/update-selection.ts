import { HttpError, type Pool, withTransaction } from '@gcal-sync/shared';
import { bumpVersion, findConnection, setDefaultCalendar } from '../connections/connection-repository';
import { enqueueLifecycle } from '../connections/lifecycle-outbox';
import { toCalendarRef } from './calendar-entry';
import { listCalendars, setSelected } from './calendar-repository';
import { planSelection } from './selection-plan';

/**
 * Sets which calendars sync and which one the booking app writes to, publishing
 * calendars.selected / calendars.deselected / default-calendar.changed for what actually changed.
 */
export async function updateSelection(
  pool: Pool,
  orgId: string,
  connectionId: string,
  request: { calendarIds: string[]; defaultCalendarId?: string },
): Promise<void> {
  await withTransaction(pool, async (db) => {
    const row = await findConnection(db, connectionId, { orgId, forUpdate: true });
    if (!row) throw new HttpError(404, 'connection_not_found', 'no such connection in this organization');
    const calendars = await listCalendars(db, connectionId);
    const plan = planSelection(calendars, row.default_calendar_id, request);
    if (!plan.ok) throw new HttpError(400, plan.code, plan.message);
    const key = { orgId, connectionId };
    const changed = plan.newlySelected.length > 0 || plan.deselectedIds.length > 0 || plan.defaultChanged;
    if (!changed) return;
    await setSelected(db, connectionId, plan.deselectedIds, false);
    await setSelected(
      db,
      connectionId,
      plan.newlySelected.map((c) => c.calendarId),
      true,
    );
    if (plan.deselectedIds.length > 0) {
      await enqueueLifecycle(db, key, { type: 'calendars.deselected', calendarIds: plan.deselectedIds });
    }
    if (plan.newlySelected.length > 0) {
      await enqueueLifecycle(db, key, { type: 'calendars.selected', calendars: plan.newlySelected.map(toCalendarRef) });
    }
    if (plan.defaultChanged && plan.defaultCalendarId) {
      await setDefaultCalendar(db, connectionId, plan.defaultCalendarId);
      await enqueueLifecycle(db, key, { type: 'default-calendar.changed', calendarId: plan.defaultCalendarId });
    } else {
      await bumpVersion(db, connectionId);
    }
  });
}
