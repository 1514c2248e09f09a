import type { ConnectionCalendar, ConnectionSummary, InternalConnection, Queryable } from '@gcal-sync/shared';
import { isWatchable, type StoredCalendar } from '../calendars/calendar-entry';
import { listCalendars } from '../calendars/calendar-repository';
import { type ConnectionRow, findConnection, listConnections } from './connection-repository';

export function toSummary(row: ConnectionRow): ConnectionSummary {
  return {
    connectionId: row.id,
    orgId: row.org_id,
    googleSubject: row.google_subject,
    email: row.email,
    status: row.status,
    defaultCalendarId: row.default_calendar_id,
    scopes: row.scopes,
    createdAt: row.created_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

export function toCalendarView(calendar: StoredCalendar, defaultCalendarId: string | null): ConnectionCalendar {
  return {
    ...calendar,
    isDefault: calendar.calendarId === defaultCalendarId,
    watchable: isWatchable(calendar.calendarId),
  };
}

export type ConnectionWithCalendars = { summary: ConnectionSummary; calendars: ConnectionCalendar[] };

export async function loadConnections(db: Queryable, orgId: string): Promise<ConnectionWithCalendars[]> {
  const rows = await listConnections(db, orgId);
  return Promise.all(
    rows.map(async (row) => ({
      summary: toSummary(row),
      calendars: (await listCalendars(db, row.id)).map((c) => toCalendarView(c, row.default_calendar_id)),
    })),
  );
}

/** One connection with its calendars; `orgId` scopes the lookup for admins, internal callers see all. */
export async function loadConnection(
  db: Queryable,
  connectionId: string,
  orgId?: string,
): Promise<InternalConnection | null> {
  const row = await findConnection(db, connectionId, orgId !== undefined ? { orgId } : {});
  if (!row) return null;
  const calendars = (await listCalendars(db, row.id)).map((c) => toCalendarView(c, row.default_calendar_id));
  return { ...toSummary(row), calendars };
}
