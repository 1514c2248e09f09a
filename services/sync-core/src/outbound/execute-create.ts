import { APP_FIELDS, toGooglePatch } from './app-fields';
import type { BookingCommand } from './commands-repository';
import { eventIdForBooking } from './event-id';
import { GoogleCallError, type GoogleEvent } from './google-calendar-client';
import {
  type Execution,
  failed,
  markedProperties,
  notePending,
  type WriteContext,
  type WriteDeps,
} from './write-execution';

/**
 * Create with a deterministic id: a retried insert (after a timeout, a redelivery, a crash) gets 409
 * from Google and resolves to the event that is already there, never a second one. An id whose event
 * was deleted also answers 409; then the event is restored with the booking's fields.
 */
export async function executeCreate(
  deps: WriteDeps,
  ctx: WriteContext,
  command: Extract<BookingCommand, { op: 'create' }>,
): Promise<Execution> {
  const { fields } = command;
  if (!fields.start || !fields.end) return failed('invalid', 'a new event needs fields.start and fields.end');
  const eventId = eventIdForBooking(command.bookingId);
  const body: GoogleEvent = {
    ...toGooglePatch(fields, APP_FIELDS),
    id: eventId,
    extendedProperties: markedProperties(ctx),
  };
  await notePending(deps, ctx, eventId, 'insert');
  try {
    const created = await deps.google.insert(ctx.connectionId, ctx.calendarId, body, command.sendUpdates);
    return { outcome: 'succeeded', eventId, written: [{ event: created, op: 'insert' }] };
  } catch (error) {
    if (!(error instanceof GoogleCallError) || error.classified.kind !== 'duplicate') throw error;
  }
  const existing = await deps.google.get(ctx.connectionId, ctx.calendarId, eventId);
  if (existing.status !== 'cancelled')
    return { outcome: 'succeeded', eventId, written: [{ event: existing, op: 'insert' }] };
  const { id: _id, ...restore } = body;
  const restored = await deps.google.patch(
    ctx.connectionId,
    ctx.calendarId,
    eventId,
    { ...restore, status: 'confirmed' },
    { ...(existing.etag ? { etag: existing.etag } : {}), sendUpdates: command.sendUpdates },
  );
  return { outcome: 'succeeded', eventId, written: [{ event: restored, op: 'patch' }] };
}
