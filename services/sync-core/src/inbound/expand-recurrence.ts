import type { CalendarEvent, EventTime } from '@gcal-sync/shared';
import { RRule, RRuleSet } from 'rrule';
import { durationMs, shiftEventTime } from './shift-event-time';
import { formatInZone, instantOfWallTime, wallTimeOf } from './zoned-time';

/**
 * Expands a series master into its instances within a window, the way Google's singleEvents=true
 * would: rules are evaluated on the wall clock of the master's time zone (a 14:00 Los Angeles
 * meeting stays 14:00 across DST), EXDATEs and RDATEs apply, and instances that have an exception
 * (moved or cancelled: `exceptionStarts`) are left out — the exceptions are listed themselves.
 */
export function expandSeries(
  master: CalendarEvent,
  window: { timeMin: Date; timeMax: Date },
  exceptionStarts: ReadonlySet<string>,
  limit = 2500,
): CalendarEvent[] {
  const start = master.start;
  if (!start || !master.recurrence?.length) return [];
  const allDay = Boolean(start.date);
  const timeZone = start.timeZone ?? master.end?.timeZone ?? 'UTC';
  const length = durationMs(master.start, master.end) ?? 0;
  const dtstart = allDay
    ? new Date(`${start.date}T00:00:00Z`)
    : wallTimeOf(new Date(start.dateTime as string), timeZone);
  const toWall = (value: string, tzid: string | undefined): Date =>
    parseIcalTime(value, tzid, allDay ? 'UTC' : timeZone);

  const set = new RRuleSet();
  for (const line of master.recurrence) {
    const [head = '', value = ''] = splitLine(line);
    const name = head.split(';')[0]?.toUpperCase();
    const tzid = /;TZID=([^;:]+)/i.exec(head)?.[1];
    if (name === 'RRULE') {
      const options = RRule.parseString(value);
      const until = /UNTIL=([^;]+)/i.exec(value)?.[1];
      set.rrule(new RRule({ ...options, dtstart, ...(until ? { until: toWall(until, undefined) } : {}) }));
    } else if (name === 'EXDATE' || name === 'RDATE') {
      for (const v of value.split(','))
        (name === 'EXDATE' ? set.exdate.bind(set) : set.rdate.bind(set))(toWall(v, tzid));
    }
  }

  // Walls are floating; widen the window by a day either way, then filter on real instants.
  const walls = set.between(
    new Date(window.timeMin.getTime() - 86_400_000 - length),
    new Date(window.timeMax.getTime() + 86_400_000),
    true,
  );
  const out: CalendarEvent[] = [];
  for (const wall of walls) {
    const instanceStart: EventTime = allDay
      ? { date: wall.toISOString().slice(0, 10) }
      : { dateTime: formatInZone(instantOfWallTime(wall, timeZone), timeZone), timeZone };
    const instanceEnd = shiftEventTime(instanceStart, length);
    const startMs = instantMs(instanceStart);
    if (startMs >= window.timeMax.getTime() || instantMs(instanceEnd) <= window.timeMin.getTime()) continue;
    const key = originalStartKey(instanceStart);
    if (exceptionStarts.has(key)) continue;
    const { recurrence: _r, ...fields } = master;
    out.push({
      ...fields,
      id: `${master.id}_${instanceIdSuffix(instanceStart)}`,
      recurringEventId: master.id,
      originalStartTime: instanceStart,
      start: instanceStart,
      end: instanceEnd,
    });
    if (out.length >= limit) break;
  }
  return out;
}

/** The key an instance's original start is matched on: the date, or the instant in ms. */
export function originalStartKey(time: EventTime): string {
  return time.date ?? String(Date.parse(time.dateTime as string));
}

function instantMs(time: EventTime): number {
  return time.date ? Date.parse(`${time.date}T00:00:00Z`) : Date.parse(time.dateTime as string);
}

/** Google's instance id suffix: the original start in UTC basic format, or the date for all-day. */
function instanceIdSuffix(time: EventTime): string {
  if (time.date) return time.date.replaceAll('-', '');
  return `${new Date(time.dateTime as string).toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
}

function splitLine(line: string): [string, string] {
  const at = line.indexOf(':');
  return at < 0 ? [line, ''] : [line.slice(0, at), line.slice(at + 1)];
}

/** An iCalendar DATE or DATE-TIME (UTC `Z`, with TZID, or floating) as a wall time of `zone`. */
function parseIcalTime(value: string, tzid: string | undefined, zone: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(value.trim());
  if (!m) throw new Error(`unreadable recurrence time ${value}`);
  const wall = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)));
  if (m[7]) return wallTimeOf(wall, zone);
  if (tzid && tzid !== zone) return wallTimeOf(instantOfWallTime(wall, tzid), zone);
  return wall;
}
