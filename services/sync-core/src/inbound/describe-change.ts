import type { CalendarEvent, EventChangePayload } from '@gcal-sync/shared';
import { changedFields } from './changed-fields';
import { durationMs, shiftEventTime } from './shift-event-time';

export type ChangeDescription = Pick<EventChangePayload, 'change' | 'recurrence' | 'changedFields' | 'previous'>;

/** Google names the new series of a "this and following" edit `<id>_R<date>[T<time>Z]`. */
const SPLIT_SERIES_ID = /_R\d{8}(T\d{6}Z?)?$/;

function rruleOf(recurrence: string[] | undefined): string | undefined {
  return recurrence?.find((line) => line.toUpperCase().startsWith('RRULE:'));
}

function ruleParam(rule: string, name: string): string | undefined {
  return new RegExp(`[:;]${name}=([^;]+)`, 'i').exec(rule)?.[1];
}

/** True when the new rule ends the series earlier than the old one: the first half of a split. */
export function isTruncation(previous: string[] | undefined, next: string[] | undefined): boolean {
  const before = rruleOf(previous);
  const after = rruleOf(next);
  if (!before || !after) return false;
  const untilAfter = ruleParam(after, 'UNTIL');
  const untilBefore = ruleParam(before, 'UNTIL');
  if (untilAfter && (!untilBefore || untilAfter < untilBefore)) return true;
  const countAfter = ruleParam(after, 'COUNT');
  const countBefore = ruleParam(before, 'COUNT');
  return countAfter !== undefined && (countBefore === undefined || Number(countAfter) < Number(countBefore));
}

/**
 * The instance of a series as it was before it got an exception: the master's fields at the
 * instance's original start. This is what a moved or cancelled instance is compared against.
 */
export function virtualInstance(master: CalendarEvent, exception: CalendarEvent): CalendarEvent | undefined {
  const originalStart = exception.originalStartTime;
  if (!originalStart) return undefined;
  const length = durationMs(master.start, master.end) ?? 0;
  const { recurrence: _recurrence, ...fields } = master;
  return {
    ...fields,
    id: exception.id,
    recurringEventId: exception.recurringEventId,
    originalStartTime: originalStart,
    start: originalStart,
    end: shiftEventTime(originalStart, length),
    status: 'confirmed',
  };
}

const times = (e: CalendarEvent) => ({ ...(e.start ? { start: e.start } : {}), ...(e.end ? { end: e.end } : {}) });

/**
 * What a newly applied version of an event means to the app, or null when there is nothing to
 * tell (a cancellation of something the app never saw).
 *
 * `previous` is the last mirrored version (live or tombstone); `master` the series master when
 * `next` is an instance exception. An exception seen for the first time is compared with the
 * master's virtual instance, so "moved from 14:00 to 15:00 on 12 June" is an `updated` instance
 * change whose `previous.start` is 14:00 and `event.start` 15:00.
 */
export function describeChange(input: {
  previous?: CalendarEvent;
  next: CalendarEvent;
  master?: CalendarEvent;
}): ChangeDescription | null {
  const { next, master } = input;
  const previous = input.previous && input.previous.status !== 'cancelled' ? input.previous : undefined;
  const cancelled = next.status === 'cancelled';

  if (next.recurringEventId) {
    const before = previous ?? (master && master.status !== 'cancelled' ? virtualInstance(master, next) : undefined);
    if (!before) return cancelled ? null : { change: 'created', recurrence: 'instance', changedFields: [] };
    return {
      change: cancelled ? 'deleted' : 'updated',
      recurrence: 'instance',
      changedFields: cancelled ? [] : changedFields(before, next),
      previous: times(before),
    };
  }

  const isSeries = Boolean(next.recurrence?.length || previous?.recurrence?.length);
  if (!previous) {
    if (cancelled) return null;
    const split = isSeries && SPLIT_SERIES_ID.test(next.id);
    return {
      change: 'created',
      recurrence: split ? 'series-split' : isSeries ? 'series' : 'single',
      changedFields: [],
    };
  }
  if (cancelled) {
    return {
      change: 'deleted',
      recurrence: isSeries ? 'series' : 'single',
      changedFields: [],
      previous: times(previous),
    };
  }
  const fields = changedFields(previous, next);
  const split = isSeries && fields.includes('recurrence') && isTruncation(previous.recurrence, next.recurrence);
  return {
    change: 'updated',
    recurrence: split ? 'series-split' : isSeries ? 'series' : 'single',
    changedFields: fields,
    previous: times(previous),
  };
}
