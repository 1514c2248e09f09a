import type { EventTime } from '@gcal-sync/shared';
import { formatWithOffset } from './zoned-time';

const DAY_MS = 86_400_000;

function offsetMinutes(dateTime: string): number {
  const match = /([+-])(\d{2}):(\d{2})$/.exec(dateTime);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

/** Length of an event in ms (whole days for all-day events); undefined when it cannot be told. */
export function durationMs(start: EventTime | undefined, end: EventTime | undefined): number | undefined {
  if (!start || !end) return undefined;
  if (start.date && end.date) return Date.parse(`${end.date}T00:00:00Z`) - Date.parse(`${start.date}T00:00:00Z`);
  if (start.dateTime && end.dateTime) return Date.parse(end.dateTime) - Date.parse(start.dateTime);
  return undefined;
}

/** `time` moved by `ms`, written in the same style (date, or dateTime with its offset and time zone). */
export function shiftEventTime(time: EventTime, ms: number): EventTime {
  if (time.date) {
    const days = Math.round(ms / DAY_MS);
    return { date: new Date(Date.parse(`${time.date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10) };
  }
  const dateTime = time.dateTime as string;
  const shifted = formatWithOffset(Date.parse(dateTime) + ms, offsetMinutes(dateTime));
  return time.timeZone ? { dateTime: shifted, timeZone: time.timeZone } : { dateTime: shifted };
}
