import type { Queryable } from '@gcal-sync/shared';
import type { AccessRole, DiscoveredCalendar, StoredCalendar } from './calendar-entry';

type Row = {
  calendar_id: string;
  summary: string | null;
  is_primary: boolean;
  access_role: AccessRole;
  time_zone: string | null;
  background_color: string | null;
  foreground_color: string | null;
  selected: boolean;
};

export async function listCalendars(db: Queryable, connectionId: string): Promise<StoredCalendar[]> {
  const { rows } = await db.query<Row>(
    `SELECT calendar_id, summary, is_primary, access_role, time_zone, background_color, foreground_color, selected
     FROM oauth_calendars WHERE connection_id = $1 ORDER BY is_primary DESC, lower(coalesce(summary, calendar_id)), calendar_id`,
    [connectionId],
  );
  return rows.map((r) => ({
    calendarId: r.calendar_id,
    summary: r.summary,
    primary: r.is_primary,
    accessRole: r.access_role,
    timeZone: r.time_zone,
    backgroundColor: r.background_color,
    foregroundColor: r.foreground_color,
    selected: r.selected,
  }));
}

/** Inserts new calendars unselected and refreshes the details of known ones, keeping their selection. */
export async function upsertCalendars(db: Queryable, connectionId: string, calendars: DiscoveredCalendar[]) {
  if (calendars.length === 0) return;
  await db.query(
    `INSERT INTO oauth_calendars (connection_id, calendar_id, summary, is_primary, access_role, time_zone,
       background_color, foreground_color)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::boolean[], $5::text[], $6::text[], $7::text[], $8::text[])
     ON CONFLICT (connection_id, calendar_id) DO UPDATE SET summary = EXCLUDED.summary, is_primary = EXCLUDED.is_primary,
       access_role = EXCLUDED.access_role, time_zone = EXCLUDED.time_zone,
       background_color = EXCLUDED.background_color, foreground_color = EXCLUDED.foreground_color`,
    [
      connectionId,
      calendars.map((c) => c.calendarId),
      calendars.map((c) => c.summary),
      calendars.map((c) => c.primary),
      calendars.map((c) => c.accessRole),
      calendars.map((c) => c.timeZone),
      calendars.map((c) => c.backgroundColor),
      calendars.map((c) => c.foregroundColor),
    ],
  );
}

export async function deleteCalendars(db: Queryable, connectionId: string, calendarIds: string[]) {
  if (calendarIds.length === 0) return;
  await db.query('DELETE FROM oauth_calendars WHERE connection_id = $1 AND calendar_id = ANY($2::text[])', [
    connectionId,
    calendarIds,
  ]);
}

export async function setSelected(db: Queryable, connectionId: string, calendarIds: string[], selected: boolean) {
  if (calendarIds.length === 0) return;
  await db.query(
    'UPDATE oauth_calendars SET selected = $3 WHERE connection_id = $1 AND calendar_id = ANY($2::text[])',
    [connectionId, calendarIds, selected],
  );
}
