import type { CalendarRef, Queryable } from '@gcal-sync/shared';
import type { CalendarKey } from './calendar-key';
import type { AlertKind, FailureDecision, SyncState } from './sync-failure';

export type SyncCalendarRow = {
  connectionId: string;
  calendarId: string;
  orgId: string;
  selected: boolean;
  syncToken: string | null;
  state: SyncState;
  consecutiveFailures: number;
  nextAttemptAt: Date | null;
  requestedSeq: number;
  handledSeq: number;
  openAlert: AlertKind | null;
  quotaPausedUntil: Date | null;
  quotaAlertOpen: boolean;
  revoked: boolean;
  accountEmail: string | null;
};

const SELECT_CALENDAR = `
  SELECT c.connection_id AS "connectionId", c.calendar_id AS "calendarId", c.org_id AS "orgId", c.selected,
         c.sync_token AS "syncToken", c.state, c.consecutive_failures AS "consecutiveFailures",
         c.next_attempt_at AS "nextAttemptAt", c.requested_seq::float8 AS "requestedSeq",
         c.handled_seq::float8 AS "handledSeq", c.open_alert AS "openAlert",
         k.quota_paused_until AS "quotaPausedUntil", COALESCE(k.quota_alert_open, false) AS "quotaAlertOpen",
         COALESCE(k.revoked, false) AS revoked, k.account_email AS "accountEmail"
  FROM sync_calendars c LEFT JOIN sync_connections k ON k.connection_id = c.connection_id`;

export async function loadCalendar(q: Queryable, key: CalendarKey): Promise<SyncCalendarRow | undefined> {
  const { rows } = await q.query<SyncCalendarRow>(
    `${SELECT_CALENDAR} WHERE c.connection_id = $1 AND c.calendar_id = $2`,
    [key.connectionId, key.calendarId],
  );
  return rows[0];
}

/** Registers (or re-selects) calendars; each gets a sync request. A new or re-selected calendar has no token: full sync. */
export async function selectCalendars(
  q: Queryable,
  connectionId: string,
  orgId: string,
  calendars: CalendarRef[],
): Promise<CalendarKey[]> {
  await q.query(
    `INSERT INTO sync_connections (connection_id, org_id) VALUES ($1, $2)
     ON CONFLICT (connection_id) DO UPDATE SET org_id = EXCLUDED.org_id`,
    [connectionId, orgId],
  );
  const { rows } = await q.query<CalendarKey>(
    `INSERT INTO sync_calendars (connection_id, calendar_id, org_id, summary, time_zone, access_role, state)
     SELECT $1, c."calendarId", $2, c.summary, c."timeZone", c."accessRole",
            CASE WHEN (SELECT revoked FROM sync_connections WHERE connection_id = $1) THEN 'revoked' ELSE 'ok' END
     FROM jsonb_to_recordset($3::jsonb) AS c("calendarId" text, summary text, "timeZone" text, "accessRole" text)
     ON CONFLICT (connection_id, calendar_id) DO UPDATE SET
       selected = true, org_id = EXCLUDED.org_id, summary = EXCLUDED.summary, time_zone = EXCLUDED.time_zone,
       access_role = EXCLUDED.access_role, requested_seq = sync_calendars.requested_seq + 1
     RETURNING connection_id AS "connectionId", calendar_id AS "calendarId"`,
    [connectionId, orgId, JSON.stringify(calendars)],
  );
  return rows;
}

/** Stops syncing calendars; the token is dropped so a later re-selection starts with a full sync. */
export async function deselectCalendars(
  q: Queryable,
  connectionId: string,
  calendarIds: string[] | 'all',
): Promise<(CalendarKey & { orgId: string; openAlert: AlertKind | null })[]> {
  const { rows } = await q.query(
    `UPDATE sync_calendars SET selected = false, sync_token = NULL, open_alert = NULL, consecutive_failures = 0,
            next_attempt_at = NULL, state = CASE WHEN state = 'revoked' THEN state ELSE 'ok' END
     WHERE connection_id = $1 AND ($2::text[] IS NULL OR calendar_id = ANY($2::text[])) AND selected
     RETURNING connection_id AS "connectionId", calendar_id AS "calendarId", org_id AS "orgId",
               (SELECT open_alert FROM sync_calendars o WHERE o.connection_id = sync_calendars.connection_id
                  AND o.calendar_id = sync_calendars.calendar_id) AS "openAlert"`,
    [connectionId, calendarIds === 'all' ? null : calendarIds],
  );
  return rows;
}

