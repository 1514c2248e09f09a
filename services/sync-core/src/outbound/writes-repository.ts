import type { BookingFields, Queryable } from '@gcal-sync/shared';

export type WriteOp = 'insert' | 'patch' | 'delete';

/** One write of one event: the marker (write id) and where it went. */
export type WriteKey = { writeId: string; connectionId: string; calendarId: string; eventId: string };

/**
 * Records a write before Google is called (committed on its own), so an incremental sync racing the
 * write already finds its marker. `fields` may carry what the write started from (a split's recurrence).
 */
export async function recordPendingWrite(
  q: Queryable,
  w: WriteKey & { commandId: string; bookingId: string; op: WriteOp; fields?: BookingFields },
): Promise<void> {
  await q.query(
    `INSERT INTO outbound_writes (write_id, connection_id, calendar_id, event_id, command_id, booking_id, op, state, fields)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8)
     ON CONFLICT (connection_id, calendar_id, event_id, write_id) DO UPDATE SET op = EXCLUDED.op,
       fields = COALESCE(outbound_writes.fields, EXCLUDED.fields)`,
    [
      w.writeId,
      w.connectionId,
      w.calendarId,
      w.eventId,
      w.commandId,
      w.bookingId,
      w.op,
      w.fields ? JSON.stringify(w.fields) : null,
    ],
  );
}

/** What a pending write recorded when it started (the original recurrence of a split). */
export async function pendingFields(q: Queryable, key: WriteKey): Promise<BookingFields | undefined> {
  const { rows } = await q.query<{ fields: BookingFields | null }>(
    `SELECT fields FROM outbound_writes WHERE write_id = $1 AND connection_id = $2 AND calendar_id = $3 AND event_id = $4`,
    [key.writeId, key.connectionId, key.calendarId, key.eventId],
  );
  return rows[0]?.fields ?? undefined;
}

/** The app-owned fields of an event at a version one of our writes produced: the base of a merge. */
export async function fieldsAtVersion(
  q: Queryable,
  key: { connectionId: string; calendarId: string; eventId: string },
  version: number,
): Promise<BookingFields | undefined> {
  const { rows } = await q.query<{ fields: BookingFields }>(
    `SELECT fields FROM outbound_writes
     WHERE connection_id = $1 AND calendar_id = $2 AND event_id = $3 AND version = $4 AND state = 'done' AND fields IS NOT NULL
     LIMIT 1`,
    [key.connectionId, key.calendarId, key.eventId, version],
  );
  return rows[0]?.fields;
}

export async function recordConflict(
  q: Queryable,
  c: {
    commandId: string;
    connectionId: string;
    calendarId: string;
    eventId: string;
    resolution: string;
    report: unknown;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO outbound_conflicts (command_id, connection_id, calendar_id, event_id, resolution, report)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [c.commandId, c.connectionId, c.calendarId, c.eventId, c.resolution, JSON.stringify(c.report)],
  );
}
