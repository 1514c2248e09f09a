import type { PayloadOf, Queryable } from '@gcal-sync/shared';

export type BookingCommand = PayloadOf<'bookingCommands'>;
export type BookingResult = PayloadOf<'bookingResults'>;
/** An update or a delete: a write to an event that exists. */
export type ModifyCommand = Extract<BookingCommand, { op: 'update' | 'delete' }>;
export type CommandState = 'running' | 'queued' | 'succeeded' | 'failed';

export type CommandRow = {
  commandId: string;
  orgId: string;
  connectionId: string;
  bookingId: string;
  command: BookingCommand;
  state: CommandState;
  attempts: number;
  writeId: string;
  result: BookingResult | null;
  leaseUntil: Date | null;
  createdAt: Date;
};

const COLUMNS = `command_id AS "commandId", org_id AS "orgId", connection_id AS "connectionId", booking_id AS "bookingId",
  command, state, attempts, write_id AS "writeId", result, lease_until AS "leaseUntil", created_at AS "createdAt"`;

export type ClaimContext = {
  /** Another write of the same booking is still open: this one must wait behind it (order per booking). */
  earlierOpen: boolean;
  defaultCalendarId: string | null;
  paused: boolean;
  quotaPausedUntil: Date | null;
  /** The connection has a failure streak to clear on success. */
  failing: boolean;
  /** Consecutive failed attempts of the connection's writes. */
  failures: number;
  /** For a named calendar: whether it is selected (null when unknown to sync-core). */
  requestedSelected: boolean | null;
};

/**
 * Registers a command as running (leased), or returns the row already there: the idempotency key
 * makes a redelivered message or a retried request find the first one's state or result. The same
 * round trip reads what the write needs to know about its booking and connection (a write's
 * latency is mostly database round trips, so they are few).
 */
export async function claimCommand(
  q: Queryable,
  input: { orgId: string; connectionId: string; command: BookingCommand; writeId: string; leaseMs: number },
): Promise<{ row: CommandRow; created: true; context: ClaimContext } | { row: CommandRow; created: false }> {
  const inserted = await q.query<CommandRow & ClaimContext & { created: boolean }>(
    `WITH ins AS (
       INSERT INTO outbound_commands (command_id, org_id, connection_id, booking_id, command, state, write_id, lease_until)
       VALUES ($1, $2, $3, $4, $5, 'running', $6, now() + $7 * interval '1 millisecond')
       ON CONFLICT (command_id) DO NOTHING RETURNING ${COLUMNS}
     )
     SELECT ins.*,
       EXISTS (SELECT 1 FROM outbound_commands o WHERE o.connection_id = $3 AND o.booking_id = $4
               AND o.state IN ('queued', 'running') AND o.command_id <> $1) AS "earlierOpen",
       c.default_calendar_id AS "defaultCalendarId", COALESCE(c.paused, false) AS paused,
       c.quota_paused_until AS "quotaPausedUntil", COALESCE(c.consecutive_failures > 0 OR c.paused, false) AS failing,
       COALESCE(c.consecutive_failures, 0) AS failures,
       CASE WHEN $8::text IS NULL THEN NULL
            ELSE (SELECT selected FROM sync_calendars WHERE connection_id = $3 AND calendar_id = $8) END AS "requestedSelected"
     FROM ins LEFT JOIN outbound_connections c ON c.connection_id = $3`,
    [
      input.command.commandId,
      input.orgId,
      input.connectionId,
      input.command.bookingId,
      JSON.stringify(input.command),
      input.writeId,
      input.leaseMs,
      input.command.calendarId ?? null,
    ],
  );
  const first = inserted.rows[0];
  if (first) {
    const { earlierOpen, defaultCalendarId, paused, quotaPausedUntil, failing, failures, requestedSelected, ...row } =
      first;
    return {
      row: row as CommandRow,
      created: true,
      context: { earlierOpen, defaultCalendarId, paused, quotaPausedUntil, failing, failures, requestedSelected },
    };
  }
  const { rows } = await q.query<CommandRow>(`SELECT ${COLUMNS} FROM outbound_commands WHERE command_id = $1`, [
    input.command.commandId,
  ]);
  return { row: rows[0] as CommandRow, created: false };
}

/** Takes over a running command whose lease expired (its process died); false if someone holds it. */
export async function takeOverExpired(q: Queryable, commandId: string, leaseMs: number): Promise<boolean> {
  const { rowCount } = await q.query(
    `UPDATE outbound_commands SET lease_until = now() + $2 * interval '1 millisecond', updated_at = now()
     WHERE command_id = $1 AND state = 'running' AND lease_until < now()`,
    [commandId, leaseMs],
  );
  return (rowCount ?? 0) > 0;
}