/** Durably records that a calendar needs a sync (a notification arrived). Returns the calendars touched. */
export async function requestSync(
  q: Queryable,
  connectionId: string | null,
  calendarId: string,
): Promise<CalendarKey[]> {
  const { rows } = await q.query<CalendarKey>(
    `UPDATE sync_calendars SET requested_seq = requested_seq + 1
     WHERE calendar_id = $2 AND ($1::text IS NULL OR connection_id = $1) AND selected
     RETURNING connection_id AS "connectionId", calendar_id AS "calendarId"`,
    [connectionId, calendarId],
  );
  return rows;
}

/** Remembers the Google account's email (connected / reauthorized), for alerts. */
export async function rememberAccount(q: Queryable, connectionId: string, orgId: string, email: string): Promise<void> {
  await q.query(
    `INSERT INTO sync_connections (connection_id, org_id, account_email) VALUES ($1, $2, $3)
     ON CONFLICT (connection_id) DO UPDATE SET account_email = EXCLUDED.account_email, org_id = EXCLUDED.org_id`,
    [connectionId, orgId, email],
  );
}

/** Revoked: every calendar of the connection stops, keeping tokens and mirror. Reauthorized: they resume. */
export async function setConnectionRevoked(
  q: Queryable,
  connectionId: string,
  orgId: string,
  revoked: boolean,
): Promise<CalendarKey[]> {
  await q.query(
    `INSERT INTO sync_connections (connection_id, org_id, revoked) VALUES ($1, $2, $3)
     ON CONFLICT (connection_id) DO UPDATE SET revoked = EXCLUDED.revoked`,
    [connectionId, orgId, revoked],
  );
  const { rows } = await q.query<CalendarKey>(
    revoked
      ? `UPDATE sync_calendars SET state = 'revoked', state_changed_at = now()
         WHERE connection_id = $1 AND state <> 'revoked'
         RETURNING connection_id AS "connectionId", calendar_id AS "calendarId"`
      : `UPDATE sync_calendars SET state = 'ok', consecutive_failures = 0, next_attempt_at = NULL,
              requested_seq = requested_seq + 1, state_changed_at = now()
         WHERE connection_id = $1 AND selected
         RETURNING connection_id AS "connectionId", calendar_id AS "calendarId"`,
    [connectionId],
  );
  return rows;
}

/** Calendars with a pending request whose retry time (if any) has come. */
export async function dueCalendars(q: Queryable, limit = 500): Promise<CalendarKey[]> {
  const { rows } = await q.query<CalendarKey>(
    `SELECT c.connection_id AS "connectionId", c.calendar_id AS "calendarId"
     FROM sync_calendars c LEFT JOIN sync_connections k ON k.connection_id = c.connection_id
     WHERE c.selected AND c.requested_seq > c.handled_seq AND c.state <> 'revoked'
       AND (c.next_attempt_at IS NULL OR c.next_attempt_at <= now())
       AND (k.quota_paused_until IS NULL OR k.quota_paused_until <= now())
     ORDER BY c.next_attempt_at NULLS FIRST LIMIT $1`,
    [limit],
  );
  return rows;
}

