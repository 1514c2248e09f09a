import type { BookingFields } from '@gcal-sync/shared';
import { presentFields, toGooglePatch } from './app-fields';
import type { ModifyCommand } from './commands-repository';
import { eventIdForBooking } from './event-id';
import { baseAt, conflictFailure, executeModify, judgeConflict } from './execute-modify';
import { GoogleCallError, type GoogleEvent } from './google-calendar-client';
import { splitRecurrence, startAndEndAt } from './recurrence-split';
import { getOrGone, type Target } from './resolve-target';
import {
  type Execution,
  markedProperties,
  markerOf,
  notePending,
  type WriteContext,
  type WriteDeps,
} from './write-execution';
import { pendingFields } from './writes-repository';

type FollowingTarget = Extract<Target, { kind: 'following' }>;

const instant = (t: { date?: string | null; dateTime?: string | null }) =>
  t.date ? Date.parse(`${t.date}T00:00:00Z`) : Date.parse(t.dateTime ?? '');

/** Fields a new series inherits from the one it splits off (Google Calendar's UI does the same). */
function inherited(master: GoogleEvent): GoogleEvent {
  const keep = [
    'summary',
    'description',
    'location',
    'attendees',
    'reminders',
    'transparency',
    'visibility',
    'colorId',
    'guestsCanInviteOthers',
    'guestsCanModify',
    'guestsCanSeeOtherGuests',
  ] as const;
  const out: Record<string, unknown> = {};
  for (const k of keep) if (master[k] !== undefined && master[k] !== null) out[k] = master[k];
  return out as GoogleEvent;
}

/**
 * "This and following": the master's rule is ended just before the chosen occurrence and, for an
 * update, a new series starts there with the change applied; for a delete nothing follows. Both
 * writes carry the command's marker; the new series' id derives from the booking and the split
 * point, so a retry finds what an interrupted attempt already did instead of splitting twice.
 */
export async function executeFollowing(
  deps: WriteDeps,
  ctx: WriteContext,
  command: ModifyCommand,
  target: FollowingTarget,
): Promise<Execution> {
  const { masterId, splitStart, versionRow } = target;
  const deleting = command.op === 'delete';
  const fields: BookingFields = command.op === 'update' ? command.fields : {};
  const master = await getOrGone(deps, ctx, masterId);
  if (!master || master.status === 'cancelled' || !master.start || !master.end) {
    return executeModify(deps, ctx, command, { kind: 'event', eventId: masterId, ownRow: versionRow, versionRow });
  }
  // The whole series from its first occurrence on is just the series.
  if (instant(splitStart) <= instant(master.start)) {
    return executeModify(deps, ctx, command, { kind: 'event', eventId: masterId, ownRow: versionRow, versionRow });
  }
  const resumed = markerOf(master) === ctx.writeId;
  const key = { writeId: ctx.writeId, connectionId: ctx.connectionId, calendarId: ctx.calendarId, eventId: masterId };
  const original = resumed ? ((await pendingFields(deps.pool, key))?.recurrence ?? []) : (master.recurrence ?? []);

  let conflict: Extract<Execution, { outcome: 'succeeded' }>['conflict'];
  const unchanged = versionRow?.version === command.expectedVersion && versionRow.etag === master.etag;
  if (!resumed && !unchanged) {
    const base = await baseAt(deps, ctx, masterId, versionRow, command.expectedVersion);
    const decision = judgeConflict(deps, ctx, command, base, master);
    if (decision.resolution === 'google-won') return conflictFailure(ctx, master, decision.report);
    conflict = decision.report;
  }

  await notePending(deps, ctx, masterId, 'patch', { recurrence: original });
  const { before, after } = splitRecurrence(original, master.start, splitStart);
  const truncated =
    resumed && JSON.stringify(master.recurrence) === JSON.stringify(before)
      ? master
      : await deps.google.patch(
          ctx.connectionId,
          ctx.calendarId,
          masterId,
          { recurrence: before, extendedProperties: markedProperties(ctx, master) },
          { ...(master.etag ? { etag: master.etag } : {}), sendUpdates: command.sendUpdates },
        );
  const written = [{ event: truncated, op: 'patch' as const }];
  const extra = { ...(conflict ? { conflict, merged: conflict.resolution === 'merged' } : {}) };
  if (deleting || after.length === 0) return { outcome: 'succeeded', eventId: masterId, written, ...extra };

  const splitKey = new Date(instant(splitStart)).toISOString();
  const newId = eventIdForBooking(command.bookingId, `following:${masterId}:${splitKey}`);
  await notePending(deps, ctx, newId, 'insert');
  const times = startAndEndAt(master.start, master.end, splitStart);
  const body: GoogleEvent = {
    ...inherited(master),
    start: times.start,
    end: times.end,
    recurrence: after,
    ...toGooglePatch(fields, presentFields(fields), master),
    id: newId,
    extendedProperties: markedProperties(ctx, master),
  };
  let created: GoogleEvent;
  try {
    created = await deps.google.insert(ctx.connectionId, ctx.calendarId, body, command.sendUpdates);
  } catch (error) {
    if (!(error instanceof GoogleCallError) || error.classified.kind !== 'duplicate') throw error;
    created = await deps.google.get(ctx.connectionId, ctx.calendarId, newId);
  }
  written.push({ event: created, op: 'insert' as never });
  return { outcome: 'succeeded', eventId: newId, followingEventId: newId, written, ...extra };
}
