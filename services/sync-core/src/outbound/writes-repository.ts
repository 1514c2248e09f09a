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

/** Marks a write done with what Google answered and the mirror version it produced. */
export async function completeWrite(
  q: Queryable,
  w: WriteKey & {
    etag: string | null;
    version: number | null;
    fields: BookingFields | null;
    googleUpdated: string | null;
  },
): Promise<void> {
  await q.query(
    `UPDATE outbound_writes SET state = 'done', etag = $5, version = $6, fields = $7, google_updated = $8, completed_at = now()
     WHERE write_id = $1 AND connection_id = $2 AND calendar_id = $3 AND event_id = $4`,
    [
      w.writeId,
      w.connectionId,
      w.calendarId,
      w.eventId,
      w.etag,
      w.version,
      w.fields ? JSON.stringify(w.fields) : null,
      w.googleUpdated,
    ],
  );
}

/** A command that ended without writing leaves no pending marker behind. */
export async function dropPendingWrites(q: Queryable, writeId: string): Promise<void> {
  await q.query(`DELETE FROM outbound_writes WHERE write_id = $1 AND state = 'pending'`, [writeId]);
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