export async function markSynced(
  q: Queryable,
  key: CalendarKey,
  result: { syncToken: string; handledSeq: number; full: boolean },
): Promise<void> {
  await q.query(
    `UPDATE sync_calendars SET sync_token = $3, handled_seq = GREATEST(handled_seq, $4), state = 'ok',
            consecutive_failures = 0, next_attempt_at = NULL, last_error = NULL, open_alert = NULL,
            last_synced_at = now(), last_full_sync_at = CASE WHEN $5 THEN now() ELSE last_full_sync_at END,
            state_changed_at = CASE WHEN state <> 'ok' THEN now() ELSE state_changed_at END
     WHERE connection_id = $1 AND calendar_id = $2`,
    [key.connectionId, key.calendarId, result.syncToken, result.handledSeq, result.full],
  );
}

export async function markFailed(
  q: Queryable,
  key: CalendarKey,
  decision: FailureDecision,
  error: string,
): Promise<void> {
  await q.query(
    `UPDATE sync_calendars SET state = $3, consecutive_failures = $4, next_attempt_at = $5, open_alert = $6,
            last_error = $7, state_changed_at = CASE WHEN state <> $3 THEN now() ELSE state_changed_at END
     WHERE connection_id = $1 AND calendar_id = $2`,
    [
      key.connectionId,
      key.calendarId,
      decision.state,
      decision.failures,
      new Date(decision.nextAttemptAt),
      decision.openAlert,
      error.slice(0, 1000),
    ],
  );
}

/** Drops the sync token so the next run does a full sync (Google answered 410). */
export async function clearSyncToken(q: Queryable, key: CalendarKey): Promise<void> {
  await q.query('UPDATE sync_calendars SET sync_token = NULL WHERE connection_id = $1 AND calendar_id = $2', [
    key.connectionId,
    key.calendarId,
  ]);
}

/** Google's Calendar usage limit: the whole account waits. Returns true when this opened the incident. */
export async function pauseConnectionForQuota(q: Queryable, connectionId: string, until: Date): Promise<boolean> {
  const { rows } = await q.query<{ open: boolean }>(
    'SELECT quota_alert_open AS open FROM sync_connections WHERE connection_id = $1 FOR UPDATE',
    [connectionId],
  );
  await q.query(
    'UPDATE sync_connections SET quota_paused_until = $2, quota_alert_open = true WHERE connection_id = $1',
    [connectionId, until],
  );
  await q.query(
    `UPDATE sync_calendars SET state = 'quota_paused', next_attempt_at = $2, state_changed_at = now()
     WHERE connection_id = $1 AND selected AND state <> 'revoked'`,
    [connectionId, until],
  );
  return rows[0] !== undefined && !rows[0].open;
}

/** A successful call after a quota pause: returns true when an incident was open (and is now closed). */
export async function clearQuotaPause(q: Queryable, connectionId: string): Promise<boolean> {
  const { rows } = await q.query(
    `UPDATE sync_connections SET quota_paused_until = NULL, quota_alert_open = false
     WHERE connection_id = $1 AND quota_alert_open RETURNING connection_id`,
    [connectionId],
  );
  if (rows.length === 0) return false;
  await q.query(
    `UPDATE sync_calendars SET state = 'ok', next_attempt_at = NULL
     WHERE connection_id = $1 AND state = 'quota_paused'`,
    [connectionId],
  );
  return true;
}

/** Selected calendars by sync state, for the metrics gauge. */
export async function countCalendarsByState(q: Queryable): Promise<{ state: string; count: number }[]> {
  const { rows } = await q.query<{ state: string; count: number }>(
    `SELECT state, count(*)::int AS count FROM sync_calendars WHERE selected GROUP BY state`,
  );
  return rows;
}

export async function listCalendars(q: Queryable, connectionId: string) {
  const { rows } = await q.query(
    `SELECT calendar_id AS "calendarId", summary, time_zone AS "timeZone", selected, state,
            consecutive_failures AS "consecutiveFailures", last_synced_at AS "lastSyncedAt", last_error AS "lastError"
     FROM sync_calendars WHERE connection_id = $1 ORDER BY calendar_id`,
    [connectionId],
  );
  return rows as {
    calendarId: string;
    summary: string | null;
    timeZone: string | null;
    selected: boolean;
    state: string;
    consecutiveFailures: number;
    lastSyncedAt: Date | null;
    lastError: string | null;
  }[];
}
