import { type AdminAlertPayload, buildEnvelope, enqueueOutbox, type PoolClient } from '@gcal-sync/shared';
import { applyGoogleEvents } from '../inbound/apply-google-events';
import type { EchoDetector } from '../inbound/echo-detector';
import { OUTBOX_TABLE } from '../inbound/outbox-writer';
import { appFieldsOf } from './app-fields';
import { type BookingResult, type CompletedWrite, completeCommand } from './commands-repository';
import { recordWriteSuccess } from './connections-repository';
import type { Execution, WriteContext } from './write-execution';
import { recordConflict } from './writes-repository';

/** Every event we just wrote is, by definition, our own write. */
const ours: EchoDetector = { isOwnWrite: async () => true };

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

/** The mirror version each written event has now (when its etag is still ours). */
async function versionsOf(tx: PoolClient, ctx: WriteContext, execution: Extract<Execution, { outcome: 'succeeded' }>) {
  const written = execution.written.map((w) => w.event);
  const target = { connectionId: ctx.connectionId, calendarId: ctx.calendarId, orgId: ctx.orgId };
  const applied = await applyGoogleEvents(tx, target, written, { echo: ours });
  const versions = new Map<string, { version: number; etag: string }>(
    applied.map((c) => [c.eventId, { version: c.version, etag: c.event.etag }]),
  );
  // An event version inbound applied first (same etag) produced no change now: read its version.
  const missing = written.map((e) => e.id as string).filter((id) => !versions.has(id));
  if (missing.length > 0) {
    const { rows } = await tx.query<{ event_id: string; version: number; etag: string }>(
      `SELECT event_id, version::float8 AS version, etag FROM mirror_events
       WHERE connection_id = $1 AND calendar_id = $2 AND event_id = ANY($3::text[])`,
      [ctx.connectionId, ctx.calendarId, missing],
    );
    for (const r of rows) versions.set(r.event_id, { version: r.version, etag: r.etag });
  }
  return versions;
}

/**
 * Commits the outcome of a command in one transaction: the events we wrote go into the mirror (one
 * change event each, `source: 'app'`, through the outbox), our write records get Google's etags and
 * the versions, conflicts are recorded, the command is completed and its result enqueued for
 * booking.results. A crash before the commit leaves the command leased; it is re-run and finds its
 * own marker on the event, so nothing is written twice. `failing`: the connection had a failure
 * streak, which this success clears (with a recovery alert if it was paused).
 */
export async function recordOutcome(
  tx: PoolClient,
  ctx: WriteContext,
  execution: Execution,
  failing: boolean,
): Promise<BookingResult> {
  const { command } = ctx;
  let result: BookingResult;
  const writes: CompletedWrite[] = [];
  if (execution.outcome === 'succeeded') {
    const versions = await versionsOf(tx, ctx, execution);
    for (const { event, op } of execution.written) {
      const mirrored = versions.get(event.id as string);
      writes.push({
        eventId: event.id as string,
        etag: op === 'delete' ? null : (event.etag ?? null),
        version: mirrored && mirrored.etag === event.etag ? mirrored.version : null,
        fields: op === 'delete' ? null : appFieldsOf(event),
        googleUpdated: event.updated ?? null,
      });
    }
    const primary = execution.written.find((w) => w.event.id === execution.eventId)?.event;
    const mirrored = versions.get(execution.eventId);
    result = {
      outcome: 'succeeded',
      op: command.op,
      commandId: command.commandId,
      bookingId: command.bookingId,
      calendarId: ctx.calendarId,
      eventId: execution.eventId,
      ...(primary?.etag && command.op !== 'delete' ? { etag: primary.etag } : {}),
      ...(mirrored && mirrored.etag === primary?.etag ? { version: mirrored.version } : {}),
      ...(execution.merged !== undefined ? { merged: execution.merged } : {}),
      ...(execution.alreadyDeleted ? { alreadyDeleted: true } : {}),
      ...(execution.followingEventId ? { followingEventId: execution.followingEventId } : {}),
      ...(execution.conflict ? { conflict: execution.conflict } : {}),
    };
    if (failing && (await recordWriteSuccess(tx, ctx.connectionId)).wasPaused) {
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
  if (execution.conflict) {
    await recordConflict(tx, {
      commandId: command.commandId,
      connectionId: ctx.connectionId,
      calendarId: ctx.calendarId,
      eventId: execution.eventId ?? ('eventId' in command ? command.eventId : ''),
      resolution: execution.conflict.resolution,
      report: execution.conflict,
    });
  }
  await completeCommand(tx, {
    commandId: command.commandId,
    writeId: ctx.writeId,
    connectionId: ctx.connectionId,
    calendarId: ctx.calendarId,
    result,
    writes,
    outboxTable: OUTBOX_TABLE,
    resultMessage: buildEnvelope('bookingResults', {
      orgId: ctx.orgId,
      connectionId: ctx.connectionId,
      payload: result,
    }),
  });
  return result;
}
