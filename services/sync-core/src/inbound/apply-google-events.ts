import { buildEnvelope, type MessageOf, type PayloadOf, type Queryable } from '@gcal-sync/shared';
import { type CalendarKey, mirrorLockName } from './calendar-key';
import { changeMessageId } from './change-message-id';
import { defaultEchoDetector, type EchoDetector } from './echo-detector';
import { type GoogleEvent, writeIdOf } from './google-event';
import { loadMirrorRows, upsertMirrorRows } from './mirror-repository';
import { enqueueChangeEvents } from './outbox-writer';
import { planChanges } from './plan-changes';

export type ApplyTarget = CalendarKey & { orgId: string };

export type AppliedChange = PayloadOf<'eventChanges'>;

/**
 * Applies Google event resources to the mirror and enqueues their change events, all inside the
 * caller's transaction `q` (so a crash can neither lose a change nor publish an unapplied one).
 * Outbound uses this too, to record the result of its own writes at once.
 *
 * - `full: true` means `events` is everything Google has (a full sync): mirror rows missing from
 *   it are tombstoned and published as deleted. Otherwise it is a delta (upserts + cancellations).
 * - Versions: every applied change bumps the event's version by one; an event version Google
 *   reports twice (same etag and status) is skipped, so it is published once.
 * - Writes to one calendar's mirror are serialised by a transaction-level advisory lock.
 */
export async function applyGoogleEvents(
  q: Queryable,
  target: ApplyTarget,
  events: readonly GoogleEvent[],
  options: { full?: boolean; echo?: EchoDetector; now?: Date } = {},
): Promise<AppliedChange[]> {
  const echo = options.echo ?? defaultEchoDetector;
  const now = (options.now ?? new Date()).toISOString();
  await q.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [mirrorLockName(target)]);

  const ids = new Set<string>();
  for (const e of events) {
    if (e.id) ids.add(e.id);
    if (e.recurringEventId) ids.add(e.recurringEventId);
  }
  const existing = await loadMirrorRows(q, target, options.full ? 'all' : [...ids]);
  const writes = planChanges({
    calendarId: target.calendarId,
    existing,
    incoming: events,
    full: options.full ?? false,
    now,
  });
  if (writes.length === 0) return [];

  const rows = [];
  const messages: MessageOf<'eventChanges'>[] = [];
  const applied: AppliedChange[] = [];
  for (const { row, change } of writes) {
    // Asked for marked events, and for deletions in a delta (the app may delete an event it did
    // not create); a full listing's tombstones are Google's answer, not anyone's write.
    const ask = writeIdOf(row.raw) !== undefined || (!options.full && row.status === 'cancelled');
    const own = ask ? await echo.isOwnWrite(q, target.connectionId, target.calendarId, row.raw) : false;
    const source = own ? ('app' as const) : ('google' as const);
    rows.push({ ...row, source });
    if (!change) continue;
    const payload: AppliedChange = {
      calendarId: target.calendarId,
      eventId: row.eventId,
      version: row.version,
      source,
      event: row.event,
      ...change,
    };
    applied.push(payload);
    messages.push(
      buildEnvelope('eventChanges', {
        orgId: target.orgId,
        connectionId: target.connectionId,
        messageId: changeMessageId({ ...target, eventId: row.eventId, version: row.version }),
        payload,
      }),
    );
  }
  await upsertMirrorRows(q, target, rows);
  await enqueueChangeEvents(q, messages);
  return applied;
}