export async function queueCommand(
  q: Queryable,
  commandId: string,
  input: { delayMs: number; attempts: number; error: string },
): Promise<void> {
  await q.query(
    `UPDATE outbound_commands SET state = 'queued', attempts = $2, last_error = $3, lease_until = NULL,
       next_attempt_at = now() + $4 * interval '1 millisecond', updated_at = now()
     WHERE command_id = $1`,
    [commandId, input.attempts, input.error.slice(0, 2000), input.delayMs],
  );
}

/** What one finished write of the command left in Google (to record for echo detection and merges). */
export type CompletedWrite = {
  eventId: string;
  etag: string | null;
  version: number | null;
  fields: unknown;
  googleUpdated: string | null;
};

/**
 * Completes a command in one statement: its writes get Google's etags and versions, pending writes
 * that never happened are dropped, the command stores its result, and the result message goes to the
 * outbox (and the relay is woken). One round trip instead of five keeps a write's overhead small.
 */
export async function completeCommand(
  q: Queryable,
  input: {
    commandId: string;
    writeId: string;
    connectionId: string;
    calendarId: string;
    result: BookingResult;
    writes: CompletedWrite[];
    outboxTable: string;
    resultMessage: unknown;
  },
): Promise<void> {
  await q.query(
    `WITH w AS (
       UPDATE outbound_writes ow SET state = 'done', etag = x.etag, version = x.version, fields = x.fields,
         google_updated = x.google_updated, completed_at = now()
       FROM jsonb_to_recordset($6::jsonb) AS x(event_id text, etag text, version bigint, fields jsonb, google_updated timestamptz)
       WHERE ow.write_id = $2 AND ow.connection_id = $3 AND ow.calendar_id = $4 AND ow.event_id = x.event_id
       RETURNING ow.event_id
     ), dropped AS (
       DELETE FROM outbound_writes WHERE write_id = $2 AND state = 'pending'
         AND NOT (event_id = ANY (SELECT jsonb_array_elements_text($7::jsonb)))
     ), c AS (
       UPDATE outbound_commands SET state = $5, result = $8, lease_until = NULL, next_attempt_at = NULL, updated_at = now()
       WHERE command_id = $1
     ), o AS (
       INSERT INTO ${assertTable(input.outboxTable)} (topic, message) VALUES ('bookingResults', $9)
     )
     SELECT pg_notify($10, '')`,
    [
      input.commandId,
      input.writeId,
      input.connectionId,
      input.calendarId,
      input.result.outcome === 'succeeded' ? 'succeeded' : 'failed',
      JSON.stringify(
        input.writes.map((w) => ({
          event_id: w.eventId,
          etag: w.etag,
          version: w.version,
          fields: w.fields,
          google_updated: w.googleUpdated,
        })),
      ),
      JSON.stringify(input.writes.map((w) => w.eventId)),
      JSON.stringify(input.result),
      JSON.stringify(input.resultMessage),
      input.outboxTable,
    ],
  );
}

function assertTable(table: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`bad table name ${table}`);
  return table;
}

/**
 * Leases due queued commands (and running ones whose process died), oldest first, only the oldest
 * open command of each booking so a booking's writes stay in order. SKIP LOCKED lets replicas share.
 */
export async function claimDue(q: Queryable, limit: number, leaseMs: number): Promise<CommandRow[]> {
  const { rows } = await q.query<CommandRow>(
    `UPDATE outbound_commands SET state = 'running', lease_until = now() + $2 * interval '1 millisecond', updated_at = now()
     WHERE command_id IN (
       SELECT c.command_id FROM outbound_commands c
       WHERE ((c.state = 'queued' AND c.next_attempt_at <= now()) OR (c.state = 'running' AND c.lease_until < now()))
         AND NOT EXISTS (
           SELECT 1 FROM outbound_commands o
           WHERE o.connection_id = c.connection_id AND o.booking_id = c.booking_id
             AND o.state IN ('queued', 'running') AND o.created_at < c.created_at)
       ORDER BY c.created_at LIMIT $1 FOR UPDATE SKIP LOCKED)
     RETURNING ${COLUMNS}`,
    [limit, leaseMs],
  );
  return rows;
}

export async function countQueued(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM outbound_commands WHERE state = 'queued'`,
  );
  return rows[0]?.n ?? 0;
}

/**
 * Forgets what is older than the retention: finished commands (their idempotency key), completed
 * write records (echo detection only ever needs recent ones; an older merge base falls back to
 * "unknown", i.e. last-write-wins on every differing field) and conflict records.
 */
export async function pruneOutbound(q: Queryable, retentionDays: number): Promise<void> {
  await q.query(
    `WITH c AS (
       DELETE FROM outbound_commands WHERE state IN ('succeeded', 'failed') AND updated_at < now() - $1 * interval '1 day'
     ), w AS (
       DELETE FROM outbound_writes WHERE state = 'done' AND completed_at < now() - $1 * interval '1 day'
     )
     DELETE FROM outbound_conflicts WHERE detected_at < now() - $1 * interval '1 day'`,
    [retentionDays],
  );
}
