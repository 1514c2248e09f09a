import { loadMirrorRows } from '../inbound/mirror-repository';
import type { MirrorRow } from '../inbound/plan-changes';
import type { ModifyCommand } from './commands-repository';
import { GoogleCallError, type GoogleEvent } from './google-calendar-client';
import { type EventTimeLike, parseInstanceId } from './recurrence-split';
import { type Execution, failed, type WriteContext, type WriteDeps } from './write-execution';

/**
 * What a write to an existing event targets, and which mirror row holds the version the caller saw:
 * the event itself, or for an occurrence that was never modified (no row of its own), its series master.
 * For `series` and `following` the expected version is the master's.
 */
export type Target =
  | { kind: 'event'; eventId: string; ownRow: MirrorRow | undefined; versionRow: MirrorRow | undefined }
  | { kind: 'following'; masterId: string; splitStart: EventTimeLike; versionRow: MirrorRow | undefined };

/** Google's event, or undefined when Google no longer has it (404, or 410 for a deleted one). */
export async function getOrGone(deps: WriteDeps, ctx: WriteContext, eventId: string): Promise<GoogleEvent | undefined> {
  try {
    const event = await deps.google.get(ctx.connectionId, ctx.calendarId, eventId);
    return event;
  } catch (error) {
    if (error instanceof GoogleCallError && isGone(error)) return undefined;
    throw error;
  }
}

export function isGone(error: GoogleCallError): boolean {
  return error.classified.kind === 'not-found' || error.classified.status === 410;
}

const SCOPE_REQUIRED =
  'is a recurring event: say whether the change is for this instance only (scope "instance"), the whole series ("series") or this and following instances ("following")';

export async function resolveTarget(
  deps: WriteDeps,
  ctx: WriteContext,
  command: ModifyCommand,
): Promise<Target | Execution> {
  const key = { connectionId: ctx.connectionId, calendarId: ctx.calendarId };
  const ref = parseInstanceId(command.eventId);
  const rows = await loadMirrorRows(deps.pool, key, ref ? [command.eventId, ref.masterId] : [command.eventId]);
  const own = rows.get(command.eventId);
  let masterId = ref?.masterId ?? own?.raw.recurringEventId ?? undefined;
  let isSeries = Boolean(own?.raw.recurrence?.length);
  let originalStart: EventTimeLike | undefined = ref?.originalStart ?? own?.raw.originalStartTime ?? undefined;

  if (!own && !masterId) {
    // Not mirrored (yet): ask Google what it is.
    const live = await getOrGone(deps, ctx, command.eventId);
    if (!live || live.status === 'cancelled') {
      return command.op === 'delete'
        ? { outcome: 'succeeded', eventId: command.eventId, written: [], alreadyDeleted: true }
        : failed('not_found', `event ${command.eventId} does not exist in calendar ${ctx.calendarId}`);
    }
    isSeries = Boolean(live.recurrence?.length);
    masterId = live.recurringEventId ?? undefined;
    originalStart = live.originalStartTime ?? undefined;
  }
  if ((isSeries || masterId) && !command.scope) {
    return failed('scope_required', `event ${command.eventId} ${SCOPE_REQUIRED}`, { eventId: command.eventId });
  }
  if (masterId) {
    const master = rows.get(masterId) ?? (await loadMirrorRows(deps.pool, key, [masterId])).get(masterId);
    if (command.scope === 'instance')
      return { kind: 'event', eventId: command.eventId, ownRow: own, versionRow: own ?? master };
    if (command.scope === 'series') return { kind: 'event', eventId: masterId, ownRow: master, versionRow: master };
    if (!originalStart) return failed('invalid', `cannot tell which occurrence ${command.eventId} is`);
    return { kind: 'following', masterId, splitStart: originalStart, versionRow: master };
  }
  if (isSeries && command.scope !== 'series') {
    return failed(
      'invalid',
      `scope "${command.scope}" needs the id of the occurrence (${command.eventId}_<YYYYMMDDTHHMMSSZ>), not the series id`,
    );
  }
  return { kind: 'event', eventId: command.eventId, ownRow: own, versionRow: own };
}
