import { type AdminAlertPayload, enqueueOutbox, type PoolClient } from '@gcal-sync/shared';
import { applyGoogleEvents } from '../inbound/apply-google-events';
import type { EchoDetector } from '../inbound/echo-detector';
import { appFieldsOf } from './app-fields';
import { type BookingResult, completeCommand } from './commands-repository';
import { recordWriteSuccess } from './connections-repository';
import type { Execution, WriteContext } from './write-execution';
import { completeWrite, dropPendingWrites, recordConflict } from './writes-repository';

/** Every event we just wrote is, by definition, our own write. */
const ours: EchoDetector = { isOwnWrite: async () => true };

export const OUTBOX_TABLE = 'sync_core_outbox';

export function outboundAlert(connectionId: string, status: 'open' | 'resolved', detail: string): AdminAlertPayload {
  return {
    kind: 'outbound.paused',
    status,
    severity: status === 'open' ? 'warning' : 'info',
    subject: `connection:${connectionId}:outbound`,
    title: status === 'open' ? 'Bookings are not reaching Google Calendar' : 'Bookings reach Google Calendar again',
    detail,
    since: new Date().toISOString(),
  };
}

/**
 * Commits the outcome of a command in one transaction: the events we wrote go into the mirror (one
 * change event each, `source: 'app'`, through the outbox), our write records get Google's etags and
 * the versions, conflicts are recorded, the command is completed and its result enqueued for
 * booking.results. A crash before the commit leaves the command leased; it is re-run and finds its
 * own marker on the event, so nothing is written twice.
 */
export async function recordOutcome(tx: PoolClient, ctx: WriteContext, execution: Execution): Promise<BookingResult> {
  const { command } = ctx;
  const key = { connectionId: ctx.connectionId, calendarId: ctx.calendarId };
  let result: BookingResult;
  if (execution.outcome === 'succeeded') {
    const written = execution.written.map((w) => w.event);
    await applyGoogleEvents(tx, { ...key, orgId: ctx.orgId }, written, { echo: ours });
    const ids = written.map((e) => e.id as string);
    const { rows } = await tx.query<{ event_id: string; version: number; etag: string }>(
      `SELECT event_id, version::float8 AS version, etag FROM mirror_events
       WHERE connection_id = $1 AND calendar_id = $2 AND event_id = ANY($3::text[])`,
      [key.connectionId, key.calendarId, ids],
    );
    const byId = new Map(rows.map((r) => [r.event_id, r]));
    for (const { event, op } of execution.written) {
      const row = byId.get(event.id as string);
      await completeWrite(tx, {
        writeId: ctx.writeId,
        ...key,
        eventId: event.id as string,
        etag: op === 'delete' ? null : (event.etag ?? null),
        version: row && row.etag === event.etag ? row.version : null,
        fields: op === 'delete' ? null : appFieldsOf(event),
        googleUpdated: event.updated ?? null,
      });
    }
    const primary = execution.written.find((w) => w.event.id === execution.eventId)?.event;
    const primaryRow = byId.get(execution.eventId);
    result = {
      outcome: 'succeeded',
      op: command.op,
      commandId: command.commandId,
      bookingId: command.bookingId,
      calendarId: ctx.calendarId,
      eventId: execution.eventId,
      ...(primary?.etag && command.op !== 'delete' ? { etag: primary.etag } : {}),
      ...(primaryRow && (command.op === 'delete' || primaryRow.etag === primary?.etag)
        ? { version: primaryRow.version }
        : {}),
      ...(execution.merged !== undefined ? { merged: execution.merged } : {}),
      ...(execution.alreadyDeleted ? { alreadyDeleted: true } : {}),
      ...(execution.followingEventId ? { followingEventId: execution.followingEventId } : {}),
      ...(execution.conflict ? { conflict: execution.conflict } : {}),
    };
    const { wasPaused } = await recordWriteSuccess(tx, ctx.connectionId);
    if (wasPaused) {
      await enqueueOutbox(tx, OUTBOX_TABLE, 'adminAlerts', {
        orgId: ctx.orgId,
        connectionId: ctx.connectionId,
        payload: outboundAlert(ctx.connectionId, 'resolved', 'Google accepted a booking write again.'),
      });
    }
  } else {
    result = {
      outcome: 'failed',
      op: command.op,
      commandId: command.commandId,
      bookingId: command.bookingId,
      error: execution.error,
      message: execution.message,
      ...(execution.eventId ? { eventId: execution.eventId } : {}),
      ...(execution.current ? { current: execution.current } : {}),
      ...(execution.conflict ? { conflict: execution.conflict } : {}),
    };
  }
  await dropPendingWrites(tx, ctx.writeId);
  if (execution.conflict) {
    await recordConflict(tx, {
      commandId: command.commandId,
      ...key,
      eventId: execution.eventId ?? ('eventId' in command ? command.eventId : ''),
      resolution: execution.conflict.resolution,
      report: execution.conflict,
    });
  }
  await completeCommand(tx, command.commandId, result);
  await enqueueOutbox(tx, OUTBOX_TABLE, 'bookingResults', {
    orgId: ctx.orgId,
    connectionId: ctx.connectionId,
    messageId: undefined,
    payload: result,
  });
  return result;
}
