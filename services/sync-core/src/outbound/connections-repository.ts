import type { Queryable } from '@gcal-sync/shared';

/**
 * The connection's default write calendar. Called by the connection lifecycle handling (connected:
 * the primary calendar; default-calendar.changed) and filled lazily from Google's `primary` otherwise.
 */
export async function setDefaultWriteCalendar(
  q: Queryable,
  connectionId: string,
  calendarId: string,
  orgId?: string,
): Promise<void> {
  await q.query(
    `INSERT INTO outbound_connections (connection_id, org_id, default_calendar_id) VALUES ($1, $3, $2)
     ON CONFLICT (connection_id) DO UPDATE SET default_calendar_id = EXCLUDED.default_calendar_id,
       org_id = COALESCE(EXCLUDED.org_id, outbound_connections.org_id), updated_at = now()`,
    [connectionId, calendarId, orgId ?? null],
  );
}

export type ConnectionWriteState = {
  orgId: string | null;
  defaultCalendarId: string | null;
  paused: boolean;
  quotaPausedUntil: Date | null;
};

/** What writes need to know about a connection: its org (from the synced calendars), default calendar, pause. */
export async function loadConnection(q: Queryable, connectionId: string): Promise<ConnectionWriteState> {
  const { rows } = await q.query<ConnectionWriteState>(
    `SELECT COALESCE((SELECT org_id FROM sync_calendars WHERE connection_id = $1 LIMIT 1), o.org_id) AS "orgId",
            o.default_calendar_id AS "defaultCalendarId", COALESCE(o.paused, false) AS paused,
            o.quota_paused_until AS "quotaPausedUntil"
     FROM (SELECT 1) one LEFT JOIN outbound_connections o ON o.connection_id = $1`,
    [connectionId],
  );
  return rows[0] as ConnectionWriteState;
}

/** One more consecutive failure; says whether this one crossed the pause threshold (alert once). */
export async function recordWriteFailure(
  q: Queryable,
  input: { connectionId: string; orgId: string; error: string; pauseAfter: number; quotaPausedUntil?: Date },
): Promise<{ failures: number; justPaused: boolean }> {
  const { rows } = await q.query<{ failures: number; was_paused: boolean; paused: boolean }>(
    `WITH old AS (SELECT paused FROM outbound_connections WHERE connection_id = $1)
     INSERT INTO outbound_connections (connection_id, org_id, consecutive_failures, paused, last_error, quota_paused_until)
     VALUES ($1, $2, 1, $4 <= 1, $3, $5)
     ON CONFLICT (connection_id) DO UPDATE SET
       consecutive_failures = outbound_connections.consecutive_failures + 1,
       paused = outbound_connections.paused OR outbound_connections.consecutive_failures + 1 >= $4
                OR $5::timestamptz IS NOT NULL,
       last_error = EXCLUDED.last_error,
       quota_paused_until = COALESCE($5::timestamptz, outbound_connections.quota_paused_until),
       org_id = COALESCE(outbound_connections.org_id, EXCLUDED.org_id), updated_at = now()
     RETURNING consecutive_failures AS failures, COALESCE((SELECT paused FROM old), false) AS was_paused, paused`,
    [input.connectionId, input.orgId, input.error.slice(0, 2000), input.pauseAfter, input.quotaPausedUntil ?? null],
  );
  const row = rows[0] as { failures: number; was_paused: boolean; paused: boolean };
  return { failures: row.failures, justPaused: row.paused && !row.was_paused };
}

/** A write went through: clears the failure streak; says whether the connection was paused (resolve the alert). */
export async function recordWriteSuccess(q: Queryable, connectionId: string): Promise<{ wasPaused: boolean }> {
  const { rows } = await q.query<{ was_paused: boolean }>(
    `UPDATE outbound_connections o SET consecutive_failures = 0, paused = false, quota_paused_until = NULL,
       last_error = NULL, updated_at = now()
     FROM (SELECT paused FROM outbound_connections WHERE connection_id = $1 FOR UPDATE) old
     WHERE o.connection_id = $1 AND (o.consecutive_failures > 0 OR o.paused)
     RETURNING old.paused AS was_paused`,
    [connectionId],
  );
  return { wasPaused: rows[0]?.was_paused ?? false };
}

export async function countPaused(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbound_connections WHERE paused`);
  return rows[0]?.n ?? 0;
}
