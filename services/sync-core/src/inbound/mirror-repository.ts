import type { CalendarEvent, Queryable } from '@gcal-sync/shared';
import type { CalendarKey } from './calendar-key';
import { type GoogleEvent, writeIdOf } from './google-event';
import type { MirrorRow } from './plan-changes';

const COLUMNS = `event_id AS "eventId", version::float8 AS version, etag, status, event, raw`;

/** Mirror rows of a calendar: all of them (full sync), or the given ids plus their series masters. */
export async function loadMirrorRows(
  q: Queryable,
  key: CalendarKey,
  ids: string[] | 'all',
): Promise<Map<string, MirrorRow>> {
  const { rows } =
    ids === 'all'
      ? await q.query<MirrorRow>(`SELECT ${COLUMNS} FROM mirror_events WHERE connection_id = $1 AND calendar_id = $2`, [
          key.connectionId,
          key.calendarId,
        ])
      : await q.query<MirrorRow>(
          `SELECT ${COLUMNS} FROM mirror_events WHERE connection_id = $1 AND calendar_id = $2 AND event_id = ANY($3::text[])`,
          [key.connectionId, key.calendarId, ids],
        );
  return new Map(rows.map((r) => [r.eventId, r]));
}

/** Start/end instants for the read API's window filter; all-day dates count from UTC midnight. */
function instant(time: CalendarEvent['start']): string | null {
  if (!time) return null;
  if (time.date) return `${time.date}T00:00:00Z`;
  return time.dateTime ?? null;
}

const CHUNK = 1000;

/** Writes rows (insert or replace) in a few statements, whatever their number. */
export async function upsertMirrorRows(
  q: Queryable,
  key: CalendarKey,
  rows: readonly (MirrorRow & { source: 'google' | 'app' })[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK).map((r) => ({
      event_id: r.eventId,
      version: r.version,
      etag: r.etag,
      status: r.status,
      recurring_event_id: r.event.recurringEventId ?? null,
      original_start: r.event.originalStartTime ?? null,
      google_updated: r.event.updated,
      event: r.event,
      raw: r.raw,
      write_id: writeIdOf(r.raw as GoogleEvent) ?? null,
      source: r.source,
      // Series masters span their whole recurrence: the read API expands them separately.
      start_at: r.event.recurrence?.length ? null : instant(r.event.start),
      end_at: r.event.recurrence?.length ? null : instant(r.event.end),
    }));
    await q.query(
      `INSERT INTO mirror_events (connection_id, calendar_id, event_id, version, etag, status, recurring_event_id,
                                  original_start, google_updated, event, raw, write_id, source, start_at, end_at, synced_at)
       SELECT $1, $2, r.event_id, r.version, r.etag, r.status, r.recurring_event_id, r.original_start, r.google_updated,
              r.event, r.raw, r.write_id, r.source, r.start_at, r.end_at, now()
       FROM jsonb_to_recordset($3::jsonb) AS r(event_id text, version bigint, etag text, status text,
            recurring_event_id text, original_start jsonb, google_updated timestamptz, event jsonb, raw jsonb,
            write_id text, source text, start_at timestamptz, end_at timestamptz)
       ON CONFLICT (connection_id, calendar_id, event_id) DO UPDATE SET
         version = EXCLUDED.version, etag = EXCLUDED.etag, status = EXCLUDED.status,
         recurring_event_id = EXCLUDED.recurring_event_id, original_start = EXCLUDED.original_start,
         google_updated = EXCLUDED.google_updated, event = EXCLUDED.event, raw = EXCLUDED.raw,
         write_id = EXCLUDED.write_id, source = EXCLUDED.source, start_at = EXCLUDED.start_at,
         end_at = EXCLUDED.end_at, synced_at = now()`,
      [key.connectionId, key.calendarId, JSON.stringify(chunk)],
    );
  }
}

export type StoredEvent = { event: CalendarEvent; version: number; source: 'google' | 'app' };

/**
 * What the read API needs for a window: live single events and exceptions overlapping it, every
 * series master (a series may start long before the window), and the exceptions of those masters.
 */
export async function loadWindow(
  q: Queryable,
  key: CalendarKey,
  window: { timeMin?: string; timeMax?: string },
): Promise<{ singles: StoredEvent[]; masters: StoredEvent[]; exceptions: StoredEvent[] }> {
  const params = [key.connectionId, key.calendarId, window.timeMin ?? null, window.timeMax ?? null];
  const [singles, masters, exceptions] = await Promise.all([
    q.query<StoredEvent>(
      `SELECT event, version::float8 AS version, source FROM mirror_events
       WHERE connection_id = $1 AND calendar_id = $2 AND status <> 'cancelled' AND start_at IS NOT NULL
         AND ($3::timestamptz IS NULL OR end_at > $3) AND ($4::timestamptz IS NULL OR start_at < $4)
       ORDER BY start_at, event_id`,
      params,
    ),
    q.query<StoredEvent>(
      `SELECT event, version::float8 AS version, source FROM mirror_events
       WHERE connection_id = $1 AND calendar_id = $2 AND status <> 'cancelled' AND start_at IS NULL
         AND recurring_event_id IS NULL ORDER BY event_id`,
      params.slice(0, 2),
    ),
    q.query<StoredEvent>(
      `SELECT event, version::float8 AS version, source FROM mirror_events
       WHERE connection_id = $1 AND calendar_id = $2 AND recurring_event_id IS NOT NULL ORDER BY event_id`,
      params.slice(0, 2),
    ),
  ]);
  return { singles: singles.rows, masters: masters.rows, exceptions: exceptions.rows };
}

export async function loadEvent(q: Queryable, key: CalendarKey, eventId: string): Promise<StoredEvent | undefined> {
  const { rows } = await q.query<StoredEvent>(
    `SELECT event, version::float8 AS version, source FROM mirror_events
     WHERE connection_id = $1 AND calendar_id = $2 AND event_id = $3`,
    [key.connectionId, key.calendarId, eventId],
  );
  return rows[0];
}
