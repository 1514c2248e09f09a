import type { CalendarEvent } from '@gcal-sync/shared';
import { type ChangeDescription, describeChange } from './describe-change';
import type { GoogleEvent } from './google-event';
import { toCalendarEvent } from './to-calendar-event';

/** One mirrored event: Google's resource verbatim, its mapped shape, and its per-event version. */
export type MirrorRow = {
  eventId: string;
  /** Grows by one with every applied change of this event, tombstones included, so it never goes back. */
  version: number;
  etag: string;
  status: string;
  event: CalendarEvent;
  raw: GoogleEvent;
};

/** A row to write, and the change event to publish with it (null: store silently). */
export type PlannedWrite = { row: MirrorRow; change: ChangeDescription | null };

/**
 * Turns what Google returned into mirror writes and change descriptions.
 *
 * Incremental (`full: false`): Google's delta is upserts plus tombstones (status cancelled), never
 * a snapshot, so rows it does not mention are left alone. Full: rows Google no longer has are
 * tombstoned. A version Google reports twice (same etag and status) is skipped, so it is
 * published once. Tombstones are kept so a re-created event continues its version sequence.
 */
export function planChanges(input: {
  calendarId: string;
  existing: ReadonlyMap<string, MirrorRow>;
  incoming: readonly GoogleEvent[];
  full: boolean;
  now: string;
}): PlannedWrite[] {
  const { calendarId, now } = input;
  const working = new Map(input.existing);
  const writes: PlannedWrite[] = [];
  const seen = new Set<string>();

  const apply = (raw: GoogleEvent) => {
    const id = raw.id as string;
    const previous = working.get(id);
    const status = raw.status ?? 'confirmed';
    if (previous && raw.etag && previous.etag === raw.etag && previous.status === status) return;
    // Already a tombstone: a second cancellation (e.g. a cancelled instance listed again) is no change.
    if (previous?.status === 'cancelled' && status === 'cancelled') return;
    // A sync that read Google before one of our own writes may apply after it: never let an older
    // state of the event overwrite a newer one (it would be republished with a higher version).
    if (previous && raw.updated && Date.parse(raw.updated) < Date.parse(previous.event.updated)) return;
    const event = toCalendarEvent(raw, calendarId, { fallback: previous?.event, now });
    const master = event.recurringEventId ? working.get(event.recurringEventId)?.event : undefined;
    const change = describeChange({ previous: previous?.event, next: event, master });
    const row: MirrorRow = {
      eventId: id,
      version: (previous?.version ?? 0) + 1,
      etag: event.etag,
      status: event.status,
      event,
      raw: previous && status === 'cancelled' && !raw.start ? { ...previous.raw, ...raw } : raw,
    };
    working.set(id, row);
    writes.push({ row, change });
  };

  // Series masters before instance exceptions, so an exception is always compared with the
  // master's current version whatever order Google's pages list them in.
  const ordered = [
    ...input.incoming.filter((e) => !e.recurringEventId),
    ...input.incoming.filter((e) => e.recurringEventId),
  ];
  for (const raw of ordered) {
    if (!raw.id) continue;
    seen.add(raw.id);
    apply(raw);
  }
  if (input.full) {
    for (const row of input.existing.values()) {
      if (row.status === 'cancelled' || seen.has(row.eventId)) continue;
      apply({ id: row.eventId, status: 'cancelled', etag: row.etag, updated: now });
    }
  }
  return writes;
}

/** The visible state a mirror represents: live events by id. */
export function liveEvents(rows: Iterable<MirrorRow>): Map<string, CalendarEvent> {
  const out = new Map<string, CalendarEvent>();
  for (const row of rows) if (row.status !== 'cancelled') out.set(row.eventId, row.event);
  return out;
}

/** Folds planned writes into a mirror snapshot (what the database does with them). */
export function applyWrites(mirror: Map<string, MirrorRow>, writes: readonly PlannedWrite[]): Map<string, MirrorRow> {
  for (const { row } of writes) mirror.set(row.eventId, row);
  return mirror;
}
