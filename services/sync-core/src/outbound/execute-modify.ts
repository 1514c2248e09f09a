import type { BookingFields, ConflictResolution } from '@gcal-sync/shared';
import { toCalendarEvent } from '../inbound/to-calendar-event';
import { appFieldsOf, presentFields, toGooglePatch } from './app-fields';
import type { ModifyCommand } from './commands-repository';
import { GoogleCallError, type GoogleEvent } from './google-calendar-client';
import { resolveConflict } from './resolve-conflict';
import { getOrGone, isGone, type Target } from './resolve-target';
import {
  type Execution,
  failed,
  markedProperties,
  markerOf,
  notePending,
  type WriteContext,
  type WriteDeps,
} from './write-execution';
import { fieldsAtVersion } from './writes-repository';

type EventTarget = Extract<Target, { kind: 'event' }>;

const MAX_ROUNDS = 4;

/** The app-owned fields at the version the caller saw, if still known (our write's record, or the mirror). */
export async function baseAt(
  deps: WriteDeps,
  ctx: WriteContext,
  eventId: string,
  row: EventTarget['ownRow'],
  version: number,
) {
  const key = { connectionId: ctx.connectionId, calendarId: ctx.calendarId, eventId };
  const recorded = await fieldsAtVersion(deps.pool, key, version);
  if (recorded) return recorded;
  return row && row.version === version ? appFieldsOf(row.raw) : undefined;
}

/** resolveConflict for this command against the event as Google has it now. */
export function judgeConflict(
  deps: WriteDeps,
  ctx: WriteContext,
  command: ModifyCommand,
  base: BookingFields | undefined,
  current: GoogleEvent,
) {
  return resolveConflict({
    base,
    google: appFieldsOf(current),
    request: command.op === 'update' ? command.fields : {},
    deleting: command.op === 'delete',
    appEditedAt: command.editedAt,
    googleUpdated: current.updated ?? undefined,
    receivedAt: ctx.receivedAt,
    skewMs: deps.skewMs,
  });
}

export function conflictFailure(ctx: WriteContext, current: GoogleEvent, report: ConflictResolution): Execution {
  return failed('conflict', 'The calendar has been updated elsewhere; reload to see the latest.', {
    eventId: current.id ?? undefined,
    current: toCalendarEvent(current, ctx.calendarId, { now: new Date().toISOString() }),
    currentRaw: current,
    conflict: report,
  });
}

/**
 * Update or delete one event (a single event, one occurrence, or a series master) with If-Match on
 * the etag of the version the caller saw. 412 → re-fetch and decide (merge / last-write-wins, see
 * resolveConflict), then write again with the fresh etag; a few rounds at most if Google keeps changing.
 */
export async function executeModify(
  deps: WriteDeps,
  ctx: WriteContext,
  command: ModifyCommand,
  target: EventTarget,
): Promise<Execution> {
  const { eventId, ownRow, versionRow } = target;
  const deleting = command.op === 'delete';
  const fields: BookingFields = command.op === 'update' ? command.fields : {};
  const expected = command.expectedVersion;
  const seenIsCurrent = versionRow !== undefined && versionRow.version === expected;

  let base = await baseAt(deps, ctx, eventId, ownRow, expected);
  let etag = seenIsCurrent && ownRow ? ownRow.etag : undefined;
  let current: GoogleEvent | undefined;
  let knownState: GoogleEvent | undefined = seenIsCurrent && ownRow ? ownRow.raw : undefined;
  let conflictSeen = !seenIsCurrent;
  if (seenIsCurrent && !ownRow) {
    // An occurrence never modified, of a series unchanged since the caller saw it: as Google has it now.
    const live = await getOrGone(deps, ctx, eventId);
    if (!live) return gone(ctx, command, eventId);
    base = appFieldsOf(live);
    etag = live.etag ?? undefined;
    knownState = live;
  }
  if (!deleting && presentFields(fields).length === 0) return failed('invalid', 'an update needs at least one field');
  await notePending(deps, ctx, eventId, deleting ? 'delete' : 'patch');

  const write = async (patchFields: readonly string[], onto: GoogleEvent | undefined, ifMatch: string | undefined) => {
    const opts = { ...(ifMatch ? { etag: ifMatch } : {}), sendUpdates: command.sendUpdates };
    if (deleting) {
      await deps.google.delete(ctx.connectionId, ctx.calendarId, eventId, opts);
      return { id: eventId, status: 'cancelled', etag: ifMatch ?? onto?.etag ?? '"deleted"' } as GoogleEvent;
    }
    const body = {
      ...toGooglePatch(fields, patchFields as never, onto),
      extendedProperties: markedProperties(ctx, onto),
    };
    return deps.google.patch(ctx.connectionId, ctx.calendarId, eventId, body, opts);
  };
  const done = (event: GoogleEvent, extra: Partial<Extract<Execution, { outcome: 'succeeded' }>> = {}): Execution => ({
    outcome: 'succeeded',
    eventId,
    written: [{ event, op: deleting ? 'delete' : 'patch' }],
    ...extra,
  });

  for (let round = 0; round < MAX_ROUNDS; round++) {
    try {
      if (current === undefined && etag !== undefined) {
        return done(await write(presentFields(fields), knownState, etag));
      }
      current ??= await getOrGone(deps, ctx, eventId);
      if (!current || current.status === 'cancelled') return gone(ctx, command, eventId, current);
      // Our own earlier attempt of this very command already went through (crash or lost answer).
      if (markerOf(current) === ctx.writeId) return done(current);
      const decision = judgeConflict(deps, ctx, command, base, current);
      const report = conflictSeen ? decision.report : undefined;
      if (decision.resolution === 'google-won') return conflictFailure(ctx, current, decision.report);
      const extra = { merged: decision.resolution === 'merged', ...(report ? { conflict: report } : {}) };
      if (!deleting && decision.patchFields.length === 0) return done(current, extra);
      return done(await write(decision.patchFields, current, current.etag ?? undefined), extra);
    } catch (error) {
      if (!(error instanceof GoogleCallError)) throw error;
      if (error.classified.kind === 'precondition-failed') {
        conflictSeen = true;
        current = await getOrGone(deps, ctx, eventId);
        if (!current) return gone(ctx, command, eventId);
        continue;
      }
      if (isGone(error)) return gone(ctx, command, eventId, current);
      throw error;
    }
  }
  return failed('conflict', `event ${eventId} kept changing in Google while we wrote it; retry`, { eventId });
}

/** Google no longer has the event: a delete is done already; an update is a typed conflict. */
function gone(ctx: WriteContext, command: ModifyCommand, eventId: string, current?: GoogleEvent): Execution {
  if (command.op === 'delete') return { outcome: 'succeeded', eventId, written: [], alreadyDeleted: true };
  const report: ConflictResolution = {
    resolution: 'deleted-in-google',
    appFields: presentFields(command.fields),
    googleFields: [],
    collidingFields: [],
    appEditedAt: command.editedAt,
    ...(current?.updated ? { googleUpdated: current.updated } : {}),
  };
  return failed('conflict', 'The event was deleted in Google Calendar; it cannot be updated.', {
    eventId,
    conflict: report,
    ...(current ? { current: toCalendarEvent(current, ctx.calendarId, { now: new Date().toISOString() }) } : {}),
  });
}
