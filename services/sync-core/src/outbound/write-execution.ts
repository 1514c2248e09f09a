import type { BookingErrorCode, BookingFields, CalendarEvent, ConflictResolution, Pool } from '@gcal-sync/shared';
import type { BookingCommand } from './commands-repository';
import { WRITE_ID_PROPERTY } from './echo-detector';
import type { GoogleCalendarClient, GoogleEvent } from './google-calendar-client';
import { recordPendingWrite, type WriteOp } from './writes-repository';

/** Everything one execution of a command needs to know. */
export type WriteContext = {
  orgId: string;
  connectionId: string;
  calendarId: string;
  writeId: string;
  receivedAt: string;
  command: BookingCommand;
};

export type WriteDeps = { pool: Pool; google: GoogleCalendarClient; skewMs: number };

/** An event Google answered to one of our writes (or a tombstone for a delete), to record and mirror. */
export type WrittenEvent = { event: GoogleEvent; op: WriteOp };

export type Execution =
  | {
      outcome: 'succeeded';
      eventId: string;
      written: WrittenEvent[];
      merged?: boolean;
      alreadyDeleted?: boolean;
      followingEventId?: string;
      conflict?: ConflictResolution;
    }
  | {
      outcome: 'failed';
      error: BookingErrorCode;
      message: string;
      eventId?: string;
      current?: CalendarEvent;
      currentRaw?: GoogleEvent;
      conflict?: ConflictResolution;
    };

export function failed(
  error: BookingErrorCode,
  message: string,
  extra: Partial<Extract<Execution, { outcome: 'failed' }>> = {},
): Execution {
  return { outcome: 'failed', error, message, ...extra };
}

/** extendedProperties for a write: what Google has, plus our booking id and this write's marker. */
export function markedProperties(ctx: WriteContext, current?: GoogleEvent): GoogleEvent['extendedProperties'] {
  return {
    ...(current?.extendedProperties?.shared ? { shared: current.extendedProperties.shared } : {}),
    private: {
      ...(current?.extendedProperties?.private ?? {}),
      bookingId: ctx.command.bookingId,
      [WRITE_ID_PROPERTY]: ctx.writeId,
    },
  };
}

export function markerOf(event: GoogleEvent | undefined): string | undefined {
  return event?.extendedProperties?.private?.[WRITE_ID_PROPERTY] ?? undefined;
}

export async function notePending(
  deps: WriteDeps,
  ctx: WriteContext,
  eventId: string,
  op: WriteOp,
  fields?: BookingFields,
): Promise<void> {
  await recordPendingWrite(deps.pool, {
    writeId: ctx.writeId,
    connectionId: ctx.connectionId,
    calendarId: ctx.calendarId,
    eventId,
    commandId: ctx.command.commandId,
    bookingId: ctx.command.bookingId,
    op,
    ...(fields ? { fields } : {}),
  });
}
