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

/**
 * Registers a command as running (leased), or returns the row already there: the idempotency key
 * makes a redelivered message or a retried request find the first one's state or result.
 */
export async function claimCommand(
  q: Queryable,
  input: { orgId: string; connectionId: string; command: BookingCommand; writeId: string; leaseMs: number },
): Promise<{ row: CommandRow; created: boolean }> {
  const inserted = await q.query<CommandRow>(
    `INSERT INTO outbound_commands (command_id, org_id, connection_id, booking_id, command, state, write_id, lease_until)
     VALUES ($1, $2, $3, $4, $5, 'running', $6, now() + $7 * interval '1 millisecond')
     ON CONFLICT (command_id) DO NOTHING RETURNING ${COLUMNS}`,
    [
      input.command.commandId,
      input.orgId,
      input.connectionId,
      input.command.bookingId,
      JSON.stringify(input.command),
      input.writeId,
      input.leaseMs,
    ],
  );
  if (inserted.rows[0]) return { row: inserted.rows[0], created: true };
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

/** An earlier write of the same booking still open: this one must wait behind it (order per booking). */
export async function hasEarlierOpen(
  q: Queryable,
  row: { connectionId: string; bookingId: string; commandId: string },
) {
  const { rows } = await q.query(
    `SELECT 1 FROM outbound_commands o
     WHERE o.connection_id = $1 AND o.booking_id = $2 AND o.state IN ('queued', 'running') AND o.command_id <> $3
       AND o.created_at <= (SELECT created_at FROM outbound_commands WHERE command_id = $3) LIMIT 1`,
    [row.connectionId, row.bookingId, row.commandId],
  );
  return rows.length > 0;
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

export async function completeCommand(q: Queryable, commandId: string, result: BookingResult): Promise<void> {
  await q.query(
    `UPDATE outbound_commands SET state = $2, result = $3, lease_until = NULL, next_attempt_at = NULL, updated_at = now()
     WHERE command_id = $1`,
    [commandId, result.outcome === 'succeeded' ? 'succeeded' : 'failed', JSON.stringify(result)],
  );
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
